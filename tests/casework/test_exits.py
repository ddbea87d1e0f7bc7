"""Exits: 3.11 Project Exit Date, 3.12 Destination with 3.12.A/3.12.B, the head leaving, undo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.casework.enrollments import Enrolled, HouseholdError, enroll_household
from hearth.casework.exits import Destination, destination_codes, exit_client, exit_household, subsidy_codes, undo_exit
from hearth.hmis.models import Enrollment, Exit, Source
from tests.casework.conftest import Family


@pytest.fixture
def three(family: Family) -> Enrolled:
    return enroll_household(
        project=family.project,
        entry_date=date(2026, 3, 2),
        members=[(family.head, 1), (family.child, 2), (family.partner, 3)],
        by=family.by,
    )


def _counts() -> tuple[int, int, list[int | None]]:
    return (
        Exit.objects.filter(date_deleted__isnull=True).count(),
        AuditEvent.objects.count(),
        list(Enrollment.objects.order_by("pk").values_list("relationship_to_hoh", flat=True)),
    )


def test_codes_come_from_the_spec() -> None:
    codes = destination_codes()
    assert {435, 410, 17, 101, 24} <= codes
    assert not {336, 335, 37} & codes  # list_rules.csv: not valid as a destination
    assert subsidy_codes() == {419, 420, 428, 431, 433, 434, 436, 437, 438, 439, 440}


def test_one_member_exits_with_destination_and_subsidy_type(family: Family, three: Enrolled) -> None:
    partner = three.enrollments[2]
    record = exit_client(
        enrollment=partner, exit_date=date(2026, 6, 30), destination=435, destination_subsidy_type=419, by=family.by
    )
    record.refresh_from_db()
    assert (
        record.enrollment_id,
        record.client_id,
        record.exit_date,
        record.destination,
        record.destination_subsidy_type,
    ) == (
        partner.pk,
        family.partner.pk,
        date(2026, 6, 30),
        435,
        419,
    )
    assert (record.other_destination, record.source_id, record.user_id) == (
        None,
        Source.local().pk,
        f"H{family.by.user.pk}",
    )
    event = AuditEvent.objects.get(action="enrollment.exited")
    assert (event.object_id, event.details) == (
        str(partner.pk),
        {"exit": record.pk, "destination": 435, "subsidy_type": 419},
    )


@pytest.mark.parametrize(
    ("destination", "field", "message"),
    [
        (
            Destination(435),
            "destination_subsidy_type",
            "Choose the rental subsidy type: HUD asks it for “Rental by client, with ongoing housing subsidy” "
            "(3.12.A).",
        ),
        (
            Destination(410, subsidy_type=419),
            "destination_subsidy_type",
            "Leave the rental subsidy type empty: HUD asks it only for “Rental by client, with ongoing housing "
            "subsidy” (3.12.A).",
        ),
        (
            Destination(435, subsidy_type=999),
            "destination_subsidy_type",
            "Choose a rental subsidy type from HUD's list (3.12.A).",
        ),
        (
            Destination(17),
            "other_destination",
            "Describe the destination: HUD asks it when the destination is “Other” (3.12.B).",
        ),
        (
            Destination(410, other="a van"),
            "other_destination",
            "Leave the description empty: HUD asks it only when the destination is “Other” (3.12.B).",
        ),
        (Destination(336), "destination", "Choose a destination from HUD's list (3.12.1)."),
        (Destination(37), "destination", "Choose a destination from HUD's list (3.12.1)."),
    ],
)
def test_destination_rules(family: Family, three: Enrolled, destination: Destination, field: str, message: str) -> None:
    before = _counts()
    with pytest.raises(HouseholdError) as caught:
        exit_client(
            enrollment=three.enrollments[2],
            exit_date=date(2026, 6, 30),
            destination=destination.destination,
            destination_subsidy_type=destination.subsidy_type,
            other_destination=destination.other,
            by=family.by,
        )
    assert caught.value.message_dict == {field: [message]}
    assert _counts() == before


def test_other_destination_with_its_description_is_accepted(family: Family, three: Enrolled) -> None:
    record = exit_client(
        enrollment=three.enrollments[2],
        exit_date=date(2026, 6, 30),
        destination=17,
        other_destination="a van",
        by=family.by,
    )
    assert (record.destination, record.other_destination, record.destination_subsidy_type) == (17, "a van", None)


def test_exit_date_on_or_after_entry_and_not_in_the_future(family: Family, three: Enrolled) -> None:
    before = _counts()
    member = three.enrollments[2]
    tomorrow = timezone.localdate() + timedelta(days=1)
    for day, message in (
        (date(2026, 3, 1), {"exit_date": ["Exit date cannot be before a member’s project start date (03/02/2026)."]}),
        (tomorrow, {"exit_date": ["Exit date cannot be in the future."]}),
    ):
        with pytest.raises(HouseholdError) as caught:
            exit_client(enrollment=member, exit_date=day, destination=410, by=family.by)
        assert caught.value.message_dict == message
    assert _counts() == before
    # Exit on the start date itself is allowed (a stay of one day).
    assert exit_client(enrollment=member, exit_date=date(2026, 3, 2), destination=410, by=family.by).exit_date == date(
        2026, 3, 2
    )


def test_the_head_leaving_alone_needs_a_new_head(family: Family, three: Enrolled) -> None:
    head, child, partner = three.enrollments
    before = _counts()
    with pytest.raises(HouseholdError) as caught:
        exit_client(enrollment=head, exit_date=date(2026, 6, 30), destination=410, by=family.by)
    assert list(caught.value.message_dict) == ["new_head"]
    with pytest.raises(HouseholdError) as caught:
        exit_client(enrollment=head, exit_date=date(2026, 6, 30), destination=410, new_head=partner, by=family.by)
    assert list(caught.value.message_dict) == ["former_head_relationship"]
    assert _counts() == before
    exit_client(
        enrollment=head,
        exit_date=date(2026, 6, 30),
        destination=410,
        new_head=partner,
        former_head_relationship=3,
        by=family.by,
    )
    relationships = dict(
        Enrollment.objects.filter(household_id=three.household_id).values_list("pk", "relationship_to_hoh")
    )
    assert relationships == {head.pk: 3, child.pk: 2, partner.pk: 1}
    assert Exit.objects.get(date_deleted__isnull=True).enrollment_id == head.pk
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))[-3:] == [
        "household.head_changed",
        "household.head_changed",
        "enrollment.exited",
    ]


def test_whole_household_exits_together(family: Family, three: Enrolled) -> None:
    records = exit_household(
        enrollments=three.enrollments,
        exit_date=date(2026, 7, 1),
        destination=435,
        destination_subsidy_type=431,
        by=family.by,
    )
    assert sorted((r.enrollment_id, r.exit_date, r.destination, r.destination_subsidy_type) for r in records) == sorted(
        (e.pk, date(2026, 7, 1), 435, 431) for e in three.enrollments
    )
    assert Enrollment.objects.filter(household_id=three.household_id, relationship_to_hoh=1).count() == 1
    before = _counts()
    with pytest.raises(HouseholdError) as caught:  # already exited
        exit_household(enrollments=three.enrollments[:1], exit_date=date(2026, 7, 1), destination=410, by=family.by)
    assert list(caught.value.message_dict) == ["members"]
    assert _counts() == before


def test_members_of_another_household_cannot_exit_together(family: Family, three: Enrolled) -> None:
    other = enroll_household(
        project=family.project, entry_date=date(2026, 3, 2), members=[(family.head, 1)], by=family.by
    )
    before = _counts()
    with pytest.raises(HouseholdError):
        exit_household(
            enrollments=[three.enrollments[2], other.head],
            exit_date=date(2026, 7, 1),
            destination=410,
            by=family.by,
        )
    assert _counts() == before


def test_undo_an_exit_made_in_error(family: Family, three: Enrolled) -> None:
    partner = three.enrollments[2]
    record = exit_client(enrollment=partner, exit_date=date(2026, 6, 30), destination=410, by=family.by)
    reopened = undo_exit(exit=record, by=family.by)
    record.refresh_from_db()
    assert reopened.pk == partner.pk
    assert record.date_deleted is not None
    assert not Exit.objects.filter(enrollment=partner, date_deleted__isnull=True).exists()
    event = AuditEvent.objects.get(action="enrollment.exit_undone")
    assert (event.object_id, event.details) == (str(partner.pk), {"exit": record.pk})
    with pytest.raises(HouseholdError):
        undo_exit(exit=record, by=family.by)
    # A new exit can be recorded after the undo (one live exit per enrollment).
    again = exit_client(enrollment=partner, exit_date=date(2026, 7, 2), destination=410, by=family.by)
    assert again.pk != record.pk
