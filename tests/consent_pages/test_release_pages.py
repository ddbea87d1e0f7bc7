"""Recording, printing and revoking a release through the pages: exact records written, nothing on denial."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.casework.models import ClientFile
from hearth.consent.actions import record_release, revoke_release
from hearth.consent.models import Release, ReleaseMember
from hearth.consent.signature_pad import from_pad
from hearth.hmis.models import Enrollment
from tests import factories as make
from tests.consent_pages.conftest import browser_for
from tests.consent_pages.pdftext import pdf_text
from tests.web.personas import World

PDF_BYTES = b"%PDF-1.4\n%signed form\n" + b"0" * 64


def release_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": "record",
        "scope": "coc",
        "categories": ["identity", "services"],
        "starts_on": "2026-11-01",
        "ends_on": "",
        "method": "written",
        "follow_up_due": "",
        "signature": "",
        "signature_typed": "",
    }
    data.update(overrides)
    return data


def a_release(world: World, client: str = "at_a", **overrides: Any) -> Release:
    values: dict[str, Any] = {
        "client": world.clients[client],
        "organization": world.orgs["a"],
        "categories": ["identity", "services"],
        "starts_on": timezone.localdate() - timedelta(days=10),
        "method": "written",
        "coc_wide": True,
        "by": Actor(user=world.users["manager_a"], name="manager_a"),
    }
    values.update(overrides)
    return record_release(**values)


def test_profile_panel_lists_releases_with_status_and_actions(world: World) -> None:
    active = a_release(world)
    revoked = a_release(world, coc_wide=False, organizations=[world.orgs["b"]])
    revoke_release(release=revoked, reason="", by=Actor(user=world.users["manager_a"], name="manager_a"))
    expired = a_release(
        world,
        starts_on=timezone.localdate() - timedelta(days=400),
        ends_on=timezone.localdate() - timedelta(days=35),
    )
    page = browser_for(world, "manager_a").get(f"/clients/{world.clients['at_a'].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="panel-consent">Consent to share</h2>' in html
    assert f"C-{active.pk}<br>" in html
    assert (
        f'<a class="usa-button usa-button--outline usa-button--small margin-top-1" href="/consent/{active.pk}/revoke/">'
        in html
    )
    assert f"/consent/{revoked.pk}/revoke/" not in html
    assert f"/consent/{expired.pk}/revoke/" not in html
    assert '<span class="usa-tag hearth-consent-active">active</span>' in html
    assert '<span class="usa-tag hearth-consent-revoked">revoked</span>' in html
    assert '<span class="usa-tag hearth-consent-expired">expired</span>' in html
    assert "Bridge Services" in html
    assert f'href="/clients/{world.clients["at_a"].pk}/consent/new/"' in html
    assert f'href="/clients/{world.clients["at_a"].pk}/disclosures/"' in html


def test_auditor_sees_the_panel_without_record_or_revoke(world: World) -> None:
    release = a_release(world)
    html = browser_for(world, "auditor_a").get(f"/clients/{world.clients['at_a'].pk}/").content.decode()
    assert f"C-{release.pk}<br>" in html
    assert "/consent/new/" not in html
    assert f"/consent/{release.pk}/revoke/" not in html


def test_record_a_written_release_with_its_signed_form(world: World) -> None:
    client = world.clients["at_a"]
    browser = browser_for(world, "manager_a")
    page = browser.get(f"/clients/{client.pk}/consent/new/")
    assert page.status_code == 200
    form = release_form(
        scope="chosen",
        organizations=[str(world.orgs["b"].pk)],
        projects=[str(world.projects["a_outreach"].pk)],
        ends_on="2027-10-31",
        document=SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    answer = browser.post(f"/clients/{client.pk}/consent/new/", form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert answer["Location"] == f"/clients/{client.pk}/#panel-consent"
    release = Release.objects.get()
    assert release.client_id == client.pk
    assert release.organization_id == world.orgs["a"].pk
    assert release.continuum_id == world.continuums["a"].pk
    assert release.coc_wide is False
    assert list(release.organizations.values_list("pk", flat=True)) == [world.orgs["b"].pk]
    assert list(release.projects.values_list("pk", flat=True)) == [world.projects["a_outreach"].pk]
    assert release.categories == ["identity", "services"]
    assert (release.starts_on, release.ends_on) == (date(2026, 11, 1), date(2027, 10, 31))
    assert release.method == "written"
    assert release.signature_svg is None
    assert release.obtained_by_name == "manager_a"
    document = ClientFile.objects.get()
    assert release.document_id == document.pk
    assert (document.kind, document.client_id, document.organization_id) == ("consent", client.pk, world.orgs["a"].pk)
    assert list(ReleaseMember.objects.values_list("client_id", "through")) == [(client.pk, "self")]
    assert AuditEvent.objects.filter(action="release.recorded", object_id=str(release.pk)).count() == 1


def test_record_an_electronic_signature_keeps_hearths_own_svg(world: World) -> None:
    client = world.clients["at_a"]
    browser = browser_for(world, "manager_a")
    drawn = "10,20 30,40 55,60;100,100 120,90"
    answer = browser.post(
        f"/clients/{client.pk}/consent/new/", release_form(method="electronic_signature", signature=drawn)
    )
    assert answer.status_code == 302
    release = Release.objects.get()
    assert release.signature_svg == from_pad(drawn).svg()
    assert release.document_id is None


def test_electronic_signature_missing_is_refused_and_nothing_written(world: World) -> None:
    client = world.clients["at_a"]
    answer = browser_for(world, "manager_a").post(
        f"/clients/{client.pk}/consent/new/", release_form(method="electronic_signature")
    )
    assert answer.status_code == 400
    assert "Have the client sign in the box, or type their name." in answer.content.decode()
    assert not Release.objects.exists()


def test_verbal_release_needs_its_follow_up_date(world: World) -> None:
    client = world.clients["at_a"]
    browser = browser_for(world, "manager_a")
    refused = browser.post(f"/clients/{client.pk}/consent/new/", release_form(method="verbal"))
    assert refused.status_code == 400
    assert "Verbal consent needs the date by which the signed form will follow." in refused.content.decode()
    assert not Release.objects.exists()
    recorded = browser.post(
        f"/clients/{client.pk}/consent/new/", release_form(method="verbal", follow_up_due="2026-11-30")
    )
    assert recorded.status_code == 302
    assert Release.objects.get().follow_up_due == date(2026, 11, 30)


def test_refused_release_keeps_no_uploaded_document(world: World) -> None:
    client = world.clients["at_a"]
    answer = browser_for(world, "manager_a").post(
        f"/clients/{client.pk}/consent/new/",
        release_form(
            categories=["services"],
            document=SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf"),
        ),
    )
    assert answer.status_code == 400
    assert "Sharing any data shares who the client is: include identity." in answer.content.decode()
    assert not Release.objects.exists()
    assert not ClientFile.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["release.recorded", "client_file.uploaded"]).exists()


def test_household_members_are_covered_as_chosen(world: World) -> None:
    head = world.clients["at_a"]
    child = make.client("Sofia", "Lopez", dob=timezone.localdate() - timedelta(days=365 * 6))
    enrollment = Enrollment.objects.get(client=head)
    make.enrollment(child, world.projects["a_shelter"], household=enrollment.household_id, relationship=2)
    browser = browser_for(world, "manager_a")
    page = browser.get(f"/clients/{head.pk}/consent/new/").content.decode()
    assert f'name="member_{child.pk}"' in page
    assert '<option value="head_of_household" selected>' in page
    answer = browser.post(
        f"/clients/{head.pk}/consent/new/", release_form(**{f"member_{child.pk}": "head_of_household"})
    )
    assert answer.status_code == 302
    assert sorted(ReleaseMember.objects.values_list("client_id", "through")) == sorted(
        [(head.pk, "self"), (child.pk, "head_of_household")]
    )


@pytest.mark.parametrize("persona", ["auditor_a", "nobody", "lead_b", "admin_v", "analyst_a"])
def test_who_may_not_record_gets_not_found_and_nothing_is_written(world: World, persona: str) -> None:
    client = world.clients["at_a"]
    browser = browser_for(world, persona)
    assert browser.get(f"/clients/{client.pk}/consent/new/").status_code == 404
    answer = browser.post(f"/clients/{client.pk}/consent/new/", release_form())
    assert answer.status_code == 404
    assert not Release.objects.exists()
    assert not AuditEvent.objects.filter(action="release.recorded").exists()


def test_victim_service_provider_cannot_record_a_release(world: World) -> None:
    client = world.clients["at_v"]
    assert browser_for(world, "admin_v").get(f"/clients/{client.pk}/consent/new/").status_code == 404
    assert not Release.objects.exists()


def test_print_the_form_before_recording(world: World) -> None:
    client = world.clients["at_a"]
    answer = browser_for(world, "manager_a").post(
        f"/clients/{client.pk}/consent/new/", release_form(action="print-es", ends_on="2027-10-31")
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Cache-Control"] == "no-store"
    assert answer["Content-Disposition"] == f'attachment; filename="consent-to-share-H{client.pk}-es.pdf"'
    text = pdf_text(answer.content)
    assert "Autorización para compartir información" in text
    assert "Nombre Maria Lopez" in text
    assert "Fecha de nacimiento 14 de marzo de 1987" in text
    assert "Todas las agencias que participan en el HMIS de Harbor City CoC." in text
    assert "Desde el 1 de noviembre de 2026 hasta el 31 de octubre de 2027." in text
    assert "Referencia aún no registrada" in text
    assert not Release.objects.exists()
    event = AuditEvent.objects.get(action="consent_form.printed")
    assert event.details == {"form": "consent", "lang": "es"}
    assert event.object_id == str(client.pk)


def test_recorded_release_form_in_both_languages(world: World) -> None:
    release = a_release(world, coc_wide=False, organizations=[world.orgs["b"]], ends_on=None)
    browser = browser_for(world, "manager_a")
    english = browser.get(f"/consent/{release.pk}/form/en/")
    assert english.status_code == 200
    assert english["Content-Disposition"] == f'attachment; filename="consent-to-share-C-{release.pk}-en.pdf"'
    assert english["Cache-Control"] == "no-store"
    text = pdf_text(english.content)
    assert "Consent to Share Information" in text
    assert "Name Maria Lopez" in text
    assert "Only these agencies: Bridge Services" in text
    assert "until you revoke it." in text
    assert f"Reference C-{release.pk}" in text
    spanish = pdf_text(browser.get(f"/consent/{release.pk}/form/es/").content)
    assert "Solo estas agencias: Bridge Services" in spanish
    assert AuditEvent.objects.filter(action="consent_form.printed", object_id=str(release.pk)).count() == 2


@pytest.mark.parametrize("persona", ["nobody", "lead_b", "admin_v", "analyst_a"])
def test_forms_of_a_release_are_not_found_for_who_cannot_see_the_client(world: World, persona: str) -> None:
    release = a_release(world)
    browser = browser_for(world, persona)
    for path in (f"/consent/{release.pk}/form/en/", f"/consent/{release.pk}/revocation/es/"):
        assert browser.get(path).status_code == 404
    assert not AuditEvent.objects.filter(action="consent_form.printed").exists()


def test_revoke_asks_for_confirmation_then_revokes_at_once(world: World) -> None:
    release = a_release(world)
    browser = browser_for(world, "manager_a")
    page = browser.get(f"/consent/{release.pk}/revoke/")
    assert page.status_code == 200
    assert "Sharing stops at once" in page.content.decode()
    unconfirmed = browser.post(f"/consent/{release.pk}/revoke/", {"reason": "Moving away"})
    assert unconfirmed.status_code == 400
    assert "Confirm that the client asked to revoke this consent." in unconfirmed.content.decode()
    release.refresh_from_db()
    assert release.revoked_at is None
    answer = browser.post(
        f"/consent/{release.pk}/revoke/",
        {
            "reason": "Moving away",
            "confirm": "on",
            "document": SimpleUploadedFile("revocation.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    assert answer.status_code == 302
    release.refresh_from_db()
    assert release.revoked_at is not None
    assert (release.revoked_by_name, release.revocation_reason) == ("manager_a", "Moving away")
    document = ClientFile.objects.get()
    assert release.revocation_document_id == document.pk
    assert document.kind == "consent"
    again = browser.get(f"/consent/{release.pk}/revoke/")
    assert again.status_code == 302
    text = pdf_text(browser.get(f"/consent/{release.pk}/revocation/en/").content)
    assert "Revocation of Consent to Share Information" in text
    assert "Reason (optional) Moving away" in text
    assert f"Revocation takes effect {timezone.localdate():%B} {timezone.localdate().day}, " in text


@pytest.mark.parametrize("persona", ["auditor_a", "nobody", "lead_b", "admin_v"])
def test_who_may_not_revoke_gets_not_found_and_the_release_stands(world: World, persona: str) -> None:
    release = a_release(world)
    answer = browser_for(world, persona).post(f"/consent/{release.pk}/revoke/", {"confirm": "on"})
    assert answer.status_code == 404
    release.refresh_from_db()
    assert release.revoked_at is None
    assert not AuditEvent.objects.filter(action="release.revoked").exists()


def test_guessed_release_ids_answer_not_found(world: World) -> None:
    browser = browser_for(world, "manager_a")
    for path in ("/consent/999999/form/en/", "/consent/999999/revoke/", "/consent/abc/revoke/"):
        assert browser.get(path).status_code == 404


def test_profile_queries_do_not_grow_with_releases(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.clients["at_a"]
    browser = browser_for(world, "manager_a")
    browser.get("/")

    def profile_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(f"/clients/{client.pk}/").status_code == 200
        return len(queries)

    a_release(world, coc_wide=False, organizations=[world.orgs["b"]], projects=[world.projects["b_rrh"]])
    one = profile_queries()
    for _ in range(7):
        a_release(world, coc_wide=False, organizations=[world.orgs["b"]], projects=[world.projects["b_rrh"]])
    assert profile_queries() == one


def test_signed_form_of_a_verbal_consent_is_uploaded_later(world: World) -> None:
    release = a_release(world, method="verbal", follow_up_due=timezone.localdate() + timedelta(days=30))
    client = world.clients["at_a"]
    browser = browser_for(world, "manager_a")
    panel = browser.get(f"/clients/{client.pk}/").content.decode()
    assert f'href="/consent/{release.pk}/signed-form/"' in panel
    page = browser.get(f"/consent/{release.pk}/signed-form/")
    assert page.status_code == 200
    empty = browser.post(f"/consent/{release.pk}/signed-form/", {})
    assert empty.status_code == 400
    assert "Choose the scan or photo of the signed form." in empty.content.decode()
    answer = browser.post(
        f"/consent/{release.pk}/signed-form/",
        {"document": SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    assert answer.status_code == 302
    release.refresh_from_db()
    document = ClientFile.objects.get()
    assert release.document_id == document.pk
    assert (document.kind, document.organization_id) == ("consent", world.orgs["a"].pk)
    event = AuditEvent.objects.get(action="release.document_attached")
    assert event.details == {"client": client.pk, "document": document.pk}
    assert f'href="/consent/{release.pk}/signed-form/"' not in browser.get(f"/clients/{client.pk}/").content.decode()
    again = browser.post(
        f"/consent/{release.pk}/signed-form/",
        {"document": SimpleUploadedFile("other.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    assert again.status_code == 302
    assert ClientFile.objects.count() == 1


def test_a_file_that_is_not_a_document_is_refused_and_nothing_kept(world: World) -> None:
    release = a_release(world, method="verbal", follow_up_due=timezone.localdate() + timedelta(days=30))
    answer = browser_for(world, "manager_a").post(
        f"/consent/{release.pk}/signed-form/",
        {"document": SimpleUploadedFile("signed.pdf", b"MZ not a pdf at all", content_type="application/pdf")},
    )
    assert answer.status_code == 400
    assert "This kind of file cannot be uploaded." in answer.content.decode()
    release.refresh_from_db()
    assert release.document_id is None
    assert not ClientFile.objects.exists()


@pytest.mark.parametrize("persona", ["auditor_a", "nobody", "lead_b", "admin_v"])
def test_who_may_not_upload_the_signed_form_gets_not_found(world: World, persona: str) -> None:
    release = a_release(world, method="verbal", follow_up_due=timezone.localdate() + timedelta(days=30))
    answer = browser_for(world, persona).post(
        f"/consent/{release.pk}/signed-form/",
        {"document": SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    assert answer.status_code == 404
    release.refresh_from_db()
    assert release.document_id is None
    assert not ClientFile.objects.exists()


def test_forms_exist_in_english_and_spanish_only(world: World) -> None:
    release = a_release(world)
    browser = browser_for(world, "manager_a")
    assert browser.get(f"/consent/{release.pk}/form/fr/").status_code == 404
    assert browser.get(f"/consent/{release.pk}/revocation/xx/").status_code == 404
    assert browser.get(f"/clients/{world.clients['at_a'].pk}/disclosures/pdf/de/").status_code == 404
    assert not AuditEvent.objects.filter(action__in=["consent_form.printed", "disclosure_log.printed"]).exists()
