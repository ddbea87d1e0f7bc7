from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl
import pytest

from hearth.search.keys import (
    KEY_LENGTH,
    client_keys,
    dob_variants,
    keys_frame,
    query_keys,
    ssn_full,
    ssn_full_key,
    ssn_last4,
    ssn_last4_key,
    weighted_query_keys,
)
from hearth.search.query import SearchQuery
from hearth.synthetic.names import FEMALE_NAMES, MALE_NAMES, NICKNAMES, SURNAME_LIST

SECRET = "search-tests-secret-key"
# The blind index's own key (hearth.crypto.blind): 64 known bytes, so the tests can state exact hashes.
BLIND = bytes(range(64))
BLIND_KEY = base64.urlsafe_b64encode(BLIND).decode().rstrip("=")


@pytest.fixture(autouse=True)
def _secret(settings: Any) -> None:
    settings.SECRET_KEY = SECRET
    settings.HEARTH_BLIND_INDEX_KEY = BLIND_KEY


def test_client_keys() -> None:
    assert client_keys("Robert", "Smith", date(1980, 5, 12), "123456789") == {
        "s:R163",
        "s:S530",
        "p:R163.S530",
        "i:R.S530",
        "c:ROBERT.S530",
        "a:ROBERT.SM",
        "b:ROBERT.STH",
        "d:19800512",
        "y:S530.1980",
        ssn_last4_key("6789"),
        ssn_full_key("123456789"),
    }
    # A first name the nickname table does not know has no c: key (p: covers it); no last name, no pairs.
    assert client_keys("Xavion", None, None, None) == {"s:X150"}
    assert client_keys(None, None, None, None) == set()
    assert client_keys("Jo", "Li", None, "xxxxx1234") == {
        "s:J000",
        "s:L000",
        "p:J000.L000",
        "i:J.L000",
        "c:JOHANNA.L000",
        "c:JOSEPHINE.L000",
        "a:JO.LI",
        "b:JO.LLI",
        ssn_last4_key("1234"),
    }


def test_compound_names_add_keys_for_their_parts() -> None:
    keys = client_keys("Maria", "Garcia Lopez", date(1990, 12, 3), None)
    assert {"p:M600.G620", "p:M600.L120", "p:M600.G624", "c:MARIA.L120", "y:L120.1990", "s:L120"} <= keys


def test_keys_are_short() -> None:
    long = "Bartholomew-Maximilian Alexandria Wolfeschlegelsteinhausenbergerdorff"
    keys = client_keys(long, long, date(1980, 1, 1), "123456789")
    assert max(len(k) for k in keys) <= KEY_LENGTH
    assert client_keys("Maximilian", "Smith", None, None) >= {"c:MAXIMILIAN.S530"}


def test_ssn_last4() -> None:
    assert ssn_last4("123456789") == "6789"
    assert ssn_last4("xxxxx6789") == "6789"
    assert ssn_last4(" 123456789 ") == "6789"
    assert ssn_last4("12345x789") is None
    assert ssn_last4("123450000") is None
    assert ssn_last4("789") is None
    assert ssn_last4("") is None
    assert ssn_last4(None) is None


def test_ssn_key_is_a_keyed_hash_without_the_digits(settings: Any) -> None:
    key = ssn_last4_key("6789")
    assert key.startswith("4:")
    assert len(key) == 2 + 16
    assert "6789" not in key
    # HMAC-SHA256 with the blind index's own key over the purpose and the digits (hearth.crypto.blind).
    assert key == "4:" + hmac.new(BLIND, b"hearth.search.ssn-last4\x006789", hashlib.sha256).hexdigest()[:16]
    # Neither SECRET_KEY nor the field key is involved: rotating them changes no search key.
    settings.SECRET_KEY = "another-secret"
    settings.HEARTH_FIELD_KEY = base64.urlsafe_b64encode(bytes(64)).decode()
    assert ssn_last4_key("6789") == key
    # Another installation (another blind-index key) has other keys: the index alone does not give them away.
    settings.HEARTH_BLIND_INDEX_KEY = base64.urlsafe_b64encode(bytes(range(1, 65))).decode()
    assert ssn_last4_key("6789") != key
    settings.HEARTH_BLIND_INDEX_KEY = BLIND_KEY
    # No ending's key contains its digits.
    keys = {f"{n:04d}": ssn_last4_key(f"{n:04d}") for n in range(1, 10_000)}
    assert len(set(keys.values())) == len(keys)
    leaked = [digits for digits, k in keys.items() if digits in k]
    # A 16-hex-digit hash holds some 4-digit run by chance: never the one it was made from, for these digits.
    assert "6789" not in leaked
    assert len(leaked) < 10


def test_whole_ssn_key_is_a_keyed_hash_of_the_nine_digits() -> None:
    key = ssn_full_key("123456789")
    assert key == "n:" + hmac.new(BLIND, b"hearth.search.ssn\x00123456789", hashlib.sha256).hexdigest()[:16]
    # Another purpose than the last four's: the same digits never share a hash across kinds.
    assert key[2:] != hmac.new(BLIND, b"hearth.search.ssn-last4\x00123456789", hashlib.sha256).hexdigest()[:16]
    assert [ssn_full(v) for v in ("123456789", " 123-45-6789 ", "xxxxx6789", "12345678", "000000000", None)] == [
        "123456789",
        "123456789",
        None,
        None,
        None,
        None,
    ]
    assert weighted_query_keys(SearchQuery(ssn="123456789", ssn_last4="6789")) == {
        key: 8,
        ssn_last4_key("6789"): 4,
    }


def _sample(n: int, seed: int) -> pl.DataFrame:
    """Clients with everything the key scheme must survive: nicknames, accents, compound names, typos, missing
    and partial values, SSN placeholders."""
    rng = np.random.default_rng(seed)
    firsts = [*FEMALE_NAMES[:200].tolist(), *MALE_NAMES[:200].tolist(), *NICKNAMES.values()]
    firsts += ["María José", "Mary-Ann", "J.", "", "  ", "Zoë", "Đorđe", "李"]
    lasts = [*SURNAME_LIST[:300].tolist(), "Garcia Lopez", "De La Cruz", "O'Brien", "Smith Jr", "Nguyễn", ""]

    def pick(values: list[str], missing: float) -> list[str | None]:
        chosen = [values[i] for i in rng.integers(0, len(values), n)]
        typo = rng.random(n) < 0.1
        chosen = [v[::-1] if t else v for v, t in zip(chosen, typo, strict=True)]
        return [None if m else v for v, m in zip(chosen, rng.random(n) < missing, strict=True)]

    start = date(1930, 1, 1)
    dobs = [start + timedelta(days=int(d)) for d in rng.integers(0, 30_000, n)]
    numbers = [f"{int(v):09d}" for v in rng.integers(0, 1_000_000_000, n)]
    kinds = rng.integers(0, 6, n)
    ssns: list[str | None] = [
        s if k < 3 else ("xxxxx" + s[5:] if k == 3 else (None if k == 4 else s[:5] + "0000"))
        for s, k in zip(numbers, kinds, strict=True)
    ]
    return pl.DataFrame(
        {
            "id": range(1, n + 1),
            "first_name": pick(firsts, 0.05),
            "last_name": pick(lasts, 0.05),
            "dob": [None if m else d for d, m in zip(dobs, rng.random(n) < 0.1, strict=True)],
            "ssn": ssns,
        },
        schema={"id": pl.Int64, "first_name": pl.String, "last_name": pl.String, "dob": pl.Date, "ssn": pl.String},
    )


def test_keys_frame_agrees_with_client_keys() -> None:
    sample = _sample(3_000, seed=11)
    frame = keys_frame(sample)
    assert frame.schema == pl.Schema({"client_id": pl.Int64, "key": pl.String})
    assert frame.height == frame.unique().height
    expected = {
        (row["id"], key)
        for row in sample.iter_rows(named=True)
        for key in client_keys(row["first_name"], row["last_name"], row["dob"], row["ssn"])
    }
    assert set(frame.iter_rows()) == expected
    assert len(expected) > 5 * sample.height


def test_keys_frame_of_nothing() -> None:
    empty = _sample(1, seed=1).clear()
    assert keys_frame(empty).height == 0


def test_query_keys_for_names_cover_both_orders_and_nicknames() -> None:
    keys = query_keys(SearchQuery.parse("Bob Smith"))
    assert keys == [
        "a:BOB.SM",
        "a:SMITH.BO",
        "b:BOB.STH",
        "b:SMITH.BOB",
        "c:ROBERT.S530",
        "i:B.S530",
        "i:S.B100",
        "p:B100.S530",
        "p:S530.B100",
    ]
    swapped = set(query_keys(SearchQuery.parse("Smith Robert")))
    assert "p:R163.S530" in swapped
    assert "c:ROBERT.S530" in swapped
    # A single name may be either: its Soundex key matches first and last names alike.
    assert query_keys(SearchQuery.parse("Smyth")) == ["s:S530"]


def test_query_keys_for_a_date_of_birth_include_its_likely_typos() -> None:
    assert query_keys(SearchQuery.parse("1985-05-12")) == ["d:19580512", "d:19850512", "d:19850521", "d:19851205"]
    # 10/01/2001: month 10 ↔ 01, year 2001 ↔ 2010 / 0201 (too early) / 2001 (same); day 01 ↔ 10.
    assert dob_variants(date(2001, 10, 1)) == {
        date(2001, 10, 1),
        date(2001, 1, 1),
        date(2010, 10, 1),
        date(2001, 10, 10),
        date(2001, 1, 10),
    }


def test_query_keys_with_everything() -> None:
    keys = query_keys(SearchQuery.parse("Smith, John 1980-05-12 6789"))
    assert keys == sorted(
        [
            "p:J500.S530",
            "p:S530.J500",
            "i:J.S530",
            "i:S.J500",
            "c:JOHN.S530",
            "a:JOHN.SM",
            "a:SMITH.JO",
            "b:JOHN.STH",
            "b:SMITH.JHN",
            "d:19800512",
            "d:19800521",
            "d:19801205",
            "d:19080512",
            "y:J500.1980",
            "y:S530.1980",
            ssn_last4_key("6789"),
        ]
    )


def test_shape_keys_do_not_depend_on_the_soundex_of_the_last_name() -> None:
    # Murphy M610 / Murhy M600: the typo changes the Soundex, so every p:, i:, c: and y: key differs; the
    # a: and b: keys (first name whole, the last name's first two letters / first and last two) still meet.
    murphy = client_keys("Darnell", "Murphy", None, None)
    typed = set(query_keys(SearchQuery(first="Darnell", last="Murhy")))
    assert murphy & typed == {"a:DARNELL.MU", "b:DARNELL.MHY"}
    # A typo in the second letter leaves only b:, one in the last two letters only a:.
    shapes = {k for k in murphy if k[:2] in {"a:", "b:"}}
    assert client_keys("Darnell", "Mruphy", None, None) & shapes == {"b:DARNELL.MHY"}
    assert client_keys("Darnell", "Murpyh", None, None) & shapes == {"a:DARNELL.MU"}
    # The first name is taken whole, the last name's parts each give their shapes.
    long = "Bartholomew-Maximilian Alexandria"
    assert {k for k in client_keys(long, "Garcia Lopez", None, None) if k[:2] in {"a:", "b:"}} == {
        "a:BARTHOLOMEWMAXIMILIANALEXANDRIA.GA",
        "a:BARTHOLOMEWMAXIMILIANALEXANDRIA.LO",
        "b:BARTHOLOMEWMAXIMILIANALEXANDRIA.GEZ",
        "b:BARTHOLOMEWMAXIMILIANALEXANDRIA.GIA",
        "b:BARTHOLOMEWMAXIMILIANALEXANDRIA.LEZ",
    }


def test_query_key_weights() -> None:
    weights = weighted_query_keys(SearchQuery.parse("John Smith 1980-05-12 6789"))
    assert weights == {
        "p:J500.S530": 2,
        "p:S530.J500": 2,
        "i:J.S530": 1,
        "i:S.J500": 1,
        "c:JOHN.S530": 2,
        "a:JOHN.SM": 3,
        "a:SMITH.JO": 3,
        "b:JOHN.STH": 3,
        "b:SMITH.JHN": 3,
        "d:19800512": 4,
        "d:19800521": 2,
        "d:19801205": 2,
        "d:19080512": 2,
        "y:J500.1980": 2,
        "y:S530.1980": 2,
        ssn_last4_key("6789"): 4,
    }
    assert weighted_query_keys(SearchQuery.parse("Smith")) == {"s:S530": 1}


def test_dates_before_the_year_1000_have_eight_digits() -> None:
    assert client_keys(None, "Smith", date(209, 5, 12), None) == {"s:S530", "d:02090512", "y:S530.0209"}
    frame = keys_frame(
        pl.DataFrame(
            {"id": [1], "first_name": [None], "last_name": ["Smith"], "dob": [date(209, 5, 12)], "ssn": [None]},
            schema={"id": pl.Int64, "first_name": pl.String, "last_name": pl.String, "dob": pl.Date, "ssn": pl.String},
        )
    )
    assert set(frame["key"].to_list()) == {"s:S530", "d:02090512", "y:S530.0209"}
