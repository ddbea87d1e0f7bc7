"""The write side of an import: everything written in one transaction — source, Export row, records,
the full refresh's deletions, and the audit event.

Two ways to run it:

- sequential (SQLite, or when asked): after the whole export validated, prepare and apply each staged batch
  inside one transaction;
- pipelined (PostgreSQL): the validating thread prepares each batch as soon as it is checked and hands it to a
  writing thread, which owns its own connection and transaction and only writes. If validation then finds an
  error, that transaction is rolled back, so the rule stands: any error and nothing is written.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl
from django.db import connection, transaction

from hearth.audit.log import record as audit
from hearth.exchange import db
from hearth.exchange.hooks import ImportStep, import_steps
from hearth.exchange.sweep import sweep_full_refresh
from hearth.exchange.validator import ValidationResult
from hearth.exchange.writer import (
    Applier,
    BatchPreparer,
    NextIds,
    Prepared,
    RecordCounts,
    SequenceIds,
)
from hearth.hmis.models import Export, Source
from hearth.hmis.registry import record_map
from hearth.spec import current


@dataclass
class LoadPlan:
    """What the load knows before the first record arrives."""

    source: Source | None  # None: a new source, named below
    source_name: str
    implementation_id: str
    bulk: bool | None
    actor: str
    actor_id: int | None
    run_id: int
    hash_status: int = 1  # of the names and SSNs the export's Client rows hold (importer.effective_hash_status)


@dataclass
class LoadResult:
    source: Source
    export: Export
    counts: dict[str, RecordCounts] = field(default_factory=dict)
    steps_done: tuple[str, ...] = ()  # labels of the within-import steps carried out (hearth.exchange.hooks)


def _save_source(plan: LoadPlan, pk: int | None = None) -> Source:
    # The importer refused an export whose HashStatus differs from a source that holds clients, so here the
    # export's status is the source's (hearth.exchange.importer._hash_status_refusal).
    if plan.source is not None:
        if plan.source.hash_status != plan.hash_status:
            plan.source.hash_status = plan.hash_status
            plan.source.save(update_fields=["hash_status"])
        return plan.source
    return Source.objects.create(
        pk=pk, name=plan.source_name, implementation_id=plan.implementation_id, hash_status=plan.hash_status
    )


def _save_export(source: Source, row: dict[str, Any], pk: int | None = None) -> Export:
    rmap = record_map("Export")
    values = {fm.field: row.get(fm.column.name) for fm in rmap.fields}
    hud_id = str(values.pop("hud_id"))
    existing = Export.objects.filter(source=source, hud_id=hud_id).first()
    if existing is not None:  # the same export imported again updates its row: (source, ExportID) is unique
        Export.objects.filter(pk=existing.pk).update(**values)
        existing.refresh_from_db()
        return existing
    return Export.objects.create(pk=pk, source=source, hud_id=hud_id, **values)


def _finish_load(
    plan: LoadPlan,
    source: Source,
    export: Export,
    counts: dict[str, RecordCounts],
    result: ValidationResult,
    stage: Callable[[str], None],
    steps: Mapping[str, ImportStep],
) -> LoadResult:
    # A full refresh implies deletions of what it no longer carries; a new source holds nothing to sweep.
    if result.export and result.export.get("ExportDirective") == 2 and plan.source is not None:
        stage("Applying the full refresh's deletions")
        for record, n in sweep_full_refresh(source, export, result).items():
            counts.setdefault(record, RecordCounts()).swept += n
    audit(
        "hmis.import",
        actor=plan.actor,
        actor_id=plan.actor_id,
        object_type="ImportRun",
        object_id=plan.run_id,
        details={
            "source": source.pk,
            "export": export.hud_id,
            "counts": {r: c.as_dict() for r, c in counts.items()},
            "warnings": result.log.warnings,
        },
    )
    return LoadResult(source, export, counts, tuple(steps))


def load_sequentially(
    plan: LoadPlan, result: ValidationResult, progress: Callable[[str, int, int], None]
) -> LoadResult:
    """Prepare and write every staged batch after validation, in one transaction."""
    assert result.export is not None
    total = sum(s.rows for r, s in result.staged.items() if r != "Export") or 1
    written = 0
    with transaction.atomic():
        if db.is_postgres():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        source = _save_source(plan)
        export = _save_export(source, result.export)
        steps = import_steps(plan.source is None)
        preparer = BatchPreparer(
            source.pk,
            export.pk,
            NextIds() if not db.is_postgres() else SequenceIds(),
            new_source=plan.source is None,
            steps=list(steps.values()),
        )
        applier = Applier(bulk=plan.bulk)
        for record, staged in result.staged.items():
            if record == "Export":
                continue
            for path in staged.paths:
                progress(f"Writing {record}.csv", written, total)
                frame = pl.read_ipc(path)
                applier.apply(preparer.prepare(record, frame), staged.rows)
                written += frame.height
            preparer.file_done(record)
            applier.file_done(record)
            for step in steps.values():
                step.file_written(record)
        applier.finish()
        return _finish_load(plan, source, export, preparer.counts, result, lambda stage: progress(stage, 1, 1), steps)


class LoadFailedError(Exception):
    """The database refused a write the validator had accepted (a defect, not bad input)."""


class _RollbackError(Exception):
    pass


class PipelinedLoad:
    """The validator's sink: prepares batches in its thread, writes them in a writing thread."""

    def __init__(self, plan: LoadPlan) -> None:
        self.plan = plan
        self.stage = ""
        self.error: BaseException | None = None
        ids = SequenceIds()
        # Ids are drawn now, so the validating thread can resolve references before anything is written.
        self._source_pk = plan.source.pk if plan.source else int(db.reserve_ids(Source._meta.db_table, 1)[0])
        self._export_pk = int(db.reserve_ids(Export._meta.db_table, 1)[0])
        self.steps = import_steps(plan.source is None)
        self.preparer = BatchPreparer(
            self._source_pk, self._export_pk, ids, new_source=plan.source is None, steps=list(self.steps.values())
        )
        # Column types now, before the writing thread locks any table: batches are encoded for COPY in this
        # (validating) thread, which has time to spare, and the writing thread only sends them.
        tables = [record_map(r).table for r in current().record_types if r != "Export"]
        self._types = {table: db.column_types(table) for table in tables}
        # Prepared batches wait in memory; a bound keeps a fast validator from outrunning the writer by more
        # than a few batches.
        self._queue: queue.Queue[tuple[str, tuple[Any, ...]]] = queue.Queue(maxsize=4)
        self._done = threading.Event()
        self._result: LoadResult | None = None
        self._thread = threading.Thread(target=self._run, name="hearth-import-writer", daemon=True)
        self._thread.start()

    # -- the validating thread ------------------------------------------------------------------------
    def _put(self, action: str, *args: Any) -> None:
        """Queue work for the writer, unless it has failed (then nothing more is written; the import fails)."""
        while self.error is None:
            try:
                self._queue.put((action, args), timeout=0.5)
                return
            except queue.Full:
                continue

    def begin(self, export_row: dict[str, Any]) -> None:
        self._put("begin", export_row)

    def batch(self, record: str, frame: pl.DataFrame, expected_rows: int) -> None:
        if self.error is not None:
            return  # the writer failed; the import will fail, so stop preparing work
        prepared = self.preparer.prepare(record, frame)
        if prepared.inserts.height:
            types = self._types[record_map(record).table]
            prepared = replace(prepared, encoded=db.encode_rows(prepared.inserts, types))
        self._put("apply", prepared, expected_rows)

    def file_done(self, record: str) -> None:
        self.preparer.file_done(record)
        self._put("file_done", record)

    def finish(self, result: ValidationResult, wait: Callable[[], None] = lambda: None) -> LoadResult:
        self._put("finish", result)
        while not self._done.wait(0.2):
            wait()
        if self.error is not None:
            raise LoadFailedError(type(self.error).__name__) from self.error
        assert self._result is not None
        return self._result

    def abort(self) -> None:
        self._put("abort")
        self._done.wait()

    # -- the writing thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        action = ""
        applier = Applier(bulk=self.plan.bulk)
        source: Source | None = None
        export: Export | None = None
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
                while True:
                    action, args = self._queue.get()
                    if action == "abort":
                        raise _RollbackError
                    if action == "begin":
                        source = _save_source(self.plan, self._source_pk)
                        export = _save_export(source, args[0], self._export_pk)
                    elif action == "apply":
                        prepared: Prepared = args[0]
                        self.stage = f"Writing {prepared.record}.csv"
                        applier.apply(prepared, args[1])
                    elif action == "file_done":
                        self.stage = f"Indexing {args[0]}.csv"
                        applier.file_done(args[0])
                        for step in self.steps.values():
                            step.file_written(args[0])
                    elif action == "finish":
                        assert source is not None
                        assert export is not None
                        applier.finish()
                        self._result = _finish_load(
                            self.plan, source, export, self.preparer.counts, args[0], self._set_stage, self.steps
                        )
                        break
        except _RollbackError:
            pass
        except BaseException as exc:  # reported to the caller; nothing is committed
            self.error = exc
            self._drain()
        finally:
            connection.close()
            self._done.set()

    def _set_stage(self, stage: str) -> None:
        self.stage = stage

    def _drain(self) -> None:
        """After a failure, empty the queue so the validating thread never blocks on it."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return
