"""Sign-in in a real browser: the second step with an authenticator app; a security key added and used through
Chromium's virtual authenticator (so passkeys.js and navigator.credentials work on localhost); the HMIS Lead
requiring a second step for a role and a case manager walked through enrolment. No page breaks the
Content-Security-Policy, and each is scanned by axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.signin import totp
from hearth.signin.models import Passkey, TotpDevice
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world() -> World:
    return build_world()


@pytest.fixture
def csp_violations(page: Any) -> list[str]:
    """What Chromium reports as blocked by the Content-Security-Policy, on every page the test opens."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def sign_in(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_second_step_with_an_authenticator_app(page: Any, world: World, csp_violations: list[str]) -> None:
    user = world.users["manager_a"]
    device = totp.start_enrolment(user=user)
    earlier = timezone.now() - timedelta(minutes=2)
    assert totp.confirm(device=device, code=pyotp.TOTP(device.secret).at(earlier), by=Actor(user, "t"), now=earlier)
    sign_in(page, "manager_a")
    page.get_by_role("heading", name="Second step").wait_for()
    check_accessibility(page, "signin-02-second-step")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(device.secret).now())
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("heading", name="Welcome", exact=False).wait_for()
    page.get_by_role("link", name="Sign-in security").click()
    check_accessibility(page, "signin-04-security")
    assert csp_violations == []


def test_a_security_key_added_and_used(page: Any, world: World, csp_violations: list[str]) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(page, "intake_a")
    page.get_by_role("link", name="Sign-in security").click()
    page.get_by_label("Name of the new key").fill("Blue key")
    page.get_by_role("button", name="Add a security key or passkey").click()
    page.get_by_text("Your security key is added").wait_for()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert Passkey.objects.get().name == "Blue key"
    page.get_by_role("button", name="Sign out intake_a").click()

    sign_in(page, "intake_a")
    page.get_by_role("heading", name="Second step").wait_for()
    check_accessibility(page, "signin-03-security-key")
    page.get_by_role("button", name="Use my security key").click()
    page.get_by_role("heading", name="Welcome", exact=False).wait_for()
    assert Passkey.objects.get().sign_count >= 0
    assert Passkey.objects.get().last_used_at is not None
    assert csp_violations == []


def test_a_role_required_to_use_a_second_step(page: Any, world: World, csp_violations: list[str]) -> None:
    sign_in(page, "lead_a")
    page.goto(f"/structure/cocs/{world.continuums['a'].pk}/")
    page.get_by_role("link", name="Sign-in rules").click()
    page.locator("label[for=role-case_manager]").click()  # USWDS draws the box on the label
    check_accessibility(page, "signin-05-rules")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.", exact=False).wait_for()
    page.get_by_role("button", name="Sign out lead_a").click()

    sign_in(page, "manager_a")
    page.get_by_role("heading", name="Set up a second step to go on").wait_for()
    check_accessibility(page, "signin-06-enrol")
    page.goto("/clients/")
    assert page.url.endswith("/accounts/security/")
    page.get_by_role("link", name="Set up an authenticator app").click()
    check_accessibility(page, "signin-07-app")
    secret = TotpDevice.objects.get(user=world.users["manager_a"]).secret
    page.get_by_label("Six-digit code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    page.goto("/clients/")
    assert page.url.endswith("/clients/")
    assert csp_violations == []


def test_the_sign_in_page(page: Any, world: World, csp_violations: list[str]) -> None:
    page.goto("/accounts/login/")
    check_accessibility(page, "signin-01-sign-in")
    page.get_by_label("Username").fill("manager_a")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("did not match", exact=False).wait_for()
    check_accessibility(page, "signin-01b-wrong-password")
    assert csp_violations == []
