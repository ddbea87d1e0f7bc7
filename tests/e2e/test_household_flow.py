"""A case manager enrolls a family from a client's profile, adds a member later, changes the head of household,
exits one member to a subsidized rental, then the rest; every page is scanned with axe."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from hearth.access.models import ClientOrigin
from hearth.audit.models import AuditEvent
from hearth.casework.reminders import anniversary
from hearth.hmis.models import Enrollment, Exit
from hearth.search.index import rebuild
from tests import factories as make
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world() -> World:
    built = build_world()
    make.project("Harbor Family Shelter", built.orgs["a"], project_type=1)
    for first, last, dob in (
        ("Rosa", "Lopez", date(2015, 6, 1)),
        ("Luis", "Lopez", date(1985, 9, 9)),
        ("Ana", "Lopez", date(2009, 2, 14)),
    ):
        person = make.client(first, last, dob=dob)
        ClientOrigin.objects.create(client=person, organization=built.orgs["a"])
    # A household in the night shelter for a year and ten days: its annual assessment is due.
    year_ago = anniversary(timezone.localdate(), -1) - timedelta(days=10)
    make.enrollment(built.clients["registered_a"], built.projects["a_shelter"], entry=year_ago)
    rebuild()
    return built


def _add_from_search(page: Any, name: str) -> None:
    page.get_by_label("Find a household member by name, date of birth or Hearth ID").fill(name)
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name=f"Add {name}").click()


def test_a_household_from_entry_to_exit(page: Any, world: World) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("manager_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Reminders").wait_for()
    page.get_by_text("Lee Nguyen, Harbor Night Shelter: Annual assessment due by").wait_for()  # loaded by htmx
    check_accessibility(page, "households-01-home-reminders")

    maria = world.clients["at_a"]
    page.goto(f"/clients/{maria.pk}/")
    check_accessibility(page, "households-02-profile")
    page.get_by_role("link", name="Enroll in a project").click()

    page.locator("#id_project").select_option(label="Harbor Family Shelter · Harbor House")
    page.get_by_label("Project start date").fill("2026-03-02")
    _add_from_search(page, "Rosa Lopez")
    page.get_by_label("Rosa Lopez: relationship to head of household").select_option(label="Head of household’s child")
    # Enter in the search box searches (it must not press the "Remove Rosa Lopez" button above it).
    page.get_by_label("Find a household member by name, date of birth or Hearth ID").fill("Luis Lopez")
    page.get_by_label("Find a household member by name, date of birth or Hearth ID").press("Enter")
    page.get_by_role("button", name="Add Luis Lopez").click()
    # Once Luis's row is in (the htmx swap has landed), Rosa's must still be there: counting before the swap
    # lands raced it on a busy machine.
    page.get_by_label("Luis Lopez: relationship to head of household").wait_for()
    assert page.get_by_label("Rosa Lopez: relationship to head of household").count() == 1
    page.get_by_label("Luis Lopez: relationship to head of household").select_option(
        label="Head of household’s spouse or partner"
    )
    assert page.get_by_label("Project start date").input_value() == "2026-03-02"  # kept across searches
    check_accessibility(page, "households-03-enroll")
    page.get_by_role("button", name="Enroll household").click()

    page.get_by_role("heading", name="Harbor Family Shelter").wait_for()
    head = Enrollment.objects.get(client=maria, project__project_name="Harbor Family Shelter")
    assert page.url.endswith(f"/enrollments/{head.pk}/")
    household = Enrollment.objects.filter(household_id=head.household_id)
    assert sorted(household.values_list("client__first_name", "relationship_to_hoh")) == [
        ("Luis", 3),
        ("Maria", 1),
        ("Rosa", 2),
    ]
    check_accessibility(page, "households-04-enrollment")

    page.get_by_role("link", name="Add a household member").click()
    _add_from_search(page, "Ana Lopez")
    page.get_by_label("Relationship to head of household").select_option(
        label="Head of household’s other relation member"
    )
    page.get_by_label("Project start date").fill("2026-04-15")
    check_accessibility(page, "households-05-add-member")
    page.get_by_role("button", name="Add to household").click()
    page.get_by_text("Added a household member.").wait_for()
    ana = Enrollment.objects.get(client__first_name="Ana", household_id=head.household_id)
    assert (ana.entry_date, ana.relationship_to_hoh) == (date(2026, 4, 15), 4)

    page.get_by_role("link", name="Change head of household").click()
    page.get_by_label("New head of household").select_option(label="Luis Lopez")
    page.get_by_label("Former head’s relationship to the new head").select_option(
        label="Head of household’s spouse or partner"
    )
    check_accessibility(page, "households-06-change-head")
    page.get_by_role("button", name="Change head of household").click()
    page.get_by_text("Changed the head of household.").wait_for()
    assert dict(household.values_list("client__first_name", "relationship_to_hoh")) == {
        "Maria": 3,
        "Luis": 1,
        "Rosa": 2,
        "Ana": 4,
    }

    page.get_by_role("link", name="Exit Ana Lopez").click()
    page.get_by_label("Exit date").fill("2026-06-30")
    page.locator("#id_destination").select_option(label="Rental by client, with ongoing housing subsidy")
    page.get_by_role("button", name="Record the exit").click()
    page.get_by_text("Choose the rental subsidy type").first.wait_for()  # 3.12.A is required for 435
    assert not Exit.objects.exists()
    check_accessibility(page, "households-07-exit-one-member")
    page.get_by_label("Rental subsidy type").select_option(
        label="HCV voucher (tenant or project based) (not dedicated)"
    )
    page.get_by_role("button", name="Record the exit").click()
    page.wait_for_url(re.compile(rf"/enrollments/{ana.pk}/assessments/exit/$"))
    record = Exit.objects.get()
    assert (record.enrollment_id, record.exit_date, record.destination, record.destination_subsidy_type) == (
        ana.pk,
        date(2026, 6, 30),
        435,
        433,
    )

    page.goto(f"/enrollments/{head.pk}/")
    page.get_by_role("link", name="Exit household members").click()
    for name in ("Maria Lopez", "Luis Lopez", "Rosa Lopez"):
        assert page.get_by_label(name).is_checked()
    page.get_by_label("Exit date").fill("2026-07-31")
    page.locator("#id_destination").select_option(label="Rental by client, no ongoing housing subsidy")
    check_accessibility(page, "households-08-exit-household")
    page.get_by_role("button", name="Record the exit").click()
    page.wait_for_url(re.compile(r"/assessments/exit/$"))
    page.goto(f"/enrollments/{head.pk}/")
    assert page.get_by_text("07/31/2026 · Rental by client, no ongoing housing subsidy").count() == 3
    check_accessibility(page, "households-09-all-exited")
    assert Exit.objects.filter(date_deleted__isnull=True).count() == 4
    actions = set(AuditEvent.objects.filter(actor="manager_a").values_list("action", flat=True))
    assert {
        "household.enrolled",
        "household.member_added",
        "household.head_changed",
        "enrollment.exited",
        "client.viewed",
        "client.searched",
    } <= actions
