"""The blind index's key: its own (never SECRET_KEY's or the field key's), from the environment or a file, made
per data folder outside production and required in production."""

from __future__ import annotations

import base64
import hashlib
import hmac
import stat
from pathlib import Path

import pytest

from hearth.crypto import FieldKeyError, new_key
from hearth.crypto.blind import KEY_FILE, blind_index, blind_key

KNOWN = bytes(range(64))
KNOWN_TEXT = base64.urlsafe_b64encode(KNOWN).decode().rstrip("=")


def test_blind_index_is_hmac_sha256_over_purpose_and_value(settings: pytest.FixtureRequest) -> None:
    settings.HEARTH_BLIND_INDEX_KEY = KNOWN_TEXT  # type: ignore[attr-defined]
    assert blind_index("6789", purpose="p") == hmac.new(KNOWN, b"p\x006789", hashlib.sha256).hexdigest()
    assert blind_index("6789", purpose="q") != blind_index("6789", purpose="p")


def test_blind_key_does_not_follow_the_field_key_or_secret_key(settings: pytest.FixtureRequest) -> None:
    settings.HEARTH_BLIND_INDEX_KEY = KNOWN_TEXT  # type: ignore[attr-defined]
    before = blind_index("6789", purpose="p")
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    settings.SECRET_KEY = "rotated"  # type: ignore[attr-defined]
    assert blind_index("6789", purpose="p") == before


def test_blind_key_from_a_file(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    path = tmp_path / "blind.key"
    path.write_text(KNOWN_TEXT + "\n")
    settings.HEARTH_BLIND_INDEX_KEY = ""  # type: ignore[attr-defined]
    settings.HEARTH_BLIND_INDEX_KEY_FILE = str(path)  # type: ignore[attr-defined]
    assert blind_key() == KNOWN
    settings.HEARTH_BLIND_INDEX_KEY = KNOWN_TEXT  # type: ignore[attr-defined]
    with pytest.raises(FieldKeyError, match=r"^set HEARTH_BLIND_INDEX_KEY or HEARTH_BLIND_INDEX_KEY_FILE, not both$"):
        blind_key()


def test_development_blind_key_is_made_once_per_data_folder(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.HEARTH_BLIND_INDEX_KEY = ""  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    first = blind_key()
    assert len(first) == 64
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]  # forgets the cached key
    assert blind_key() == first


def test_production_refuses_without_a_blind_key(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.HEARTH_BLIND_INDEX_KEY = ""  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(
        FieldKeyError,
        match=r"^HEARTH_BLIND_INDEX_KEY or HEARTH_BLIND_INDEX_KEY_FILE must be set when HEARTH_ENV=production$",
    ):
        blind_key()
    assert not (tmp_path / KEY_FILE).exists()


def test_malformed_blind_key_is_refused_naming_the_setting(settings: pytest.FixtureRequest) -> None:
    settings.HEARTH_BLIND_INDEX_KEY = "c2hvcnQ"  # type: ignore[attr-defined]
    with pytest.raises(FieldKeyError) as raised:
        blind_key()
    assert str(raised.value) == "HEARTH_BLIND_INDEX_KEY must hold 64 bytes, not 5 (make one with: hearth fieldkey new)"
