"""Pages of services, the roster, outreach, notes and documents: every persona against every page.

Expected reach is written out by hand (as in tests/web/personas.py): RECORD_SERVICES over a project's
enrollments; case notes and documents follow the organization they were written for. Denied answers are 404
and write nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as Browser
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.casework.files import upload_file
from hearth.casework.models import CaseNote, ClientFile, LocalService, ServiceType
from hearth.casework.notes import add_note
from hearth.casework.roster import check_in
from hearth.hmis.models import CurrentLivingSituation, Enrollment, Services
from tests.web.personas import PERSONAS, World

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
A_PROJECTS = {"a_shelter", "a_outreach", "a_nbn"}
# Projects whose enrollments each persona records services in (RECORD_SERVICES reach).
RECORDS: dict[str, set[str]] = {
    "lead_a": A_PROJECTS | {"b_rrh"},
    "analyst_a": set(),
    "admin_a": A_PROJECTS,
    "manager_a": A_PROJECTS,
    "outreach_worker": {"a_outreach"},
    "intake_a": A_PROJECTS,
    "auditor_a": set(),
    "admin_v": {"v_shelter"},
    "lead_b": {"z_shelter"},
    "nobody": set(),
    "superuser": set(),
}
# Who reads enrollments' services (VIEW_CLIENTS over the project).
READS: dict[str, set[str]] = {**RECORDS, "auditor_a": A_PROJECTS | {"b_rrh"}}
# Case notes of agency A about at_a: read with VIEW_CASE_NOTES over A, written with WRITE_CASE_NOTES.
READS_A_NOTES = {"lead_a", "admin_a", "manager_a", "auditor_a"}
WRITES_A_NOTES = {"lead_a", "admin_a", "manager_a"}
# Documents of agency A about at_a: read with VIEW_CLIENTS, uploaded with EDIT_CLIENTS.
READS_A_FILES = {"lead_a", "admin_a", "manager_a", "intake_a", "auditor_a"}
WRITES_A_FILES = {"lead_a", "admin_a", "manager_a", "intake_a"}


def browser(world: World, persona: str) -> Browser:
    b = Browser()
    b.force_login(world.users[persona])
    return b


def enrollment_of(world: World, project: str) -> Enrollment:
    return Enrollment.objects.filter(project=world.projects[project]).order_by("pk").first()  # type: ignore[return-value]


def counts() -> tuple[int, ...]:
    return (
        Services.objects.count(),
        LocalService.objects.count(),
        CurrentLivingSituation.objects.count(),
        CaseNote.objects.count(),
        ClientFile.objects.count(),
        Enrollment.objects.exclude(date_of_engagement=None).count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("project", ["a_outreach", "a_shelter", "b_rrh", "v_shelter", "z_shelter"])
def test_service_pages(world: World, persona: str, project: str) -> None:
    enrollment = enrollment_of(world, project)
    b = browser(world, persona)
    listing = b.get(f"/enrollments/{enrollment.pk}/services/")
    assert listing.status_code == (200 if project in READS[persona] else 404)
    form = b.get(f"/enrollments/{enrollment.pk}/services/new/")
    assert form.status_code == (200 if project in RECORDS[persona] else 404)
    before = counts()
    posted = b.post(
        f"/enrollments/{enrollment.pk}/services/new/",
        {"record_type": "141", "type_provided": "6", "date_provided": "2026-02-03"},
    )
    if project in RECORDS[persona] and project == "a_outreach":  # PATH funded
        assert posted.status_code == 302
        assert Services.objects.get().record_type == 141
    else:
        assert posted.status_code in (400, 404)
        assert counts() == before
        if project not in RECORDS[persona]:
            assert posted.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_roster_matrix(world: World, persona: str) -> None:
    nbn = world.projects["a_nbn"]
    guest = world.enrollments["guest_1"]  # type: ignore[attr-defined]
    b = browser(world, persona)
    page = b.get(f"/projects/{nbn.pk}/roster/?night=2026-03-04")
    allowed = "a_nbn" in RECORDS[persona]
    assert page.status_code == (200 if allowed else 404)
    before = counts()
    posted = b.post(f"/projects/{nbn.pk}/roster/check-in/", {"night": "2026-03-04", "enrollment": [str(guest.pk)]})
    toggled = b.post(f"/projects/{nbn.pk}/roster/{guest.pk}/toggle/", {"night": "2026-03-04", "action": "check-in"})
    if allowed:
        assert (posted.status_code, toggled.status_code) == (302, 302)
        assert list(Services.objects.values_list("enrollment_id", "date_provided", "record_type")) == [
            (guest.pk, date(2026, 3, 4), 200)
        ]
    else:
        assert (posted.status_code, toggled.status_code) == (404, 404)
        assert counts() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_outreach_matrix(world: World, persona: str) -> None:
    enrollment = enrollment_of(world, "a_outreach")
    b = browser(world, persona)
    allowed = "a_outreach" in RECORDS[persona]
    assert b.get(f"/enrollments/{enrollment.pk}/contacts/new/").status_code == (200 if allowed else 404)
    assert b.get(f"/enrollments/{enrollment.pk}/engagement/").status_code == (200 if allowed else 404)
    before = counts()
    contact = b.post(
        f"/enrollments/{enrollment.pk}/contacts/new/",
        {"information_date": "2026-02-10", "current_living_situation": "116", "location_details": "Bridge"},
    )
    engaged = b.post(f"/enrollments/{enrollment.pk}/engagement/", {"date_of_engagement": "2026-02-10"})
    if allowed:
        assert (contact.status_code, engaged.status_code) == (302, 302)
        assert CurrentLivingSituation.objects.get().location_details == "Bridge"
        enrollment.refresh_from_db()
        assert enrollment.date_of_engagement == date(2026, 2, 10)
    else:
        assert (contact.status_code, engaged.status_code) == (404, 404)
        assert counts() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_notes_matrix(world: World, persona: str) -> None:
    client = world.clients["at_a"]
    author = Actor(user=world.users["manager_a"], name="manager_a")
    note = add_note(
        client=client, organization=world.orgs["a"], text="Seen today.", contact_date=date(2026, 2, 2), by=author
    )
    b = browser(world, persona)
    profile = b.get(f"/clients/{client.pk}/")
    if profile.status_code == 200:
        assert ("Seen today." in profile.content.decode()) is (persona in READS_A_NOTES)
    before = counts()
    posted = b.post(f"/clients/{client.pk}/notes/new/", {"contact_date": "2026-02-03", "text": "Follow-up call."})
    if persona in WRITES_A_NOTES:
        assert posted.status_code == 302
        assert CaseNote.objects.filter(text="Follow-up call.", organization=world.orgs["a"]).count() == 1
    else:
        assert posted.status_code == 404
        assert counts() == before
    # Only the author withdraws a note; everybody else gets "not found" and nothing changes.
    withdrawn = b.post(f"/notes/{note.pk}/withdraw/")
    note.refresh_from_db()
    assert (withdrawn.status_code, note.deleted_at is not None) == (
        (302, True) if persona == "manager_a" else (404, False)
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_files_matrix(world: World, persona: str) -> None:
    client = world.clients["at_a"]
    uploader = Actor(user=world.users["manager_a"], name="manager_a")
    document = upload_file(
        client=client,
        organization=world.orgs["a"],
        kind="consent",
        name="consent.png",
        size=len(PNG_BYTES),
        chunks=[PNG_BYTES],
        by=uploader,
    )
    b = browser(world, persona)
    downloaded = b.get(f"/files/{document.pk}/")
    if persona in READS_A_FILES:
        assert downloaded.status_code == 200
        assert b"".join(downloaded.streaming_content) == PNG_BYTES  # type: ignore[attr-defined]
        assert downloaded["Content-Disposition"] == 'attachment; filename="consent.png"'
        assert downloaded["X-Content-Type-Options"] == "nosniff"
        assert downloaded["Content-Type"] == "image/png"
        assert downloaded["Cache-Control"] == "no-store"
        assert AuditEvent.objects.filter(action="client_file.downloaded", actor_id=world.users[persona].pk).count() == 1
    else:
        assert downloaded.status_code == 404
        assert not AuditEvent.objects.filter(action="client_file.downloaded").exists()
    before = counts()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("id.png", PNG_BYTES, content_type="image/png")
    posted = b.post(f"/clients/{client.pk}/files/new/", {"kind": "identification", "upload": upload})
    removed = b.post(f"/files/{document.pk}/withdraw/")
    document.refresh_from_db()
    if persona in WRITES_A_FILES:
        assert (posted.status_code, removed.status_code) == (302, 302)
        assert ClientFile.objects.filter(kind="identification").count() == 1
        assert document.deleted_at is not None
    else:
        assert (posted.status_code, removed.status_code) == (404, 404)
        assert counts() == before
        assert document.deleted_at is None


def test_bad_upload_is_refused_with_a_clear_message_and_kept_form(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    b = browser(world, "manager_a")
    client = world.clients["at_a"]
    spoof = SimpleUploadedFile("consent.pdf", b"MZ\x90\x00 program", content_type="application/pdf")
    response = b.post(f"/clients/{client.pk}/files/new/", {"kind": "consent", "upload": spoof})
    assert response.status_code == 400
    text = response.content.decode()
    assert "This kind of file cannot be uploaded. Allowed: PDF, JPEG image, PNG image, HEIC image." in text
    assert '<option value="consent" selected>' in text
    assert ClientFile.objects.count() == 0


def test_service_form_offers_only_funded_kinds(world: World) -> None:
    b = browser(world, "manager_a")
    page = b.get(f"/enrollments/{enrollment_of(world, 'a_outreach').pk}/services/new/").content.decode()
    assert '<option value="141"' in page
    assert '<option value="161"' in page
    assert '<option value="144"' not in page
    assert '<option value="200"' not in page  # bed nights go through the roster
    refreshed = b.post(
        f"/enrollments/{enrollment_of(world, 'a_outreach').pk}/services/new/",
        {"record_type": "161", "date_provided": "2026-02-03", "refresh": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = refreshed.content.decode()
    assert refreshed.status_code == 200
    assert "Referral outcome (P2.A)" in html
    assert "Temporary housing" in html  # P2.2's list
    assert "usa-error-message" not in html
    assert Services.objects.count() == 0


def test_service_errors_keep_the_values(world: World) -> None:
    b = browser(world, "manager_a")
    enrollment = enrollment_of(world, "a_outreach")
    response = b.post(
        f"/enrollments/{enrollment.pk}/services/new/",
        {"record_type": "141", "type_provided": "6", "date_provided": "2025-01-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The date must be within the enrollment (from project start to exit)." in html
    assert 'value="2025-01-01"' in html
    assert Services.objects.count() == 0


def test_roster_lists_open_guests_and_counts(world: World) -> None:
    nbn = world.projects["a_nbn"]
    actor = Actor(user=world.users["manager_a"], name="manager_a")
    check_in(project=nbn, night=date(2026, 3, 4), enrollments=[world.enrollments["guest_1"]], by=actor)  # type: ignore[attr-defined]
    b = browser(world, "manager_a")
    html = b.get(f"/projects/{nbn.pk}/roster/?night=2026-03-04").content.decode()
    assert "1 of 2 checked in" in html
    assert "Diaz, Rosa" in html
    assert "Okafor, Ben" in html
    assert b.get(f"/projects/{nbn.pk}/roster/?night=2026-02-27").content.decode().count("roster-row-") == 0
    event = AuditEvent.objects.filter(action="roster.viewed").order_by("pk").first()
    assert event is not None
    assert event.details["clients"] == sorted([world.clients["guest_1"].pk, world.clients["guest_2"].pk])
    # An entry/exit shelter has no roster.
    assert b.get(f"/projects/{world.projects['a_shelter'].pk}/roster/").status_code == 404


def test_roster_toggle_by_htmx_returns_the_row_and_count(world: World) -> None:
    nbn = world.projects["a_nbn"]
    guest = world.enrollments["guest_2"]  # type: ignore[attr-defined]
    b = browser(world, "intake_a")
    response = b.post(
        f"/projects/{nbn.pk}/roster/{guest.pk}/toggle/",
        {"night": "2026-03-04", "action": "check-in"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="roster-row-{guest.pk}"' in html
    assert "1 of 2 checked in" in html
    undo = b.post(
        f"/projects/{nbn.pk}/roster/{guest.pk}/toggle/",
        {"night": "2026-03-04", "action": "undo"},
        HTTP_HX_REQUEST="true",
    )
    assert "0 of 2 checked in" in undo.content.decode()
    assert Services.objects.filter(date_deleted__isnull=True).count() == 0


def test_profile_panels_show_for_case_worker(world: World) -> None:
    b = browser(world, "manager_a")
    enrollment = enrollment_of(world, "a_outreach")
    b.post(
        f"/enrollments/{enrollment.pk}/services/new/",
        {"record_type": "141", "type_provided": "6", "date_provided": "2026-02-03"},
    )
    html = b.get(f"/clients/{enrollment.client_id}/").content.decode()
    for heading in ("Services", "Contacts and engagement", "Case notes", "Documents"):
        assert f">{heading}</h2>" in html
    assert "PATH service: Case management" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_coc_service_types_page(world: World, persona: str) -> None:
    b = browser(world, persona)
    manages = persona in {"lead_a", "lead_b"}  # MANAGE_CONTINUUM: the HMIS Leads
    assert b.get("/service-types/").status_code == (200 if manages else 404)
    posted = b.post("/service-types/", {"name": "Hot meal", "description": "Evening meal"})
    if manages:
        assert posted.status_code == 302
        continuum = world.continuums["a" if persona == "lead_a" else "b"]
        assert list(ServiceType.objects.values_list("continuum_id", "name", "active")) == [
            (continuum.pk, "Hot meal", True)
        ]
        again = b.post("/service-types/", {"name": "hot meal"})
        assert again.status_code == 400
        assert "The CoC already has a service type with this name." in again.content.decode()
        kind = ServiceType.objects.get()
        assert b.post("/service-types/", {"continuum": str(continuum.pk), "retire": str(kind.pk)}).status_code == 302
        kind.refresh_from_db()
        assert kind.active is False
    else:
        assert posted.status_code == 404
        assert ServiceType.objects.count() == 0


def test_coc_service_is_offered_and_recorded(world: World) -> None:
    ServiceType.objects.create(continuum=world.continuums["a"], name="Shower", created_at=timezone.now())
    kind = ServiceType.objects.get()
    b = browser(world, "manager_a")
    enrollment = enrollment_of(world, "a_shelter")
    page = b.get(f"/enrollments/{enrollment.pk}/services/new/").content.decode()
    assert f'<option value="coc:{kind.pk}"' in page
    posted = b.post(
        f"/enrollments/{enrollment.pk}/services/new/",
        {"record_type": f"coc:{kind.pk}", "date_provided": "2026-02-03", "quantity": "2"},
    )
    assert posted.status_code == 302
    assert list(LocalService.objects.values_list("enrollment_id", "service_type_id", "quantity")) == [
        (enrollment.pk, kind.pk, 2)
    ]
    assert Services.objects.count() == 0
    assert "Shower (CoC service) × 2" in b.get(f"/enrollments/{enrollment.pk}/services/").content.decode()


def test_enrollment_page_shows_the_services_section(world: World) -> None:
    b = browser(world, "manager_a")
    enrollment = enrollment_of(world, "a_outreach")
    b.post(
        f"/enrollments/{enrollment.pk}/services/new/",
        {"record_type": "141", "type_provided": "6", "date_provided": "2026-02-03"},
    )
    html = b.get(f"/enrollments/{enrollment.pk}/").content.decode()
    assert 'id="section-services"' in html
    assert "PATH service: Case management" in html
    assert f'href="/enrollments/{enrollment.pk}/contacts/new/"' in html
    auditor = browser(world, "auditor_a").get(f"/enrollments/{enrollment.pk}/").content.decode()
    assert "PATH service: Case management" in auditor
    assert f'href="/enrollments/{enrollment.pk}/services/new/"' not in auditor


def test_roster_lists_guests_away_for_exit(world: World) -> None:
    nbn = world.projects["a_nbn"]
    actor = Actor(user=world.users["manager_a"], name="manager_a")
    rosa, ben = world.enrollments["guest_1"], world.enrollments["guest_2"]  # type: ignore[attr-defined]
    check_in(project=nbn, night=date(2026, 3, 2), enrollments=[rosa, ben], by=actor)
    check_in(project=nbn, night=date(2026, 4, 10), enrollments=[ben], by=actor)
    html = browser(world, "manager_a").get(f"/projects/{nbn.pk}/roster/?night=2026-04-11").content.decode()
    assert "Away 30 nights or more" in html
    assert "Diaz, Rosa · last night here 03/02/2026 · exit date 03/03/2026" in html
    assert f'href="/enrollments/{rosa.pk}/exit/"' in html
    assert "Okafor, Ben · last night" not in html
