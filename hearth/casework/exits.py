"""Exit household members from a project: HMIS Data Standards FY2026 3.11 Project Exit Date and 3.12
Destination (3.12.A Rental Subsidy Type, 3.12.B Other destination). Members exit on their own dates; when the
head of household leaves while others stay, a new head is designated in the same transaction (3.15).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.casework.enrollments import HouseholdError, head_of, household, live_exits, require_reach, touch
from hearth.casework.households import change_head
from hearth.casework.stamps import stamp
from hearth.hmis.models import Enrollment, Exit
from hearth.spec import current
from hearth.spec.expressions import evaluate


def destination_codes() -> frozenset[int]:
    """List 3.12.1 minus the values HUD says are not destinations (list_rules.csv: 336, 335, 37)."""
    spec = current()
    return frozenset(int(v) for v in spec.allowed_values(spec.record("Exit").column("Destination")))


def subsidy_codes() -> frozenset[int]:
    spec = current()
    return frozenset(int(v) for v in spec.allowed_values(spec.record("Exit").column("DestinationSubsidyType")))


@dataclass(frozen=True)
class Destination:
    """3.12 Destination with its dependent fields, validated against the spec's conditions (conditions.csv):
    DestinationSubsidyType is required exactly when Destination = 435 "Rental by client, with ongoing housing
    subsidy" (3.12.A; Eva 121), OtherDestination exactly when Destination = 17 "Other" (3.12.B, its "specify"
    text; the spec states only the "null unless" half)."""

    destination: int
    subsidy_type: int | None = None
    other: str | None = None

    def check(self) -> None:
        if self.destination not in destination_codes():
            raise HouseholdError("destination", "Choose a destination from HUD's list (3.12.1).")
        if self.subsidy_type is not None and self.subsidy_type not in subsidy_codes():
            raise HouseholdError("destination_subsidy_type", "Choose a rental subsidy type from HUD's list (3.12.A).")
        row = {
            "Destination": self.destination,
            "DestinationSubsidyType": self.subsidy_type,
            "OtherDestination": self.other or None,
        }
        fields = {"DestinationSubsidyType": "destination_subsidy_type", "OtherDestination": "other_destination"}
        for condition in current().conditions_for("Exit"):
            if condition.column not in fields or condition.expression is None:
                continue
            holds = evaluate(condition.expression, row, {}) is True
            present = row[condition.column] is not None
            if condition.rule == "required_if" and holds and not present:
                raise HouseholdError(fields[condition.column], _required[condition.column])
            if condition.rule == "null_unless" and not holds and present:
                raise HouseholdError(fields[condition.column], _not_asked[condition.column])
            # 3.12.B is the "specify" of "Other": when HUD asks it, a blank answer says nothing.
            if condition.rule == "null_unless" and holds and not present and condition.column == "OtherDestination":
                raise HouseholdError(fields[condition.column], _required[condition.column])


_required = {
    "DestinationSubsidyType": "Choose the rental subsidy type: HUD asks it for “Rental by client, with ongoing "
    "housing subsidy” (3.12.A).",
    "OtherDestination": "Describe the destination: HUD asks it when the destination is “Other” (3.12.B).",
}
_not_asked = {
    "DestinationSubsidyType": "Leave the rental subsidy type empty: HUD asks it only for “Rental by client, with "
    "ongoing housing subsidy” (3.12.A).",
    "OtherDestination": "Leave the description empty: HUD asks it only when the destination is “Other” (3.12.B).",
}


@transaction.atomic
def exit_household(
    *,
    enrollments: Sequence[Enrollment],
    exit_date: date,
    destination: int,
    destination_subsidy_type: int | None = None,
    other_destination: str | None = None,
    new_head: Enrollment | None = None,
    former_head_relationship: int | None = None,
    by: Actor,
) -> list[Exit]:
    """Exit some or all members of one household on ``exit_date`` to ``destination``. The exit date is on or
    after each member's start date (3.11: "Project Exit Date must be on or after Project Start Date") and not in
    the future. If the head is among them while other members stay, ``new_head`` (a member who stays) becomes
    head and the former head takes ``former_head_relationship``."""
    if not enrollments:
        raise HouseholdError("members", "Choose at least one household member to exit.")
    where = Destination(destination, destination_subsidy_type, (other_destination or "").strip() or None)
    where.check()
    if exit_date > timezone.localdate():
        raise HouseholdError("exit_date", "Exit date cannot be in the future.")
    require_reach(by, enrollments=[e.pk for e in enrollments])
    members = household(enrollments[0], lock=True)
    by_pk = {m.pk: m for m in members}
    leaving = []
    for enrollment in enrollments:
        member = by_pk.get(enrollment.pk)
        if member is None:
            raise HouseholdError("members", "Everyone exiting together must be in the same household.")
        leaving.append(member)
    exits = live_exits(members)
    if any(m.pk in exits for m in leaving):
        raise HouseholdError("members", "A chosen member has already exited; undo that exit first to change it.")
    late = [m for m in leaving if exit_date < m.entry_date]
    if late:
        latest = max(m.entry_date for m in late)
        raise HouseholdError(
            "exit_date", f"Exit date cannot be before a member’s project start date ({latest:%m/%d/%Y})."
        )
    head = head_of(members)
    staying = [m for m in members if m.pk not in exits and m not in leaving]
    if head in leaving and staying:
        if new_head is None or new_head.pk not in {m.pk for m in staying}:
            raise HouseholdError(
                "new_head", "The head of household is leaving: choose a new head among those who stay."
            )
        if former_head_relationship is None:
            raise HouseholdError("former_head_relationship", "Choose the former head’s relationship to the new head.")
        change_head(new_head=new_head, former_head_relationship=former_head_relationship, by=by)
    created = []
    for member in leaving:
        record = Exit(
            enrollment=member,
            client_id=member.client_id,
            exit_date=exit_date,
            destination=where.destination,
            destination_subsidy_type=where.subsidy_type,
            other_destination=where.other,
            **stamp(by),
        )
        record.full_clean(exclude=["source", "export", "enrollment", "client"])
        record.save()
        created.append(record)
        by.record(
            "enrollment.exited",
            object_type="Enrollment",
            object_id=member.pk,
            exit=record.pk,
            destination=where.destination,
            subsidy_type=where.subsidy_type,
        )
    return created


def exit_client(
    *,
    enrollment: Enrollment,
    exit_date: date,
    destination: int,
    destination_subsidy_type: int | None = None,
    other_destination: str | None = None,
    new_head: Enrollment | None = None,
    former_head_relationship: int | None = None,
    by: Actor,
) -> Exit:
    """Exit one member (``exit_household`` for one enrollment)."""
    return exit_household(
        enrollments=[enrollment],
        exit_date=exit_date,
        destination=destination,
        destination_subsidy_type=destination_subsidy_type,
        other_destination=other_destination,
        new_head=new_head,
        former_head_relationship=former_head_relationship,
        by=by,
    )[0]


@transaction.atomic
def undo_exit(*, exit: Exit, by: Actor) -> Enrollment:
    """Reopen an enrollment whose exit was recorded in error: the Exit is marked deleted (DateDeleted, as the
    HMIS CSV keeps deletions) and the member is active again. A head who was replaced stays a member."""
    require_reach(by, enrollments=[exit.enrollment_id])
    locked = Exit.objects.select_for_update().filter(pk=exit.pk, date_deleted__isnull=True).first()
    if locked is None:
        raise HouseholdError("__all__", "This exit was already undone.")
    locked.date_deleted = timezone.now()
    locked.save(update_fields=["date_deleted", *touch(locked, by)])
    enrollment = Enrollment.objects.get(pk=locked.enrollment_id)
    by.record(
        "enrollment.exit_undone",
        object_type="Enrollment",
        object_id=enrollment.pk,
        exit=locked.pk,
    )
    return enrollment


__all__ = ["Destination", "destination_codes", "exit_client", "exit_household", "subsidy_codes", "undo_exit"]
