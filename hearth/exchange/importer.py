"""The import action: ``import_export(path=…, actor=…)``.

Staged, as HUD exchange requires: read → validate → write. Validation covers every file before anything is
written; any error and nothing is written, and the problems are reported (on screen and as a CSV file naming
file, row, column, value and rule). The write runs in one transaction, together with the audit event.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hearth.audit.log import record as audit
from hearth.exchange import db
from hearth.exchange.archive import ExportFiles, UnreadableExportError, open_export
from hearth.exchange.crosscheck import peek_export_ids
from hearth.exchange.issues import IssueLog, Severity
from hearth.exchange.models import ImportRun, RunStatus
from hearth.exchange.sweep import sweep_full_refresh
from hearth.exchange.validator import ValidateOptions, ValidationResult, Validator
from hearth.exchange.writer import RecordCounts, SourceWriter
from hearth.hmis.models import Export, Source
from hearth.hmis.registry import record_map
from hearth.spec import Spec, current

Progress = Callable[[str, int, int], None]


@dataclass
class ImportOutcome:
    status: str
    log: IssueLog
    run: ImportRun
    source: Source | None = None
    counts: dict[str, RecordCounts] = field(default_factory=dict)
    report_path: Path | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.status == RunStatus.SUCCEEDED


def _peek_export(files: ExportFiles) -> dict[str, str]:
    """The Export.csv row the data carry, read plainly, to pick the source before validating."""
    path = files.files.get("Export")
    if path is None:
        return {}
    with path.open("rb") as handle:
        text = handle.read(1 << 20).decode("utf-8-sig", errors="replace")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows = [{k.strip().lower(): (v or "").strip() for k, v in row.items() if k} for row in rows]
    if len(rows) > 1:
        carried = peek_export_ids(files.files)
        rows = [r for r in rows if r.get("exportid") in carried] or rows
    return rows[0] if rows else {}


def find_source(export_row: dict[str, str], name: str | None) -> Source | None:
    if name:
        return Source.objects.filter(name=name).first()
    implementation = export_row.get("implementationid", "")
    if implementation:
        return Source.objects.filter(implementation_id=implementation).first()
    return None


def _new_source_name(export_row: dict[str, str]) -> str:
    base = (
        export_row.get("sourcename")
        or export_row.get("softwarename")
        or export_row.get("sourceid")
        or export_row.get("implementationid")
        or "Imported HMIS"
    )[:180]
    name, n = base, 1
    while Source.objects.filter(name=name).exists():
        n += 1
        name = f"{base} ({n})"
    return name


def import_export(
    *,
    path: Path,
    actor: str,
    actor_id: int | None = None,
    source_name: str | None = None,
    bulk: bool | None = None,
    report_dir: Path | None = None,
    progress: Progress | None = None,
    run: ImportRun | None = None,
    spec: Spec | None = None,
) -> ImportOutcome:
    spec = spec or current()
    log = IssueLog()
    progress = progress or (lambda stage, done, total: None)
    run = run or ImportRun.objects.create(filename=path.name, actor=actor, actor_id=actor_id)
    run.status, run.started_at = RunStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    report_dir = report_dir or Path(settings.HEARTH_WORK_DIR) / "reports"
    report_path = report_dir / f"import-{run.pk}-report.csv"
    outcome = ImportOutcome(status=RunStatus.REJECTED, log=log, run=run, report_path=report_path)
    work = tempfile.TemporaryDirectory(prefix="hearth-stage-")
    try:
        try:
            files = open_export(path, spec, log, workdir=Path(work.name))
        except UnreadableExportError as exc:
            return _finish(outcome, RunStatus.REJECTED, str(exc), actor, actor_id)
        with files:
            export_row = _peek_export(files)
            source = find_source(export_row, source_name)
            if source is not None and source.is_local and not source_name:
                message = (
                    "This export was produced by this Hearth (its ImplementationID is Hearth's own); importing it "
                    "would copy records onto themselves. Name another source with --source to import it as one."
                )
                log.add(Severity.ERROR, "Export.csv", "ImplementationID", "source.self", message)
                return _finish(outcome, RunStatus.REJECTED, message, actor, actor_id)
            stored = _stored_reader(source) if source is not None else None
            stage_dir = Path(work.name) / "staged"
            stage_dir.mkdir()
            validator = Validator(
                files,
                spec,
                ValidateOptions(time_zone=settings.TIME_ZONE, batch_rows=settings.HEARTH_IMPORT_BATCH_ROWS),
                log,
                stored=stored,
                stage_dir=stage_dir,
                progress=lambda stage, done, total: _progress(run, progress, stage, done, total, 0.0, 0.5),
            )
            result = validator.run()
            if not result.ok or result.export is None:
                message = f"Nothing was imported: {log.errors:,} error{'s' if log.errors != 1 else ''} in the export."
                return _finish(outcome, RunStatus.REJECTED, message, actor, actor_id)
            return _write(outcome, result, source, source_name, export_row, bulk, actor, actor_id, progress)
    finally:
        work.cleanup()


def _stored_reader(source: Source) -> Callable[[str, list[str]], pl.DataFrame]:
    def read(record: str, columns: list[str]) -> pl.DataFrame:
        return db.read_hud(record, columns, where="t.source_id = %s", params=[source.pk])

    return read


def _progress(run: ImportRun, progress: Progress, stage: str, done: int, total: int, start: float, span: float) -> None:
    progress(stage, done, total)
    fraction = start + span * (done / total if total else 1.0)
    if fraction - run.progress >= 0.01 or stage != run.stage:
        run.progress, run.stage = round(fraction, 3), stage[:200]
        ImportRun.objects.filter(pk=run.pk).update(progress=run.progress, stage=run.stage)


def _write(
    outcome: ImportOutcome,
    result: ValidationResult,
    source: Source | None,
    source_name: str | None,
    export_row: dict[str, str],
    bulk: bool | None,
    actor: str,
    actor_id: int | None,
    progress: Progress,
) -> ImportOutcome:
    run = outcome.run
    assert result.export is not None
    total_rows = sum(s.rows for s in result.staged.values()) or 1
    written = 0
    had_records = source is not None
    with transaction.atomic():
        if db.is_postgres():
            with db.connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        if source is None:
            source = Source.objects.create(
                name=source_name or _new_source_name(export_row),
                implementation_id=export_row.get("implementationid", "")[:200],
            )
        export = _create_export(source, result.export)
        writer = SourceWriter(source.pk, export.pk, bulk=bulk)
        for record, staged in result.staged.items():
            if record == "Export":
                continue
            _progress(run, progress, f"Writing {record}.csv", written, total_rows, 0.5, 0.5)
            outcome.counts[record] = writer.write(record, staged.paths, staged.rows)
            written += staged.rows
        # A full refresh implies deletions of what it no longer carries; a new source holds nothing to sweep.
        if result.export.get("ExportDirective") == 2 and had_records:
            swept = sweep_full_refresh(source, export, result)
            for record, n in swept.items():
                outcome.counts.setdefault(record, RecordCounts()).swept += n
        older = {r: c.older for r, c in outcome.counts.items() if c.older}
        for record, n in older.items():
            outcome.log.add(
                Severity.WARNING,
                f"{record}.csv",
                "DateUpdated",
                "import.older",
                f"{n:,} record{'s' if n != 1 else ''} in {record}.csv are older (DateUpdated) than the copy "
                "Hearth holds and were not applied.",
            )
        outcome.source = source
        run.source, run.export = source, export
        totals = {r: c.as_dict() for r, c in outcome.counts.items()}
        audit(
            "hmis.import",
            actor=actor,
            actor_id=actor_id,
            object_type="ImportRun",
            object_id=run.pk,
            details={"source": source.pk, "export": export.hud_id, "counts": totals, "warnings": outcome.log.warnings},
        )
        _progress(run, progress, "Done", 1, 1, 0.5, 0.5)
        changed = sum(c.inserted + c.updated + c.swept for c in outcome.counts.values())
        message = (
            f"Imported into source “{source.name}”: {changed:,} records added or changed"
            f" ({outcome.log.warnings:,} warnings)."
            if changed
            else f"Nothing changed in source “{source.name}”: every record was already up to date."
        )
        return _finish(outcome, RunStatus.SUCCEEDED, message, actor, actor_id, in_transaction=True)


def _create_export(source: Source, row: dict[str, Any]) -> Export:
    rmap = record_map("Export")
    values = {fm.field: row.get(fm.column.name) for fm in rmap.fields}
    hud_id = values.pop("hud_id")
    # The same export imported again updates its row: (source, ExportID) is unique.
    export, _ = Export.objects.update_or_create(source=source, hud_id=hud_id, defaults=values)
    return export


def _finish(
    outcome: ImportOutcome,
    status: str,
    message: str,
    actor: str,
    actor_id: int | None,
    *,
    in_transaction: bool = False,
) -> ImportOutcome:
    run = outcome.run
    outcome.status = status
    outcome.message = message
    if outcome.report_path is not None:
        outcome.log.write_csv(outcome.report_path)
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    run.errors, run.warnings = outcome.log.errors, outcome.log.warnings
    run.counts = {r: c.as_dict() for r, c in outcome.counts.items()}
    run.report_path = str(outcome.report_path or "")
    if status != RunStatus.SUCCEEDED:
        run.progress = 1.0
        audit(
            "hmis.import_rejected",
            actor=actor,
            actor_id=actor_id,
            object_type="ImportRun",
            object_id=run.pk,
            details={"errors": run.errors, "warnings": run.warnings},
        )
    run.save()
    return outcome


def utc_now() -> dt.datetime:
    return timezone.now()
