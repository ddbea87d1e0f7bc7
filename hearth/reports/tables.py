"""A report's input: HUD records as typed Polars frames with HMIS CSV column names (``HmisTables``).

The same frames come from an HMIS CSV export of any vendor (``load_export``: Hearth's own export reader —
archive, version mapping, header matching, typed parsing — applied to the columns reports use only) or from
Hearth's database (``load_database``: the exporter's HUD-named reads, one snapshot on PostgreSQL via ADBC).
Either way: dates are ``pl.Date``, date-times UTC ``pl.Datetime``, integer codes ``pl.Int64``, money
``pl.Float64`` (reports sum and average it), identifiers ``pl.String``; soft-deleted rows (``DateDeleted``
set, HMIS CSV spec) are dropped.

Both loaders then replace the two identifiers every rule joins, groups and counts by — PersonalID and
EnrollmentID — with integer keys (``with_keys``): a CoC-wide run joins tens of millions of rows on them, and
hashing and comparing a 4-byte integer instead of a string saves about a sixth of the run. The keys are the
values' positions in sorted order, so sorting by a key sorts as the text did (rules break ties by
EnrollmentID), and ``HmisTables.keys`` turns them back into the IDs (a run keeps its cell members as keys and
stores the IDs beside them: ``cells.ReportResult``). Frames built in tests (``from_frames``) keep the text:
every rule works on either.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl
from django.conf import settings

from hearth.reports.cells import MEMBER_KEYS, decode_keys
from hearth.reports.columns import ENROLLMENT_CHILDREN, PROJECT_CHILDREN, REPORT_COLUMNS
from hearth.reports.glossary.codes import BED_NIGHT
from hearth.spec import current
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG, RecordType

Progress = Callable[[str, int, int], None]  # (stage, done, total), as hearth.jobs gives it

DELETED = "DateDeleted"
# Records a report cannot run without.
REQUIRED_RECORDS = ("Project", "Client", "Enrollment")
# The identifiers the loaders replace with integer keys (``with_keys``), and the keys' type.
KEY_COLUMNS = MEMBER_KEYS
KEY_TYPE = pl.UInt32
_ERRORS_SHOWN = 5


class ReportInputError(Exception):
    """The input cannot be reported on; the message names the file, row and column (never a value)."""


def _dtype(spec_type: str) -> pl.DataType:
    if spec_type == INTEGER:
        return pl.Int64()
    if spec_type == DATE:
        return pl.Date()
    if spec_type == DATETIME:
        return pl.Datetime("us", "UTC")
    if spec_type in (MONEY, MONEY_NONNEG):
        return pl.Float64()
    return pl.String()


def schema(record: str) -> dict[str, pl.DataType]:
    """The typed columns a report sees for ``record``."""
    rt = current().record(record)
    return {name: _dtype(rt.column(name).type) for name in REPORT_COLUMNS[record]}


def empty(record: str) -> pl.DataFrame:
    return pl.DataFrame(schema=schema(record))


def conform(record: str, frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with exactly the report columns of ``record``, in their types; absent columns are null.

    Text dates (``"2025-01-31"``) are parsed and naive date-times read as UTC, so tests can build frames from
    plain literals. Rows whose ``DateDeleted`` is set are dropped.
    """
    if frame.width == 0:
        return empty(record)
    if DELETED in frame.columns:
        frame = frame.filter(pl.col(DELETED).is_null())
    wanted = schema(record)
    # Absent columns are added with with_columns, which sizes a literal to the frame (select would not).
    absent = [pl.lit(None, dtype).alias(name) for name, dtype in wanted.items() if name not in frame.columns]
    if absent:
        frame = frame.with_columns(absent)
    exprs: list[pl.Expr] = []
    for name, dtype in wanted.items():
        have = frame.schema[name]
        value = pl.col(name)
        if have == dtype or (name in KEY_COLUMNS and have == KEY_TYPE):
            exprs.append(value)
        elif isinstance(dtype, pl.Date) and have == pl.String:
            exprs.append(value.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d").alias(name))
        elif isinstance(dtype, pl.Datetime) and have == pl.String:
            parsed = value.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
            exprs.append(parsed.dt.replace_time_zone("UTC").alias(name))
        elif isinstance(dtype, pl.Datetime) and isinstance(have, pl.Datetime):
            zoned = value.dt.replace_time_zone("UTC") if have.time_zone is None else value.dt.convert_time_zone("UTC")
            exprs.append(zoned.dt.cast_time_unit("us").alias(name))
        elif isinstance(dtype, pl.Datetime) and isinstance(have, pl.Date):
            exprs.append(value.cast(pl.Datetime("us")).dt.replace_time_zone("UTC").alias(name))
        else:
            exprs.append(value.cast(dtype).alias(name))
    return frame.select(exprs)


@dataclass(frozen=True)
class HmisTables:
    """HUD record name → typed frame. Every record of ``REPORT_COLUMNS`` is present (empty when absent)."""

    frames: Mapping[str, pl.DataFrame]
    source: str = ""  # what was loaded, for the run's description ("export.zip", "database")
    notes: tuple[str, ...] = field(default=())  # what loading noticed (warnings shown with the result)
    # Record → key as the tables hold it → HUD ID, when the keys are Hearth's database ids (load_database with
    # database_keys): what a report shows as an ID (Q4a) is the HUD ID the agency knows. Empty otherwise.
    hud_ids: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Key column → its IDs in key order, when the frames hold integer keys (``with_keys``); empty when they
    # hold the IDs themselves.
    keys: Mapping[str, pl.Series] = field(default_factory=dict)

    def hud_id(self, record: str, key: str | None) -> str | None:
        """The HUD ID behind ``key`` of ``record`` (the key itself when the tables hold HUD IDs)."""
        if key is None:
            return None
        return self.hud_ids.get(record, {}).get(key, key)

    def __getitem__(self, record: str) -> pl.DataFrame:
        return self.frames[record]

    def decode(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with its integer PersonalID and EnrollmentID keys turned back into the IDs."""
        return decode_keys(frame, self.keys)

    def encode(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` with its PersonalID and EnrollmentID replaced by the tables' keys (null: an ID they lack)."""
        for name in KEY_COLUMNS:
            if name in self.keys and name in frame.columns and frame.schema[name] == pl.String:
                frame = _keyed_by(frame, name, _key_frame(self.keys[name]), how="left")
        return frame

    @property
    def rows(self) -> dict[str, int]:
        return {name: frame.height for name, frame in self.frames.items()}

    @functools.cached_property
    def bed_nights(self) -> pl.DataFrame:
        """(EnrollmentID, DateProvided) of every 4.14 bed night (Services RecordType 200): several rules read
        them (Method 2, night-by-night length of stay, point-in-time presence, DQ inactivity), and Services is a
        CoC's largest record — filter it once per run, not once per rule."""
        return self.frames["Services"].filter(pl.col("RecordType") == BED_NIGHT).select("EnrollmentID", "DateProvided")

    @classmethod
    def from_frames(cls, source: str = "frames", **frames: pl.DataFrame | Sequence[Mapping[str, Any]]) -> HmisTables:
        """Tables from frames (or lists of row dicts) keyed by record name; unnamed records are empty."""
        unknown = set(frames) - set(REPORT_COLUMNS)
        if unknown:
            raise ValueError(f"Not an HMIS CSV record reports read: {', '.join(sorted(unknown))}")
        built: dict[str, pl.DataFrame] = {}
        for record in REPORT_COLUMNS:
            given = frames.get(record)
            if given is None:
                built[record] = empty(record)
            elif isinstance(given, pl.DataFrame):
                built[record] = conform(record, given)
            else:
                rows = list(given)
                raw = pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()
                built[record] = conform(record, raw)
        return cls(built, source=source)

    def for_projects(self, projects: Iterable[str]) -> HmisTables:
        """Only the given projects, their enrollments and what hangs on them (clients of those enrollments)."""
        wanted = list(projects)
        if not wanted:
            return self
        frames = dict(self.frames)
        frames["Project"] = frames["Project"].filter(pl.col("ProjectID").is_in(wanted))
        for record in PROJECT_CHILDREN:
            frames[record] = frames[record].filter(pl.col("ProjectID").is_in(wanted))
        enrollments = frames["Enrollment"].filter(pl.col("ProjectID").is_in(wanted))
        frames["Enrollment"] = enrollments
        ids = enrollments.select("EnrollmentID")
        for record in ENROLLMENT_CHILDREN:
            frames[record] = frames[record].join(ids, on="EnrollmentID", how="semi")
        frames["Client"] = frames["Client"].join(enrollments.select("PersonalID").unique(), on="PersonalID", how="semi")
        frames["Organization"] = frames["Organization"].join(
            frames["Project"].select("OrganizationID").unique(), on="OrganizationID", how="semi"
        )
        return dataclasses.replace(self, frames=frames)


def with_keys(frames: Mapping[str, pl.DataFrame]) -> tuple[dict[str, pl.DataFrame], dict[str, pl.Series]]:
    """The frames without orphans, PersonalID and EnrollmentID replaced by integer keys; and the keys' IDs.

    Orphans: enrollments whose client is not live (a soft-deleted client, or none) and the records of
    enrollments not live — a deleted person is deleted from every table a report reads (HMIS CSV
    "DateDeleted"). The join that gives each row its key drops them in the same pass. A PersonalID of an
    enrollment's record (Exit, IncomeBenefits…) that names no live client gets a null key: it matches nothing,
    as the text matched nothing.
    """
    out = dict(frames)
    # Left joins where every ID has a key: a row without an ID (invalid, but read) stays, as it did.
    people = _distinct_ids(out["Client"]["PersonalID"])
    out["Client"] = _keyed_by(out["Client"], "PersonalID", people, how="left")
    out["Enrollment"] = _keyed_by(out["Enrollment"], "PersonalID", people, how="inner")
    enrollments = _distinct_ids(out["Enrollment"]["EnrollmentID"])
    out["Enrollment"] = _keyed_by(out["Enrollment"], "EnrollmentID", enrollments, how="left")
    for record in ENROLLMENT_CHILDREN:
        frame = _keyed_by(out[record], "EnrollmentID", enrollments, how="inner")
        out[record] = _keyed_by(frame, "PersonalID", people, how="left") if "PersonalID" in frame.columns else frame
    return out, {"PersonalID": people["__id"], "EnrollmentID": enrollments["__id"]}


def _distinct_ids(values: pl.Series) -> pl.DataFrame:
    """(__id, __key): the distinct IDs in sorted order and their positions — the keys."""
    return _key_frame(values.drop_nulls().unique().sort())


def _key_frame(ids: pl.Series) -> pl.DataFrame:
    return pl.DataFrame({"__id": ids}).with_row_index("__key").with_columns(pl.col("__key").cast(KEY_TYPE))


def _keyed_by(frame: pl.DataFrame, column: str, keys: pl.DataFrame, *, how: Literal["inner", "left"]) -> pl.DataFrame:
    """``frame`` with ``column``'s IDs replaced by their keys, rows in their order (``how="inner"``: rows whose ID
    has no key are dropped)."""
    joined = frame.join(keys, left_on=column, right_on="__id", how=how, maintain_order="left")
    return joined.with_columns(pl.col("__key").alias(column)).drop("__key").select(frame.columns)


# -- from an HMIS CSV export -------------------------------------------------------------------------------


def load_export(
    path: Path,
    *,
    projects: Iterable[str] = (),
    progress: Progress | None = None,
    workdir: Path | None = None,
) -> HmisTables:
    """Read an HMIS CSV export (zip or folder; FY2026, FY2024 through HUD's changes, FY2022 translated first)
    for reporting.

    Only the columns of ``REPORT_COLUMNS`` are read and typed. A problem in one of them that the importer
    would refuse (a date that is not a date, a file that is not CSV) refuses the report too, naming file, row
    and column; problems in columns reports do not read do not matter here (``hearth validate`` lists all).
    """
    from hearth.exchange.archive import UnreadableExportError, open_export
    from hearth.exchange.csvfile import ROW, FileUnreadableError, batches, read_header
    from hearth.exchange.issues import IssueLog, Severity
    from hearth.exchange.parse import ParseOptions, parse_batch
    from hearth.exchange.versions import UnsupportedVersionError, detect

    spec = current()
    log = IssueLog()
    report = progress or (lambda stage, done, total: None)
    with tempfile.TemporaryDirectory(prefix="hearth-report-", dir=workdir) as work:
        try:
            files = open_export(path, spec, log, workdir=Path(work))
        except UnreadableExportError as exc:
            raise ReportInputError(str(exc)) from None
        with files:
            missing = [f"{name}.csv" for name in REQUIRED_RECORDS if name not in files.files]
            if missing:
                raise ReportInputError(f"{path.name} has no {', '.join(missing)}; a report needs them.")
            try:
                version = detect(files.files, files.names, spec, log)
            except UnsupportedVersionError as exc:
                raise ReportInputError(str(exc)) from None
            options = ParseOptions(time_zone=settings.TIME_ZONE, hashed=_hashed(files.files.get("Export")))
            frames: dict[str, pl.DataFrame] = {}
            records = list(REPORT_COLUMNS)
            for done, record in enumerate(records):
                report(f"Reading {record}.csv", done, len(records))
                csv_path = files.files.get(record)
                if csv_path is None:
                    frames[record] = empty(record)
                    continue
                rt = spec.record(record)
                wanted = (*REPORT_COLUMNS[record], DELETED)
                subset = RecordType(record, tuple(rt.column(name) for name in wanted))
                record_log = IssueLog()
                try:
                    header = read_header(csv_path, files.names[record], rt, version, record_log)
                    header = dataclasses.replace(
                        header,
                        record=subset,
                        rename={raw: name for raw, name in header.rename.items() if name in wanted},
                        legacy={},
                        missing=[c for c in header.missing if c.name in wanted],
                    )
                    parts = [
                        parse_batch(raw, subset, options, record_log)
                        for raw in batches(csv_path, header, settings.HEARTH_IMPORT_BATCH_ROWS, record_log)
                    ]
                except FileUnreadableError:
                    parts = []
                errors = [
                    issue
                    for issue in record_log.issues()
                    if issue.severity == Severity.ERROR and (not issue.column or issue.column in wanted)
                ]
                if errors:
                    raise ReportInputError(_describe(errors, files.names[record]))
                typed = pl.concat(parts) if parts else pl.DataFrame()
                if ROW in typed.columns:
                    typed = typed.drop(ROW)
                frames[record] = conform(record, typed)
            report("Read", len(records), len(records))
    keyed, keys = with_keys(frames)
    tables = HmisTables(keyed, source=path.name, keys=keys)
    return tables.for_projects(projects) if projects else tables


def _hashed(export_csv: Path | None) -> bool:
    """HashStatus 2–4 (HMIS CSV Export.csv): names and SSN hold digests, longer than the plain limits."""
    if export_csv is None:
        return False
    try:
        row = pl.read_csv(export_csv, infer_schema=False, n_rows=1)
    except pl.exceptions.PolarsError:
        return False
    lowered = {c.lower(): c for c in row.columns}
    column = lowered.get("hashstatus")
    return bool(column and row.height and (row[column][0] or "").strip() in ("2", "3", "4"))


def _describe(errors: Sequence[Any], filename: str) -> str:
    shown = []
    for issue in errors[:_ERRORS_SHOWN]:
        where = f"row {issue.row} " if issue.row else ""
        column = f"{issue.column}: " if issue.column else ""
        shown.append(f"{issue.file or filename} {where}{column}{issue.message}")
    hidden = len(errors) - _ERRORS_SHOWN
    more = f" (and {hidden} more; `hearth validate` lists them all)" if hidden > 0 else ""
    return "The export cannot be reported on: " + "; ".join(shown) + more


# -- from the database -------------------------------------------------------------------------------------


def load_database(
    *, projects: Iterable[str] = (), progress: Progress | None = None, database_keys: bool = False
) -> HmisTables:
    """Read the report columns from Hearth's database (every source), as one consistent snapshot.

    On PostgreSQL all reads run in one REPEATABLE READ transaction through ADBC (binary, no Python per row);
    on SQLite inside one transaction. ``projects`` (HUD ProjectIDs) restricts the read to those projects'
    enrollments and what hangs on them, in SQL, so a one-project run reads one project's rows.

    ``database_keys``: every ID column (PersonalID, EnrollmentID, ProjectID, …) holds Hearth's database id as
    text, and ``projects`` are database ids too. HUD IDs are unique only within one source, so runs in the
    application, which read every source at once and lead back to client records, use these.

    This is the report engine's bulk read, like the exporter's: callers decide who may run which report on
    which projects (hearth.access), the engine does not.
    """
    from django.db import connection, transaction

    from hearth.exchange import db

    wanted = tuple(projects)
    report = progress or (lambda stage, done, total: None)
    records = list(REPORT_COLUMNS)
    frames: dict[str, pl.DataFrame] = {}

    def read(fetch: Callable[[str, Sequence[Any]], pl.DataFrame]) -> None:
        for done, record in enumerate(records):
            report(f"Reading {record}", done, len(records))
            where, params = _where(record, wanted, database_keys)
            frames[record] = conform(record, fetch(record, params) if where is not None else pl.DataFrame())
        report("Read", len(records), len(records))

    def sql_for(record: str) -> str:
        where, _ = _where(record, wanted, database_keys)
        return db.hud_select(record, _db_columns(record), where=where or "", database_keys=database_keys)

    def run() -> None:
        if db.is_postgres() and not connection.in_atomic_block:
            with db.ArrowReader() as reader:

                def fetch_pg(record: str, params: Sequence[Any]) -> pl.DataFrame:
                    columns = _db_columns(record)
                    raw = db._conform(reader.frame(sql_for(record), params), db.hud_schema(record, columns))
                    return db._type_frame(raw, _rmap(record), columns)

                read(fetch_pg)
        else:
            with transaction.atomic():

                def fetch(record: str, params: Sequence[Any]) -> pl.DataFrame:
                    where, _ = _where(record, wanted, database_keys)
                    return db.read_hud(
                        record, _db_columns(record), where=where or "", params=params, database_keys=database_keys
                    )

                read(fetch)

    try:
        run()
    except _database_errors() as exc:
        # The error's text can quote SQL; its kind is enough to act on.
        raise ReportInputError(
            f"Hearth's database cannot be read ({type(exc).__name__}): is it set up (`hearth migrate`) and reachable?"
        ) from None
    hud_ids: dict[str, dict[str, str]] = {}
    if database_keys:
        from hearth.hmis.models import Organization, Project

        for record, model in (("Project", Project), ("Organization", Organization)):
            hud_ids[record] = {str(pk): hud for pk, hud in model.objects.values_list("pk", "hud_id")}
    keyed, keys = with_keys(frames)
    return HmisTables(keyed, source="database", hud_ids=hud_ids, keys=keys)


def _database_errors() -> tuple[type[Exception], ...]:
    """Errors of every driver the read may go through: Django's, SQLite's, psycopg's (COPY) and ADBC's."""
    import sqlite3

    from django.db import DatabaseError

    errors: list[type[Exception]] = [DatabaseError, sqlite3.DatabaseError]
    try:
        import psycopg

        errors.append(psycopg.Error)
    except ImportError:  # pragma: no cover - installed with PostgreSQL support
        pass
    try:
        from adbc_driver_manager import dbapi

        errors.append(dbapi.Error)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


def _rmap(record: str) -> Any:
    from hearth.hmis.registry import record_map

    return record_map(record)


def _db_columns(record: str) -> list[str]:
    rmap = _rmap(record)
    wanted = set(REPORT_COLUMNS[record])
    # The export's own ExportID is not stored per row; every other report column is.
    return [fm.column.name for fm in rmap.fields if fm.column.name in wanted and not fm.is_export]


def _where(record: str, projects: tuple[str, ...], database_keys: bool = False) -> tuple[str | None, list[Any]]:
    """SQL filter for ``record`` (soft-deleted rows out; the projects' rows only, if projects are named)."""
    rmap = _rmap(record)
    deleted = f"t.{rmap.by_column(DELETED).db_column} IS NULL"
    if not projects:
        return deleted, []
    project_table = _rmap("Project").table
    enrollment = _rmap("Enrollment")
    marks = ", ".join(["%s"] * len(projects))
    key = "id" if database_keys else "hud_id"
    chosen = f"SELECT p.id FROM {project_table} p WHERE p.{key} IN ({marks})"
    project_col = enrollment.by_column("ProjectID").db_column
    enrolled = f"SELECT e.id FROM {enrollment.table} e WHERE e.{project_col} IN ({chosen})"
    params: list[Any] = [int(p) for p in projects] if database_keys else list(projects)
    if record == "Project":
        return f"{deleted} AND t.{key} IN ({marks})", params
    if record in PROJECT_CHILDREN:
        return f"{deleted} AND t.{rmap.by_column('ProjectID').db_column} IN ({chosen})", params
    if record == "Enrollment":
        return f"{deleted} AND t.{project_col} IN ({chosen})", params
    if record in ENROLLMENT_CHILDREN:
        return f"{deleted} AND t.{rmap.by_column('EnrollmentID').db_column} IN ({enrolled})", params
    if record == "Client":
        client_col = enrollment.by_column("PersonalID").db_column
        clients = f"SELECT e.{client_col} FROM {enrollment.table} e WHERE e.{project_col} IN ({chosen})"
        return f"{deleted} AND t.id IN ({clients})", params
    if record == "Organization":
        org_col = _rmap("Project").by_column("OrganizationID").db_column
        return f"{deleted} AND t.id IN (SELECT p.{org_col} FROM {project_table} p WHERE p.{key} IN ({marks}))", params
    return deleted, []
