"""A case manager's evening: record a PATH service, check guests in on the nightly roster, record a street
outreach contact and the date of engagement, write a case note, upload a consent form — each page scanned
by axe-core (WCAG 2.1 AA) and, with HEARTH_SCREENSHOTS set, photographed for the user guide."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hearth.audit.models import AuditEvent
from hearth.casework.models import CaseNote, ClientFile
from hearth.hmis.models import CurrentLivingSituation, Funder, Services
from tests import factories as make
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 256


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.HEARTH_FILES_DIR = tmp_path / "files"
    w = build_world()
    w.projects["a_nbn"] = make.project("Harbor Nightly Beds", w.orgs["a"], project_type=1)
    for first, last in (("Rosa", "Diaz"), ("Ben", "Okafor"), ("Ida", "Sørensen"), ("Omar", "Haddad")):
        make.enrollment(make.client(first, last, dob=date(1980, 5, 1)), w.projects["a_nbn"], entry=date(2026, 3, 1))
    Funder.objects.create(
        hud_id="F-PATH",
        project=w.projects["a_outreach"],
        funder=21,
        grant_id="PATH-2026",
        start_date=date(2025, 10, 1),
        **make._stamp(),
    )
    return w


def sign_in(page: Any, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: url.endswith("/"))


def test_services_roster_outreach_notes_and_files(page: Any, world: World, tmp_path: Path) -> None:
    sign_in(page, "manager_a")
    james = world.clients["at_a_outreach"]
    enrollment = world.projects["a_outreach"].enrollments.get()

    # 1. A PATH service from the client's profile.
    page.goto(f"/clients/{james.pk}/")
    page.get_by_role("link", name="Record a service in Harbor Street Outreach").click()
    page.get_by_label("Date provided").fill("2026-02-03")
    page.get_by_label("Kind of service").select_option(label="PATH service")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Service provided").select_option(label="Case management")  # drawn by htmx for PATH
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Date provided").input_value() == "2026-02-03"  # kept through the redraws
    check_accessibility(page, "services-01-record-a-service")
    page.get_by_role("button", name="Record service").click()
    page.get_by_role("heading", name="Services").wait_for()
    page.get_by_role("rowheader", name="PATH service: Case management").wait_for()
    check_accessibility(page, "services-02-enrollment-services")
    assert list(Services.objects.values_list("record_type", "type_provided", "date_provided")) == [
        (141, 6, date(2026, 2, 3))
    ]

    # 2. The nightly roster: filter and Enter ticks a guest, a click ticks another, one submit checks both in.
    page.get_by_role("link", name="Roster").click()
    page.get_by_role("heading", name=re.compile("Harbor Nightly Beds: night of")).wait_for()
    page.get_by_text("0 of 4 checked in").wait_for()
    check_accessibility(page, "services-03-roster")
    search = page.get_by_label("Find a guest on the list")
    search.fill("diaz")
    search.press("Enter")
    search.fill("okaf")
    search.press("Enter")
    page.get_by_role("button", name="Check in the ticked guests").click()
    page.get_by_text("Checked in 2 for the night of").wait_for()
    page.get_by_text("2 of 4 checked in").wait_for()
    # One more by its own row button (htmx swaps the row and the count).
    page.get_by_role("button", name="Check in Haddad, Omar now").click()
    page.get_by_text("3 of 4 checked in").wait_for()
    check_accessibility(page, "services-04-roster-checked-in")
    assert Services.objects.filter(record_type=200, date_deleted__isnull=True).count() == 3
    page.get_by_role("button", name="Undo check-in of Haddad, Omar").click()
    page.get_by_text("2 of 4 checked in").wait_for()
    assert Services.objects.filter(record_type=200, date_deleted__isnull=True).count() == 2

    # 3. Street outreach: a contact (4.12) on a phone-sized screen, then the date of engagement (4.13).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/clients/{james.pk}/")
    page.get_by_role("link", name="Record a contact in Harbor Street Outreach").click()
    page.get_by_label("Date of contact").fill("2026-02-10")
    page.get_by_label("Current living situation").select_option(value="116")
    page.get_by_label("Location details").fill("Under the 5th St bridge")
    check_accessibility(page, "services-05-outreach-contact-phone")
    page.get_by_role("button", name="Save contact").click()
    page.get_by_text("Contact recorded.").wait_for()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Set the date of engagement in Harbor Street Outreach").click()
    page.get_by_label("Date of engagement").fill("2026-02-10")
    check_accessibility(page, "services-06-date-of-engagement")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Date of engagement saved.").wait_for()
    enrollment.refresh_from_db()
    assert enrollment.date_of_engagement == date(2026, 2, 10)
    assert CurrentLivingSituation.objects.get().location_details == "Under the 5th St bridge"

    # 4. A case note, from the profile's panel.
    note = "Met under the bridge; agreed to come to the shelter tonight."
    page.get_by_role("textbox", name=re.compile(r"^Note")).fill(note)
    page.get_by_label("Date of contact").fill("2026-02-10")
    page.get_by_role("button", name="Save note").click()
    page.get_by_text("Note saved.").wait_for()
    assert CaseNote.objects.get().text == note

    # 5. A consent form (a phone photo), from the documents panel.
    photo = tmp_path / "consent.png"
    photo.write_bytes(PNG)
    page.get_by_label("Kind of document").select_option(value="consent")
    page.locator("input[type=file][name=upload]").set_input_files(str(photo))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_text("Document uploaded.").wait_for()
    page.get_by_role("link", name="consent.png").wait_for()
    check_accessibility(page, "services-07-profile-panels")
    assert ClientFile.objects.get().content_type == "image/png"

    actions = set(AuditEvent.objects.filter(actor_id=world.users["manager_a"].pk).values_list("action", flat=True))
    assert {
        "service.recorded",
        "roster.viewed",
        "bed_night.checked_in",
        "bed_night.withdrawn",
        "contact.recorded",
        "enrollment.engagement_set",
        "case_note.created",
        "client_file.uploaded",
        "client.viewed",
    } <= actions
