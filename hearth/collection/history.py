"""What has been recorded: the stage records of enrollments (for the profile's Assessments panel) and the
answers of an existing stage assessment (to edit it). Callers pass enrollments they already reached through
the guarded lookups (hearth.access.lookups)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import IntegerField, Value

from hearth.access.lookups import HEALTH_RECORDS
from hearth.collection import fields as form_fields
from hearth.collection.context import AssessmentContext
from hearth.collection.rules import DATA_COLLECTION_STAGE, STAGE_NAMES, START
from hearth.hmis.models import Enrollment
from hearth.hmis.registry import model_for, record_map

STAGE_RECORDS = ("IncomeBenefits", "HealthAndDV", "Disabilities", "EmploymentEducation", "YouthEducationStatus")
_STAGE_BY_CODE = {code: slug for slug, code in DATA_COLLECTION_STAGE.items()}


@dataclass(frozen=True)
class RecordedStage:
    stage: str
    information_date: date

    @property
    def name(self) -> str:
        return STAGE_NAMES[self.stage]


def recorded_stages(
    enrollment_ids: Iterable[int], *, health_ids: Iterable[int] | None = None
) -> dict[int, list[RecordedStage]]:
    """Each enrollment's recorded collection stages and dates, oldest first: one query (a UNION over the stage
    record types and the enrollments), whatever their number.

    ``health_ids``: of those enrollments, the ones whose health records (HealthAndDV, Disabilities) the user may
    read (``lookups.enrollments_for(user, category=HEALTH_DV)``); a stage recorded only in health records of
    another agency's enrollment shared without health is not shown. None: all of them."""
    ids = list(enrollment_ids)
    if not ids:
        return {}
    health = ids if health_ids is None else sorted(set(health_ids) & set(ids))
    parts = [
        model_for(record)
        .objects.filter(  # type: ignore[attr-defined]
            enrollment_id__in=health if record in HEALTH_RECORDS else ids, date_deleted__isnull=True
        )
        .values_list("enrollment_id", "data_collection_stage", "information_date")
        for record in STAGE_RECORDS
    ]
    # A project start with no stage record (a project asking only universal elements) shows in its Enrollment
    # columns: 3.08 Disabling Condition is asked of every client at every project start.
    started = (
        Enrollment.objects.filter(pk__in=ids, disabling_condition__isnull=False)
        .annotate(stage_code=Value(DATA_COLLECTION_STAGE[START], output_field=IntegerField()))
        .values_list("pk", "stage_code", "entry_date")
    )
    found: dict[int, set[tuple[str, date]]] = defaultdict(set)
    for enrollment_id, code, on in parts[0].union(*parts[1:], started):
        if code in _STAGE_BY_CODE:
            found[enrollment_id].add((_STAGE_BY_CODE[code], on))
    order = {slug: n for n, slug in enumerate(DATA_COLLECTION_STAGE)}
    return {
        eid: [RecordedStage(s, d) for s, d in sorted(stages, key=lambda x: (x[1], order[x[0]]))]
        for eid, stages in found.items()
    }


def current_answers(ctx: AssessmentContext) -> dict[str, str]:
    """The answers already recorded for this stage, as form text: Enrollment and Exit columns, and the stage
    records of the same stage (and information date, for updates and annual assessments)."""
    from hearth.collection.actions import _existing_stage_record  # one definition of "the same record"

    enrollment = ctx.enrollment
    answers: dict[str, str] = {}
    rows: dict[Any, Any] = {}
    for f in ctx.fields:
        if f.scope not in rows:
            if f.record == "Enrollment":
                rows[f.scope] = enrollment
            elif f.record == "Exit":
                rows[f.scope] = ctx.exit
            else:
                rows[f.scope] = _existing_stage_record(
                    model_for(f.record),
                    enrollment,
                    ctx.stage,
                    ctx.information_date,
                    f.element.fixed,
                    ctx.anniversary_from,
                )
        row = rows[f.scope]
        if row is None:
            continue
        value = getattr(row, record_map(f.record).by_column(f.column).field)
        if f.checkbox:
            answers[f.key] = "1" if value == 1 else ""
        else:
            answers[f.key] = form_fields.display(value)
    return answers
