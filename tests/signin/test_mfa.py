"""Second factors: an authenticator app (TOTP, checked against a frozen clock), recovery codes, and the CoC's
per-role rule that walks accounts through enrolment at their next sign-in."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pyotp
import pytest
from django.test import Client as Browser
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.signin import policy, recovery, totp
from hearth.signin.models import MfaRequirement, RecoveryCode, TotpDevice, UserSession
from tests.signin.conftest import sign_in, signed_in
from tests.web.personas import PASSWORD, World

NOON = dt.datetime(2026, 11, 27, 12, 0, 0, tzinfo=dt.UTC)


def code_at(secret: str, when: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def frozen(when: dt.datetime) -> mock._patch[mock.MagicMock]:
    return mock.patch("django.utils.timezone.now", return_value=when)


def with_app(user: object, when: dt.datetime = NOON) -> TotpDevice:
    device = totp.start_enrolment(user=user)
    assert totp.confirm(device=device, code=code_at(device.secret, when), by=Actor(user=user, name="x"), now=when)
    return device


# --- TOTP itself, on a frozen clock ---------------------------------------------------------------------------


def test_a_code_is_right_for_its_step_and_one_either_side_only(world: World) -> None:
    user = world.users["manager_a"]
    device = with_app(user, NOON - dt.timedelta(minutes=10))
    secret = device.secret
    assert not totp.verify(user=user, code=code_at(secret, NOON - dt.timedelta(seconds=61)), now=NOON)
    assert not totp.verify(user=user, code=code_at(secret, NOON + dt.timedelta(seconds=61)), now=NOON)
    assert totp.verify(user=user, code=code_at(secret, NOON - dt.timedelta(seconds=30)), now=NOON)
    assert totp.verify(user=user, code=code_at(secret, NOON), now=NOON)
    assert totp.verify(user=user, code=code_at(secret, NOON + dt.timedelta(seconds=30)), now=NOON)


def test_a_code_is_never_accepted_twice_nor_an_older_one_after_it(world: World) -> None:
    user = world.users["manager_a"]
    device = with_app(user, NOON - dt.timedelta(minutes=10))
    now_code = code_at(device.secret, NOON)
    assert totp.verify(user=user, code=now_code, now=NOON)
    assert not totp.verify(user=user, code=now_code, now=NOON)
    assert not totp.verify(user=user, code=code_at(device.secret, NOON - dt.timedelta(seconds=30)), now=NOON)
    assert TotpDevice.objects.get(user=user).last_step == int(NOON.timestamp()) // 30


def test_the_secret_is_encrypted_at_rest(world: World) -> None:
    from django.db import connection

    device = with_app(world.users["manager_a"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM signin_totp_device WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("e1:")
    assert device.secret not in stored


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef"])
def test_malformed_codes_are_wrong(world: World, code: str) -> None:
    with_app(world.users["manager_a"])
    assert not totp.verify(user=world.users["manager_a"], code=code, now=NOON)


# --- Enrolment and sign-in through the pages -------------------------------------------------------------------


def test_setting_up_an_app_confirms_it_and_shows_recovery_codes_once(world: World) -> None:
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    page = browser.get("/accounts/security/app/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TotpDevice.objects.get(user=world.users["manager_a"])
    assert device.confirmed_at is None
    wrong = browser.post("/accounts/security/app/", {"code": "000000"})
    assert wrong.status_code == 400
    assert not totp.has_app(world.users["manager_a"])
    response = browser.post("/accounts/security/app/", {"code": code_at(device.secret, timezone.now())})
    assert (response.status_code, response["Location"]) == (302, "/accounts/security/")
    assert totp.has_app(world.users["manager_a"])
    shown = browser.get("/accounts/security/").content.decode()
    codes = re.findall(r"<code>([0-9A-Z]{5}-[0-9A-Z]{5})</code>", shown)
    assert len(codes) == 10
    assert RecoveryCode.objects.filter(user=world.users["manager_a"]).count() == 10
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)
    again = browser.get("/accounts/security/").content.decode()
    assert re.findall(r"<code>([0-9A-Z]{5}-[0-9A-Z]{5})</code>", again) == []
    made = AuditEvent.objects.filter(action__startswith="mfa.").order_by("pk")
    assert list(made.values_list("action", flat=True)) == [
        "mfa.totp_added",
        "mfa.recovery_codes_made",
    ]


def test_signing_in_with_an_app_asks_for_a_code_after_the_password(world: World) -> None:
    user = world.users["manager_a"]
    device = with_app(user, timezone.now() - dt.timedelta(minutes=5))
    browser, response = sign_in("manager_a")
    assert (response.status_code, response["Location"]) == (302, "/accounts/verify/")
    assert not signed_in(browser)
    assert browser.get("/clients/").status_code == 302  # not signed in yet
    assert UserSession.objects.count() == 0
    wrong = browser.post("/accounts/verify/", {"method": "app", "code": "000000"})
    assert wrong.status_code == 400
    code = code_at(device.secret, timezone.now())
    response = browser.post("/accounts/verify/", {"method": "app", "code": code})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in(browser)
    assert UserSession.objects.get().method == "totp"
    failed = AuditEvent.objects.get(action="signin.failed")
    assert failed.details == {"stage": "app"}
    # The same code again, in a new sign-in, is refused: it was used.
    other, _ = sign_in("manager_a")
    assert other.post("/accounts/verify/", {"method": "app", "code": code}).status_code == 400
    assert not signed_in(other)


def test_wrong_codes_lock_the_account_like_wrong_passwords(world: World) -> None:
    with_app(world.users["manager_a"], timezone.now() - dt.timedelta(minutes=5))
    browser, _ = sign_in("manager_a")
    for _ in range(4):
        assert browser.post("/accounts/verify/", {"method": "app", "code": "000000"}).status_code == 400
    response = browser.post("/accounts/verify/", {"method": "app", "code": "000000"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert AuditEvent.objects.filter(action="account.locked").count() == 1
    again, _ = sign_in("manager_a")
    assert "hearth.pending_signin" not in again.session  # locked: the password is not even checked


def test_the_second_step_must_follow_the_password_within_five_minutes(world: World) -> None:
    device = with_app(world.users["manager_a"], timezone.now() - dt.timedelta(minutes=5))
    browser, _ = sign_in("manager_a")
    later = timezone.now() + dt.timedelta(minutes=6)
    with frozen(later):
        response = browser.post("/accounts/verify/", {"method": "app", "code": code_at(device.secret, later)})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert not signed_in(browser)


def test_a_recovery_code_signs_in_once(world: World) -> None:
    user = world.users["manager_a"]
    with_app(user, timezone.now() - dt.timedelta(minutes=5))
    codes = recovery.make_codes(user=user, by=Actor(user=user, name="manager_a"))
    browser, _ = sign_in("manager_a")
    response = browser.post("/accounts/verify/", {"method": "recovery", "code": codes[3].lower()})
    assert response.status_code == 302
    assert signed_in(browser)
    assert recovery.remaining(user) == 9
    used = AuditEvent.objects.get(action="mfa.recovery_code_used")
    assert used.details == {"left": 9}
    other, _ = sign_in("manager_a")
    assert other.post("/accounts/verify/", {"method": "recovery", "code": codes[3]}).status_code == 400
    assert not signed_in(other)


def test_removing_the_app_needs_the_password(world: World) -> None:
    user = world.users["manager_a"]
    with_app(user)
    browser = Browser()
    browser.force_login(user)
    browser.post("/accounts/security/app/remove/", {"password": "not my password"})
    assert totp.has_app(user)
    browser.post("/accounts/security/app/remove/", {"password": PASSWORD})
    assert not totp.has_app(user)
    assert AuditEvent.objects.filter(action="mfa.totp_removed").count() == 1


# --- The CoC's rule per role ----------------------------------------------------------------------------------


def test_no_role_needs_a_second_factor_by_default(world: World) -> None:
    assert MfaRequirement.objects.count() == 0
    assert not any(policy.required_for(user) for user in world.users.values())
    _browser, response = sign_in("lead_a")
    assert response["Location"] == "/"


def test_the_hmis_lead_requires_it_per_role_and_accounts_are_walked_through_enrolment(world: World) -> None:
    lead = Browser()
    lead.force_login(world.users["lead_a"])
    coc = world.continuums["a"]
    page = lead.get(f"/structure/cocs/{coc.pk}/sign-in/")
    assert page.status_code == 200
    response = lead.post(f"/structure/cocs/{coc.pk}/sign-in/", {"roles": ["case_manager", "hmis_lead", "bogus"]})
    assert response.status_code == 302
    assert policy.required_roles(coc) == {"case_manager", "hmis_lead"}
    event = AuditEvent.objects.get(action="signin.mfa_policy_set")
    assert event.details == {"added": ["case_manager", "hmis_lead"], "dropped": []}
    # The case manager of agency A (an organization of that CoC) must enrol; the intake worker need not; the
    # case manager of the other CoC neither.
    assert policy.required_for(world.users["manager_a"])
    assert not policy.required_for(world.users["intake_a"])
    assert not policy.required_for(world.users["lead_b"])

    browser, response = sign_in("manager_a")
    assert response["Location"] == "/accounts/security/"
    assert signed_in(browser)
    for path in ("/", "/clients/", f"/people/{world.users['manager_a'].pk}/"):
        blocked = browser.get(path)
        assert (blocked.status_code, blocked["Location"]) == (302, "/accounts/security/"), path
    assert browser.get("/reminders/", HTTP_HX_REQUEST="true")["HX-Redirect"] == "/accounts/security/"
    assert "Set up a second step to go on" in browser.get("/accounts/security/").content.decode()
    browser.get("/accounts/security/app/")
    device = TotpDevice.objects.get(user=world.users["manager_a"])
    browser.post("/accounts/security/app/", {"code": code_at(device.secret, timezone.now())})
    assert browser.get("/clients/").status_code == 200
    # And the last factor cannot be removed while the role requires one.
    browser.post("/accounts/security/app/remove/", {"password": PASSWORD})
    assert totp.has_app(world.users["manager_a"])


@pytest.mark.parametrize("persona", ["admin_a", "manager_a", "analyst_a", "lead_b", "nobody"])
def test_only_the_cocs_hmis_lead_sets_the_rule(world: World, persona: str) -> None:
    browser = Browser()
    browser.force_login(world.users[persona])
    coc = world.continuums["a"]
    assert browser.get(f"/structure/cocs/{coc.pk}/sign-in/").status_code == 404
    assert browser.post(f"/structure/cocs/{coc.pk}/sign-in/", {"roles": ["case_manager"]}).status_code == 404
    assert MfaRequirement.objects.count() == 0
    assert not AuditEvent.objects.filter(action="signin.mfa_policy_set").exists()


# --- An administrator removes a lost second step ---------------------------------------------------------------


def test_an_administrator_removes_a_lost_second_step(world: World) -> None:
    manager = world.users["manager_a"]
    with_app(manager)
    recovery.make_codes(user=manager, by=Actor(user=manager, name="manager_a"))
    phone = Browser()
    phone.force_login(manager)
    phone.get("/")
    admin = Browser()
    admin.force_login(world.users["admin_a"])
    assert "Remove their second step" in admin.get(f"/people/{manager.pk}/").content.decode()
    response = admin.post(f"/people/{manager.pk}/second-step/reset/")
    assert response.status_code == 302
    assert not policy.has_second_factor(manager)
    assert RecoveryCode.objects.filter(user=manager).count() == 0
    event = AuditEvent.objects.get(action="mfa.reset")
    assert (event.actor, event.object_id) == ("admin_a", str(manager.pk))
    assert phone.get("/clients/").status_code == 302  # their sessions ended
    _browser, response = sign_in("manager_a")
    assert response["Location"] == "/"  # password only now (no role requires a second step)


@pytest.mark.parametrize("persona", ["manager_a", "intake_a", "admin_v", "lead_b"])
def test_only_someone_who_manages_the_account_removes_its_second_step(world: World, persona: str) -> None:
    target = world.users["auditor_a"] if persona == "manager_a" else world.users["manager_a"]
    with_app(target)
    browser = Browser()
    browser.force_login(world.users[persona])
    assert browser.post(f"/people/{target.pk}/second-step/reset/").status_code == 404
    assert totp.has_app(target)
    assert not AuditEvent.objects.filter(action="mfa.reset").exists()
