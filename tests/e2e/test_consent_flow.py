"""Consent to share in the browser: a case manager prints the form, the client signs on the screen, the release
is recorded and later revoked; the HMIS Lead sets the CoC's sharing policy; the client's disclosure log. Each
page scanned by axe-core (WCAG 2.1 AA) and, with HEARTH_SCREENSHOTS set, photographed for the user guide."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.consent.models import ContinuumSharing, Disclosure, Release
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.HEARTH_FILES_DIR = tmp_path / "files"
    w = build_world()
    ContinuumSharing.objects.create(continuum=w.continuums["a"], privacy_notice_version="2026-1")
    return w


def sign_in(page: Any, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: url.endswith("/"))


def sign_on_the_pad(page: Any) -> None:
    box = page.get_by_role("img", name="Signature box").bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 25, box["y"] + box["height"] * (0.7 - 0.05 * (step % 4)))
    page.mouse.up()


def test_record_print_and_revoke_a_release(page: Any, world: World) -> None:
    sign_in(page, "manager_a")
    maria = world.clients["at_a"]
    page.goto(f"/clients/{maria.pk}/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Consent to share"))
    panel.get_by_text("No consent to share recorded.").wait_for()
    panel.get_by_role("link", name="Record consent to share").click()
    page.get_by_role("heading", name="Record consent to share").wait_for()

    # Only Bridge Services, the default categories, signed on the screen.
    page.get_by_text("Only the agencies or projects chosen below", exact=True).click()  # USWDS: the label
    page.get_by_role("group", name="Agencies").get_by_text("Bridge Services", exact=True).click()
    page.get_by_text("Electronic signature, drawn on screen", exact=True).click()
    assert page.get_by_label("Signed form due by").is_hidden()  # verbal only
    page.get_by_text("Not signed yet.").wait_for()
    sign_on_the_pad(page)
    page.get_by_text("Signed in the box.").wait_for()
    page.get_by_text("version 2026-1").wait_for()
    check_accessibility(page, "consent-01-record")

    # The form printed in Spanish before recording: a PDF whose name carries no personal data.
    with page.expect_download() as printed:
        page.get_by_role("button", name="Imprimir el formulario (español)").click()
    assert printed.value.suggested_filename == f"consent-to-share-H{maria.pk}-es.pdf"
    assert not Release.objects.exists()

    page.get_by_role("button", name="Record consent").click()
    page.get_by_role("heading", name="Consent to share").wait_for()
    release = Release.objects.get()
    assert release.method == "electronic_signature"
    assert release.signature_svg is not None
    assert release.signature_svg.count("<path ") == 1
    assert [o.organization_name for o in release.organizations.all()] == ["Bridge Services"]
    assert release.categories == ["enrollment_history", "identity", "services"]
    assert release.privacy_notice_version == "2026-1"
    page.get_by_text(f"Consent C-{release.pk} recorded.").wait_for()
    row = page.get_by_role("row", name=f"C-{release.pk}")
    row.get_by_text("active", exact=True).wait_for()
    check_accessibility(page, "consent-02-profile-panel")

    # Revoke: the confirmation is required, then sharing stops at once.
    row.get_by_role("link", name=f"Revoke C-{release.pk}").click()
    page.get_by_role("heading", name=f"Revoke consent C-{release.pk}").wait_for()
    page.get_by_role("img", name=f"The client's signature on consent C-{release.pk}").wait_for()
    check_accessibility(page, "consent-03-revoke")
    page.get_by_label("Reason (optional)").fill("Se muda a otra ciudad")
    page.get_by_role("button", name=f"Revoke consent C-{release.pk}").click()
    page.get_by_text("Confirm that the client asked to revoke this consent.").wait_for()
    release.refresh_from_db()
    assert release.revoked_at is None
    page.locator("label", has_text="The client asked to revoke this consent.").click()
    page.get_by_role("button", name=f"Revoke consent C-{release.pk}").click()
    page.get_by_text(f"Consent C-{release.pk} revoked. Sharing under it has stopped.").wait_for()
    page.get_by_role("row", name=f"C-{release.pk}").get_by_text("revoked", exact=True).wait_for()
    release.refresh_from_db()
    assert release.revoked_at is not None
    assert release.revocation_reason == "Se muda a otra ciudad"
    with page.expect_download() as revocation:
        page.get_by_role("link", name=f"Revocación C-{release.pk} (español)").click()
    assert revocation.value.suggested_filename == f"revocation-C-{release.pk}-es.pdf"
    assert AuditEvent.objects.filter(action="release.revoked", object_id=str(release.pk)).count() == 1


def test_sharing_policy_and_disclosure_log(page: Any, world: World) -> None:
    sign_in(page, "lead_a")
    page.get_by_role("link", name="Sharing").click()
    page.get_by_role("link", name="XX-500 Harbor City CoC").click()
    page.get_by_text("Open: inferred consent with a posted privacy notice", exact=False).click()
    page.get_by_label("Privacy notice version posted").fill("2026-2")
    check_accessibility(page, "consent-04-sharing-policy")
    page.get_by_role("button", name="Save the policy").click()
    page.get_by_text("Sharing policy saved.").wait_for()
    sharing = ContinuumSharing.objects.get(continuum=world.continuums["a"])
    assert (sharing.policy, sharing.privacy_notice_version) == ("open", "2026-2")
    page.get_by_role("link", name="New sharing group").click()
    page.get_by_label("Group name").fill("Downtown intake")
    page.get_by_text("Harbor House", exact=True).click()
    page.get_by_text("Bridge Services", exact=True).click()
    check_accessibility(page, "consent-05-sharing-group")
    page.get_by_role("button", name="Save the group").click()
    page.get_by_role("link", name="Downtown intake").wait_for()

    maria = world.clients["at_a"]
    Disclosure.objects.create(
        client_id=maria.pk,
        user_id=None,
        user_name="worker_b",
        organization_id=world.orgs["b"].pk,
        what="services",
        at=timezone.now(),
    )
    page.goto(f"/clients/{maria.pk}/")
    page.get_by_role("link", name="Disclosure log").click()
    page.get_by_role("row", name="worker_b").get_by_role("cell", name="Services", exact=True).wait_for()
    check_accessibility(page, "consent-06-disclosure-log")
    with page.expect_download() as printed:
        page.get_by_role("link", name="español").click()
    assert printed.value.suggested_filename == f"disclosure-log-H{maria.pk}-es.pdf"


def test_a_client_signs_by_typing_their_name_with_the_keyboard_only(page: Any, world: World) -> None:
    sign_in(page, "manager_a")
    maria = world.clients["at_a"]
    page.goto(f"/clients/{maria.pk}/consent/new/")
    method = page.get_by_label("Electronic signature, drawn on screen")
    method.focus()
    page.keyboard.press("Space")
    assert method.is_checked()
    typed = page.get_by_label("Or type the client's full name to sign")
    typed.focus()
    page.keyboard.type("Maria Lopez")
    page.keyboard.press("Enter")  # submits with the form's first button: Record consent
    page.get_by_role("heading", name="Consent to share").wait_for()
    release = Release.objects.get()
    assert release.signature_svg is not None
    assert ">Maria Lopez</text>" in release.signature_svg
