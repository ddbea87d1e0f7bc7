"""AES-SIV values: round trip, determinism, the stored format, and loud failures that never repeat the value."""

from __future__ import annotations

import polars as pl
import pytest

from hearth.crypto import (
    PREFIX,
    FieldCryptoError,
    decrypt,
    decrypt_series,
    encrypt,
    encrypt_series,
    key_id_of,
    keyring,
    new_key,
    stored_length,
)
from hearth.crypto.keys import parse_key

CONTEXT = "hmis_client.ssn"
SSN = "900123456"


@pytest.fixture
def key_a(settings: pytest.FixtureRequest) -> str:
    key = new_key()
    settings.HEARTH_FIELD_KEY = key  # type: ignore[attr-defined]
    settings.HEARTH_FIELD_KEYS_RETIRED = []  # type: ignore[attr-defined]
    return key


def test_round_trip_and_deterministic(key_a: str) -> None:
    stored = encrypt(SSN, context=CONTEXT)
    assert decrypt(stored, context=CONTEXT) == SSN
    assert encrypt(SSN, context=CONTEXT) == stored
    assert encrypt("900123457", context=CONTEXT) != stored


def test_stored_text_names_the_key_and_shows_nothing_of_the_ssn(key_a: str) -> None:
    stored = encrypt(SSN, context=CONTEXT)
    kid = parse_key(key_a, setting="test").key_id
    assert stored.startswith(f"{PREFIX}{kid}:")
    assert key_id_of(stored) == kid
    body = stored.removeprefix(f"{PREFIX}{kid}:")
    assert SSN not in stored
    assert SSN[-4:] not in body
    # 16-byte tag + 9 bytes, base64url without padding: 34 characters.
    assert len(body) == 34


def test_no_ssn_digits_survive_across_many_values(key_a: str) -> None:
    ssns = [f"9{n:08d}" for n in range(0, 100_000_000, 997_001)]
    for ssn in ssns:
        body = encrypt(ssn, context=CONTEXT).split(":", 2)[2]
        assert ssn[-4:] not in body[:4]  # unlike HUD's hashed SSN, the last four are not in front
        assert ssn not in body


def test_another_column_cannot_decrypt_a_copied_value(key_a: str) -> None:
    stored = encrypt(SSN, context=CONTEXT)
    with pytest.raises(FieldCryptoError, match="fails authentication") as raised:
        decrypt(stored, context="hmis_client.first_name")
    assert SSN not in str(raised.value)


def test_wrong_key_fails_clearly_naming_the_key_id_only(key_a: str, settings: pytest.FixtureRequest) -> None:
    stored = encrypt(SSN, context=CONTEXT)
    kid = key_id_of(stored)
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    with pytest.raises(FieldCryptoError) as raised:
        decrypt(stored, context=CONTEXT)
    message = str(raised.value)
    assert message == (
        f"hmis_client.ssn holds a value encrypted with key {kid}, which is neither HEARTH_FIELD_KEY nor one of "
        "HEARTH_FIELD_KEYS_RETIRED: Hearth is running with a different key than the one that wrote it"
    )
    assert key_a not in message
    assert stored not in message


def test_retired_key_still_decrypts_and_new_values_use_the_current_key(
    key_a: str, settings: pytest.FixtureRequest
) -> None:
    old = encrypt(SSN, context=CONTEXT)
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    settings.HEARTH_FIELD_KEYS_RETIRED = [key_a]  # type: ignore[attr-defined]
    assert decrypt(old, context=CONTEXT) == SSN
    new = encrypt(SSN, context=CONTEXT)
    assert key_id_of(new) == keyring().current.key_id != key_id_of(old)
    assert decrypt(new, context=CONTEXT) == SSN


@pytest.mark.parametrize(
    ("stored", "rule"),
    [
        (SSN, "is not encrypted"),
        ("e1:zzzzzzzz:AAAA", "is not encrypted"),
    ],
)
def test_plain_or_malformed_values_are_refused(key_a: str, stored: str, rule: str) -> None:
    with pytest.raises(FieldCryptoError, match=rule) as raised:
        decrypt(stored, context=CONTEXT)
    assert SSN not in str(raised.value)


def _replace(text: str, at: int) -> str:
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


@pytest.mark.parametrize("at", [15, 30, -2, -1])
def test_any_altered_character_fails_authentication(key_a: str, at: int) -> None:
    stored = encrypt(SSN, context=CONTEXT)
    with pytest.raises(FieldCryptoError, match="fails authentication"):
        decrypt(_replace(stored, at % len(stored)), context=CONTEXT)


@pytest.mark.parametrize(
    "change", [lambda s: s[:20], lambda s: s + "=", lambda s: s + "AA", lambda s: s[:-2] + "." + s[-1]]
)
def test_truncated_or_padded_value_fails_authentication(key_a: str, change) -> None:
    with pytest.raises(FieldCryptoError, match="fails authentication"):
        decrypt(change(encrypt(SSN, context=CONTEXT)), context=CONTEXT)


def test_series_round_trip_keeps_nulls_empties_and_repeats(key_a: str) -> None:
    series = pl.Series("SSN", [SSN, None, "", "xxxxx3456", SSN], dtype=pl.String)
    stored = encrypt_series(series, context=CONTEXT)
    assert stored.name == "SSN"
    assert stored[1] is None
    assert stored[2] == ""
    assert stored[0] == stored[4] == encrypt(SSN, context=CONTEXT)
    assert stored[3] == encrypt("xxxxx3456", context=CONTEXT)
    assert decrypt_series(stored, context=CONTEXT).to_list() == series.to_list()


def test_series_of_nothing_is_returned_as_is(key_a: str) -> None:
    series = pl.Series("SSN", [None, None], dtype=pl.String)
    assert encrypt_series(series, context=CONTEXT).to_list() == [None, None]
    assert decrypt_series(pl.Series("SSN", [], dtype=pl.String), context=CONTEXT).to_list() == []


def test_stored_length_holds_the_longest_value(key_a: str) -> None:
    # HUD's hashed SSN is 68 characters; the column must hold any 68 characters, even 4-byte ones.
    assert len(encrypt("x" * 68, context=CONTEXT)) <= stored_length(68)
    assert len(encrypt("\U0001f600" * 68, context=CONTEXT)) <= stored_length(68)
    assert stored_length(68) == 396
