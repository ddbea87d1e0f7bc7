"""Client rights: a client's record exported on request, correction requests, and the HMIS Lead's retention page
(hearth.rights; docs/adr/0016-client-rights-and-retention.md).

Every page reads through guarded lookups and answers "not found" alike for missing and not allowed. Downloads
are POSTed or addressed by job, never by a name; they are audited and sent ``no-store``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.access.lookups import NotFound, get_client_for, may_for_client
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.hmis.models import Client
from hearth.jobs.models import Job
from hearth.jobs.queue import cancel
from hearth.jobs.registry import KINDS
from hearth.rights import exports, retention
from hearth.rights.corrections import (
    CorrectionError,
    answering_organizations,
    corrections_for,
    decide_correction_request,
    get_correction_for,
    record_correction_request,
)
from hearth.rights.job_kinds import RETENTION, request_retention
from hearth.rights.models import Element, Outcome, RetentionRun, RunMode
from hearth.web.forms.rights import CorrectionForm, DecisionForm
from hearth.web.panels import panel

PANEL_ROWS = 10
PER_PAGE = 50
POLL = "every 2s"


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "no-store"
    return response


# -- the profile panel ------------------------------------------------------------------------------------


@panel("rights", template="web/rights/_panel.html", order=90)
def rights_panel(request: HttpRequest, client: Client) -> dict[str, Any] | None:
    may_export = may_for_client(request.user, client.pk, exports.EXPORT_PERMISSION)
    requests = list(
        corrections_for(request.user)
        .filter(client_id=client.pk)
        .select_related("organization")
        .order_by("-requested_on", "-pk")[:PANEL_ROWS]
    )
    if not may_export and not requests:
        return None
    return {
        "client": client,
        "may_export": may_export,
        "may_request": may_export and bool(answering_organizations(request.user, client)),
        "corrections": requests,
        "limit": PANEL_ROWS,
    }


# -- the client's record ----------------------------------------------------------------------------------


@login_required
@require_POST
def record_export(request: HttpRequest, client_id: int) -> HttpResponseBase:
    client = get_client_for(request.user, client_id, exports.EXPORT_PERMISSION)
    fmt = request.POST.get("format", "")
    if fmt not in exports.FORMATS:
        raise NotFound("format")
    by = Actor.from_request(request)
    if exports.estimate(request.user, client) > exports.inline_rows():
        job = exports.request_record_export(client=client, fmt=fmt, by=by)
        messages.info(request, "This record is large: it is being prepared, and this page shows when it is ready.")
        return redirect("web:rights-job", job_id=job.pk)
    made = exports.export_record(client=client, fmt=fmt, by=by)
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return _no_store(response)


# -- correction requests ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def correction_new(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id, Permission.EDIT_CLIENTS)
    organizations = answering_organizations(request.user, client)
    if not organizations:
        raise NotFound("client")
    form = CorrectionForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    chosen = request.POST.get("organization") or str(organizations[0].pk)
    organization = next((o for o in organizations if str(o.pk) == chosen), None)
    if request.method == "POST" and organization is None:
        form.add_error(None, "Choose one of your organizations.")
    if request.method == "POST" and organization is not None and form.is_valid():
        try:
            found = record_correction_request(
                client=client,
                organization=organization,
                requested_on=form.cleaned_data["requested_on"],
                elements=form.cleaned_data["elements"],
                request=form.cleaned_data["request"],
                by=Actor.from_request(request),
            )
        except CorrectionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "The correction request is recorded. Make the change, then record the outcome.")
            return redirect("web:correction", correction_id=found.pk)
    context = {"client": client, "form": form, "organizations": organizations, "chosen": chosen}
    return render(request, "web/rights/correction_new.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, correction_id: int) -> HttpResponse:
    found = get_correction_for(request.user, correction_id, Permission.VIEW_CLIENTS)
    may_decide = (
        found.outcome == Outcome.PENDING
        and may_for_client(request.user, found.client_id, Permission.EDIT_CLIENTS)
        and found.organization_id in reach(request.user, Permission.EDIT_CLIENTS).origin_organizations
    )
    form = DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()}) if may_decide else None
    if request.method == "POST":
        if form is None:
            raise NotFound("correction request")
        if form.is_valid():
            try:
                decide_correction_request(
                    correction=found,
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                    decided_on=form.cleaned_data["decided_on"],
                    by=Actor.from_request(request),
                )
            except CorrectionError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, "The outcome is recorded.")
                return redirect("web:correction", correction_id=found.pk)
    Actor.from_request(request).record("correction.viewed", object_type="CorrectionRequest", object_id=found.pk)
    labels = dict(Element.choices)
    context = {
        "correction": found,
        "elements": [labels.get(e, e) for e in found.elements],
        "form": form,
        "may_edit_client": may_for_client(request.user, found.client_id, Permission.EDIT_CLIENTS),
        "may_audit": may_for_client(request.user, found.client_id, Permission.VIEW_AUDIT),
    }
    return render(request, "web/rights/correction.html", context, status=400 if form and form.errors else 200)


@login_required
@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    """The agency's correction requests (each organization the user's client reach covers)."""
    if reach(request.user, Permission.VIEW_CLIENTS).empty:
        raise NotFound("page")
    shown = request.GET.get("outcome", Outcome.PENDING)
    found = corrections_for(request.user).select_related("organization")
    if shown in Outcome.values:
        found = found.filter(outcome=shown)
    else:
        shown = ""
    pages = Paginator(found.order_by("requested_on", "pk"), PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    Actor.from_request(request).record("correction.list_viewed", outcome=shown or "all", results=pages.count)
    return render(
        request,
        "web/rights/corrections.html",
        {
            "page": page,
            "shown": shown,
            "outcomes": Outcome.choices,
            "may_retention": retention.may_run_retention(request.user),
        },
    )


# -- retention (the HMIS Lead) ----------------------------------------------------------------------------


def _require_lead(user: Any) -> None:
    if not retention.may_run_retention(user):
        raise NotFound("page")


def _runs_for(user: Any) -> Any:
    """Runs of the user's own CoCs (a run covers one Lead's CoCs; command-line runs cover all and show to none)."""
    mine = reach(user, Permission.MANAGE_CONTINUUM).continuums
    return [
        r
        for r in RetentionRun.objects.exclude(continuums=[]).order_by("-started_at", "-pk")[:200]
        if set(r.continuums) <= mine
    ]


def _get_run_for(user: Any, run_id: Any) -> RetentionRun:
    found = next((r for r in _runs_for(user) if str(r.pk) == str(run_id)), None)
    if found is None:
        raise NotFound("run")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def retention_page(request: HttpRequest) -> HttpResponse:
    _require_lead(request.user)
    if request.method == "POST":
        job = request_retention(mode=RunMode.DRY_RUN, by=Actor.from_request(request))
        return redirect("web:rights-job", job_id=job.pk)
    runs = _runs_for(request.user)
    applied = {r.based_on_id for r in runs if r.mode == RunMode.APPLY}
    years = retention.retention_years()
    context = {
        "runs": runs[:25],
        "applied": applied,
        "years": years,
        "cutoff": retention.cutoff_for(timezone.localdate(), years),
        "jobs": _jobs_for(request.user, (RETENTION,)).filter(state__in=["queued", "running"]),
    }
    return render(request, "web/rights/retention.html", context)


@login_required
@require_POST
def retention_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    _require_lead(request.user)
    run = _get_run_for(request.user, run_id)
    if run.mode != RunMode.DRY_RUN or run.finished_at is None:
        raise NotFound("run")
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that you reviewed the list.")
        return redirect("web:retention")
    job = request_retention(mode=RunMode.APPLY, dry_run_id=run.pk, by=Actor.from_request(request))
    return redirect("web:rights-job", job_id=job.pk)


@login_required
@require_GET
def retention_list(request: HttpRequest, run_id: int) -> HttpResponseBase:
    _require_lead(request.user)
    run = _get_run_for(request.user, run_id)
    if run.mode != RunMode.DRY_RUN:
        raise NotFound("run")
    Actor.from_request(request).record("retention.list_downloaded", object_type="RetentionRun", object_id=run.pk)
    response = StreamingHttpResponse(retention.candidates_csv(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="retention-dry-run-{run.pk}.csv"'
    return _no_store(response)


# -- the jobs of this area --------------------------------------------------------------------------------


def _jobs_for(user: Any, kinds: tuple[str, ...]) -> Any:
    return Job.objects.filter(requested_by_id=user.pk, kind__in=kinds)


def _get_job_for(user: Any, job_id: Any) -> Job:
    """The user's own job of this area, while they still may do what it does (as the data-exchange pages)."""
    try:
        pk = int(job_id)
    except (TypeError, ValueError):
        raise NotFound("job") from None
    job = _jobs_for(user, (exports.KIND, RETENTION)).filter(pk=pk).first()
    if job is None:
        raise NotFound("job")
    if job.kind == RETENTION and not retention.may_run_retention(user):
        raise NotFound("job")
    if job.kind == exports.KIND and not may_for_client(
        user, int(job.parameters.get("client", 0)), exports.EXPORT_PERMISSION
    ):
        raise NotFound("job")
    return job


def _job_context(job: Job) -> dict[str, Any]:
    if job.kind == exports.KIND:
        exports.remove_if_expired(job)
    return {
        "job": job,
        "kind": KINDS.get(job.kind),
        "poll": POLL,
        "is_record": job.kind == exports.KIND,
        "download": job.kind == exports.KIND and job.finished and job.file_path("record") is not None,
        "until": exports.available_until(job) if job.kind == exports.KIND else None,
        "run": job.result.get("run"),
    }


@login_required
@require_GET
def rights_job(request: HttpRequest, job_id: int) -> HttpResponse:
    found = _get_job_for(request.user, job_id)
    return render(request, "web/rights/job.html", _job_context(found))


@login_required
@require_GET
def rights_job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    found = _get_job_for(request.user, job_id)
    return render(request, "web/rights/_job_status.html", {**_job_context(found), "polled": True})


@login_required
@require_POST
def rights_job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    found = _get_job_for(request.user, job_id)
    cancel(job=found, by=Actor.from_request(request))
    return redirect("web:rights-job", job_id=found.pk)


@login_required
@require_GET
def rights_job_file(request: HttpRequest, job_id: int) -> HttpResponseBase:
    found = _get_job_for(request.user, job_id)
    if found.kind == exports.KIND:
        exports.remove_if_expired(found)
    path = found.file_path("record") if found.kind == exports.KIND and found.finished else None
    if path is None or not path.exists():
        raise NotFound("file")
    fmt = str(found.parameters.get("format"))
    Actor.from_request(request).record(
        "job.file_downloaded",
        object_type="Job",
        object_id=found.pk,
        kind=found.kind,
        client=found.parameters.get("client"),
    )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=str(found.result.get("filename") or f"client-record.{fmt}"),
        content_type=exports.FORMATS.get(fmt, "application/octet-stream"),
    )
    return _no_store(response)
