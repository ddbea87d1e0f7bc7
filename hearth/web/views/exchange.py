"""Data exchange: the HMIS Lead uploads an HMIS CSV export or starts one; the work runs as a background job.

The pages only enqueue and read (hearth/jobs). Every page answers "not found" to an account without
IMPORT_EXPORT, and a job only to the account that requested it. Exports and reports hold client data: their
downloads are recorded in the audit trail, and no page or URL names a client.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.access.lookups import NotFound
from hearth.audit.actor import Actor
from hearth.jobs.access import exports_everything, get_job_for, jobs_for, require_exchange
from hearth.jobs.conf import upload_max_bytes
from hearth.jobs.exchange import EXPORT, IMPORT, REPORT_COLUMNS, report_page, request_export, request_import
from hearth.jobs.models import Job
from hearth.jobs.queue import cancel
from hearth.jobs.registry import KINDS
from hearth.web.forms.exchange import ExportForm, UploadForm

ISSUES_PER_PAGE = 100
JOBS_PER_PAGE = 25
# Files a page may hand out, with the name the browser saves them under.
DOWNLOADS = {"report": "import-{pk}-problems.csv", "export": "hmis-csv-export-{pk}.zip"}
POLL = "every 2s"


@login_required
@require_GET
def exchange(request: HttpRequest) -> HttpResponse:
    require_exchange(request.user)
    jobs = Paginator(jobs_for(request.user).order_by("-created_at", "-id"), JOBS_PER_PAGE)
    page = jobs.get_page(request.GET.get("page"))
    return render(request, "web/exchange/index.html", {"jobs": page, "kinds": KINDS})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    require_exchange(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = request_import(
            uploads=form.cleaned_data["export"],
            source_name=form.cleaned_data["source"],
            by=Actor.from_request(request),
        )
        return redirect("web:job", job_id=job.pk)
    return render(request, "web/exchange/upload.html", {"form": form, "limit": upload_max_bytes()})


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    require_exchange(request.user)
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = request_export(options=form.options(), by=Actor.from_request(request))
        return redirect("web:job", job_id=job.pk)
    context = {"form": form, "everything": exports_everything(request.user)}
    return render(request, "web/exchange/export.html", context)


def _job_context(request: HttpRequest, job: Job) -> dict[str, Any]:
    context: dict[str, Any] = {"job": job, "kind": KINDS.get(job.kind), "poll": POLL, "IMPORT": IMPORT}
    if job.finished and job.kind == IMPORT:
        context["issues"] = _issues(request, job)
        counts = job.result.get("counts", {})
        context["counts"] = [(record, c) for record, c in counts.items() if c.get("received") or c.get("swept")]
    if job.finished and job.kind == EXPORT:
        context["counts"] = [(record, n) for record, n in job.result.get("counts", {}).items()]
    context["downloads"] = [
        role
        for role in DOWNLOADS
        if job.finished
        and job.file_path(role) is not None
        # A clean import's report has a header and nothing else: no link to it.
        and not (role == "report" and not job.result.get("issue_rows"))
    ]
    return context


def _issues(request: HttpRequest, job: Job) -> Any:
    """One page of the problem report (every row of every kind), read from the CSV the job wrote."""
    path = job.file_path("report")
    total = int(job.result.get("issue_rows", 0))
    if path is None or not path.exists() or not total:
        return None
    pages = Paginator(range(total), ISSUES_PER_PAGE)
    page = pages.get_page(request.GET.get("page"))
    rows = report_page(path, offset=page.start_index() - 1, limit=ISSUES_PER_PAGE)
    return {"page": page, "rows": rows, "columns": REPORT_COLUMNS}


@login_required
@require_GET
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    require_exchange(request.user)
    found = get_job_for(request.user, job_id)
    return render(request, "web/exchange/job.html", _job_context(request, found))


@login_required
@require_GET
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """The part of the job page htmx polls while the job runs; the final answer carries the result."""
    require_exchange(request.user)
    found = get_job_for(request.user, job_id)
    return render(request, "web/exchange/_status.html", {**_job_context(request, found), "polled": True})


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    require_exchange(request.user)
    found = get_job_for(request.user, job_id)
    if cancel(job=found, by=Actor.from_request(request)):
        messages.info(request, "Cancelled." if found.finished else "Asked the job to stop; it stops at its next step.")
    else:
        messages.info(request, "The job had already finished.")
    return redirect("web:job", job_id=found.pk)


@login_required
@require_GET
def job_file(request: HttpRequest, job_id: int, role: str) -> HttpResponseBase:
    """A job's report or export, to its requester only; every download is recorded (exports hold client data)."""
    require_exchange(request.user)
    found = get_job_for(request.user, job_id)
    path = found.file_path(role) if role in DOWNLOADS and found.finished else None
    if path is None or not path.exists():
        raise NotFound("file")
    details: dict[str, Any] = {"kind": found.kind, "file": role}
    if found.kind == EXPORT:
        details["export_id"] = found.result.get("export_id", "")
        details["hashed"] = bool(found.result.get("hashed"))
    Actor.from_request(request).record("job.file_downloaded", object_type="Job", object_id=found.pk, **details)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=DOWNLOADS[role].format(pk=found.pk))
    response["Cache-Control"] = "no-store"
    return response
