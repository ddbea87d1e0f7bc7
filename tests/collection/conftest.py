from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from hearth.collection import fields as form_fields
from hearth.collection.context import AssessmentContext
from hearth.hmis.models import Funder, Project, Source
from tests import factories as make

_ids = itertools.count(1)


def funder(project: Project, code: int, *, start: date = date(2020, 1, 1), end: date | None = None) -> Funder:
    now = timezone.now()
    return Funder.objects.create(
        source=Source.local(),
        hud_id=f"F{next(_ids)}",
        project=project,
        funder=code,
        grant_id="G1",
        start_date=start,
        end_date=end,
        date_created=now,
        date_updated=now,
        user_id="T1",
    )


def complete(ctx: AssessmentContext, **overrides: Any) -> dict[str, Any]:
    """Valid answers to every question asked: "No" where HUD's list has it, else the first answer."""
    answers: dict[str, Any] = {}
    for f in ctx.fields:
        if f.required:
            codes = [v for v, _ in f.choices]
            answers[f.key] = 0 if 0 in codes else codes[0]
    answers.update(overrides)
    return answers


@pytest.fixture
def psh(db: Any) -> dict[str, Any]:
    org = make.organization("Harbor House")
    project = make.project("Harbor PSH", org, project_type=3)
    funder(project, 2)
    head = make.client("Maria", "Lopez", dob=date(1987, 3, 14))
    child = make.client("Luz", "Lopez", dob=date(2016, 7, 1))
    enrollment = make.enrollment(head, project, entry=date(2025, 3, 10), household="HH1")
    child_enrollment = make.enrollment(child, project, entry=date(2025, 3, 10), household="HH1", relationship=2)
    return {"org": org, "project": project, "enrollment": enrollment, "child": child_enrollment}


__all__ = ["complete", "form_fields", "funder"]
