"""The stage assessment pages over the persona matrix: exact outcomes, audited reads, drafts, and nothing
written on denial."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from hearth.audit.models import AuditEvent
from hearth.collection.models import Draft
from hearth.hmis.models import Enrollment, HealthAndDV, IncomeBenefits
from tests import factories as make
from tests.collection.conftest import funder
from tests.web.personas import CAN_EDIT, PERSONAS, World, build_world

ENROLLED = ("at_a", "at_a_outreach", "at_b", "at_v", "at_z", "deleted_a")
# ENROLL reaches the same clients as EDIT_CLIENTS in every role; a deleted client's enrollment never shows.
CAN_ASSESS = {p: (CAN_EDIT[p] & set(ENROLLED)) - {"deleted_a"} for p in PERSONAS}
MATRIX = [(p, c) for p in PERSONAS for c in ENROLLED]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


def enrollment_of(world: World, client: str) -> Enrollment:
    return Enrollment.objects.get(client=world.clients[client])


@pytest.mark.parametrize(("persona", "client"), MATRIX)
def test_assessment_page_matrix(world: World, persona: str, client: str) -> None:
    enrollment = enrollment_of(world, client)
    browser = browser_for(world, persona)
    before = AuditEvent.objects.count()
    response = browser.get(f"/enrollments/{enrollment.pk}/assessments/start/")
    autosave = browser.post(
        f"/enrollments/{enrollment.pk}/assessments/start/autosave/", {"3_08__DisablingCondition": "1"}
    )
    if client in CAN_ASSESS[persona]:
        assert (response.status_code, autosave.status_code) == (200, 200)
        event = AuditEvent.objects.get(action="client.viewed")
        assert (event.actor_id, event.object_id, event.details) == (
            world.users[persona].pk,
            str(world.clients[client].pk),
            {"page": "assessment-start"},
        )
        assert Draft.objects.filter(user=world.users[persona], enrollment_id=enrollment.pk).count() == 1
    else:
        assert (response.status_code, autosave.status_code) == (404, 404)
        assert AuditEvent.objects.count() == before
        assert not Draft.objects.exists()
        assert browser.get("/enrollments/999999/assessments/start/").content == response.content
        saved = browser.post(f"/enrollments/{enrollment.pk}/assessments/start/", {"information_date": "2026-01-05"})
        assert saved.status_code == 404
        assert not Draft.objects.exists()
        assert IncomeBenefits.objects.count() == 0


def test_unknown_stage_is_not_found(world: World) -> None:
    enrollment = enrollment_of(world, "at_a")
    assert browser_for(world, "manager_a").get(f"/enrollments/{enrollment.pk}/assessments/intake/").status_code == 404


def test_project_start_saved_for_an_es_client_without_funders(world: World) -> None:
    enrollment = enrollment_of(world, "at_a")
    browser = browser_for(world, "manager_a")
    page = browser.get(f"/enrollments/{enrollment.pk}/assessments/start/").content.decode()
    assert "3.08 Disabling Condition</legend>" in page
    assert "3.917 Prior Living Situation</legend>" in page
    assert "4.02" not in page  # no federal funder: universal elements only
    response = browser.post(
        f"/enrollments/{enrollment.pk}/assessments/start/",
        {
            "information_date": "2026-01-05",
            "3_08__DisablingCondition": "0",
            "3_917__LivingSituation": "116",
            "3_917__LengthOfStay": "4",
            "3_917__DateToStreetESSH": "2025-10-01",
            "3_917__TimesHomelessPastThreeYears": "1",
            "3_917__MonthsHomelessPastThreeYears": "104",
        },
    )
    assert response.status_code == 302
    assert response["Location"] in (f"/enrollments/{enrollment.pk}/", f"/clients/{enrollment.client_id}/")
    enrollment.refresh_from_db()
    assert (
        enrollment.living_situation,
        enrollment.date_to_street_essh,
        enrollment.months_homeless_past_three_years,
    ) == (
        116,
        date(2025, 10, 1),
        104,
    )
    assert AuditEvent.objects.filter(action="assessment.recorded", object_id=str(enrollment.pk)).count() == 1


def test_errors_keep_a_draft_restored_only_for_its_author(world: World) -> None:
    enrollment = enrollment_of(world, "at_a")
    browser = browser_for(world, "manager_a")
    url = f"/enrollments/{enrollment.pk}/assessments/start/"
    response = browser.post(url, {"information_date": "2026-01-05", "3_917__LivingSituation": "116"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The assessment was not saved" in page
    assert 'href="#f-3_08__DisablingCondition">Answer “Does the client have a disabling condition?”' in page
    assert enrollment.__class__.objects.get(pk=enrollment.pk).living_situation is None
    draft = Draft.objects.get(user=world.users["manager_a"], enrollment_id=enrollment.pk, stage="start")
    assert draft.answers == {"information_date": "2026-01-05", "3_917__LivingSituation": "116"}

    again = browser.get(url).content.decode()
    assert "Restored your draft saved at" in again
    assert '<option value="116" selected>' in again
    # Another worker on the same enrollment sees a fresh form, not the draft.
    other = browser_for(world, "admin_a").get(url).content.decode()
    assert "Restored your draft" not in other
    assert '<option value="116" selected>' not in other

    browser.post(url, {"action": "discard"})
    assert not Draft.objects.filter(user=world.users["manager_a"]).exists()
    assert Draft.objects.count() == 0


def test_autosave_answers_with_prompts_and_visibility(world: World) -> None:
    org = world.orgs["a"]
    project = make.project("Harbor PSH", org, project_type=3)
    funder(project, 2)
    enrollment = make.enrollment(world.clients["at_a"], project, entry=date(2025, 3, 10))
    browser = browser_for(world, "manager_a")
    url = f"/enrollments/{enrollment.pk}/assessments/start/autosave/"
    response = browser.post(
        url,
        {"information_date": "2025-03-10", "4_02__IncomeFromAnySource": "1"},
        headers={"X-Hearth-Field": "4_02__IncomeFromAnySource"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith("Draft saved at ")
    assert "Data quality:</strong> You answered Yes to income: mark at least one source Yes." in page
    # Questions before the one answered are flagged as unanswered; those after it, not yet.
    assert "Answer “Does the client have a disabling condition?”" in page
    assert "Answer “Does the client have this condition?”" not in page
    shown = json.loads(response["HX-Trigger"])["hearth:shown"]
    assert (shown["4_02__Earned"], shown["4_11__CurrentlyFleeing"], shown["4_03__SNAP"]) == (True, False, False)

    response = browser.post(
        url,
        {"information_date": "2025-03-10", "4_02__IncomeFromAnySource": "0", "4_11__DomesticViolenceSurvivor": "1"},
        headers={"X-Hearth-Field": "4_11__DomesticViolenceSurvivor"},
    )
    page = response.content.decode()
    assert (
        "Data quality:</strong> Survivor of domestic violence is Yes: ask whether the client is currently fleeing."
        in page
    )
    assert "Answer “Does the client have this condition?”" in page  # passed over on the way to 4.11
    assert json.loads(response["HX-Trigger"])["hearth:shown"]["4_11__CurrentlyFleeing"] is True
    assert not IncomeBenefits.objects.exists()
    assert not HealthAndDV.objects.exists()


def test_household_members_head_first(world: World) -> None:
    shelter = world.projects["a_shelter"]
    head = enrollment_of(world, "at_a")
    child = make.enrollment(
        make.client("Luz", "Lopez", dob=date(2015, 1, 1)), shelter, household=head.household_id, relationship=2
    )
    page = browser_for(world, "manager_a").get(f"/enrollments/{child.pk}/assessments/start/").content.decode()
    assert page.index(f"/enrollments/{head.pk}/assessments/start/") < page.index(
        f'aria-current="page" href="/enrollments/{child.pk}/'
    )
    assert "3.917" not in page  # a child is not asked the prior living situation


def test_profile_panel_queries_do_not_grow_with_enrollments(world: World) -> None:
    from hearth.web.panels import _PANELS

    target = world.clients["at_a"]
    profile = browser_for(world, "manager_a").get(f"/clients/{target.pk}/").content.decode()
    assert '<h2 id="assessments-heading">Assessments</h2>' in profile
    context = _PANELS["assessments"].context
    request: Any = type("Request", (), {"user": world.users["manager_a"]})()

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            shown = context(request, target)
        assert shown is not None
        return len(shown["rows"]), len(queries)

    measure()  # the first call computes the user's reach, kept for the request
    rows, few = measure()
    for n in range(8):
        make.enrollment(target, world.projects["a_shelter"], entry=date(2024, 1, 1 + n))
    assert measure() == (rows + 8, few)


def test_assessment_page_queries_are_bounded(world: World, django_assert_max_num_queries: Any) -> None:
    enrollment = enrollment_of(world, "at_a")
    browser = browser_for(world, "manager_a")
    browser.get("/")
    with django_assert_max_num_queries(25):
        assert browser.get(f"/enrollments/{enrollment.pk}/assessments/start/").status_code == 200


def test_enrollment_page_lists_recorded_assessments(world: World) -> None:
    from hearth.audit.actor import Actor
    from hearth.collection.actions import record_assessment
    from hearth.collection.context import context_for
    from tests.collection.conftest import complete

    enrollment = enrollment_of(world, "at_a")
    ctx = context_for(enrollment, "start", information_date=None, today=date(2026, 3, 1))
    record_assessment(
        enrollment=enrollment,
        stage="start",
        information_date=enrollment.entry_date,
        answers=complete(ctx),
        by=Actor(world.users["manager_a"], "manager_a"),
    )
    link = f'<a class="usa-link" href="/enrollments/{enrollment.pk}/assessments/start/">Project start</a>'
    page = browser_for(world, "manager_a").get(f"/enrollments/{enrollment.pk}/").content.decode()
    assert "Recorded assessments" in page
    assert f"<li>{link}, information date 01/05/2026</li>" in page
    # The auditor reads the enrollment but may not assess: the record is listed without a link.
    page = browser_for(world, "auditor_a").get(f"/enrollments/{enrollment.pk}/").content.decode()
    assert "<li>Project start, information date 01/05/2026</li>" in page
