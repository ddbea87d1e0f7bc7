"""Passwords: Argon2id, at least 12 characters, not a common one, not a breached one from the local list (a
sorted SHA-1 file or a folder of k-anonymity range files)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import hearth.settings
from hearth.audit.models import AuditEvent
from hearth.signin.models import UserSession
from hearth.signin.passwords import BreachedPasswordValidator, is_breached
from tests.signin.conftest import sign_in, signed_in
from tests.web.personas import PASSWORD, build_world

BREACHED = ["Tr0ub4dor&3xyz", "summer-sunshine-2019", "hearth is great!"]


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest().upper()


def sorted_file(tmp_path: Path, passwords: list[str], filler: int = 2000) -> Path:
    rows = {f"{sha1(p)}:{n + 1}" for n, p in enumerate(passwords)}
    rows |= {f"{sha1(f'filler {n}')}:{n % 7}" for n in range(filler)}  # count 0: HIBP padding, never matches
    path = tmp_path / "pwned-passwords-sha1-ordered-by-hash.txt"
    path.write_text("\n".join(sorted(rows)) + "\n")
    return path


def test_argon2id_is_the_hasher_and_older_hashes_still_verify() -> None:
    # Read from the settings module itself: tests swap in a fast hasher (tests/conftest.py).
    assert hearth.settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hearth.settings.PASSWORD_HASHERS


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short pass", "password_too_short"),
        ("1qaz2wsx3edc", "password_too_common"),
        ("123456789012345", "password_entirely_numeric"),
    ],
)
def test_weak_passwords_are_refused(password: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert code in {e.code for e in refused.value.error_list}


def test_a_long_uncommon_password_passes() -> None:
    validate_password("velvet otter under the bridge")


def test_the_sorted_file_is_searched_by_bisection(tmp_path: Path) -> None:
    path = sorted_file(tmp_path, BREACHED)
    assert [is_breached(p, path) for p in BREACHED] == [True, True, True]
    assert not is_breached("velvet otter under the bridge", path)
    # The first and last lines are found too.
    lines = path.read_text().split()
    first, last = lines[0].split(":")[0], lines[-1].split(":")[0]
    hits = {f"filler {n}" for n in range(2000) if sha1(f"filler {n}") in {first, last} and n % 7}
    assert all(is_breached(p, path) for p in hits)
    # Padding lines (count 0) never match.
    padding = next(f"filler {n}" for n in range(2000) if n % 7 == 0)
    assert not is_breached(padding, path)


def test_a_file_of_bare_hashes_works(tmp_path: Path) -> None:
    path = tmp_path / "hashes.txt"
    path.write_text("\n".join(sorted(sha1(p) for p in BREACHED)))
    assert is_breached(BREACHED[1], path)
    assert not is_breached("velvet otter under the bridge", path)


def test_a_folder_of_range_files_works(tmp_path: Path) -> None:
    folder = tmp_path / "ranges"
    folder.mkdir()
    for password in BREACHED:
        digest = sha1(password)
        (folder / f"{digest[:5]}.txt").write_text(f"0000000000000000000000000000000000A:3\r\n{digest[5:]}:12\r\n")
    assert is_breached(BREACHED[0], folder)
    assert not is_breached("velvet otter under the bridge", folder)


def test_the_validator_uses_the_configured_list(tmp_path: Path, settings: object) -> None:
    settings.HEARTH_BREACHED_PASSWORDS = str(sorted_file(tmp_path, BREACHED))  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as refused:
        validate_password("summer-sunshine-2019")
    assert [e.code for e in refused.value.error_list] == ["password_breached"]
    validate_password("velvet otter under the bridge")
    BreachedPasswordValidator(source="").validate("summer-sunshine-2019")  # no list: no check (it does not raise)


def test_a_configured_list_that_is_missing_fails_the_system_check(settings: object) -> None:
    settings.HEARTH_BREACHED_PASSWORDS = "/nonexistent/pwned.txt"  # type: ignore[attr-defined]
    with pytest.raises(SystemCheckError, match=r"hearth\.signin\.E001"):
        call_command("check")


def test_changing_ones_password_checks_it_and_ends_the_other_sessions(db: None, settings: object) -> None:
    build_world()
    desk, _ = sign_in("manager_a", ip="10.0.0.1")
    laptop, _ = sign_in("manager_a", ip="10.0.0.2")
    assert desk.get("/accounts/security/password/").status_code == 200
    short = desk.post(
        "/accounts/security/password/",
        {"old_password": PASSWORD, "new_password1": "too short", "new_password2": "too short"},
    )
    assert short.status_code == 400
    wrong_old = desk.post(
        "/accounts/security/password/",
        {
            "old_password": "not it",
            "new_password1": "velvet otter under the bridge",
            "new_password2": "velvet otter under the bridge",
        },
    )
    assert wrong_old.status_code == 400
    assert AuditEvent.objects.filter(action="signin.failed").count() == 1
    response = desk.post(
        "/accounts/security/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "velvet otter under the bridge",
            "new_password2": "velvet otter under the bridge",
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/accounts/security/")
    assert desk.get("/clients/").status_code == 200  # this session continues (under a new key)
    assert laptop.get("/clients/").status_code == 302  # the other one ended
    assert UserSession.objects.get(ip="10.0.0.2").end_reason == "password_changed"
    assert UserSession.objects.get(ip="10.0.0.1", ended_at__isnull=True).session_key == desk.session.session_key
    assert AuditEvent.objects.filter(action="account.password_changed").count() == 1
    fresh, _ = sign_in("manager_a", "velvet otter under the bridge")
    assert signed_in(fresh)
