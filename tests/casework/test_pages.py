"""The household pages: the persona matrix (every role x every client), denial without writes, and the flows
through the forms (values kept on errors, HUD's messages on the fields)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client as Browser
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.casework.enrollments import enroll_household
from hearth.casework.exits import exit_client
from hearth.casework.reminders import anniversary
from hearth.hmis.models import Enrollment, Exit
from hearth.search.index import rebuild
from tests import factories as make
from tests.casework.conftest import Family
from tests.web.personas import CAN_EDIT, CAN_VIEW, CLIENTS, PERSONAS, World

ENROLLED = ("at_a", "at_a_outreach", "at_b", "at_v", "at_z", "deleted_a")


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


def _writes() -> tuple[int, int, int, list[Any]]:
    return (
        Enrollment.objects.filter(date_deleted__isnull=True).count(),
        Exit.objects.filter(date_deleted__isnull=True).count(),
        AuditEvent.objects.exclude(action__in=["client.viewed", "enrollment.viewed"]).count(),
        list(Enrollment.objects.order_by("pk").values_list("relationship_to_hoh", "date_updated")),
    )


def _enrollment_of(world: World, name: str) -> Enrollment:
    return Enrollment.objects.get(client=world.clients[name])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("client", CLIENTS)
def test_enroll_page_matrix(world: World, persona: str, client: str) -> None:
    response = browser_for(world, persona).get(f"/clients/{world.clients[client].pk}/enroll/")
    # ENROLL goes with EDIT_CLIENTS in every role (hearth/access/roles.py).
    assert response.status_code == (200 if client in CAN_EDIT[persona] else 404)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("client", ENROLLED)
def test_enrollment_page_matrix(world: World, persona: str, client: str) -> None:
    enrollment = _enrollment_of(world, client)
    before = AuditEvent.objects.filter(action="client.viewed").count()
    response = browser_for(world, persona).get(f"/enrollments/{enrollment.pk}/")
    visible = client in CAN_VIEW[persona]
    assert response.status_code == (200 if visible else 404)
    viewed = AuditEvent.objects.filter(action="client.viewed").count() - before
    assert viewed == (1 if visible else 0)
    if visible:
        page = response.content.decode()
        assert ("Add a household member" in page) is (client in CAN_EDIT[persona])
        # Stage assessment links only for who may assess (they would answer "not found" to the others).
        assert ("/assessments/start/" in page) is (client in CAN_EDIT[persona])
        assert response["Cache-Control"] == "no-store" or "no-store" in response["Cache-Control"]


MAY_CHANGE_AT_A = {p for p in PERSONAS if "at_a" in CAN_EDIT[p]}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("page", "path", "data"),
    [
        ("member", "exit/", {"members": "{pk}", "exit_date": "2026-02-01", "destination": "410"}),
        ("member", "household/relationship/", {"m{pk}-relationship": "3"}),
        ("member", "household/remove/", {}),
        ("member", "household/head/", {"new_head": "{pk}", "former_head_relationship": "3"}),
        (
            "head",
            "household/add/",
            {"action": "add", "client": "{registered}", "relationship": "5", "entry_date": "2026-02-01"},
        ),
    ],
)
def test_changes_are_denied_without_writes(
    world: World, persona: str, page: str, path: str, data: dict[str, str]
) -> None:
    head = _enrollment_of(world, "at_a")
    child = make.client("Rosa", "Lopez", dob=date(2015, 6, 1))
    member = make.enrollment(child, head.project, entry=head.entry_date, household=head.household_id, relationship=2)
    target = member if page == "member" else head
    values = {
        k.format(pk=target.pk): v.format(pk=target.pk, registered=world.clients["registered_a"].pk)
        for k, v in data.items()
    }
    before = _writes()
    response = browser_for(world, persona).post(f"/enrollments/{target.pk}/{path}", values)
    if persona in MAY_CHANGE_AT_A:
        assert response.status_code == 302
        assert _writes() != before
    else:
        assert response.status_code == 404
        assert _writes() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_enroll_post_is_denied_without_writes(world: World, family: Family, persona: str) -> None:
    data = {
        "action": "enroll",
        "project": str(world.projects["a_shelter"].pk),
        "entry_date": "2026-02-01",
        "relationship": "1",
    }
    before = _writes()
    response = browser_for(world, persona).post(f"/clients/{world.clients['registered_a'].pk}/enroll/", data)
    if persona == "outreach_worker":  # may enroll the client, but only into the outreach project
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
        assert _writes() == before
    elif "registered_a" in CAN_EDIT[persona]:
        assert response.status_code == 302
        assert _writes() != before
    else:
        assert response.status_code == 404
        assert _writes() == before


def test_enroll_a_household_through_the_page(world: World, family: Family) -> None:
    rebuild()
    browser = browser_for(world, "manager_a")
    url = f"/clients/{family.head.pk}/enroll/"
    base = {"project": str(family.project.pk), "entry_date": "2026-03-02", "relationship": "1", "enrollment_coc": ""}
    found = browser.post(url, {**base, "action": "search", "q": "Rosa Lopez"})
    page = found.content.decode()
    assert found.status_code == 200
    assert "Add Rosa Lopez" in page
    assert "Rosa" not in found.request["PATH_INFO"]
    added = browser.post(url, {**base, "add": str(family.child.pk)})
    assert f'name="relationship_{family.child.pk}"' in added.content.decode()
    assert 'value="2026-03-02"' in added.content.decode()  # what was typed is kept
    both = {**base, "member": [str(family.child.pk), str(family.partner.pk)], f"relationship_{family.child.pk}": "2"}
    both[f"relationship_{family.partner.pk}"] = "3"
    dropped = browser.post(url, {**both, "drop": str(family.partner.pk)})
    assert f'name="relationship_{family.partner.pk}"' not in dropped.content.decode()
    response = browser.post(url, {**both, "action": "enroll"})
    assert response.status_code == 302
    head = Enrollment.objects.get(client=family.head, project=family.project)
    assert response["Location"] == f"/enrollments/{head.pk}/"
    rows = Enrollment.objects.filter(household_id=head.household_id)
    assert sorted(rows.values_list("client_id", "relationship_to_hoh")) == sorted(
        [(family.head.pk, 1), (family.child.pk, 2), (family.partner.pk, 3)]
    )
    assert AuditEvent.objects.filter(action="client.searched").get().details == {"results": 1}


def test_enroll_errors_keep_values_and_name_fields(world: World, family: Family) -> None:
    browser = browser_for(world, "manager_a")
    url = f"/clients/{family.head.pk}/enroll/"
    data = {"action": "enroll", "project": str(family.project.pk), "entry_date": "2019-05-05", "relationship": "2"}
    before = _writes()
    response = browser.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose exactly one head of household" in page
    assert 'value="2019-05-05"' in page
    assert _writes() == before
    response = browser.post(url, {**data, "relationship": "1"})
    assert "before the project began operating (01/01/2020)" in response.content.decode()
    assert 'aria-describedby="id_entry_date-hint id_entry_date-error"' in response.content.decode()


def test_overlap_is_confirmed_before_enrolling(world: World, family: Family) -> None:
    browser = browser_for(world, "manager_a")
    url = f"/clients/{family.head.pk}/enroll/"
    data = {
        "action": "enroll",
        "project": str(world.projects["a_shelter"].pk),
        "entry_date": "2026-03-02",
        "relationship": "1",
    }
    before = _writes()
    warned = browser.post(url, data)
    assert warned.status_code == 200
    assert "Already enrolled in a similar project" in warned.content.decode()
    assert "Harbor Night Shelter since 01/05/2026" in warned.content.decode()
    assert _writes() == before
    data.pop("action")
    confirmed = browser.post(url, {**data, "confirmed": "overlap"})
    assert confirmed.status_code == 302
    assert Enrollment.objects.filter(client=family.head, project=world.projects["a_shelter"]).count() == 2


@pytest.fixture
def enrolled(family: Family) -> list[Enrollment]:
    return enroll_household(
        project=family.project,
        entry_date=date(2026, 3, 2),
        members=[(family.head, 1), (family.child, 2)],
        by=family.by,
    ).enrollments


def test_exit_page_requires_subsidy_type_for_435_and_goes_to_the_exit_assessment(
    world: World, family: Family, enrolled: list[Enrollment]
) -> None:
    head, child = enrolled
    browser = browser_for(world, "manager_a")
    page = browser.get(f"/enrollments/{head.pk}/exit/").content.decode()
    assert f'value="{head.pk}" checked' in page
    assert f'value="{child.pk}" checked' in page
    data = {"members": [str(child.pk)], "exit_date": "2026-06-30", "destination": "435"}
    response = browser.post(f"/enrollments/{head.pk}/exit/", data)
    assert response.status_code == 400
    assert "Choose the rental subsidy type" in response.content.decode()
    assert not Exit.objects.exists()
    response = browser.post(f"/enrollments/{head.pk}/exit/", {**data, "destination_subsidy_type": "433"})
    assert response.status_code == 302
    assert response["Location"] == f"/enrollments/{child.pk}/assessments/exit/"
    record = Exit.objects.get()
    assert (record.enrollment_id, record.destination, record.destination_subsidy_type) == (child.pk, 435, 433)
    shown = browser.get(f"/enrollments/{head.pk}/").content.decode()
    assert (
        "06/30/2026 · Rental by client, with ongoing housing subsidy "
        "(HCV voucher (tenant or project based) (not dedicated))" in shown
    )


def test_head_leaving_on_the_exit_page_needs_a_new_head(
    world: World, family: Family, enrolled: list[Enrollment]
) -> None:
    head, child = enrolled
    browser = browser_for(world, "manager_a")
    data = {"members": [str(head.pk)], "exit_date": "2026-06-30", "destination": "410"}
    response = browser.post(f"/enrollments/{head.pk}/exit/", data)
    assert response.status_code == 400
    assert "choose a new head among those who stay" in response.content.decode()
    response = browser.post(
        f"/enrollments/{head.pk}/exit/", {**data, "new_head": str(child.pk), "former_head_relationship": "2"}
    )
    assert response.status_code == 302
    assert dict(Enrollment.objects.filter(pk__in=[head.pk, child.pk]).values_list("pk", "relationship_to_hoh")) == {
        head.pk: 2,
        child.pk: 1,
    }


def test_change_head_add_member_relationship_remove_and_undo_pages(
    world: World, family: Family, enrolled: list[Enrollment]
) -> None:
    head, child = enrolled
    browser = browser_for(world, "manager_a")
    rebuild()
    search = browser.post(f"/enrollments/{head.pk}/household/add/", {"action": "search", "q": "Luis Lopez"})
    assert "Add Luis Lopez" in search.content.decode()
    picked = browser.post(f"/enrollments/{head.pk}/household/add/", {"client": str(family.partner.pk)})
    assert "Luis Lopez joins the household" in picked.content.decode()
    early = {"action": "add", "client": str(family.partner.pk), "relationship": "3", "entry_date": "2026-03-01"}
    response = browser.post(f"/enrollments/{head.pk}/household/add/", early)
    assert response.status_code == 400
    assert "cannot be before the head of household’s (03/02/2026)" in response.content.decode()
    response = browser.post(f"/enrollments/{head.pk}/household/add/", {**early, "entry_date": "2026-04-01"})
    assert response.status_code == 302
    partner = Enrollment.objects.get(client=family.partner)
    assert (partner.entry_date, partner.relationship_to_hoh) == (date(2026, 4, 1), 3)

    response = browser.post(
        f"/enrollments/{head.pk}/household/head/", {"new_head": str(partner.pk), "former_head_relationship": "3"}
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(pk=partner.pk).relationship_to_hoh == 1

    response = browser.post(f"/enrollments/{child.pk}/household/relationship/", {f"m{child.pk}-relationship": "4"})
    assert response.status_code == 302
    assert Enrollment.objects.get(pk=child.pk).relationship_to_hoh == 4

    exit_client(enrollment=child, exit_date=date(2026, 5, 1), destination=410, by=family.by)
    assert "Undo the exit" in browser.get(f"/enrollments/{child.pk}/exit/undo/").content.decode()
    assert browser.post(f"/enrollments/{child.pk}/exit/undo/").status_code == 302
    assert not Exit.objects.filter(date_deleted__isnull=True).exists()

    assert browser.post(f"/enrollments/{child.pk}/household/remove/").status_code == 302
    assert Enrollment.objects.get(pk=child.pk).date_deleted is not None
    assert browser.get(f"/enrollments/{child.pk}/").status_code == 404


def test_profile_panel_and_reminders_page(world: World, family: Family, enrolled: list[Enrollment]) -> None:
    browser = browser_for(world, "manager_a")
    profile = browser.get(f"/clients/{family.head.pk}/").content.decode()
    assert f'href="/clients/{family.head.pk}/enroll/"' in profile
    assert f'href="/enrollments/{enrolled[0].pk}/"' in profile
    assert "with Rosa Lopez (Head of household’s child)" in profile
    auditor = browser_for(world, "auditor_a").get(f"/clients/{family.head.pk}/").content.decode()
    assert "/enroll/" not in auditor
    reminders = browser.get("/reminders/")
    assert reminders.status_code == 200
    assert "Nothing due" in reminders.content.decode()
    assert not AuditEvent.objects.filter(action="reminders.viewed").exists()  # no client shown, nothing to audit
    # A year and 60 days ago: the annual window closed 30 days ago.
    make.enrollment(family.partner, family.project, entry=anniversary(timezone.localdate(), -1) - timedelta(days=60))
    shown = browser.get("/reminders/").content.decode()
    assert "Luis Lopez, Harbor Family Shelter: Annual assessment overdue since" in shown
    assert AuditEvent.objects.get(action="reminders.viewed").details == {"results": 1}
    partial = browser.get("/reminders/", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()


def test_enrollment_page_draws_registered_sections(
    world: World, family: Family, enrolled: list[Enrollment], settings: Any, tmp_path: Any
) -> None:
    from hearth.web import enrollment_sections

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "section.html").write_text("<section>section for {{ section.pk }}</section>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    saved = dict(enrollment_sections._SECTIONS)
    try:
        enrollment_sections.enrollment_section("test-shown", template="t/section.html", order=1)(
            lambda request, enrollment: {"pk": enrollment.pk}
        )
        enrollment_sections.enrollment_section("test-hidden", template="t/section.html", order=2)(
            lambda request, enrollment: None
        )
        page = browser_for(world, "manager_a").get(f"/enrollments/{enrolled[0].pk}/").content.decode()
    finally:
        enrollment_sections._SECTIONS.clear()
        enrollment_sections._SECTIONS.update(saved)
    assert page.count("section for") == 1
    assert f"section for {enrolled[0].pk}" in page
