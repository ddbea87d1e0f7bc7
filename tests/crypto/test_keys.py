"""Where the field key comes from: the setting, a per-data-folder file outside production, never nothing in
production; malformed keys are refused naming the setting, never the key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from hearth.crypto import FieldKeyError, keyring, new_key
from hearth.crypto.keys import KEY_FILE, parse_key

ROOT = Path(__file__).resolve().parents[2]


def test_development_key_is_made_once_per_data_folder(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.HEARTH_FIELD_KEY = ""  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    first = keyring().current.key_id
    path = tmp_path / "data" / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert parse_key(path.read_text(), setting="file").key_id == first
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]  # forgets the cached keys
    assert keyring().current.key_id == first
    assert [p.name for p in (tmp_path / "data").iterdir()] == [KEY_FILE]  # no temporary file left behind
    settings.DATA_DIR = tmp_path / "other"  # type: ignore[attr-defined]
    assert keyring().current.key_id != first


def test_production_without_a_key_refuses(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.HEARTH_FIELD_KEY = ""  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(
        FieldKeyError, match=r"^HEARTH_FIELD_KEY or HEARTH_FIELD_KEY_FILE must be set when HEARTH_ENV=production$"
    ):
        keyring()
    assert not (tmp_path / KEY_FILE).exists()


def test_production_settings_stop_start_up_without_the_key() -> None:
    env = {
        **os.environ,
        "HEARTH_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "hearth.example.org",
        "DATABASE_URL": "sqlite:////tmp/hearth-never-created.sqlite3",
        "HEARTH_FIELD_KEY": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import hearth.settings"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "HEARTH_FIELD_KEY (or HEARTH_FIELD_KEY_FILE) must be set when HEARTH_ENV=production" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not base64!!", "HEARTH_FIELD_KEY is not base64url text (make one with: hearth fieldkey new)"),
        ("c2hvcnQ", "HEARTH_FIELD_KEY must hold 64 bytes, not 5 (make one with: hearth fieldkey new)"),
    ],
)
def test_malformed_key_is_refused_naming_the_setting(settings: pytest.FixtureRequest, value: str, message: str) -> None:
    settings.HEARTH_FIELD_KEY = value  # type: ignore[attr-defined]
    with pytest.raises(FieldKeyError) as raised:
        keyring()
    assert str(raised.value) == message


def test_malformed_retired_key_is_refused_naming_its_position(settings: pytest.FixtureRequest) -> None:
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    settings.HEARTH_FIELD_KEYS_RETIRED = [new_key(), "c2hvcnQ"]  # type: ignore[attr-defined]
    with pytest.raises(FieldKeyError, match=r"^HEARTH_FIELD_KEYS_RETIRED \(key 2\) must hold 64 bytes, not 5"):
        keyring()


def test_new_key_is_64_random_bytes() -> None:
    a, b = new_key(), new_key()
    assert a != b
    assert len(a) == 86  # 64 bytes in base64url without padding
    assert parse_key(a, setting="x").key_id != parse_key(b, setting="x").key_id


# -- keys from files (mounted secrets) --------------------------------------------------------------------------


def test_field_key_is_read_from_the_file_its_setting_names(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    key = new_key()
    path = tmp_path / "field.key"
    path.write_text(key + "\n")
    settings.HEARTH_FIELD_KEY = ""  # type: ignore[attr-defined]
    settings.HEARTH_FIELD_KEY_FILE = str(path)  # type: ignore[attr-defined]
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    assert keyring().current.key_id == parse_key(key, setting="x").key_id
    assert not (tmp_path / "data").exists()  # no development key was made


def test_retired_keys_are_read_one_a_line_from_their_file(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    first, second = new_key(), new_key()
    path = tmp_path / "retired.keys"
    path.write_text(f"{first}\n\n{second}\n")
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    settings.HEARTH_FIELD_KEYS_RETIRED_FILE = str(path)  # type: ignore[attr-defined]
    ring = keyring()
    expected = {ring.current.key_id, parse_key(first, setting="x").key_id, parse_key(second, setting="x").key_id}
    assert set(ring.by_id) == expected
    path.write_text(f"{first}\nc2hvcnQ\n")
    settings.HEARTH_FIELD_KEYS_RETIRED_FILE = str(path)  # type: ignore[attr-defined]
    with pytest.raises(FieldKeyError, match=r"^HEARTH_FIELD_KEYS_RETIRED_FILE \(key 2\) must hold 64 bytes, not 5"):
        keyring()


@pytest.mark.parametrize(
    ("configure", "message"),
    [
        ("both", "set HEARTH_FIELD_KEY or HEARTH_FIELD_KEY_FILE, not both"),
        ("missing", "HEARTH_FIELD_KEY_FILE names a file that cannot be read ({path}): FileNotFoundError"),
        ("empty", "HEARTH_FIELD_KEY_FILE names an empty file"),
        ("malformed", "HEARTH_FIELD_KEY_FILE must hold 64 bytes, not 5 (make one with: hearth fieldkey new)"),
    ],
)
def test_a_key_file_problem_is_refused_naming_the_setting_never_the_key(
    settings: pytest.FixtureRequest, tmp_path: Path, configure: str, message: str
) -> None:
    path = tmp_path / "field.key"
    key = new_key()
    if configure in {"both", "empty", "malformed"}:
        path.write_text({"both": key, "empty": "\n", "malformed": "c2hvcnQ"}[configure])
    settings.HEARTH_FIELD_KEY = key if configure == "both" else ""  # type: ignore[attr-defined]
    settings.HEARTH_FIELD_KEY_FILE = str(path)  # type: ignore[attr-defined]
    with pytest.raises(FieldKeyError) as raised:
        keyring()
    assert str(raised.value) == message.format(path=path)
    assert key not in str(raised.value)


def test_production_takes_the_keys_from_files() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        field, blind = Path(folder) / "field.key", Path(folder) / "blind.key"
        field.write_text(new_key())
        blind.write_text(new_key())
        env = {
            **os.environ,
            "HEARTH_ENV": "production",
            "DEBUG": "false",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "hearth.example.org",
            "DATABASE_URL": "sqlite:////tmp/hearth-never-created.sqlite3",
            "HEARTH_FIELD_KEY": "",
            "HEARTH_FIELD_KEY_FILE": str(field),
            "HEARTH_BLIND_INDEX_KEY_FILE": "",
        }
        missing_blind = subprocess.run(
            [sys.executable, "-c", "import hearth.settings"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert missing_blind.returncode == 1
        expected = "HEARTH_BLIND_INDEX_KEY (or HEARTH_BLIND_INDEX_KEY_FILE) must be set when HEARTH_ENV=production"
        assert expected in missing_blind.stderr
        env["HEARTH_BLIND_INDEX_KEY_FILE"] = str(blind)
        started = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); print('started')"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "hearth.settings"},
            capture_output=True,
            text=True,
        )
        assert (started.returncode, started.stdout) == (0, "started\n"), started.stderr
