"""Validate a whole HMIS CSV export: every file, every rule of the spec, and the rules that span files.

Files are read in the spec's order (parents before children), in batches, so memory stays bounded whatever
the export's size. Each typed batch is checked, then staged on disk for the writer. Nothing here touches
the database except through the optional ``stored`` reader (the keys a source already holds).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from hearth.exchange import crosscheck
from hearth.exchange.archive import ExportFiles
from hearth.exchange.context import Context, StoredReader
from hearth.exchange.csvfile import LEGACY, ROW, FileUnreadableError, batches, read_header
from hearth.exchange.db import spill
from hearth.exchange.issues import IssueLog, Severity
from hearth.exchange.parse import ParseOptions, parse_batch
from hearth.exchange.rules import check_conditions, check_lists, check_required
from hearth.exchange.versions import ExportVersion, UnsupportedVersionError, detect
from hearth.spec import Spec
from hearth.spec.model import RecordType

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class Sink(Protocol):
    """Receives validated data as soon as it is staged (the pipelined import's writer)."""

    def begin(self, export_row: dict[str, Any]) -> None: ...

    def batch(self, record: str, frame: pl.DataFrame, expected_rows: int) -> None: ...

    def file_done(self, record: str) -> None: ...


@dataclass(frozen=True)
class ValidateOptions:
    time_zone: str
    batch_rows: int = 1_000_000
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class Staged:
    record: str
    paths: list[Path] = field(default_factory=list)
    batch_rows: list[int] = field(default_factory=list)
    rows: int = 0


@dataclass
class ValidationResult:
    version: ExportVersion | None
    export: dict[str, Any] | None
    staged: dict[str, Staged]
    rows_read: dict[str, int]
    context: Context
    log: IssueLog

    @property
    def ok(self) -> bool:
        return not self.log.has_errors


class Validator:
    def __init__(
        self,
        files: ExportFiles,
        spec: Spec,
        options: ValidateOptions,
        log: IssueLog,
        *,
        stored: StoredReader | None = None,
        stage_dir: Path | None = None,
        progress: Progress | None = None,
        sink: Sink | None = None,
    ) -> None:
        self.files = files
        self.spec = spec
        self.options = options
        self.log = log
        self.context = Context(stored)
        self.stage_dir = stage_dir
        self.progress = progress or (lambda stage, done, total: None)
        self.sink = sink
        self.staged: dict[str, Staged] = {}
        self.rows_read: dict[str, int] = {}
        self.export: dict[str, Any] | None = None
        self.export_id: str | None = None
        self.version: ExportVersion | None = None
        self.parse_options = ParseOptions(time_zone=options.time_zone)
        self.specials: dict[str, Any] = {"year": options.today.year, "unhashed": True}
        self.export_moment: dt.datetime | None = None
        self._file_sizes = {r: p.stat().st_size for r, p in files.files.items()}
        self._bytes_done = 0
        self._row_estimates: dict[str, int] = {}

    # -- driver -----------------------------------------------------------------------------------------
    def run(self) -> ValidationResult:
        for record in self.spec.record_types:
            if record not in self.files.files:
                rt = self.spec.record(record)
                self.log.add(
                    Severity.ERROR,
                    rt.filename,
                    "",
                    "file.missing",
                    f"{rt.filename} is missing; an export holds every file of the format, header-only when empty.",
                    eva_id=125,
                )
                self.context.broken.add(record)
        try:
            self.version = detect(self.files.files, self.files.names, self.spec, self.log)
        except UnsupportedVersionError:
            return self._result()
        if "Export" in self.files.files:
            self._export_file()
        for record in self.spec.record_types:
            if record == "Export" or record not in self.files.files:
                continue
            self._process(record)
            self._bytes_done += self._file_sizes.get(record, 0)
        if self.rows_read.get("Enrollment", 0) == 0 and "Enrollment" not in self.context.broken:
            self.log.add(
                Severity.WARNING, "Enrollment.csv", "", "file.no_enrollments", "Enrollment.csv has no rows.", eva_id=101
            )
        return self._result()

    def _result(self) -> ValidationResult:
        return ValidationResult(self.version, self.export, self.staged, self.rows_read, self.context, self.log)

    def _report_progress(self, record: str, extra_bytes: int) -> None:
        total = sum(self._file_sizes.values()) or 1
        self.progress(f"Checking {record}.csv", min(self._bytes_done + extra_bytes, total), total)

    # -- Export.csv --------------------------------------------------------------------------------------
    def _export_file(self) -> None:
        rt = self.spec.record("Export")
        frames = self._typed_batches(rt)
        if "Export" in self.context.broken:
            return
        typed = pl.concat(frames) if frames else pl.DataFrame()
        self.rows_read["Export"] = typed.height
        if typed.height == 0:
            self.log.add(Severity.ERROR, "Export.csv", "", "export.rows", "Export.csv has no row.", eva_id=140)
            return
        row = typed.row(0, named=True)
        if typed.height > 1:
            row = self._choose_export_row(typed) or row
        self.export = row
        self.export_id = row.get("ExportID")
        hash_status = row.get("HashStatus")
        if hash_status in (2, 3, 4):
            self.parse_options = ParseOptions(time_zone=self.options.time_zone, hashed=True)
            self.specials["unhashed"] = False
        moment = row.get("ExportDate")
        if isinstance(moment, dt.datetime):
            self.export_moment = moment
            self.specials["year"] = moment.year
        if self.stage_dir is not None:
            chosen = typed.filter(pl.col("ExportID") == self.export_id).head(1)
            self._stage("Export", chosen)
            if self.sink is not None and not self.log.has_errors:
                self.sink.begin(row)

    def _choose_export_row(self, typed: pl.DataFrame) -> dict[str, Any] | None:
        """Several Export rows (concatenated exports, as in Abt's FY2026 LSA sample): use the one the data carry."""
        carried = crosscheck.peek_export_ids(self.files.files)
        candidates = typed.filter(pl.col("ExportID").is_in(list(carried)))
        if candidates.height == 1:
            chosen = candidates.row(0, named=True)
            self.log.add(
                Severity.WARNING,
                "Export.csv",
                "",
                "export.rows",
                f"Export.csv has {typed.height} rows; an export has exactly one. The data files carry ExportID "
                f"{chosen['ExportID']}, so that row describes this export and the others were ignored.",
                eva_id=140,
            )
            return chosen
        self.log.add(
            Severity.ERROR,
            "Export.csv",
            "",
            "export.rows",
            f"Export.csv has {typed.height} rows; an export has exactly one row describing it.",
            eva_id=140,
        )
        return None

    # -- one file ----------------------------------------------------------------------------------------
    def _typed_batches(self, rt: RecordType) -> list[pl.DataFrame]:
        return list(self._checked_batches(rt))

    def _checked_batches(self, rt: RecordType) -> Iterator[pl.DataFrame]:
        assert self.version is not None
        path = self.files.files[rt.name]
        try:
            header = read_header(path, rt.filename, rt, self.version, self.log)
        except FileUnreadableError:
            self.context.broken.add(rt.name)
            return
        missing_in_header = {c.name for c in header.missing}
        row_bytes = crosscheck.average_row_bytes(path)
        rows = 0
        try:
            for raw in batches(path, header, self.options.batch_rows, self.log):
                check_required(raw, rt, self.log, skip=missing_in_header)
                typed = parse_batch(raw, rt, self.parse_options, self.log)
                check_lists(typed, rt, self.spec, self.log)
                yield typed
                rows += raw.height
                self._report_progress(rt.name, min(int(rows * row_bytes), self._file_sizes.get(rt.name, 0)))
        except FileUnreadableError:
            self.context.broken.add(rt.name)

    def _process(self, record: str) -> None:
        rt = self.spec.record(record)
        keys: list[pl.DataFrame] = []
        rows = 0
        checker = crosscheck.RecordChecks(rt, self.spec, self.context, self.log, self)
        for typed in self._checked_batches(rt):
            typed = checker.enrich(typed)
            check_conditions(typed, rt, self.spec, self.specials, self.log)
            self._check_export_id(typed, rt)
            typed = checker.check(typed)
            self.context.collect(record, typed)
            keys.append(typed.select(rt.key.name, ROW))
            rows += typed.height
            self._stage(record, typed)
        self.rows_read[record] = rows
        if record in self.context.broken:
            return
        crosscheck.check_duplicate_keys(rt, keys, self.log)
        self.context.finish(record)
        checker.after_file()
        if self.sink is not None and not self.log.has_errors:
            self.sink.file_done(record)

    def _check_export_id(self, typed: pl.DataFrame, rt: RecordType) -> None:
        if self.export_id is None or "ExportID" not in typed.columns:
            return
        wrong = typed.filter(pl.col("ExportID").is_not_null() & (pl.col("ExportID") != self.export_id))
        self.log.add_rows(
            Severity.ERROR,
            rt.filename,
            "ExportID",
            "export.mismatch",
            wrong,
            f"ExportID does not match Export.csv's ExportID ({self.export_id}).",
            eva_id=49,
        )

    def _stage(self, record: str, typed: pl.DataFrame) -> None:
        if self.stage_dir is None or self.log.has_errors:
            return
        rt = self.spec.record(record)
        keep = [ROW, *rt.header]
        if LEGACY in typed.columns:
            keep.append(LEGACY)
        staged = self.staged.setdefault(record, Staged(record))
        # A sink writes the batch itself; only the keys are kept (a full refresh's sweep reads them).
        kept = [ROW, rt.key.name] if self.sink is not None and record != "Export" else keep
        path = spill(typed.select(kept), self.stage_dir, f"{record}-{len(staged.paths):05d}")
        staged.paths.append(path)
        staged.batch_rows.append(typed.height)
        staged.rows += typed.height
        if self.sink is not None and record != "Export":
            self.sink.batch(record, typed.select(keep), self._expected_rows(record))

    def _expected_rows(self, record: str) -> int:
        """Rows the file probably holds (its size over the size of its first rows): decides bulk loading."""
        if record not in self._row_estimates:
            row_bytes = max(1.0, crosscheck.average_row_bytes(self.files.files[record]))
            self._row_estimates[record] = int(self._file_sizes.get(record, 0) / row_bytes)
        return self._row_estimates[record]

    @property
    def export_local_date(self) -> dt.date:
        return self.export_moment.date() if self.export_moment else self.options.today
