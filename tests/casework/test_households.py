"""Members who join later, relationships, the head of household, enrollments entered in error (3.10, 3.15, 5.09)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db.models import Q

from hearth.access.lookups import NotFound
from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent, FieldChange
from hearth.casework.enrollments import Enrolled, HouseholdError, enroll_household
from hearth.casework.exits import exit_client
from hearth.casework.households import add_member, change_head, remove_member, set_relationship
from hearth.hmis.models import Enrollment, Exit
from tests import factories as make
from tests.casework.conftest import Family
from tests.web.personas import World


@pytest.fixture
def pair(family: Family) -> Enrolled:
    """Maria (head) and Rosa (her child) entered 03/02/2026; Luis joins later."""
    return enroll_household(
        project=family.project,
        entry_date=date(2026, 3, 2),
        members=[(family.head, 1), (family.child, 2)],
        by=family.by,
    )


def _state() -> tuple[list[Any], int, int]:
    rows = list(Enrollment.objects.order_by("pk").values_list("pk", "relationship_to_hoh", "date_deleted"))
    return rows, AuditEvent.objects.count(), Exit.objects.count()


def test_a_member_joins_later_with_their_own_start_date(family: Family, pair: Enrolled) -> None:
    joined = add_member(
        household_of=pair.enrollments[1],
        client=family.partner,
        relationship=3,
        entry_date=date(2026, 4, 15),
        by=family.by,
    )
    joined.refresh_from_db()
    assert (
        joined.household_id,
        joined.project_id,
        joined.entry_date,
        joined.relationship_to_hoh,
        joined.enrollment_coc,
    ) == (
        pair.household_id,
        family.project.pk,
        date(2026, 4, 15),
        3,
        "XX-500",
    )
    event = AuditEvent.objects.get(action="household.member_added")
    assert (event.object_id, event.details) == (str(joined.pk), {"head": pair.head.pk, "relationship": 3})


def test_a_member_cannot_start_before_the_head(family: Family, pair: Enrolled) -> None:
    before = _state()
    with pytest.raises(HouseholdError) as caught:
        add_member(
            household_of=pair.head, client=family.partner, relationship=3, entry_date=date(2026, 3, 1), by=family.by
        )
    assert caught.value.message_dict == {
        "entry_date": ["A member’s project start date cannot be before the head of household’s (03/02/2026)."]
    }
    # The same day as the head is fine.
    add_member(household_of=pair.head, client=family.partner, relationship=3, entry_date=date(2026, 3, 2), by=family.by)
    assert len(_state()[0]) == len(before[0]) + 1


@pytest.mark.parametrize(
    ("who", "relationship", "field"),
    [("partner", 1, "relationship"), ("partner", 6, "relationship"), ("child", 2, "client")],
)
def test_add_member_refusals_write_nothing(
    family: Family, pair: Enrolled, who: str, relationship: int, field: str
) -> None:
    before = _state()
    with pytest.raises(HouseholdError) as caught:
        add_member(
            household_of=pair.head,
            client=getattr(family, who),
            relationship=relationship,
            entry_date=date(2026, 4, 1),
            by=family.by,
        )
    assert list(caught.value.message_dict) == [field]
    assert _state() == before


def test_add_member_out_of_reach_is_not_found(world: World, family: Family, pair: Enrolled) -> None:
    before = _state()
    with pytest.raises(NotFound):
        add_member(
            household_of=pair.head,
            client=world.clients["at_b"],
            relationship=5,
            entry_date=date(2026, 4, 1),
            by=family.by,
        )
    outsider = world.users["admin_v"]
    with pytest.raises(NotFound):
        add_member(
            household_of=pair.head,
            client=family.partner,
            relationship=3,
            entry_date=date(2026, 4, 1),
            by=Actor(user=outsider, name=outsider.username),
        )
    assert _state() == before


def test_set_relationship_records_old_and_new(family: Family, pair: Enrolled) -> None:
    child = pair.enrollments[1]
    assert set_relationship(enrollment=child, relationship=4, by=family.by) is True
    assert set_relationship(enrollment=child, relationship=4, by=family.by) is False  # nothing to change
    child.refresh_from_db()
    assert child.relationship_to_hoh == 4
    event = AuditEvent.objects.get(action="household.relationship_changed")
    assert event.object_id == str(child.pk)
    assert list(FieldChange.objects.filter(event_id=event.pk).values_list("field", "old", "new")) == [
        ("relationship_to_hoh", "2", "4")
    ]


def test_the_head_changes_only_through_change_head(family: Family, pair: Enrolled) -> None:
    before = _state()
    for enrollment, value in ((pair.enrollments[1], 1), (pair.head, 3)):
        with pytest.raises(HouseholdError) as caught:
            set_relationship(enrollment=enrollment, relationship=value, by=family.by)
        assert list(caught.value.message_dict) == ["relationship"]
    assert _state() == before


def test_change_head_swaps_in_one_step(family: Family, pair: Enrolled) -> None:
    partner = add_member(
        household_of=pair.head, client=family.partner, relationship=3, entry_date=date(2026, 3, 2), by=family.by
    )
    former = change_head(new_head=partner, former_head_relationship=3, by=family.by)
    assert former.pk == pair.head.pk
    relationships = dict(
        Enrollment.objects.filter(household_id=pair.household_id).values_list("client_id", "relationship_to_hoh")
    )
    assert relationships == {family.head.pk: 3, family.child.pk: 2, family.partner.pk: 1}
    events = list(AuditEvent.objects.filter(action="household.head_changed").order_by("pk"))
    assert [e.object_id for e in events] == [str(pair.head.pk), str(partner.pk)]
    assert {tuple(sorted(e.details.items())) for e in events} == {
        (("former_head", pair.head.pk), ("new_head", partner.pk))
    }
    changes = FieldChange.objects.filter(event_id__in=[e.pk for e in events]).order_by("event_id")
    assert list(changes.values_list("field", "old", "new")) == [
        ("relationship_to_hoh", "1", "3"),
        ("relationship_to_hoh", "3", "1"),
    ]


def test_change_head_refusals(family: Family, pair: Enrolled) -> None:
    child = pair.enrollments[1]
    exit_client(enrollment=child, exit_date=date(2026, 5, 1), destination=410, by=family.by)
    before = _state()
    cases = [
        (child, 3, "new_head"),  # exited
        (pair.head, 3, "new_head"),  # already head
        (child, 1, "former_head_relationship"),
    ]
    for new_head, relationship, field in cases:
        with pytest.raises(HouseholdError) as caught:
            change_head(new_head=new_head, former_head_relationship=relationship, by=family.by)
        assert list(caught.value.message_dict) == [field]
    assert _state() == before
    assert Enrollment.objects.filter(household_id=pair.household_id, relationship_to_hoh=1).count() == 1


def test_remove_member_entered_in_error_soft_deletes_it_and_its_exit(family: Family, pair: Enrolled) -> None:
    child = pair.enrollments[1]
    record = exit_client(enrollment=child, exit_date=date(2026, 5, 1), destination=410, by=family.by)
    assert remove_member(enrollment=child, by=family.by) == ["Exit"]
    child.refresh_from_db()
    record.refresh_from_db()
    assert child.date_deleted is not None
    assert record.date_deleted == child.date_deleted
    event = AuditEvent.objects.get(action="household.member_removed")
    assert (event.object_id, event.details) == (str(child.pk), {"reason": "entered_in_error", "records": ["Exit"]})
    with pytest.raises(NotFound):  # the household page no longer reaches it
        remove_member(enrollment=child, by=family.by)


def test_the_head_is_removed_only_when_alone(family: Family, pair: Enrolled) -> None:
    before = _state()
    with pytest.raises(HouseholdError) as caught:
        remove_member(enrollment=pair.head, by=family.by)
    assert caught.value.message_dict == {"__all__": ["Make another member head of household before removing the head."]}
    assert _state() == before
    remove_member(enrollment=pair.enrollments[1], by=family.by)
    assert remove_member(enrollment=pair.head, by=family.by) == []
    assert not Enrollment.objects.filter(Q(household_id=pair.household_id), date_deleted__isnull=True).exists()


def test_other_households_are_untouched(world: World, family: Family, pair: Enrolled) -> None:
    other = make.enrollment(family.partner, family.project, entry=date(2026, 3, 2))
    with pytest.raises(HouseholdError):
        change_head(new_head=other, former_head_relationship=3, by=family.by)  # already head of its own household
    assert Enrollment.objects.get(pk=pair.head.pk).relationship_to_hoh == 1


def test_remove_member_who_left_exits_them(family: Family, pair: Enrolled) -> None:
    child = pair.enrollments[1]
    assert remove_member(enrollment=child, exit_date=date(2026, 5, 1), destination=410, by=family.by) == ["Exit"]
    record = Exit.objects.get(enrollment=child)
    assert (record.exit_date, record.destination, record.date_deleted) == (date(2026, 5, 1), 410, None)
    assert Enrollment.objects.get(pk=child.pk).date_deleted is None
    before = _state()
    with pytest.raises(HouseholdError):
        remove_member(enrollment=pair.head, exit_date=date(2026, 5, 1), by=family.by)
    assert _state() == before
