"""Record a stage assessment: the one write path for the answers of project start, update, annual assessment,
exit and post-exit (HMIS Data Standards FY2026 5.03 Data Collection Stage).

Answers go where HUD's HMIS CSV keeps them: Enrollment.csv and Exit.csv columns of the enrollment, and one
record per stage in IncomeBenefits, HealthAndDV, EmploymentEducation and YouthEducationStatus (and one per
disability type in Disabilities), each with its DataCollectionStage and InformationDate. Project start, exit
and each annual assessment have one record per enrollment (re-recording edits it); updates have one per
information date.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.audit.actor import Actor
from hearth.audit.log import record_changes
from hearth.collection import fields as form_fields
from hearth.collection import quality
from hearth.collection.context import AssessmentContext, context_for
from hearth.collection.models import Draft
from hearth.collection.quality import ANNUAL_WINDOW_DAYS, Issue
from hearth.collection.rules import ANNUAL, DATA_COLLECTION_STAGE, STAGES, UPDATE
from hearth.hmis.models import Enrollment
from hearth.hmis.registry import model_for, record_map

# Records with one row per collection stage (HMIS CSV FY2026: DataCollectionStage column).
STAGE_RECORDS = ("IncomeBenefits", "HealthAndDV", "Disabilities", "EmploymentEducation", "YouthEducationStatus")


class AssessmentError(ValueError):
    """The answers have errors; nothing was written."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} answer(s) need correcting")
        self.issues = issues


@dataclass
class Recorded:
    context: AssessmentContext
    created: list[str] = field(default_factory=list)  # "IncomeBenefits", "Disabilities[5]" …
    updated: list[str] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def _field_name(record: str, column: str) -> str:
    return record_map(record).by_column(column).field


def _existing_stage_record(
    model: type[models.Model],
    enrollment: Enrollment,
    stage: str,
    on: date,
    fixed: Mapping[str, int],
    anniversary_from: date | None = None,
) -> Any:
    stage_code = DATA_COLLECTION_STAGE[stage]
    rows = model.objects.filter(  # type: ignore[attr-defined]
        enrollment=enrollment,
        data_collection_stage=stage_code,
        date_deleted__isnull=True,
        **{_field_name(model.HUD_RECORD, c): v for c, v in fixed.items()},  # type: ignore[attr-defined]
    ).order_by("information_date", "pk")
    if stage == UPDATE:
        return rows.filter(information_date=on).first()
    if stage == ANNUAL:
        # One annual assessment per anniversary: the one whose date falls in the same ±30-day window.
        anniversary = quality.nearest_anniversary(anniversary_from or enrollment.entry_date, on)
        if abs((on - anniversary).days) > ANNUAL_WINDOW_DAYS:
            # Outside any window (a data-quality warning): it replaces nothing but itself.
            return rows.filter(information_date=on).first()
        for row in rows:
            if abs((row.information_date - anniversary).days) <= ANNUAL_WINDOW_DAYS:
                return row
        return None
    return rows.first()


@transaction.atomic
def record_assessment(
    *,
    enrollment: Enrollment,
    stage: str,
    information_date: date | None,
    answers: Mapping[str, Any],
    by: Actor,
    other_enrollments: list[tuple[date, date | None]] | None = None,
) -> Recorded:
    """Validate and write one person's assessment at one stage; raises AssessmentError (nothing written)
    when any answer has an error. ``answers`` are typed values by field key (hearth.collection.fields)."""
    if stage not in STAGES:
        raise ValueError(f"unknown collection stage {stage!r}")
    locked = Enrollment.objects.select_for_update().select_related("client", "project").get(pk=enrollment.pk)
    today = timezone.localdate()
    ctx = context_for(locked, stage, information_date=information_date, today=today)
    fields = ctx.fields
    values = {f.key: answers.get(f.key) for f in fields}
    shown = form_fields.visibility(fields, values, project_type=ctx.project_type)
    issues = quality.review(
        fields=fields,
        values=values,
        shown=shown,
        stage=stage,
        information_date=information_date,
        entry_date=locked.entry_date,
        exit_date=ctx.exit.exit_date if ctx.exit else None,
        move_in_date=locked.move_in_date,
        other_enrollments=other_enrollments or [],
        today=today,
        anniversary_from=ctx.anniversary_from,
    )
    problems = quality.errors(issues)
    if problems:
        raise AssessmentError(problems)
    assert information_date is not None  # checked by information_date_rules

    # A question not asked (its condition does not hold) is written empty, so no stale answer survives.
    written = form_fields.effective(fields, values, shown)
    now = timezone.now()
    user_id = hmis_user_id(by.user)
    result = Recorded(context=ctx, warnings=[i for i in issues if i.severity == quality.WARNING])
    changes: dict[str, tuple[Any, Any]] = {}

    by_scope: dict[tuple[str, tuple[tuple[str, int], ...]], list[form_fields.Field]] = {}
    for f in fields:
        by_scope.setdefault(f.scope, []).append(f)

    for (record, fixed_items), scope_fields in by_scope.items():
        fixed = dict(fixed_items)
        label = record + (f"[{fixed['DisabilityType']}]" if "DisabilityType" in fixed else "")
        if record in ("Enrollment", "Exit"):
            target: Any = locked if record == "Enrollment" else ctx.exit
            if target is None:
                raise AssessmentError(
                    [Issue(quality.FORM, quality.ERROR, "Record the exit before the exit assessment.", "3.11")]
                )
            changed = []
            for f in scope_fields:
                name = _field_name(record, f.column)
                if getattr(target, name) != written[f.key]:
                    changes[f"{record}.{f.column}"] = (getattr(target, name), written[f.key])
                    setattr(target, name, written[f.key])
                    changed.append(name)
            if changed:
                target.date_updated, target.user_id = now, user_id
                target.full_clean(exclude=["source", "export", "client", "project", "enrollment"])
                target.save(update_fields=[*changed, "date_updated", "user_id"])
                result.updated.append(label)
            continue
        if record not in STAGE_RECORDS:
            raise ValueError(f"{record} is not written by an assessment")
        model = model_for(record)
        row = _existing_stage_record(model, locked, stage, information_date, fixed, ctx.anniversary_from)
        is_new = row is None
        if is_new:
            row = model(
                source=locked.source,
                hud_id=uuid.uuid4().hex,
                enrollment=locked,
                client=locked.client,
                data_collection_stage=DATA_COLLECTION_STAGE[stage],
                date_created=now,
            )
            for column, value in fixed.items():
                setattr(row, _field_name(record, column), value)
        old_date = None if is_new else row.information_date
        if old_date != information_date:
            changes[f"{label}.InformationDate"] = (old_date, information_date)
        row.information_date = information_date
        for f in scope_fields:
            name = _field_name(record, f.column)
            old = None if is_new else getattr(row, name)
            if old != written[f.key]:
                changes[f"{label}.{f.column}"] = (old, written[f.key])
            setattr(row, name, written[f.key])
        row.date_updated, row.user_id = now, user_id
        row.full_clean(exclude=["source", "export", "client", "enrollment"])
        row.save()
        (result.created if is_new else result.updated).append(label)

    event = by.record(
        "assessment.recorded",
        object_type="Enrollment",
        object_id=locked.pk,
        client=locked.client_id,
        stage=stage,
        information_date=information_date.isoformat(),
        created=result.created,
        updated=result.updated,
        warnings=len(result.warnings),
    )
    record_changes(event, changes)
    # The draft has done its work: what the worker typed is now the record.
    if by.user is not None:
        Draft.objects.filter(user=by.user, enrollment_id=locked.pk, stage=stage).delete()
    return result


def save_draft(
    *, user: Any, enrollment: Enrollment, stage: str, answers: Mapping[str, str], revision: int | None = None
) -> Draft:
    """Keep what the worker has typed so far (raw text, as typed, encrypted at rest). Not audited: a draft is
    not in the HMIS until it is recorded, and it is visible only to its author.

    ``revision`` is the browser's edit clock for an autosave: a save older than the one kept is ignored (the
    answers it carries are a subset in time of the kept ones). A save without one (a submitted form) always
    writes."""
    if stage not in STAGES:
        raise ValueError(f"unknown collection stage {stage!r}")
    now = timezone.now()
    with transaction.atomic():
        # Two autosaves may race (a debounced save and a submit): one row per user, enrollment and stage.
        draft, _ = Draft.objects.select_for_update().get_or_create(
            user=user, enrollment_id=enrollment.pk, stage=stage, defaults={"saved_at": now}
        )
        if revision is not None and revision < draft.revision:
            return draft
        draft.answers = {k: str(v) for k, v in answers.items()}
        draft.saved_at = now
        if revision is not None:
            draft.revision = revision
        draft.save(update_fields=["sealed", "saved_at", "revision"])
    return draft


def draft_for(*, user: Any, enrollment: Enrollment, stage: str) -> Draft | None:
    return Draft.objects.filter(user=user, enrollment_id=enrollment.pk, stage=stage).first()


def discard_draft(*, user: Any, enrollment: Enrollment, stage: str) -> None:
    Draft.objects.filter(user=user, enrollment_id=enrollment.pk, stage=stage).delete()
