"""Change a household after it was enrolled: members who join later, relationships, the head of household, and
enrollments entered in error. HMIS Data Standards FY2026 3.10 Project Start Date, 3.15 Relationship to Head of
Household, 5.09 Household ID.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.log import record_changes
from hearth.casework.enrollments import (
    HEAD,
    HouseholdError,
    check_entry_date,
    check_relationship,
    head_of,
    household,
    keep_vsp_records_apart,
    live_exits,
    require_reach,
    touch,
)
from hearth.casework.stamps import stamp
from hearth.hmis.models import Client, Enrollment
from hearth.hmis.registry import hud_models


@transaction.atomic
def add_member(
    *, household_of: Enrollment, client: Client, relationship: int, entry_date: date, by: Actor
) -> Enrollment:
    """A person joins an enrolled household with their own Project Start Date, never before the head's (3.10:
    "household members who join later have their own start date"). The head changes only through
    ``change_head``."""
    check_relationship(relationship)
    if relationship == HEAD:
        raise HouseholdError("relationship", "The household already has a head; use “Change head of household”.")
    members = household(household_of, lock=True)
    require_reach(by, project=household_of.project, clients=[client.pk], enrollments=[household_of.pk])
    keep_vsp_records_apart(household_of.project, [client.pk], field="client")
    head = head_of(members)
    check_entry_date(project=household_of.project, entry_date=entry_date)
    if entry_date < head.entry_date:
        raise HouseholdError(
            "entry_date",
            f"A member’s project start date cannot be before the head of household’s ({head.entry_date:%m/%d/%Y}).",
        )
    exits = live_exits(members)
    if any(m.client_id == client.pk and m.pk not in exits for m in members):
        raise HouseholdError("client", "This person is already an active member of the household.")
    if head.pk in exits:
        raise HouseholdError("__all__", "The head of household has exited; choose a new head before adding members.")
    enrollment = Enrollment(
        client=client,
        project=household_of.project,
        entry_date=entry_date,
        household_id=household_of.household_id,
        relationship_to_hoh=relationship,
        enrollment_coc=head.enrollment_coc,
        **stamp(by),
    )
    enrollment.full_clean(exclude=["source", "export", "client", "project"])
    enrollment.save()
    by.record(
        "household.member_added",
        object_type="Enrollment",
        object_id=enrollment.pk,
        head=head.pk,
        relationship=relationship,
    )
    return enrollment


@transaction.atomic
def set_relationship(*, enrollment: Enrollment, relationship: int, by: Actor) -> bool:
    """Correct a member's 3.15 relationship. Who is head changes only through ``change_head``, so the
    household keeps exactly one. Returns whether anything changed."""
    check_relationship(relationship)
    require_reach(by, enrollments=[enrollment.pk])
    members = household(enrollment, lock=True)
    locked = next((m for m in members if m.pk == enrollment.pk), None)
    if locked is None:
        raise HouseholdError("__all__", "This enrollment is no longer part of the household.")
    if locked.relationship_to_hoh == HEAD or relationship == HEAD:
        raise HouseholdError("relationship", "To change the head of household, use “Change head of household”.")
    if locked.relationship_to_hoh == relationship:
        return False
    old = locked.relationship_to_hoh
    locked.relationship_to_hoh = relationship
    locked.save(update_fields=["relationship_to_hoh", *touch(locked, by)])
    event = by.record("household.relationship_changed", object_type="Enrollment", object_id=locked.pk)
    record_changes(event, {"relationship_to_hoh": (old, relationship)})
    return True


@transaction.atomic
def change_head(*, new_head: Enrollment, former_head_relationship: int, by: Actor) -> Enrollment:
    """Make ``new_head`` the head of household and give the former head ``former_head_relationship``, in one
    swap so the household always has exactly one head (3.15). Needed when the head leaves and others stay; the
    new head must still be in the project. Returns the former head's enrollment."""
    check_relationship(former_head_relationship, field="former_head_relationship")
    if former_head_relationship == HEAD:
        raise HouseholdError("former_head_relationship", "Choose the former head’s relationship to the new head.")
    require_reach(by, enrollments=[new_head.pk])
    members = household(new_head, lock=True)
    former = head_of(members)
    chosen = next((m for m in members if m.pk == new_head.pk), None)
    if chosen is None or chosen.pk == former.pk:
        raise HouseholdError("new_head", "Choose a household member other than the current head.")
    if chosen.pk in live_exits([chosen]):
        raise HouseholdError("new_head", "The new head of household must not have exited the project.")
    changes = {
        former.pk: (former, former_head_relationship),
        chosen.pk: (chosen, HEAD),
    }
    for row, relationship in changes.values():
        old = row.relationship_to_hoh
        row.relationship_to_hoh = relationship
        fields = ["relationship_to_hoh", *touch(row, by)]
        if row is chosen and not row.enrollment_coc and former.enrollment_coc:
            row.enrollment_coc = former.enrollment_coc  # 3.16 is collected for the head of household
            fields.append("enrollment_coc")
        row.save(update_fields=fields)
        event = by.record(
            "household.head_changed",
            object_type="Enrollment",
            object_id=row.pk,
            new_head=chosen.pk,
            former_head=former.pk,
        )
        record_changes(event, {"relationship_to_hoh": (old, relationship)})
    return former


@transaction.atomic
def remove_member(
    *,
    enrollment: Enrollment,
    by: Actor,
    exit_date: date | None = None,
    destination: int | None = None,
    destination_subsidy_type: int | None = None,
) -> list[str]:
    """Take a member out of the household. A person who did stay and has left is exited (give ``exit_date``
    and ``destination``; see ``exits.exit_client``). Without them, the enrollment was entered in error (a
    person who never was in the household): HMIS CSV marks it with DateDeleted, never removes it, and the
    records hanging off it (its exit, income, services…) go with it. The head can be removed only when alone,
    or after another member was made head. Returns the record types exited or deleted."""
    if exit_date is not None or destination is not None:
        from hearth.casework.exits import exit_client

        if exit_date is None or destination is None:
            raise HouseholdError("exit_date", "Give both the exit date and the destination to exit a member.")
        exit_client(
            enrollment=enrollment,
            exit_date=exit_date,
            destination=destination,
            destination_subsidy_type=destination_subsidy_type,
            by=by,
        )
        return ["Exit"]
    require_reach(by, enrollments=[enrollment.pk])
    members = household(enrollment, lock=True)
    locked = next((m for m in members if m.pk == enrollment.pk), None)
    if locked is None:
        raise HouseholdError("__all__", "This enrollment was already removed.")
    if locked.relationship_to_hoh == HEAD and len(members) > 1:
        raise HouseholdError("__all__", "Make another member head of household before removing the head.")
    now = timezone.now()
    deleted = []
    for model in hud_models():
        names = {f.name for f in model._meta.get_fields()}
        if model is Enrollment or "enrollment" not in names or "date_deleted" not in names:
            continue
        rows: Any = model._default_manager.filter(**{"enrollment_id": locked.pk, "date_deleted__isnull": True})
        count = rows.update(date_deleted=now, date_updated=now)
        if count:
            deleted.append(model.HUD_RECORD)
    locked.date_deleted = now
    locked.save(update_fields=["date_deleted", *touch(locked, by)])
    by.record(
        "household.member_removed",
        object_type="Enrollment",
        object_id=locked.pk,
        reason="entered_in_error",
        records=deleted,
    )
    return deleted
