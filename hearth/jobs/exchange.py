"""HMIS CSV import and export as background jobs, and the actions that request them from a page.

The work itself is the exchange layer's (``import_export``, ``export_hmis``: HMIS CSV FY2026, see
docs/adr/0002-hmis-csv-exchange.md); this module keeps the uploaded file and the results in the job's folder,
feeds the exchange layer's progress into the job, and turns its outcome into a readable summary. Both kinds
are safe to run again: an import is one transaction (importing the same export twice changes nothing), an
export writes a ``.partial`` file and renames it only when complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path, PurePath
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.exchange.exporter import ExportOptionError, ExportOptions, export_hmis
from hearth.exchange.importer import import_export
from hearth.exchange.issues import IssueLog
from hearth.exchange.models import ImportRun, RunStatus
from hearth.jobs.models import Job, relative_to_work
from hearth.jobs.queue import enqueue
from hearth.jobs.registry import Outcome, Progress, Refused, job_kind

IMPORT, EXPORT = "import", "export"
# Kinds of problem listed on the page with their first rows; the CSV report holds every row.
_KINDS_SHOWN = 200
_EXAMPLE_ROWS = 5
REPORT_COLUMNS = ("severity", "file", "row", "column", "value", "rule", "message", "eva_check")


class Upload(Protocol):
    """What Django's UploadedFile offers and we use (read only: a protocol's plain attribute would also promise
    that it can be set, which django-stubs do not declare for ``size``)."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


def plain_name(name: str | None) -> str:
    """The file's own name, never a client's path (browsers may send one)."""
    return PurePath((name or "").replace("\\", "/")).name[:200] or "upload"


# -- actions (the write path the pages call) ------------------------------------------------------------


@transaction.atomic
def request_import(*, uploads: Sequence[Upload], source_name: str = "", by: Actor) -> Job:
    """Keep the uploaded export (a zip, or an unzipped export's CSV files put into one) and queue its import."""
    names = [plain_name(u.name) for u in uploads]
    label = names[0] if len(names) == 1 else f"{len(names)} CSV files"
    job = enqueue(IMPORT, parameters={"filename": label, "source": source_name.strip()[:180]}, by=by)
    folder = job.folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "upload.zip"
        partial = folder / "upload.zip.partial"
        if len(uploads) == 1 and names[0].lower().endswith(".zip"):
            with partial.open("wb") as out:
                for chunk in uploads[0].chunks():
                    out.write(chunk)
        else:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for upload, name in zip(uploads, names, strict=True):
                    with archive.open(name, "w") as member:
                        for chunk in upload.chunks():
                            member.write(chunk)
        partial.replace(target)
        job.files = {"upload": relative_to_work(target)}
        job.save(update_fields=["files"])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return job


@transaction.atomic
def request_export(*, options: ExportOptions, by: Actor) -> Job:
    return enqueue(EXPORT, parameters={"options": options.as_json()}, by=by)


# -- the kinds -----------------------------------------------------------------------------------------


@job_kind(IMPORT, label="HMIS CSV import", max_attempts=2)
def run_import(job: Job, progress: Progress) -> Outcome:
    upload = job.file_path("upload")
    if upload is None or not upload.exists():
        raise Refused("The uploaded file is no longer on the server (finished jobs' files are removed after a while).")
    _close_interrupted_run(job)
    run = ImportRun.objects.create(
        filename=str(job.parameters.get("filename", upload.name))[:255],
        actor=job.requested_by_name or "worker",
        actor_id=job.requested_by_id,
    )
    # Recorded at once, so a retry after a crash can close this run (see _close_interrupted_run).
    Job.objects.filter(pk=job.pk).update(result={"import_run": run.pk})
    try:
        outcome = import_export(
            path=upload,
            actor=run.actor,
            actor_id=run.actor_id,
            source_name=job.parameters.get("source") or None,
            report_dir=job.folder(),
            progress=one_bar(progress),
            run=run,
        )
    except BaseException:
        ImportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), message="Stopped before it finished."
        )
        raise
    summary: dict[str, Any] = {
        "import_run": run.pk,
        "errors": outcome.log.errors,
        "warnings": outcome.log.warnings,
        "counts": {record: counts.as_dict() for record, counts in outcome.counts.items()},
        "source": outcome.source.name if outcome.source is not None else "",
        "kinds": issue_kinds(outcome.log),
    }
    files = {}
    if outcome.report_path is not None and outcome.report_path.exists():
        files["report"] = relative_to_work(outcome.report_path)
        summary["issue_rows"] = count_report_rows(outcome.report_path)
    files["upload"] = job.files["upload"]
    return Outcome(message=outcome.message, ok=outcome.ok, summary=summary, files=files)


_BAR = 1000


def one_bar(progress: Progress) -> Progress:
    """The importer reports each phase from zero (checking: bytes read; writing: records written); the page
    shows one bar, checking its first half and writing (and the after-import steps) its second."""

    reached = 0  # the bar never moves back (after-import steps report each step from zero)

    def report(stage: str, done: int, total: int) -> None:
        nonlocal reached
        fraction = min(1.0, done / total) if total else 1.0
        writing = not stage.startswith("Checking")
        reached = max(reached, int(_BAR * (0.5 * writing + 0.5 * fraction)))
        progress(stage, reached, _BAR)

    return report


def _close_interrupted_run(job: Job) -> None:
    previous = (job.result or {}).get("import_run")
    if previous:
        ImportRun.objects.filter(pk=previous, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), message="Interrupted; the import was retried."
        )


@job_kind(EXPORT, label="HMIS CSV export")
def run_export(job: Job, progress: Progress) -> Outcome:
    options = export_options(job.parameters.get("options", {}))
    out = job.folder() / f"hmis-csv-export-{job.pk}.zip"
    try:
        outcome = export_hmis(
            out=out,
            actor=job.requested_by_name or "worker",
            actor_id=job.requested_by_id,
            options=options,
            progress=progress,
        )
    except ExportOptionError as exc:
        raise Refused(f"The export was not written: {exc}") from None
    total = sum(outcome.counts.values())
    summary = {
        "export_run": outcome.run.pk,
        "export_id": outcome.export.hud_id,
        "counts": outcome.counts,
        "stripped": outcome.stripped,
        "hashed": options.hashed,
        "records": total,
    }
    message = f"Wrote an HMIS CSV FY2026 export of {total:,} records (ExportID {outcome.export.hud_id})."
    return Outcome(message=message, summary=summary, files={"export": relative_to_work(out)})


def export_options(saved: dict[str, Any]) -> ExportOptions:
    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return ExportOptions(
        start=day(saved.get("start")),
        end=day(saved.get("end")),
        period_type=int(saved.get("period_type", 4)),
        directive=int(saved.get("directive", 2)),
        hashed=bool(saved.get("hashed", False)),
        organizations=tuple(saved.get("organizations", ())),
        projects=tuple(saved.get("projects", ())),
        sources=tuple(saved.get("sources", ())),
        organization_keys=tuple(int(k) for k in saved.get("organization_keys", ())),
        project_keys=tuple(int(k) for k in saved.get("project_keys", ())),
    )


# -- reading results -----------------------------------------------------------------------------------


def issue_kinds(log: IssueLog) -> list[dict[str, Any]]:
    """One entry per kind of problem (file, column, rule) with its count and first rows, for the page."""
    kinds = []
    for kind in log.kinds()[:_KINDS_SHOWN]:
        rows: list[int] = []
        message = ""
        for frame in kind.frames:
            if not message and frame.height:
                message = str(frame["message"][0])
            rows += [r for r in frame["row"].to_list() if r is not None][: _EXAMPLE_ROWS - len(rows)]
            if len(rows) >= _EXAMPLE_ROWS:
                break
        kinds.append(
            {
                "severity": str(kind.severity),
                "file": kind.file,
                "column": kind.column,
                "rule": kind.rule,
                "eva_check": kind.eva_id,
                "message": message,
                "count": kind.count,
                "rows": rows,
            }
        )
    return kinds


def count_report_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return max(0, sum(1 for _ in csv.reader(handle)) - 1)


def report_page(path: Path, *, offset: int, limit: int) -> list[dict[str, str]]:
    """Rows ``offset`` to ``offset + limit`` of an import's problem report (the CSV the page offers)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [dict(row) for row in islice(reader, offset, offset + limit)]
