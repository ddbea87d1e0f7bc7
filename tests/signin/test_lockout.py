"""Signing in with a password: failures counted per account and per address, locks, the same answer for a wrong
password, an unknown account and a locked one, unlocking by an administrator, all of it audited."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client as Browser
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.signin import throttle
from hearth.signin.models import Throttle, UserSession
from tests.signin.conftest import sign_in, signed_in
from tests.web.personas import PASSWORD, World

WRONG = "That username and password did not match, or the account is locked"


def actions(**filters: object) -> list[tuple[str, str]]:
    return list(AuditEvent.objects.filter(**filters).order_by("pk").values_list("action", "actor"))


def test_the_right_password_signs_in_and_is_recorded(world: World) -> None:
    browser, response = sign_in("manager_a")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in(browser)
    record = UserSession.objects.get(user=world.users["manager_a"])
    assert (record.session_key, record.method, record.ip, record.ended_at) == (
        browser.session.session_key,
        "password",
        "10.0.0.1",
        None,
    )
    assert actions(action__startswith="signin") == [("signin.succeeded", "manager_a")]


def test_a_wrong_password_an_unknown_account_and_a_locked_one_get_the_same_answer(world: World) -> None:
    _, wrong = sign_in("manager_a", "not the password at all")
    _, unknown = sign_in("nobody_by_that_name", "not the password at all")
    for _ in range(4):
        sign_in("manager_a", "not the password at all")
    _, locked = sign_in("manager_a")  # the right password, but locked now
    answers = {r.status_code for r in (wrong, unknown, locked)}
    assert answers == {200}
    for response in (wrong, unknown, locked):
        assert WRONG in response.content.decode()
    failed = ("signin.failed", "manager_a")
    assert actions(action="signin.failed") == [failed, ("signin.failed", "(unknown account)"), *[failed] * 4]
    assert actions(action="signin.refused") == [("signin.refused", "manager_a")]


def test_five_failures_in_a_row_lock_the_account_even_against_the_right_password(world: World) -> None:
    manager = world.users["manager_a"]
    for _ in range(5):
        _, response = sign_in("manager_a", "wrong password 123")
    browser, response = sign_in("manager_a")
    assert not signed_in(browser)
    assert WRONG in response.content.decode()
    assert throttle.lock_of(manager) is not None
    locked = AuditEvent.objects.get(action="account.locked")
    assert (locked.actor_id, locked.object_id, locked.details) == (
        manager.pk,
        str(manager.pk),
        {"failures": 5, "minutes": 30},
    )
    refused = AuditEvent.objects.get(action="signin.refused")
    assert refused.details == {"reason": "account"}
    assert UserSession.objects.count() == 0


def test_a_lock_runs_out_after_its_minutes_and_a_success_clears_the_count(world: World) -> None:
    for _ in range(5):
        sign_in("manager_a", "wrong password 123")
    later = timezone.now() + timedelta(minutes=31)
    with mock.patch("django.utils.timezone.now", return_value=later):
        browser, _ = sign_in("manager_a")
    assert signed_in(browser)
    assert Throttle.objects.filter(kind=Throttle.ACCOUNT).count() == 0


def test_a_lock_without_minutes_lasts_until_unlocked(world: World, settings: object) -> None:
    settings.HEARTH_LOCKOUT_MINUTES = 0  # type: ignore[attr-defined]
    for _ in range(5):
        sign_in("manager_a", "wrong password 123")
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=30)):
        browser, _ = sign_in("manager_a")
    assert not signed_in(browser)


def test_failures_are_stored_without_what_was_typed(world: World) -> None:
    sign_in("manager_a", "wrong password 123")
    sign_in("Hunter2IsMyPassword", "x")
    keys = set(Throttle.objects.filter(kind=Throttle.ACCOUNT).values_list("key", flat=True))
    assert keys == {throttle.account_key("manager_a"), throttle.account_key("Hunter2IsMyPassword")}
    assert all("Hunter2" not in key and "manager" not in key for key in keys)
    # Nothing typed into the name field reaches the audit trail either (it may be a password).
    assert not AuditEvent.objects.filter(actor__icontains="hunter2").exists()


def test_an_address_with_too_many_failures_is_refused_for_the_window(world: World, settings: object) -> None:
    settings.HEARTH_SIGNIN_IP_FAILURES = 3  # type: ignore[attr-defined]
    for name in ("alpha", "bravo", "charlie"):
        sign_in(name, "guessing 12345", ip="203.0.113.9")
    browser, response = sign_in("manager_a", ip="203.0.113.9")
    assert response.status_code == 429
    assert "Too many failed sign-ins from this network" in response.content.decode()
    assert not signed_in(browser)
    refused = AuditEvent.objects.get(action="signin.address_refused")
    assert (refused.source_ip, refused.details) == ("203.0.113.9", {"failures": 3, "minutes": 15})
    other, _ = sign_in("manager_a", ip="198.51.100.7")  # another network is not affected
    assert signed_in(other)
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=16)):
        again, _ = sign_in("manager_a", ip="203.0.113.9")
    assert signed_in(again)


def test_an_administrator_unlocks_an_account_of_their_agency(world: World) -> None:
    manager = world.users["manager_a"]
    for _ in range(5):
        sign_in("manager_a", "wrong password 123")
    admin = Browser()
    admin.force_login(world.users["admin_a"])
    page = admin.get(f"/people/{manager.pk}/")
    assert "Locked after failed sign-ins" in page.content.decode()
    response = admin.post(f"/people/{manager.pk}/unlock/")
    assert (response.status_code, response["Location"]) == (302, f"/people/{manager.pk}/")
    assert throttle.lock_of(manager) is None
    event = AuditEvent.objects.get(action="account.unlocked")
    assert (event.actor, event.object_id) == ("admin_a", str(manager.pk))
    browser, _ = sign_in("manager_a")
    assert signed_in(browser)


@pytest.mark.parametrize("persona", ["manager_a", "admin_v", "lead_b", "nobody"])
def test_only_someone_who_manages_the_account_may_unlock_it(world: World, persona: str) -> None:
    target = world.users["intake_a"]
    for _ in range(5):
        sign_in("intake_a", "wrong password 123")
    browser = Browser()
    browser.force_login(world.users[persona])
    response = browser.post(f"/people/{target.pk}/unlock/")
    assert response.status_code == 404
    assert throttle.lock_of(target) is not None
    assert not AuditEvent.objects.filter(action="account.unlocked").exists()


def test_the_command_unlocks_an_account_and_an_address(world: World, settings: object) -> None:
    settings.HEARTH_SIGNIN_IP_FAILURES = 6  # type: ignore[attr-defined]
    for _ in range(5):
        sign_in("manager_a", "wrong password 123", ip="203.0.113.9")
    out = StringIO()
    call_command("accounts", "unlock", "manager_a", stdout=out)
    call_command("accounts", "unlock-address", "203.0.113.9", stdout=out)
    assert out.getvalue().splitlines() == ["manager_a is unlocked.", "203.0.113.9 may sign in again."]
    browser, _ = sign_in("manager_a", ip="203.0.113.9")
    assert signed_in(browser)
    cleared = AuditEvent.objects.filter(action__in=["account.unlocked", "signin.address_cleared"])
    assert [e.actor.startswith("cli:") for e in cleared] == [True, True]


def test_an_inactive_account_cannot_sign_in(world: World) -> None:
    get_user_model().objects.filter(pk=world.users["manager_a"].pk).update(is_active=False)
    browser, response = sign_in("manager_a")
    assert not signed_in(browser)
    assert WRONG in response.content.decode()


def test_sign_in_goes_only_to_pages_of_hearth(world: World) -> None:
    browser = Browser()
    response = browser.post(
        "/accounts/login/", {"username": "manager_a", "password": PASSWORD, "next": "https://evil.example/x"}
    )
    assert response["Location"] == "/"
    other = Browser()
    response = other.post("/accounts/login/", {"username": "manager_a", "password": PASSWORD, "next": "/clients/"})
    assert response["Location"] == "/clients/"


def test_the_admin_signs_in_through_hearth(world: World) -> None:
    response = Browser().get("/admin/login/?next=/admin/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/admin/")
