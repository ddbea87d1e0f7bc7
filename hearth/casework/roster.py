"""The nightly bed roster of an Emergency Shelter – Night-by-Night project: bed nights (HMIS Data Standards
FY2026 4.14 Bed-night date; Services.csv RecordType 200, TypeProvided 200).

HUD's rules: a bed night is a service record per night stayed; it is recorded only while the enrollment is
open (on or after project start, before the exit date: the night of exit is not stayed); a client has at most
one bed night per night in a project. A night-by-night enrollment is ended per the HMIS Data Standards
("Emergency Shelter – Night-by-Night": exit date is the day after the last bed night) by the exit workflow.

``check_in`` is idempotent: checking in someone already checked in for the night changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.audit.actor import Actor
from hearth.casework.services import BED_NIGHT, ES_NIGHT_BY_NIGHT, within_enrollment
from hearth.hmis.models import Enrollment, Exit, Project, Services, Source

# 4.14: TypeProvided for RecordType 200 is list 4.14, whose only value is 200 (BedNight).
BED_NIGHT_TYPE = 200


def may_stay(night: date, *, entry: date, exit: date | None) -> bool:
    """4.14: a bed night falls on or after project start and before the exit date."""
    return within_enrollment(night, entry=entry, exit=exit, exit_inclusive=False)


def nbn_exit_date(last_bed_night: date) -> date:
    """HMIS Data Standards, ES night-by-night: the exit date is the day after the last bed night."""
    return last_bed_night + timedelta(days=1)


@dataclass
class CheckIn:
    """What a check-in did, by enrollment id."""

    created: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)  # had a bed night for that night already (idempotent)


def _exits(enrollment_ids: Sequence[int]) -> dict[int, date]:
    exits: dict[int, date] = {}
    for enrollment_id, exit_date in Exit.objects.filter(
        enrollment_id__in=enrollment_ids, date_deleted__isnull=True
    ).values_list("enrollment_id", "exit_date"):
        exits[enrollment_id] = min(exit_date, exits.get(enrollment_id, exit_date))
    return exits


def _check_project(project: Project, night: date) -> None:
    if project.project_type != ES_NIGHT_BY_NIGHT:
        raise ValidationError({"project": "Only Emergency Shelter – Night-by-Night projects record bed nights."})
    if night > timezone.localdate():
        raise ValidationError({"night": "Bed nights cannot be recorded for a future night."})


@transaction.atomic
def check_in(*, project: Project, night: date, enrollments: Sequence[Enrollment], by: Actor) -> CheckIn:
    """Record one bed night for each enrollment for ``night`` (all or nothing).

    Every enrollment must be in ``project`` and open that night; an enrollment whose client already has a
    bed night in the project that night is left as it is (one bed night per client per night per project).
    """
    _check_project(project, night)
    ids = sorted({e.pk for e in enrollments})
    # Lock the enrollments: two check-ins of the same person at the same moment write one bed night.
    locked = list(Enrollment.objects.select_for_update().filter(pk__in=ids, date_deleted__isnull=True).order_by("pk"))
    if len(locked) != len(ids) or any(e.project_id != project.pk for e in locked):
        raise ValidationError({"enrollments": "Someone chosen is not enrolled in this project."})
    exits = _exits(ids)
    closed = [e.pk for e in locked if not may_stay(night, entry=e.entry_date, exit=exits.get(e.pk))]
    if closed:
        message = f"{len(closed)} chosen are not enrolled on that night (before project start or after exit)."
        raise ValidationError({"enrollments": message})
    clients = {e.client_id for e in locked}
    stayed = set(
        Services.objects.filter(
            client_id__in=clients,
            enrollment__project_id=project.pk,
            record_type=BED_NIGHT,
            date_provided=night,
            date_deleted__isnull=True,
        ).values_list("client_id", flat=True)
    )
    result = CheckIn()
    now = timezone.now()
    user_id = hmis_user_id(by.user)
    source = Source.local()
    new: list[Services] = []
    for enrollment in locked:
        if enrollment.client_id in stayed:
            result.already.append(enrollment.pk)
            continue
        stayed.add(enrollment.client_id)
        new.append(
            Services(
                source=source,
                hud_id=uuid.uuid4().hex,
                enrollment_id=enrollment.pk,
                client_id=enrollment.client_id,
                date_provided=night,
                record_type=BED_NIGHT,
                type_provided=BED_NIGHT_TYPE,
                date_created=now,
                date_updated=now,
                user_id=user_id,
            )
        )
        result.created.append(enrollment.pk)
    Services.objects.bulk_create(new)
    if new:
        by.record(
            "bed_night.checked_in",
            object_type="Project",
            object_id=project.pk,
            night=night.isoformat(),
            enrollments=result.created,
        )
    return result


@transaction.atomic
def undo_check_in(*, project: Project, night: date, enrollments: Sequence[Enrollment], by: Actor) -> list[int]:
    """Withdraw the bed nights of ``night`` for these enrollments (a mistaken check-in): marked deleted, as
    the HMIS CSV records deletions. Returns the enrollments whose bed night was withdrawn."""
    ids = sorted({e.pk for e in enrollments if e.project_id == project.pk})
    list(Enrollment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    rows = Services.objects.filter(
        enrollment_id__in=ids, record_type=BED_NIGHT, date_provided=night, date_deleted__isnull=True
    )
    withdrawn = sorted(set(rows.values_list("enrollment_id", flat=True)))
    if withdrawn:
        now = timezone.now()
        rows.update(date_deleted=now, date_updated=now, user_id=hmis_user_id(by.user))
        by.record(
            "bed_night.withdrawn",
            object_type="Project",
            object_id=project.pk,
            night=night.isoformat(),
            enrollments=withdrawn,
        )
    return withdrawn
