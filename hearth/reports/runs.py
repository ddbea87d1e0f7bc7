"""Report runs in the application: who may run which report on which projects, who may read a run, and whom
behind a number they may identify.

- Running a report and reading its tables take VIEW_REPORTS over every project of the run (aggregate numbers
  only: the CoC analyst's role). A run is readable by anyone holding that reach, not only its requester, so an
  agency's colleagues read the same frozen numbers.
- The people behind a number are listed through the guarded lookups (hearth.access.lookups): a client the
  reader may not identify (no VIEW_CLIENTS over them, no consent to share) is counted, never named; reads of
  clients reached only through sharing go to their disclosure log.
- Runs read Hearth's database by database ids (``load_database(database_keys=True)``), so a member's
  PersonalID is the client's record id whatever source the record came from.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from hearth.access import dv
from hearth.access.lookups import NotFound, can, drilldown_clients_for, projects_for
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.hmis.models import Client, Project
from hearth.jobs.models import FINISHED
from hearth.jobs.queue import enqueue
from hearth.reports import registry
from hearth.reports.cells import ReportResult, ReportTable, read_cell_members, split_address
from hearth.reports.models import ReportRun, ReportRunProject
from hearth.reports.params import ParamsError, ReportParams
from hearth.reports.sage import write_sage
from hearth.reports.tables import Progress, load_database

REPORT_JOB = "report"
SAGE_FILE = "sage.zip"


class RunRequestError(ValueError):
    """The request cannot make a run (unknown report, no project, a project out of reach, dates): readable."""


def reportable_projects(user: Any) -> QuerySet[Project]:
    """Projects the user may report on (VIEW_REPORTS), by agency and name."""
    return (
        projects_for(user, Permission.VIEW_REPORTS)
        .select_related("organization")
        .order_by("organization__organization_name", "project_name", "pk")
    )


def runs_for(user: Any) -> QuerySet[ReportRun]:
    """Runs whose every project is within the user's VIEW_REPORTS reach."""
    scope = reach(user, Permission.VIEW_REPORTS)
    if scope.empty:
        return ReportRun.objects.none()
    outside = ReportRunProject.objects.filter(run=OuterRef("pk")).exclude(project_id__in=scope.projects)
    return ReportRun.objects.filter(~Exists(outside)).select_related("job")


def get_run_for(user: Any, run_id: Any) -> ReportRun:
    try:
        pk = int(run_id)
    except (TypeError, ValueError):
        raise NotFound("report run") from None
    run = runs_for(user).filter(pk=pk).first()
    if run is None:
        raise NotFound("report run")
    return run


class RunDeleteError(ValueError):
    """The run cannot be deleted now (its job has not finished): readable."""


def may_delete(user: Any, run: ReportRun) -> bool:
    """Who may delete a run they can see: whoever asked for it, and the HMIS Lead (MANAGE_CONTINUUM)."""
    return bool(run.requested_by_id is not None and run.requested_by_id == user.pk) or can(
        user, Permission.MANAGE_CONTINUUM
    )


def delete_run(*, run: ReportRun, by: Actor, user: Any) -> None:
    """Delete a run and its frozen result (HUD's tables and the people behind every cell), audited.

    ``run`` comes from ``get_run_for(user, …)``; a user who may see it but not delete it gets NotFound, as for a
    run out of reach, so the answer says nothing about whose runs exist."""
    if not may_delete(user, run):
        raise NotFound("report run")
    if run.job is not None and run.job.state not in FINISHED:
        raise RunDeleteError("This run is still being computed; delete it once it has finished.")
    _remove(run)
    by.record("report.deleted", object_type="ReportRun", object_id=run.pk, report=run.report)


def remove_expired_runs(now: dt.datetime | None = None) -> int:
    """Delete runs older than HEARTH_REPORT_RUN_DAYS (0: keep them): their results list the people behind every
    number, which nobody should keep longer than the reporting needs. The worker runs this with its hourly
    housekeeping; one audit event records how many went."""
    days = int(getattr(settings, "HEARTH_REPORT_RUN_DAYS", 0))
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    # Whatever its job's state: a job still queued or running after so long is abandoned.
    expired = ReportRun.objects.filter(created_at__lt=cutoff)
    removed = []
    for run in expired.order_by("pk"):
        _remove(run)
        removed.append(run.pk)
    if removed:
        Actor(user=None, name="retention").record(
            "report.expired", object_type="ReportRun", runs=len(removed), days=days, first=removed[0], last=removed[-1]
        )
    return len(removed)


def _remove(run: ReportRun) -> None:
    folder = run.folder()
    pk = run.pk
    with transaction.atomic():
        ReportRun.objects.filter(pk=pk).delete()
    # The files go after the row: a crash in between leaves a folder no run points to, never a run without its
    # result that claims to be stored.
    shutil.rmtree(folder, ignore_errors=True)


@transaction.atomic
def request_run(
    *, report: str, start: dt.date, end: dt.date, projects: Sequence[Project], by: Actor, user: Any
) -> ReportRun:
    """Record a run and queue its job. ``user`` is whose reach decides (the signed-in account)."""
    registry.discover()
    if report not in registry.REPORTS:
        raise RunRequestError("Choose a report from the list.")
    if not projects:
        raise RunRequestError("Choose at least one project.")
    allowed = set(reportable_projects(user).filter(pk__in=[p.pk for p in projects]).values_list("pk", flat=True))
    if len(allowed) != len({p.pk for p in projects}):
        raise RunRequestError("One of the chosen projects is not one you may report on.")
    try:
        ReportParams.create(start=start, end=end, projects=[str(p.pk) for p in projects])
    except ParamsError as error:
        raise RunRequestError(str(error)) from None
    run = ReportRun.objects.create(
        report=report, start=start, end=end, requested_by=by.user, requested_by_name=by.name[:150]
    )
    ReportRunProject.objects.bulk_create(ReportRunProject(run=run, project_id=pk) for pk in sorted(allowed))
    run.job = enqueue(REPORT_JOB, parameters={"run": run.pk}, by=by)
    run.save(update_fields=["job"])
    by.record(
        "report.requested",
        object_type="ReportRun",
        object_id=run.pk,
        report=report,
        projects=len(allowed),
        start=start.isoformat(),
        end=end.isoformat(),
    )
    return run


def compute(run: ReportRun, progress: Progress) -> ReportResult:
    """Read the run's input, compute the report and store the frozen result (the job's work; safe to repeat)."""
    registry.discover()
    spec = registry.get(run.report)
    ids = [str(pk) for pk in run.run_projects.order_by("project_id").values_list("project_id", flat=True)]

    def reading(stage: str, done: int, total: int) -> None:
        progress(stage, int(50 * done / total) if total else 0, 100)

    def computing(stage: str, done: int, total: int) -> None:
        progress(stage, 50 + (int(45 * done / total) if total else 0), 100)

    tables = load_database(projects=ids, progress=reading, database_keys=True)
    params = ReportParams.create(start=run.start, end=run.end, projects=ids)
    result = spec.run(tables, params, computing)
    progress("Storing the result", 95, 100)
    folder = run.folder()
    result.save(folder)
    write_sage(result, folder / SAGE_FILE)
    run.finished_at = timezone.now()
    run.tables = list(result.tables)
    run.people = int(result.members["PersonalID"].n_unique()) if result.members.height else 0
    run.save(update_fields=["finished_at", "tables", "people"])
    return result


def result_of(run: ReportRun) -> ReportResult | None:
    """The whole stored result, members included (large for a CoC-wide run: pages read ``stored_tables``)."""
    return ReportResult.load(run.folder()) if run.stored else None


def stored_tables(run: ReportRun) -> dict[str, ReportTable]:
    """The run's tables in HUD's order, without the members behind them."""
    if not run.stored:
        return {}
    data = json.loads((run.folder() / "result.json").read_text(encoding="utf-8"))
    tables = [ReportTable.from_dict(t) for t in data["tables"]]
    return {t.name: t for t in tables}


def counted_cells(run: ReportRun) -> set[tuple[str, str]]:
    """(table, address) of every cell with people behind it: the numbers that link to a client list."""
    if not run.stored:
        return set()
    cells = pl.scan_parquet(run.folder() / "members.parquet").select("table", "column", "row").unique().collect()
    return {(t, f"{c}{r}") for t, c, r in cells.iter_rows()}


@dataclass(frozen=True)
class CellPeople:
    table: str
    title: str
    label: str  # the row's label and the column's header
    address: str
    people: int  # distinct clients behind the cell
    enrollments: int
    page_ids: list[int]  # this page's client ids, in id order
    shown: list[Client]  # those of this page the reader may identify
    hidden: int  # those of this page the reader may not


def _cell_label(table: ReportTable, column: str, row: int) -> str:
    header = table.columns[table.letters.index(column)] if column in table.letters else column
    label = table.rows[row - 2] if 2 <= row < len(table.rows) + 2 else str(row)
    return f"{label} · {header}"


def cell_people(user: Any, run: ReportRun, table: str, address: str, *, offset: int, limit: int) -> CellPeople:
    """One page of the people behind a cell. Unknown tables and cells answer "not found"."""
    tables = stored_tables(run)
    if table not in tables:
        raise NotFound("cell")
    try:
        column, row = split_address(address)
    except ValueError:
        raise NotFound("cell") from None
    members = read_cell_members(run.folder(), table, f"{column}{row}")
    if members.height == 0:
        raise NotFound("cell")
    ids = sorted({int(pk) for pk in members["PersonalID"].unique().to_list()})
    page_ids = ids[offset : offset + limit]
    listable = set(page_ids)
    if table in dv.REPORT_TABLES:
        # A cell counting DV answers (4.11) names only people whose answers the reader may read: those recorded
        # by a project the reader's role reaches, whatever consent to share says (docs/adr/0013).
        on_page = members.filter(pl.col("PersonalID").cast(pl.Int64).is_in(page_ids))
        readable = dv.readable_enrollments(user, [int(e) for e in on_page["EnrollmentID"].to_list()])
        listable = {int(p) for p, e in on_page.iter_rows() if int(e) in readable}
    shown: list[Client] = []
    if can(user, Permission.VIEW_CLIENTS) and listable:
        visible = drilldown_clients_for(user, sorted(listable))
        shown = list(visible.only("pk", "first_name", "last_name", "dob").order_by("pk"))
    return CellPeople(
        table=table,
        title=tables[table].title,
        label=_cell_label(tables[table], column, row),
        address=f"{column}{row}",
        people=len(ids),
        enrollments=int(members["EnrollmentID"].n_unique()),
        page_ids=page_ids,
        shown=shown,
        hidden=len(page_ids) - len(shown),
    )
