"""Stage assessments: project start, update, annual assessment, exit and post-exit for one household member.

The questions come from HUD's collection rules as data (hearth.collection): nothing here names an element.
While the worker types, the form is autosaved as a draft (htmx, debounced) and checked; the server answers
with the data-quality prompts of each question and which follow-up questions are asked now. Saving goes
through hearth.collection.actions.record_assessment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access.lookups import NotFound, enrollments_for, exits_for, get_enrollment_for
from hearth.access.roles import Permission
from hearth.audit.actor import Actor
from hearth.collection import fields as form_fields
from hearth.collection import quality
from hearth.collection.actions import AssessmentError, discard_draft, draft_for, record_assessment, save_draft
from hearth.collection.context import AssessmentContext, context_for
from hearth.collection.history import current_answers, recorded_stages
from hearth.collection.rules import DATA_COLLECTION_STAGE, STAGE_NAMES, STAGE_TITLES, STAGES
from hearth.consent.models import Category
from hearth.hmis.models import Client, Enrollment
from hearth.web.enrollment_sections import enrollment_section
from hearth.web.panels import panel

INFO_DATE = "information_date"


@dataclass
class Question:
    field: form_fields.Field
    value: str
    shown: bool
    issue: quality.Issue | None

    @property
    def id(self) -> str:
        return f"f-{self.field.key}"


def _enrollment(request: HttpRequest, enrollment_id: int, stage: str) -> Enrollment:
    if stage not in STAGES:
        raise NotFound("page")
    return get_enrollment_for(request.user, enrollment_id, Permission.ENROLL)


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _others(request: HttpRequest, enrollment: Enrollment) -> list[tuple[date, date | None]]:
    """The client's other enrollments in projects of the same type that this user may see (an enrollment
    hidden from the user is not hinted at)."""
    others = list(
        enrollments_for(request.user, Permission.ENROLL)
        .filter(client_id=enrollment.client_id, project__project_type=enrollment.project.project_type)
        .exclude(pk=enrollment.pk)
        .values_list("pk", "entry_date")
    )
    if not others:
        return []
    exits = dict(
        exits_for(request.user, Permission.ENROLL)
        .filter(enrollment_id__in=[pk for pk, _ in others])
        .values_list("enrollment_id", "exit_date")
    )
    return [(entry, exits.get(pk)) for pk, entry in others]


@dataclass
class Review:
    ctx: AssessmentContext
    raw: dict[str, str]
    values: dict[str, Any]
    shown: dict[str, bool]
    issues: list[quality.Issue]
    information_date: date | None


def _review(request: HttpRequest, enrollment: Enrollment, stage: str, raw: dict[str, str]) -> Review:
    today = timezone.localdate()
    information_date = _parse_date(raw.get(INFO_DATE))
    ctx = context_for(enrollment, stage, information_date=information_date, today=today)
    values, parse_errors = form_fields.parse_all(ctx.fields, raw)
    shown = form_fields.visibility(ctx.fields, values, project_type=ctx.project_type)
    issues = quality.review(
        fields=ctx.fields,
        values=values,
        shown=shown,
        stage=stage,
        information_date=information_date,
        entry_date=enrollment.entry_date,
        exit_date=ctx.exit.exit_date if ctx.exit else None,
        move_in_date=enrollment.move_in_date,
        other_enrollments=_others(request, enrollment),
        today=today,
        anniversary_from=ctx.anniversary_from,
    )
    # A value that could not be read is the first thing to fix in its question.
    unreadable = [quality.Issue(k, quality.ERROR, m, "") for k, m in parse_errors.items() if shown.get(k, True)]
    keys = {i.key for i in unreadable}
    issues = [*unreadable, *[i for i in issues if i.key not in keys]]
    return Review(ctx, raw, values, shown, issues, information_date)


def _submitted(request: HttpRequest, ctx_fields: list[form_fields.Field]) -> dict[str, str]:
    keys = {f.key for f in ctx_fields} | {INFO_DATE}
    return {k: str(request.POST.get(k, "")) for k in keys if k in request.POST}


def _questions(review: Review, *, only: set[str] | None = None) -> list[tuple[Any, list[Question]]]:
    by_key = {i.key: i for i in review.issues}
    return [
        (
            form.element,
            [
                Question(f, review.raw.get(f.key, ""), review.shown[f.key], by_key.get(f.key))
                for f in form.fields
                if only is None or f.key in only
            ],
        )
        for form in review.ctx.forms
    ]


def _members(request: HttpRequest, enrollment: Enrollment) -> list[Enrollment]:
    """The household's members in this project that the user may assess, head of household first."""
    members = list(
        enrollments_for(request.user, Permission.ENROLL)
        .filter(household_id=enrollment.household_id, project_id=enrollment.project_id, source_id=enrollment.source_id)
        .select_related("client")
        .order_by("relationship_to_hoh", "pk")
    )
    return sorted(members, key=lambda e: (e.relationship_to_hoh != 1, e.relationship_to_hoh or 99, e.pk))


def _back(enrollment: Enrollment) -> str:
    try:
        return reverse("web:enrollment", kwargs={"enrollment_id": enrollment.pk})
    except NoReverseMatch:
        return reverse("web:client", kwargs={"client_id": enrollment.client_id})


def _render(request: HttpRequest, enrollment: Enrollment, stage: str, review: Review, **extra: Any) -> HttpResponse:
    members = _members(request, enrollment)
    position = next((n for n, m in enumerate(members) if m.pk == enrollment.pk), 0)
    context = {
        "enrollment": enrollment,
        "client": enrollment.client,
        "stage": stage,
        "stage_name": STAGE_NAMES[stage],
        "stage_title": STAGE_TITLES[stage],
        "stage_code": DATA_COLLECTION_STAGE[stage],
        "review": review,
        "elements": _questions(review),
        "form_issues": [i for i in review.issues if i.key == quality.FORM],
        "date_issue": next((i for i in review.issues if i.key == INFO_DATE), None),
        "information_date": review.raw.get(INFO_DATE) or review.ctx.information_date.isoformat(),
        "members": members if len(members) > 1 else [],
        "next_member": members[position + 1] if position + 1 < len(members) else None,
        "back": _back(enrollment),
        "exit": review.ctx.exit,
        **extra,
    }
    return render(request, "web/assessments/assessment.html", context, status=extra.pop("status", 200))


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, enrollment_id: int, stage: str) -> HttpResponse:
    enrollment = _enrollment(request, enrollment_id, stage)
    actor = Actor.from_request(request)
    today = timezone.localdate()
    if request.method == "POST" and request.POST.get("action") == "discard":
        discard_draft(user=request.user, enrollment=enrollment, stage=stage)
        messages.info(request, "Draft discarded.")
        return redirect("web:assessment", enrollment_id=enrollment.pk, stage=stage)
    if request.method == "POST":
        first = context_for(enrollment, stage, information_date=_parse_date(request.POST.get(INFO_DATE)), today=today)
        raw = _submitted(request, first.fields)
        review = _review(request, enrollment, stage, raw)
        if not quality.errors(review.issues):
            try:
                recorded = record_assessment(
                    enrollment=enrollment,
                    stage=stage,
                    information_date=review.information_date,
                    answers=review.values,
                    by=actor,
                    other_enrollments=_others(request, enrollment),
                )
            except AssessmentError as rejected:
                review.issues = [*rejected.issues, *review.issues]
            else:
                warnings = len(recorded.warnings)
                note = f" with {warnings} data-quality warning{'s' if warnings != 1 else ''}" if warnings else ""
                messages.success(request, f"{STAGE_TITLES[stage]} saved{note}.")
                following = request.POST.get("next_member")
                if following and following.isdigit():
                    return redirect("web:assessment", enrollment_id=int(following), stage=stage)
                return redirect(_back(enrollment))
        # Nothing the worker typed is lost: it is kept as a draft and shown again with the problems.
        draft = save_draft(user=request.user, enrollment=enrollment, stage=stage, answers=raw)
        actor.record("client.viewed", object_type="Client", object_id=enrollment.client_id, page=f"assessment-{stage}")
        return _render(request, enrollment, stage, review, draft=draft, submitted=True, status=400)

    kept = draft_for(user=request.user, enrollment=enrollment, stage=stage)
    answers = kept.answers if kept is not None else {}
    restored = bool(answers)
    if restored:
        raw = {k: str(v) for k, v in answers.items()}
    else:
        base = context_for(enrollment, stage, information_date=None, today=today)
        raw = current_answers(base)
        raw[INFO_DATE] = base.information_date.isoformat()
    review = _review(request, enrollment, stage, raw)
    # Questions after the last one answered are not flagged yet: the worker has not reached them.
    _hold_back_unreached(review, _last_answered(review))
    actor.record("client.viewed", object_type="Client", object_id=enrollment.client_id, page=f"assessment-{stage}")
    return _render(request, enrollment, stage, review, draft=kept if restored else None, restored=restored)


def _last_answered(review: Review) -> int:
    order = [f.key for f in review.ctx.fields]
    answered = [n for n, key in enumerate(order) if review.raw.get(key, "").strip()]
    return answered[-1] if answered else -1


def _hold_back_unreached(review: Review, reached: int) -> None:
    """Drop "not answered" prompts for questions after position ``reached`` in the form."""
    position = {f.key: n for n, f in enumerate(review.ctx.fields)}
    review.issues = [
        i for i in review.issues if not (i.kind == "missing" and position.get(i.key, len(position)) > reached)
    ]


@login_required
@require_POST
def autosave(request: HttpRequest, enrollment_id: int, stage: str) -> HttpResponse:
    """Keep what was typed as a draft and answer with each question's prompt and which questions are asked
    (htmx, debounced). Questions left empty after the one being answered are not flagged yet."""
    enrollment = _enrollment(request, enrollment_id, stage)
    today = timezone.localdate()
    first = context_for(enrollment, stage, information_date=_parse_date(request.POST.get(INFO_DATE)), today=today)
    raw = _submitted(request, first.fields)
    sent = request.headers.get("X-Hearth-Revision", "")
    revision = int(sent) if sent.isdigit() and len(sent) < 16 else None
    draft = save_draft(user=request.user, enrollment=enrollment, stage=stage, answers=raw, revision=revision)
    review = _review(request, enrollment, stage, raw)
    order = [f.key for f in review.ctx.fields]
    trigger = request.headers.get("X-Hearth-Field", "")
    _hold_back_unreached(review, max(order.index(trigger) if trigger in order else -1, _last_answered(review)))
    context = {
        "draft": draft,
        "elements": _questions(review),
        "form_issues": [i for i in review.issues if i.key == quality.FORM],
        "date_issue": next((i for i in review.issues if i.key == INFO_DATE), None),
    }
    response = render(request, "web/assessments/_autosave.html", context)
    response["HX-Trigger"] = json.dumps({"hearth:shown": review.shown})
    return response


def _health_readable(request: HttpRequest, ids: list[int]) -> list[int]:
    """Of these enrollments, those whose health records the user may read (another agency's: only under a
    release sharing health; hearth.access.lookups.enrollment_records_for)."""
    readable = enrollments_for(request.user, category=Category.HEALTH_DV).filter(pk__in=ids)
    return list(readable.values_list("pk", flat=True))


@panel("assessments", template="web/assessments/_panel.html", order=20)
def assessments_panel(request: HttpRequest, client: Client) -> dict[str, Any] | None:
    """Each visible enrollment's recorded stages, with links to assess where the user may (ENROLL): two
    queries whatever the number of enrollments (and the user's reach, computed once per request)."""
    enrollments = list(
        enrollments_for(request.user)
        .filter(client_id=client.pk)
        .annotate(
            may_assess=Exists(enrollments_for(request.user, Permission.ENROLL).filter(pk=OuterRef("pk"))),
            # Health records of another agency's enrollment count only under a release sharing health.
            health_readable=Exists(
                enrollments_for(request.user, category=Category.HEALTH_DV).filter(pk=OuterRef("pk"))
            ),
            exited=Exists(exits_for(request.user).filter(enrollment_id=OuterRef("pk"))),
        )
        .select_related("project")
        .only("entry_date", "project__project_name")  # HUD's rows are wide: read what the panel shows
        .order_by("-entry_date", "-pk")
    )
    if not enrollments:
        return None
    recorded = recorded_stages([e.pk for e in enrollments], health_ids=[e.pk for e in enrollments if e.health_readable])
    rows = []
    for e in enrollments:
        stages = [s for s in STAGES if s not in ("exit", "post-exit") or e.exited]
        links = [(STAGE_NAMES[s], reverse("web:assessment", args=[e.pk, s])) for s in stages] if e.may_assess else []
        rows.append({"enrollment": e, "recorded": recorded.get(e.pk, []), "links": links})
    return {"rows": rows}


@enrollment_section("assessment-records", template="web/assessments/_enrollment_section.html", order=20)
def recorded_section(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """This member's recorded stage assessments, each opening the stage page (to review or correct)."""
    ids = [enrollment.pk]
    recorded = recorded_stages(ids, health_ids=_health_readable(request, ids)).get(enrollment.pk, [])
    if not recorded:
        return None
    may_assess = enrollments_for(request.user, Permission.ENROLL).filter(pk=enrollment.pk).exists()
    return {
        "rows": [
            (r, reverse("web:assessment", args=[enrollment.pk, r.stage]) if may_assess else None) for r in recorded
        ],
    }
