"""Reports in the application: start a run (it computes in the background), read HUD's tables, follow a number
to the people behind it, download a table as CSV or the Sage upload zip.

Every page answers "not found" to an account without VIEW_REPORTS over every project of the run
(hearth.reports.runs). Client lists go through the guarded lookups; downloads are recorded in the audit trail.
No URL or file name carries a client's data: runs, tables and cells are addressed by id and cell address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hearth.access.lookups import NotFound, can
from hearth.access.roles import Permission
from hearth.audit.actor import Actor
from hearth.reports import registry
from hearth.reports.cells import ReportTable
from hearth.reports.runs import (
    SAGE_FILE,
    RunDeleteError,
    RunRequestError,
    cell_people,
    counted_cells,
    delete_run,
    get_run_for,
    may_delete,
    request_run,
    runs_for,
    stored_tables,
)
from hearth.reports.sage import table_csv
from hearth.web.forms.reports import ReportRunForm

RUNS_PER_PAGE = 25
PEOPLE_PER_PAGE = 100
POLL = "every 2s"


def _require_reports(user: Any) -> None:
    if not can(user, Permission.VIEW_REPORTS):
        raise NotFound("page")


@login_required
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    _require_reports(request.user)
    form = ReportRunForm(request.POST or None, user=request.user, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            run = request_run(
                report=form.cleaned_data["report"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                projects=form.chosen_projects(),
                by=Actor.from_request(request),
                user=request.user,
            )
        except RunRequestError as error:
            form.add_error(None, str(error))
        else:
            return redirect("web:report-run", run_id=run.pk)
    runs = Paginator(runs_for(request.user).prefetch_related("projects"), RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    labels = _labels()
    listed = [(r, labels.get(r.report, r.report)) for r in runs]
    context = {"form": form, "runs": runs, "listed": listed}
    return render(request, "web/reports/index.html", context)


def _labels() -> dict[str, str]:
    registry.discover()
    return {name: r.label for name, r in registry.REPORTS.items()}


def _shown(value: Any, fmt: str) -> str:
    """A cell as a person reads it (the Sage file keeps HUD's decimals)."""
    if value is None:
        return ""
    if fmt == "percent" and isinstance(value, int | float):
        return f"{value * 100:.2f}%"
    if fmt == "money" and isinstance(value, int | float):
        return f"${value:,.2f}"
    if fmt == "days" and isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _grid(table: ReportTable, linked: set[tuple[str, str]]) -> list[dict[str, Any]]:
    rows = []
    for number, label in enumerate(table.rows, start=2):
        cells = []
        for column in table.letters:
            address = f"{column}{number}"
            value = table[address]
            cells.append(
                {
                    "address": address,
                    "text": _shown(value, table.format_of(address)),
                    "linked": (table.name, address) in linked and bool(value),
                }
            )
        rows.append({"label": label, "cells": cells})
    return rows


def _run_context(request: HttpRequest, run: Any) -> dict[str, Any]:
    registry.discover()
    context: dict[str, Any] = {"run": run, "job": run.job, "poll": POLL, "label": _labels().get(run.report, run.report)}
    context["deletable"] = may_delete(request.user, run) and (run.job is None or run.job.finished)
    context["keep_days"] = settings.HEARTH_REPORT_RUN_DAYS
    context["projects"] = list(run.projects.select_related("organization").order_by("project_name"))
    tables = stored_tables(run)
    if tables:
        linked = counted_cells(run)
        chosen = request.GET.get("table")
        names = list(tables)
        context["names"] = names
        context["chosen"] = chosen if chosen in tables else None
        shown = [context["chosen"]] if context["chosen"] else names
        # Plain values for the template: a ReportTable answers any key as a cell address (None when empty).
        context["tables"] = [
            {
                "name": name,
                "title": tables[name].title,
                "columns": tables[name].columns,
                "rows": _grid(tables[name], linked),
            }
            for name in shown
        ]
    return context


@login_required
@require_GET
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    found = get_run_for(request.user, run_id)
    return render(request, "web/reports/run.html", _run_context(request, found))


@login_required
@require_POST
def delete(request: HttpRequest, run_id: int) -> HttpResponse:
    found = get_run_for(request.user, run_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that the run and its tables go for good.")
        return redirect("web:report-run", run_id=found.pk)
    try:
        delete_run(run=found, by=Actor.from_request(request), user=request.user)
    except RunDeleteError as error:
        messages.error(request, str(error))
        return redirect("web:report-run", run_id=found.pk)
    messages.info(request, f"Deleted report run #{run_id}.")
    return redirect("web:reports")


@login_required
@require_GET
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """The part of the run page htmx polls while the job runs; once stored, the page reloads with the tables."""
    found = get_run_for(request.user, run_id)
    response = render(request, "web/reports/_status.html", {**_run_context(request, found), "polled": True})
    if found.stored:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def cell(request: HttpRequest, run_id: int, table: str, address: str) -> HttpResponse:
    found = get_run_for(request.user, run_id)
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    people = cell_people(
        request.user, found, table, address, offset=(number - 1) * PEOPLE_PER_PAGE, limit=PEOPLE_PER_PAGE
    )
    page = Paginator(range(people.people), PEOPLE_PER_PAGE).get_page(number)
    Actor.from_request(request).record(
        "report.cell_viewed",
        object_type="ReportRun",
        object_id=found.pk,
        table=table,
        cell=people.address,
        listed=len(people.shown),
        withheld=people.hidden,
    )
    context = {
        "run": found,
        "label": _labels().get(found.report, found.report),
        "people": people,
        "page": page,
        "may_identify": can(request.user, Permission.VIEW_CLIENTS),
    }
    return render(request, "web/reports/cell.html", context)


def _download(request: HttpRequest, run: Any, what: str) -> None:
    Actor.from_request(request).record("report.downloaded", object_type="ReportRun", object_id=run.pk, file=what)


@login_required
@require_GET
def table_file(request: HttpRequest, run_id: int, table: str) -> HttpResponse:
    found = get_run_for(request.user, run_id)
    tables = stored_tables(found)
    if table not in tables:
        raise NotFound("table")
    _download(request, found, f"{table}.csv")
    response = HttpResponse(table_csv(tables[table]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.report}-{found.pk}-{table}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def sage_file(request: HttpRequest, run_id: int) -> HttpResponseBase:
    found = get_run_for(request.user, run_id)
    path = found.folder() / SAGE_FILE
    if not found.stored or not path.exists():
        raise NotFound("file")
    _download(request, found, SAGE_FILE)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f"{found.report}-{found.pk}-sage-{stamp}.zip")
    response["Cache-Control"] = "no-store"
    return response
