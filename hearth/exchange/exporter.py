"""The export action: ``export_hmis(out=…, actor=…, options=…)`` writes an exact FY2026 HMIS CSV export.

Output (HMIS CSV FY2026): one .zip with the 24 files at its root, each with the exact header in spec order,
UTF-8, dates ``yyyy-mm-dd``, date-times ``yyyy-mm-dd hh:mm:ss`` in the CoC's local time, money with two
decimals, empty for null, strings quoted and numbers bare (as HUD's reference data is written), one Export
row whose ExportID every row carries, and none of the characters HUD's Eva rejects (< > [ ] { }).

Options follow HUD's export parameters: the period (ExportStartDate/EndDate), what the period selects
(ExportPeriodType: 1 records updated in it, 3 records active in it — the reporting period — , 4 everything),
ExportDirective (1 delta, 2 full refresh), organizations or projects, and hashing (HashStatus 1 or 4).

No export carries a victim service provider's client-level records or a confidential project's address, but
that organization's own copy (``own_organization``): docs/adr/0013-victim-service-and-dv.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import queue
import threading
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

import hearth
from hearth.audit.log import record as audit
from hearth.exchange import db
from hearth.exchange.hashing import hash_client_frame
from hearth.exchange.localtime import to_local
from hearth.exchange.models import ExportRun, RunStatus
from hearth.hmis.models import Export, Source
from hearth.hmis.registry import record_map
from hearth.spec import Spec, current
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG, STRING, RecordType

Progress = Callable[[str, int, int], None]

# Eva check 134: string fields may not contain these.
IMPERMISSIBLE = "<>[]{}"

UPDATED, REPORTING_PERIOD, OTHER = 1, 3, 4  # list 1.1 ExportPeriodType
DELTA, FULL = 1, 2  # list 1.2 ExportDirective
UNHASHED, SHA256 = 1, 4  # list 1.5 HashStatus


@dataclass(frozen=True)
class ExportOptions:
    start: dt.date | None = None
    end: dt.date | None = None
    period_type: int = OTHER
    directive: int = FULL
    hashed: bool = False
    organizations: tuple[str, ...] = ()  # HUD OrganizationIDs (in every selected source)
    projects: tuple[str, ...] = ()  # HUD ProjectIDs (in every selected source)
    sources: tuple[str, ...] = ()  # source names; default: all sources
    # Hearth's own database ids: exactly these records, whichever source holds them. HUD IDs are unique within a
    # source only, so a selection made on a page (a user's reach) names records by these.
    organization_keys: tuple[int, ...] = ()
    project_keys: tuple[int, ...] = ()
    include_deleted: bool | None = None  # default: only in delta (ExportPeriodType 1) exports
    # The HUD OrganizationID whose own copy this is (a victim service provider's extract of its comparable
    # database): only then do a VSP's client-level records and a confidential project's address go out, and only
    # that organization's (docs/adr/0013-victim-service-and-dv.md). Pages never set it.
    own_organization: str | None = None

    def as_json(self) -> dict[str, Any]:
        own = {"own_organization": self.own_organization} if self.own_organization else {}
        keys = {
            name: list(value)
            for name, value in (("organization_keys", self.organization_keys), ("project_keys", self.project_keys))
            if value
        }
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "period_type": self.period_type,
            "directive": self.directive,
            "hashed": self.hashed,
            "organizations": list(self.organizations),
            "projects": list(self.projects),
            "sources": list(self.sources),
            **keys,
            **own,
        }


@dataclass
class ExportOutcome:
    path: Path
    export: Export
    run: ExportRun
    counts: dict[str, int] = field(default_factory=dict)
    stripped: dict[str, int] = field(default_factory=dict)  # impermissible characters removed, per file


class ExportOptionError(ValueError):
    """The options cannot describe an export (unknown project, end before start…)."""


def _selects(options: ExportOptions) -> bool:
    """Whether the export is limited to chosen organizations or projects."""
    return bool(options.projects or options.organizations or options.project_keys or options.organization_keys)


def _where(options: ExportOptions, source_ids: list[int]) -> dict[str, tuple[str, list[Any]]]:
    """SQL WHERE (with parameters) per record type for the selected scope."""
    marks = ", ".join(["%s"] * len(source_ids))
    in_sources = f"t.source_id IN ({marks})"
    if options.own_organization:
        # An organization's own copy holds its projects only, whatever else was asked.
        options = replace(
            options, organizations=(options.own_organization,), projects=(), organization_keys=(), project_keys=()
        )
    live = "" if _include_deleted(options) else " AND t.date_deleted IS NULL"
    project_filter = ""
    project_params: list[Any] = []
    if _selects(options):
        clauses = []
        if options.projects:
            clauses.append(f"p.hud_id IN ({', '.join(['%s'] * len(options.projects))})")
            project_params += list(options.projects)
        if options.project_keys:
            clauses.append(f"p.id IN ({', '.join(['%s'] * len(options.project_keys))})")
            project_params += list(options.project_keys)
        if options.organizations:
            clauses.append(
                f"p.organization_id IN (SELECT o.id FROM hmis_organization o WHERE o.hud_id IN "
                f"({', '.join(['%s'] * len(options.organizations))}) AND o.source_id IN ({marks}))"
            )
            project_params += [*options.organizations, *source_ids]
        if options.organization_keys:
            clauses.append(f"p.organization_id IN ({', '.join(['%s'] * len(options.organization_keys))})")
            project_params += list(options.organization_keys)
        project_filter = " AND (" + " OR ".join(clauses) + ")"
    projects_sql = f"SELECT p.id FROM hmis_project p WHERE p.source_id IN ({marks}){project_filter}"
    projects_params = [*source_ids, *project_params]

    start, end = options.start, options.end
    # Client-level records never come from a victim service provider's projects, but in its own copy.
    withheld_organizations, withheld_sql, withheld_params = _withheld(options, source_ids)
    enrollment_sql = f"SELECT e.id FROM hmis_enrollment e WHERE e.project_id IN ({projects_sql})"
    enrollment_params: list[Any] = list(projects_params)
    if withheld_sql:
        enrollment_sql += f" AND e.project_id NOT IN ({withheld_sql})"
        enrollment_params += withheld_params
    if options.period_type == REPORTING_PERIOD and start and end:
        # Active in the period: started on or before its end, and not exited before its start.
        enrollment_sql += (
            " AND e.entry_date <= %s AND NOT EXISTS (SELECT 1 FROM hmis_exit x WHERE x.enrollment_id = e.id"
            " AND x.date_deleted IS NULL AND x.exit_date < %s)"
        )
        enrollment_params += [end, start]
    updated = ""
    updated_params: list[Any] = []
    if options.period_type == UPDATED and start and end:
        updated = " AND t.date_updated >= %s AND t.date_updated < %s"
        updated_params = [
            _local_midnight(start),
            _local_midnight(end + dt.timedelta(days=1)),
        ]

    scoped = _selects(options) or options.period_type == REPORTING_PERIOD
    where: dict[str, tuple[str, list[Any]]] = {}
    for record, rt in current().record_types.items():
        if record == "Export":
            continue
        clause, params = in_sources + live + updated, [*source_ids, *updated_params]
        if record == "Organization" and scoped:
            clause += f" AND t.id IN (SELECT p.organization_id FROM hmis_project p WHERE p.id IN ({projects_sql}))"
            params += projects_params
        elif record == "Project" and scoped:
            clause += f" AND t.id IN ({projects_sql})"
            params += projects_params
        elif (record == "Affiliation" and scoped) or ("ProjectID" in rt.by_name and record != "Enrollment" and scoped):
            clause += f" AND t.project_id IN ({projects_sql})"
            params += projects_params
        elif record == "Enrollment" and scoped:
            clause += f" AND t.id IN ({enrollment_sql})"
            params += enrollment_params
        elif record == "Client" and scoped:
            clause += f" AND t.id IN (SELECT e2.client_id FROM hmis_enrollment e2 WHERE e2.id IN ({enrollment_sql}))"
            params += enrollment_params
        elif "EnrollmentID" in rt.by_name and record not in ("Enrollment",) and scoped:
            clause += f" AND t.enrollment_id IN ({enrollment_sql})"
            params += enrollment_params
        elif withheld_sql and record == "Enrollment":
            clause += f" AND t.project_id NOT IN ({withheld_sql})"
            params += withheld_params
        elif withheld_sql and record == "Client":
            vsp_only = _VSP_ONLY_CLIENT.format(projects=withheld_sql, organizations=withheld_organizations)
            clause += f" AND NOT ({vsp_only})"
            params += withheld_params * 4
        elif withheld_sql and "EnrollmentID" in rt.by_name:
            clause += (
                " AND NOT EXISTS (SELECT 1 FROM hmis_enrollment w WHERE w.id = t.enrollment_id"
                f" AND w.project_id IN ({withheld_sql}))"
            )
            params += withheld_params
        where[record] = (clause, params)
    return where


# A client whose only agency is a withheld VSP: served or registered there, and by no other agency.
_VSP_ONLY_CLIENT = (
    "(EXISTS (SELECT 1 FROM hmis_enrollment v WHERE v.client_id = t.id AND v.project_id IN ({projects}))"
    " OR EXISTS (SELECT 1 FROM access_client_origin vo WHERE vo.client_id = t.id"
    " AND vo.organization_id IN ({organizations})))"
    " AND NOT EXISTS (SELECT 1 FROM hmis_enrollment n WHERE n.client_id = t.id AND n.date_deleted IS NULL"
    " AND n.project_id NOT IN ({projects}))"
    " AND NOT EXISTS (SELECT 1 FROM access_client_origin co WHERE co.client_id = t.id"
    " AND co.organization_id NOT IN ({organizations}))"
)


def _withheld(options: ExportOptions, source_ids: list[int]) -> tuple[str, str, list[Any]]:
    """SQL selecting the organizations and the projects whose client-level records this export withholds, and
    their parameters: every victim service provider's (HMIS Data Standards 2.01.3 = 1; HUD: VSPs keep
    client-level data in a comparable database and share aggregates only), except the organization's own in
    its own copy. Empty when there are none, so exports without VSPs pay nothing."""
    from hearth.hmis.models import Organization

    vsps = Organization.objects.filter(victim_service_provider=1)
    own_sql, own_params = "", []
    if options.own_organization:
        vsps = vsps.exclude(hud_id=options.own_organization, source_id__in=source_ids)
        marks = ", ".join(["%s"] * len(source_ids))
        own_sql = f" AND NOT (wo.hud_id = %s AND wo.source_id IN ({marks}))"
        own_params = [options.own_organization, *source_ids]
    if not vsps.exists():
        return "", "", []
    organizations = f"SELECT wo.id FROM hmis_organization wo WHERE wo.victim_service_provider = 1{own_sql}"
    projects = f"SELECT wp.id FROM hmis_project wp WHERE wp.organization_id IN ({organizations})"
    return organizations, projects, own_params


def _include_deleted(options: ExportOptions) -> bool:
    if options.include_deleted is not None:
        return options.include_deleted
    return options.period_type == UPDATED


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


def _qualifier(sources: list[Source]) -> dict[int, str]:
    """HUD IDs are unique per source; an export spanning sources prefixes every non-local source's IDs.

    Only sources holding records count (Hearth's own local source exists even before anyone enters data).
    """
    from hearth.hmis.models import Client, Project

    with_data = [
        s for s in sources if Project.objects.filter(source=s).exists() or Client.objects.filter(source=s).exists()
    ]
    if len(with_data) < 2:
        return {}
    return {s.pk: f"{s.pk}_" for s in with_data if not s.is_local}


# Identifier columns that are not foreign keys but must stay consistent with the IDs they name.
_QUALIFIED_VALUES = {"UserID", "HouseholdID"}


def _qualify(value: pl.Expr, source: pl.Expr, prefixes: dict[int, str]) -> pl.Expr:
    prefix = source.replace_strict(prefixes, default="", return_dtype=pl.String)
    joined = prefix + value

    def shorten(text: str | None) -> str | None:
        if text is None or len(text) <= 32:
            return text
        head, _, rest = text.partition("_")
        return f"{head}_" + hashlib.blake2b(rest.encode(), digest_size=12).hexdigest()

    return pl.when(prefix == "").then(value).otherwise(joined.map_elements(shorten, return_dtype=pl.String))


def to_hud_strings(frame: pl.DataFrame, rt: RecordType, time_zone: str) -> tuple[pl.DataFrame, int]:
    """Typed HUD frame -> the exact text HMIS CSV holds; returns it and the count of characters stripped.

    Two passes whatever the width: one counts the characters HUD does not allow, one formats every column.
    """
    strings = [c.name for c in rt.columns if c.type == STRING and c.name in frame.columns]
    counted = (
        frame.select(pl.sum_horizontal(pl.col(n).str.count_matches(_IMPERMISSIBLE).sum() for n in strings))
        if strings
        else None
    )
    stripped = int(counted.item() or 0) if counted is not None else 0
    # Date-times are written in the CoC's local time (HMIS CSV carries no zone), converted an hour at a time.
    local = {
        c.name: to_local(frame[c.name], time_zone) for c in rt.columns if c.type == DATETIME and c.name in frame.columns
    }
    if local:
        frame = frame.with_columns(local.values())
    exprs = []
    for column in rt.columns:
        name = column.name
        if name not in frame.columns:
            exprs.append(pl.lit(None, pl.String).alias(name))
            continue
        value = pl.col(name)
        if column.type == DATE:
            exprs.append(value.dt.strftime("%Y-%m-%d").alias(name))
        elif column.type == DATETIME:
            exprs.append(value.dt.strftime("%Y-%m-%d %H:%M:%S").alias(name))
        elif column.type in (MONEY, MONEY_NONNEG):
            exprs.append(value.cast(pl.Decimal(12, 2)).cast(pl.String).alias(name))
        elif column.type == INTEGER:
            exprs.append(value.cast(pl.Int64).cast(pl.String).alias(name))
        else:
            text = value.cast(pl.String)
            exprs.append((text.str.replace_all(_IMPERMISSIBLE, "") if stripped else text).alias(name))
    return frame.select(exprs), stripped


_IMPERMISSIBLE = r"[<>\[\]{}]"


def _csv_bytes(frame: pl.DataFrame, rt: RecordType, header: bool) -> bytes:
    """Strings quoted, numbers and dates bare, empty for null — the way HUD's reference exports are written."""
    quoted = [
        (pl.lit('"') + pl.col(c.name).str.replace_all('"', '""', literal=True) + pl.lit('"')).alias(c.name)
        if c.type == STRING
        else pl.col(c.name)
        for c in rt.columns
    ]
    out = frame.select(quoted).write_csv(include_header=False, quote_style="never", null_value="")
    head = (",".join(rt.header) + "\n") if header else ""
    return head.encode() + out.encode()


def export_hmis(
    *,
    out: Path,
    actor: str,
    actor_id: int | None = None,
    options: ExportOptions | None = None,
    contact: dict[str, str] | None = None,
    progress: Progress | None = None,
    spec: Spec | None = None,
) -> ExportOutcome:
    spec = spec or current()
    options = options or ExportOptions()
    progress = progress or (lambda stage, done, total: None)
    if options.start and options.end and options.end < options.start:
        raise ExportOptionError("The export period ends before it starts.")
    sources = list(Source.objects.filter(name__in=options.sources)) if options.sources else list(Source.objects.all())
    if options.sources and len(sources) != len(set(options.sources)):
        missing = set(options.sources) - {s.name for s in sources}
        raise ExportOptionError(f"No source named {', '.join(sorted(missing))}.")
    source_ids = [s.pk for s in sources] or [0]
    _check_selection(options, source_ids)
    local = Source.local()
    if not local.implementation_id:
        local.implementation_id = uuid.uuid4().hex
        local.save(update_fields=["implementation_id"])
    run = ExportRun.objects.create(
        filename=out.name,
        actor=actor,
        actor_id=actor_id,
        options=options.as_json(),
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
    )
    where = _where(options, source_ids)
    prehashed = _check_hash_status(options, sources, where["Client"])
    masked = _masked_addresses(options, source_ids)
    prefixes = _qualifier(sources)
    time_zone = settings.TIME_ZONE
    now_local = timezone.localtime().replace(microsecond=0, tzinfo=None)
    export_id = uuid.uuid4().hex
    counts: dict[str, int] = {}
    stripped: dict[str, int] = {}
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    records = [r for r in spec.record_types if r != "Export"]
    try:
        with _snapshot() as reader, ZipStreamer(partial) as archive:
            coc_codes, earliest = _export_scope(where, reader)
            start = options.start or earliest or now_local.date()
            end = options.end or now_local.date()
            export_values = _export_row(export_id, now_local, start, end, options, local, coc_codes, contact or {})
            export_rt = spec.record("Export")
            export_frame = pl.DataFrame([export_values], schema=dict.fromkeys(export_rt.header, pl.String))
            archive.member(export_rt.filename, [_csv_bytes(export_frame, export_rt, header=True)])
            for index, record in enumerate(records):
                progress(f"Writing {record}.csv", index, len(records))
                rt = spec.record(record)
                chunks = _record_chunks(
                    record,
                    where[record],
                    reader,
                    prefixes,
                    time_zone,
                    export_id,
                    options.hashed,
                    prehashed,
                    counts,
                    stripped,
                    masked if record == "ProjectCoC" else frozenset(),
                )
                archive.member(rt.filename, chunks)
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        ExportRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now())
        raise
    with transaction.atomic():
        export = Export.objects.create(source=local, **_export_model_values(export_values))
        run.export = export
        run.status = RunStatus.SUCCEEDED
        run.finished_at = timezone.now()
        run.progress = 1.0
        run.counts = counts
        run.save()
        audit(
            "hmis.export",
            actor=actor,
            actor_id=actor_id,
            object_type="ExportRun",
            object_id=run.pk,
            details={"export": export_id, "options": options.as_json(), "counts": counts},
        )
    progress("Done", 1, 1)
    return ExportOutcome(path=out, export=export, run=run, counts=counts, stripped=stripped)


def _record_chunks(
    record: str,
    where: tuple[str, list[Any]],
    reader: db.ArrowReader | None,
    prefixes: dict[int, str],
    time_zone: str,
    export_id: str,
    hashed: bool,
    prehashed: frozenset[int],
    counts: dict[str, int],
    stripped: dict[str, int],
    masked: frozenset[str] = frozenset(),
) -> Iterator[bytes]:
    """One file's CSV, header first, batch by batch. ``masked``: ProjectCoC rows whose address is blanked
    (``"<source id>:<ProjectID>"``, see _masked_addresses); ``prehashed``: sources whose Client names and SSNs
    are SHA-256 digests already (they are not hashed twice)."""
    rt = current().record(record)
    rmap = record_map(record)
    clause, params = where
    counts[record] = 0
    yield (",".join(rt.header) + "\n").encode()
    for frame in db.iter_hud(record, where=clause, params=params, with_ids=True, reader=reader):
        if masked:
            frame = _mask_addresses(frame, masked)
        if prefixes:
            frame = frame.with_columns(
                _qualify(pl.col(fm.column.name), pl.col(db.SOURCE), prefixes).alias(fm.column.name)
                for fm in rmap.fields
                if (fm.column.is_key or fm.is_reference or fm.column.name in _QUALIFIED_VALUES)
                and fm.column.name in frame.columns
            )
        text, removed = to_hud_strings(frame, rt, time_zone)
        if removed:
            stripped[rt.filename] = stripped.get(rt.filename, 0) + removed
        text = text.with_columns(pl.lit(export_id).alias("ExportID"))
        if record == "Client" and hashed:
            text = hash_client_frame(text, skip=frame[db.SOURCE].is_in(list(prehashed)) if prehashed else None)
        counts[record] += text.height
        yield _csv_bytes(text, rt, header=False)


def _masked_addresses(options: ExportOptions, source_ids: list[int]) -> frozenset[str]:
    """Confidential projects (hearth.structure.confidential: a VSP's, or flagged) whose address this export
    leaves blank: all of them, but the organization's own in its own copy. Keys ``"<source id>:<ProjectID>"``."""
    from hearth.hmis.models import Project
    from hearth.structure.confidential import confidential_project_ids

    confidential = confidential_project_ids()
    if not confidential:
        return frozenset()
    rows = Project.objects.filter(pk__in=confidential, source_id__in=source_ids)
    if options.own_organization:
        rows = rows.exclude(organization__hud_id=options.own_organization, organization__source_id__in=source_ids)
    return frozenset(f"{source}:{hud_id}" for source, hud_id in rows.values_list("source_id", "hud_id"))


def _mask_addresses(frame: pl.DataFrame, masked: frozenset[str]) -> pl.DataFrame:
    """Blank 2.03.3-2.03.7 (Address1, Address2, City, State, ZIP: nullable in HMIS CSV FY2026) of confidential
    projects; Geocode (required, 2.03.2) and GeographyType stay: they name an area, not a place."""
    from hearth.structure.confidential import ADDRESS_COLUMNS

    key = pl.concat_str([pl.col(db.SOURCE).cast(pl.String), pl.lit(":"), pl.col("ProjectID")])
    hidden = key.is_in(list(masked))
    return frame.with_columns(
        pl.when(hidden).then(pl.lit(None, frame.schema[c])).otherwise(pl.col(c)).alias(c)
        for c in ADDRESS_COLUMNS
        if c in frame.columns
    )


def _export_scope(
    where: dict[str, tuple[str, list[Any]]], reader: db.ArrowReader | None
) -> tuple[list[str], dt.date | None]:
    """The exported projects' CoC codes (Export.SourceID) and the earliest project start (default start)."""
    codes: set[str] = set()
    for frame in db.iter_hud("ProjectCoC", where=where["ProjectCoC"][0], params=where["ProjectCoC"][1], reader=reader):
        codes.update(c for c in frame["CoCCode"].to_list() if c)
    earliest: dt.date | None = None
    clause, params = where["Enrollment"]
    first = db.scalar(f"SELECT MIN(t.entry_date) FROM hmis_enrollment t WHERE {clause}", params, reader)
    if isinstance(first, dt.date):
        earliest = first
    elif isinstance(first, str) and first:
        earliest = dt.date.fromisoformat(first[:10])
    return sorted(codes), earliest


class ZipStreamer:
    """Writes zip members from chunks produced in the calling thread; compression runs in a second thread.

    Deflate level 1: HMIS CSV still compresses about eightfold, three times faster than the default level.
    """

    def __init__(self, path: Path) -> None:
        self._archive = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._queue: queue.Queue[tuple[str, bytes]] = queue.Queue(maxsize=8)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="hearth-export-zip", daemon=True)
        self._thread.start()

    def member(self, name: str, chunks: Iterable[bytes]) -> None:
        self._put("open", name.encode())
        for chunk in chunks:
            self._put("data", chunk)
        self._put("close", b"")

    def _put(self, kind: str, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((kind, data))

    def _run(self) -> None:
        handle = None
        try:
            while True:
                kind, data = self._queue.get()
                if kind == "open":
                    handle = self._archive.open(data.decode(), "w", force_zip64=True)
                elif kind == "data":
                    assert handle is not None
                    handle.write(data)
                elif kind == "close":
                    assert handle is not None
                    handle.close()
                    handle = None
                else:
                    return
        except BaseException as exc:
            self._error = exc
            while True:  # keep consuming so the producer never blocks
                if self._queue.get()[0] == "end":
                    return

    def __enter__(self) -> ZipStreamer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._queue.put(("end", b""))
        self._thread.join()
        self._archive.close()
        if self._error is not None and exc[0] is None:
            raise self._error


@contextlib.contextmanager
def _snapshot() -> Iterator[db.ArrowReader | None]:
    """Read every table of the export as of one moment, so references between files stay whole.

    Inside a caller's transaction (tests; an action composing exports) the reads join that transaction.
    """
    if db.is_postgres() and not db.connection.in_atomic_block:
        with db.ArrowReader() as reader:
            yield reader
    elif db.connection.in_atomic_block:
        yield None
    else:
        with transaction.atomic():
            yield None


def _check_hash_status(
    options: ExportOptions, sources: list[Source], client_where: tuple[str, list[Any]]
) -> frozenset[int]:
    """The sources in this export whose Client names and SSNs are SHA-256 digests already (Source.hash_status 4).

    Export.HashStatus (HMIS CSV FY2026, list 1.5) is one value for the whole file. A hashed export (4) can carry
    another source's SHA-256 digests as they are; it cannot carry other hashings (2, 3), and an unhashed export (1)
    cannot carry digests at all: such an export is refused, naming the source, rather than mislabelled."""
    hashed_sources = [s for s in sources if s.is_hashed]
    if not hashed_sources:
        return frozenset()
    clause, params = client_where
    in_scope = []
    with connection.cursor() as cursor:
        for source in hashed_sources:
            sql = f"SELECT 1 FROM hmis_client t WHERE ({clause}) AND t.source_id = %s LIMIT 1"
            cursor.execute(sql, [*params, source.pk])
            if cursor.fetchone():
                in_scope.append(source)
    for source in in_scope:
        if not options.hashed or source.hash_status != SHA256:
            remedy = ", or export with hashing (HashStatus 4)" if source.hash_status == SHA256 else ""
            raise ExportOptionError(
                f"Source “{source.name}” was imported with hashed names and SSNs (HashStatus {source.hash_status}): "
                f"this export cannot hold its clients. Leave that source out of the export{remedy}."
            )
    return frozenset(s.pk for s in in_scope)


def _check_selection(options: ExportOptions, source_ids: list[int]) -> None:
    from hearth.hmis.models import Organization, Project

    own = options.own_organization
    if own and not Organization.objects.filter(source_id__in=source_ids, hud_id=own).exists():
        raise ExportOptionError(f"No organization with OrganizationID {own}.")

    if options.projects:
        found = set(
            Project.objects.filter(source_id__in=source_ids, hud_id__in=options.projects).values_list(
                "hud_id", flat=True
            )
        )
        missing = sorted(set(options.projects) - found)
        if missing:
            raise ExportOptionError(f"No project with ProjectID {', '.join(missing)}.")
    if options.organizations:
        found = set(
            Organization.objects.filter(source_id__in=source_ids, hud_id__in=options.organizations).values_list(
                "hud_id", flat=True
            )
        )
        missing = sorted(set(options.organizations) - found)
        if missing:
            raise ExportOptionError(f"No organization with OrganizationID {', '.join(missing)}.")
    for model, keys, noun in (
        (Project, options.project_keys, "projects"),
        (Organization, options.organization_keys, "organizations"),
    ):
        if keys and model.objects.filter(source_id__in=source_ids, pk__in=keys).count() != len(set(keys)):
            # Ids, not HUD IDs, come from a page's choice: a record deleted since is the likely cause.
            raise ExportOptionError(f"Some of the chosen {noun} no longer exist; choose them again.")


def _export_row(
    export_id: str,
    now_local: dt.datetime,
    start: dt.date,
    end: dt.date,
    options: ExportOptions,
    local: Source,
    coc_codes: list[str],
    contact: dict[str, str],
) -> dict[str, str | None]:
    source_id = ";".join(coc_codes)
    is_coc = bool(coc_codes) and len(source_id) <= 350
    return {
        "ExportID": export_id,
        "SourceType": "1" if is_coc else "4",  # list 1.9: 1 CoC HMIS; 4 other
        "SourceID": source_id if is_coc else None,
        "SourceName": None if is_coc else local.name[:50],
        "SourceContactFirst": contact.get("first") or None,
        "SourceContactLast": contact.get("last") or None,
        "SourceContactPhone": contact.get("phone") or None,
        "SourceContactExtension": None,
        "SourceContactEmail": contact.get("email") or None,
        "ExportDate": now_local.strftime("%Y-%m-%d %H:%M:%S"),
        "ExportStartDate": start.isoformat(),
        "ExportEndDate": end.isoformat(),
        "SoftwareName": "Hearth",
        "SoftwareVersion": hearth.__version__,
        "CSVVersion": current().csv_version,
        "ExportPeriodType": str(options.period_type),
        "ExportDirective": str(options.directive),
        "HashStatus": str(SHA256 if options.hashed else UNHASHED),
        "ImplementationID": local.implementation_id,
    }


def _export_model_values(row: dict[str, str | None]) -> dict[str, Any]:
    rmap = record_map("Export")
    values: dict[str, Any] = {}
    for fm in rmap.fields:
        raw = row.get(fm.column.name)
        if raw is None:
            values[fm.field] = None
        elif fm.column.type == INTEGER:
            values[fm.field] = int(raw)
        elif fm.column.type == DATE:
            values[fm.field] = dt.date.fromisoformat(raw)
        elif fm.column.type == DATETIME:
            values[fm.field] = timezone.make_aware(dt.datetime.fromisoformat(raw), timezone.get_default_timezone())
        else:
            values[fm.field] = raw
    return values
