"""enroll_household: one HouseholdID, one head, HUD's checks, overlaps, audit (3.10, 3.15, 3.16, 5.09)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from hearth.access.lookups import NotFound
from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.casework.enrollments import HouseholdError, enroll_household, overlapping
from hearth.hmis.models import Enrollment, ProjectCoC, Source
from tests import factories as make
from tests.casework.conftest import Family
from tests.web.personas import World


def _snapshot() -> tuple[int, int]:
    return Enrollment.objects.count(), AuditEvent.objects.count()


def test_enrolls_a_household_of_three(family: Family) -> None:
    enrolled = enroll_household(
        project=family.project,
        entry_date=date(2026, 3, 2),
        members=[(family.head, 1), (family.child, 2), (family.partner, 3)],
        by=family.by,
    )
    rows = list(Enrollment.objects.filter(household_id=enrolled.household_id).order_by("pk"))
    assert re.fullmatch(r"[0-9a-f]{32}", enrolled.household_id)
    assert [(e.client_id, e.relationship_to_hoh) for e in rows] == [
        (family.head.pk, 1),
        (family.child.pk, 2),
        (family.partner.pk, 3),
    ]
    assert {e.entry_date for e in rows} == {date(2026, 3, 2)}
    assert {e.project_id for e in rows} == {family.project.pk}
    # 3.16: the project has no ProjectCoC rows, so its organization's CoC.
    assert {e.enrollment_coc for e in rows} == {"XX-500"}
    assert {e.source_id for e in rows} == {Source.local().pk}
    assert {e.user_id for e in rows} == {f"H{family.by.user.pk}"}
    assert len({e.hud_id for e in rows}) == 3
    assert all(re.fullmatch(r"[0-9a-f]{32}", e.hud_id) for e in rows)
    assert all(e.date_created == e.date_updated and e.date_deleted is None for e in rows)
    assert enrolled.head == rows[0]
    assert enrolled.overlaps == []
    event = AuditEvent.objects.get(action="household.enrolled")
    assert (event.actor, event.actor_id, event.object_type, event.object_id, event.source_ip) == (
        "manager_a",
        family.by.user.pk,
        "Enrollment",
        str(rows[0].pk),
        "10.0.0.1",
    )
    assert event.details == {"project": family.project.pk, "enrollments": [e.pk for e in rows], "overlaps": 0}


@pytest.mark.parametrize(
    ("relationships", "field"),
    [
        ((2, 3, 2), "relationship"),  # no head
        ((1, 1, 2), "relationship"),  # two heads
        ((1, 7, 2), "relationship"),  # 7 is not on list 3.15.1
    ],
)
def test_refuses_a_household_without_exactly_one_head(
    family: Family, relationships: tuple[int, ...], field: str
) -> None:
    before = _snapshot()
    people = (family.head, family.child, family.partner)
    with pytest.raises(HouseholdError) as caught:
        enroll_household(
            project=family.project,
            entry_date=date(2026, 3, 2),
            members=list(zip(people, relationships, strict=True)),
            by=family.by,
        )
    assert list(caught.value.message_dict) == [field]
    assert _snapshot() == before


def test_refuses_the_same_person_twice_and_an_empty_household(family: Family) -> None:
    before = _snapshot()
    with pytest.raises(HouseholdError) as caught:
        enroll_household(
            project=family.project,
            entry_date=date(2026, 3, 2),
            members=[(family.head, 1), (family.head, 2)],
            by=family.by,
        )
    assert caught.value.message_dict == {"members": ["The same person is in the household twice."]}
    with pytest.raises(HouseholdError):
        enroll_household(project=family.project, entry_date=date(2026, 3, 2), members=[], by=family.by)
    assert _snapshot() == before


def test_entry_date_is_not_in_the_future_and_within_operating_dates(family: Family) -> None:
    before = _snapshot()
    tomorrow = timezone.localdate() + timedelta(days=1)
    family.project.operating_end_date = date(2026, 6, 30)
    family.project.save()
    cases = {
        tomorrow: "Project start date cannot be in the future.",
        date(2019, 12, 31): "Project start date is before the project began operating (01/01/2020).",
        date(2026, 7, 1): "Project start date is after the project stopped operating (06/30/2026).",
    }
    for day, message in cases.items():
        with pytest.raises(HouseholdError) as caught:
            enroll_household(project=family.project, entry_date=day, members=[(family.head, 1)], by=family.by)
        assert caught.value.message_dict == {"entry_date": [message]}
    # The boundaries themselves are accepted.
    enroll_household(project=family.project, entry_date=date(2020, 1, 1), members=[(family.head, 1)], by=family.by)
    enroll_household(project=family.project, entry_date=date(2026, 6, 30), members=[(family.child, 1)], by=family.by)
    assert _snapshot() == (before[0] + 2, before[1] + 2)


def test_clients_and_projects_out_of_reach_are_not_found(world: World, family: Family) -> None:
    before = _snapshot()
    with pytest.raises(NotFound):  # another agency's client
        enroll_household(
            project=family.project,
            entry_date=date(2026, 3, 2),
            members=[(family.head, 1), (world.clients["at_b"], 2)],
            by=family.by,
        )
    with pytest.raises(NotFound):  # another agency's project
        enroll_household(
            project=world.projects["b_rrh"], entry_date=date(2026, 3, 2), members=[(family.head, 1)], by=family.by
        )
    auditor = world.users["auditor_a"]  # reads, never enrolls
    with pytest.raises(NotFound):
        enroll_household(
            project=family.project,
            entry_date=date(2026, 3, 2),
            members=[(family.head, 1)],
            by=Actor(user=auditor, name=auditor.username),
        )
    assert _snapshot() == before


def test_overlapping_open_enrollment_in_a_project_of_the_same_type_is_reported(world: World, family: Family) -> None:
    # Maria is in Harbor Night Shelter (ProjectType 0, entered 01/05/2026, no exit).
    shelter = make.project("Harbor Overflow Shelter", world.orgs["a"], project_type=0)
    enrolled = enroll_household(
        project=shelter, entry_date=date(2026, 3, 2), members=[(family.head, 1), (family.child, 2)], by=family.by
    )
    existing = Enrollment.objects.get(client=family.head, project=world.projects["a_shelter"])
    assert [(o.client_id, o.enrollment_id, o.project_name, o.entry_date) for o in enrolled.overlaps] == [
        (family.head.pk, existing.pk, "Harbor Night Shelter", date(2026, 1, 5))
    ]
    assert AuditEvent.objects.get(action="household.enrolled").details["overlaps"] == 1
    # Another project type, or an exit on or before the new start date: no overlap.
    assert (
        overlapping(
            user=family.by.user, project=family.project, client_ids=[family.head.pk], entry_date=date(2026, 3, 2)
        )
        == []
    )
    make.exit_(existing, on=date(2026, 3, 2))
    found = overlapping(user=family.by.user, project=shelter, client_ids=[family.head.pk], entry_date=date(2026, 3, 2))
    assert [o.project_name for o in found] == ["Harbor Overflow Shelter"]


def test_enrollment_coc_comes_from_project_coc(family: Family) -> None:
    def coc(code: str) -> None:
        ProjectCoC.objects.create(project=family.project, coc_code=code, **_stamp())

    coc("XX-501")
    one = enroll_household(
        project=family.project, entry_date=date(2026, 3, 2), members=[(family.head, 1)], by=family.by
    )
    assert one.head.enrollment_coc == "XX-501"
    coc("XX-502")
    with pytest.raises(HouseholdError) as caught:
        enroll_household(project=family.project, entry_date=date(2026, 3, 2), members=[(family.child, 1)], by=family.by)
    assert list(caught.value.message_dict) == ["enrollment_coc"]
    with pytest.raises(HouseholdError):
        enroll_household(
            project=family.project,
            entry_date=date(2026, 3, 2),
            members=[(family.child, 1)],
            enrollment_coc="XX-500",
            by=family.by,
        )
    two = enroll_household(
        project=family.project,
        entry_date=date(2026, 3, 2),
        members=[(family.child, 1)],
        enrollment_coc="XX-502",
        by=family.by,
    )
    assert two.head.enrollment_coc == "XX-502"


def _stamp() -> dict[str, object]:
    now = timezone.now()
    return {
        "source": Source.local(),
        "hud_id": f"PC{now.timestamp()}",
        "date_created": now,
        "date_updated": now,
        "user_id": "T1",
    }
