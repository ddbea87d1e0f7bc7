"""The import action: ``import_export(path=…, actor=…)``.

Staged, as HUD exchange requires: read → validate → write. Validation covers every file before the import
is committed; any error and nothing is written, and the problems are reported (on screen and as a CSV file
naming file, row, column, value and rule). The write runs in one transaction, together with the audit event.

On PostgreSQL the write runs in a second thread while validation goes on (``loading.PipelinedLoad``); its
transaction commits only if the whole export validated. On SQLite, writing follows validation.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.conf import settings
from django.utils import timezone

from hearth.audit.log import record as audit
from hearth.exchange import db
from hearth.exchange.archive import ExportFiles, UnreadableExportError, open_export
from hearth.exchange.crosscheck import peek_export_ids
from hearth.exchange.hooks import run_after_import
from hearth.exchange.issues import IssueLog, Severity
from hearth.exchange.loading import LoadFailedError, LoadPlan, LoadResult, PipelinedLoad, load_sequentially
from hearth.exchange.models import ImportRun, RunStatus
from hearth.exchange.validator import ValidateOptions, Validator
from hearth.exchange.writer import RecordCounts
from hearth.hmis.models import Source
from hearth.spec import Spec, current

Progress = Callable[[str, int, int], None]
logger = logging.getLogger(__name__)

# Share of the progress bar for validation when writing follows it (the rest is writing).
_VALIDATION_SHARE = 0.5


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


_HASH_LABELS = {1: "unhashed", 2: "hashed (other)", 3: "hashed (SHA-1, RHY)", 4: "hashed (SHA-256)"}


# A digest as hashing exports carry it: hexadecimal, at least MD5's 32 characters (SHA-1 40, SHA-256 64; HUD's
# SHA-256 SSN is four characters and a digest, so SSNs are not looked at).
_DIGEST = re.compile(r"[0-9A-Fa-f]{32,}")
_HASH_SAMPLE_ROWS = 2000


def effective_hash_status(files: ExportFiles, export_row: dict[str, str], log: IssueLog) -> int:
    """The HashStatus (HMIS CSV list 1.5) the export's Client names really have.

    Export.csv's HashStatus is taken at its word when it says 1, or when the names it carries are digests. Some
    exports say 2–4 over plain names (HUD Data Lab's converted sample says 3); believing them would keep those
    names out of every unhashed export, so they are imported as unhashed, with a warning."""
    raw = export_row.get("hashstatus", "").strip()
    claimed = int(raw) if raw.isdigit() else 1
    path = files.files.get("Client")
    if claimed == 1 or path is None:
        return claimed
    names: list[str] = []
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        for index, row in enumerate(reader):
            if index >= _HASH_SAMPLE_ROWS:
                break
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
            names += [v for v in (row.get("firstname", ""), row.get("lastname", "")) if v]
    if not names or all(_DIGEST.fullmatch(n) for n in names):
        return claimed
    log.add(
        Severity.WARNING,
        "Export.csv",
        "HashStatus",
        "export.hash_status_plain",
        f"Export.csv says HashStatus {claimed} (hashed), but Client.csv's names are not digests: they were "
        "imported as unhashed names.",
    )
    return 1


def _hash_status_refusal(status: int, source: Source | None) -> str:
    """Why this export may not go into ``source``: it would mix hashed and unhashed names and SSNs in one source.

    HMIS CSV FY2026 Export.csv HashStatus (list 1.5) describes every Client row of an export. A source holds one
    status (Source.hash_status) so that Hearth's own exports can state theirs truthfully; a source that holds no
    clients yet takes the status of the export that fills it."""
    if source is None or status == source.hash_status:
        return ""
    from hearth.hmis.models import Client

    if not Client.objects.filter(source=source).exists():
        return ""
    return (
        f"This export is {_HASH_LABELS.get(status, f'HashStatus {status}')} (HashStatus {status}), but source "
        f"“{source.name}” holds {_HASH_LABELS.get(source.hash_status, 'other')} names and SSNs (HashStatus "
        f"{source.hash_status}); one source cannot mix them. Import it as another source (--source NAME)."
    )


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
    report = progress or (lambda stage, done, total: None)
    run = run or ImportRun.objects.create(filename=path.name, actor=actor, actor_id=actor_id)
    run.status, run.started_at = RunStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    report_dir = report_dir or Path(settings.HEARTH_WORK_DIR) / "reports"
    outcome = ImportOutcome(
        status=RunStatus.REJECTED, log=log, run=run, report_path=report_dir / f"import-{run.pk}-report.csv"
    )
    with tempfile.TemporaryDirectory(prefix="hearth-stage-") as work:
        try:
            files = open_export(path, spec, log, workdir=Path(work))
        except UnreadableExportError as exc:
            return _finish(outcome, RunStatus.REJECTED, str(exc))
        with files:
            export_row = _peek_export(files)
            source = find_source(export_row, source_name)
            if source is not None and source.is_local and not source_name:
                message = (
                    "This export was produced by this Hearth (its ImplementationID is Hearth's own); importing it "
                    "would copy records onto themselves. Name another source with --source to import it as one."
                )
                log.add(Severity.ERROR, "Export.csv", "ImplementationID", "source.self", message)
                return _finish(outcome, RunStatus.REJECTED, message)
            hash_status = effective_hash_status(files, export_row, log)
            refusal = _hash_status_refusal(hash_status, source)
            if refusal:
                log.add(Severity.ERROR, "Export.csv", "HashStatus", "source.hash_status", refusal)
                return _finish(outcome, RunStatus.REJECTED, refusal)
            plan = LoadPlan(
                source=source,
                source_name=source_name or _new_source_name(export_row),
                implementation_id=export_row.get("implementationid", "")[:200],
                bulk=bulk,
                actor=actor,
                actor_id=actor_id,
                run_id=run.pk,
                hash_status=hash_status,
            )
            # A forced bulk load into a source that holds data would lock tables the validator still reads.
            pipelined = db.is_postgres() and settings.HEARTH_IMPORT_PIPELINE and not (bulk and source is not None)
            pipeline = PipelinedLoad(plan) if pipelined else None
            stage_dir = Path(work) / "staged"
            stage_dir.mkdir()
            share = 0.95 if pipeline is not None else _VALIDATION_SHARE
            validator = Validator(
                files,
                spec,
                ValidateOptions(time_zone=settings.TIME_ZONE, batch_rows=settings.HEARTH_IMPORT_BATCH_ROWS),
                log,
                stored=_stored_reader(source) if source is not None else None,
                stage_dir=stage_dir,
                progress=lambda stage, done, total: _progress(run, report, stage, done, total, 0.0, share),
                sink=pipeline,
            )
            try:
                result = validator.run()
            except BaseException:
                if pipeline is not None:
                    pipeline.abort()
                raise
            if not result.ok or result.export is None:
                if pipeline is not None:
                    pipeline.abort()
                noun = "error" if log.errors == 1 else "errors"
                return _finish(
                    outcome, RunStatus.REJECTED, f"Nothing was imported: {log.errors:,} {noun} in the export."
                )
            try:
                if pipeline is not None:
                    writer = pipeline
                    loaded = writer.finish(
                        result, wait=lambda: _progress(run, report, writer.stage or "Writing", 1, 1, share, 0.0)
                    )
                else:
                    loaded = load_sequentially(
                        plan,
                        result,
                        lambda stage, done, total: _progress(run, report, stage, done, total, _VALIDATION_SHARE, 0.5),
                    )
            except (LoadFailedError, db.DatabaseError) as exc:
                # Never the exception's text: a database message can quote a row's values.
                cause = exc.__cause__ or exc
                logger.error("import %s failed while writing: %s", run.pk, type(cause).__name__)
                message = f"The import failed while writing ({type(cause).__name__}); nothing was imported."
                return _finish(outcome, RunStatus.FAILED, message)
            return _succeeded(outcome, loaded, report)


def _succeeded(outcome: ImportOutcome, loaded: LoadResult, report: Progress) -> ImportOutcome:
    outcome.counts = loaded.counts
    outcome.source = loaded.source
    for record, counts in loaded.counts.items():
        if counts.older:
            n = counts.older
            outcome.log.add(
                Severity.WARNING,
                f"{record}.csv",
                "DateUpdated",
                "import.older",
                f"{n:,} record{'s' if n != 1 else ''} in {record}.csv are older (DateUpdated) than the copy "
                "Hearth holds and were not applied.",
            )
    outcome.run.source, outcome.run.export = loaded.source, loaded.export
    for label in run_after_import(
        loaded.source, loaded.counts, lambda stage: report(stage, 0, 1), done=loaded.steps_done
    ):
        outcome.log.add(
            Severity.WARNING,
            "",
            "",
            "import.after",
            f"The import landed, but “{label}” did not finish; run “hearth refresh” to finish it.",
        )
    report("Done", 1, 1)
    changed = sum(c.inserted + c.updated + c.swept for c in loaded.counts.values())
    name = loaded.source.name
    message = (
        f"Imported into source “{name}”: {changed:,} records added or changed ({outcome.log.warnings:,} warnings)."
        if changed
        else f"Nothing changed in source “{name}”: every record was already up to date."
    )
    return _finish(outcome, RunStatus.SUCCEEDED, message)


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


def _finish(outcome: ImportOutcome, status: str, message: str) -> ImportOutcome:
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
    run.progress = 1.0
    if status != RunStatus.SUCCEEDED:
        audit(
            "hmis.import_rejected" if status == RunStatus.REJECTED else "hmis.import_failed",
            actor=run.actor,
            actor_id=run.actor_id,
            object_type="ImportRun",
            object_id=run.pk,
            details={"errors": run.errors, "warnings": run.warnings},
        )
    run.save()
    return outcome
