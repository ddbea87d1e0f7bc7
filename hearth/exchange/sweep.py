"""Apply a full refresh's implied deletions.

(HMIS CSV spec, ExportDirective) A full refresh carries everything relevant to its period and projects and
replaces what the receiver holds; a delta refresh carries only what changed. So after a full refresh, a stored
record of one of the export's projects that the export no longer carries — a project descriptor, an
enrollment active in the export period, or an enrollment-level record of an enrollment the export carries —
was deleted in the source, and is marked deleted here (never removed: history and audit stay). Clients are
never swept: a client without activity in the period is simply absent.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.utils import timezone

from hearth.exchange import db
from hearth.exchange.validator import ValidationResult
from hearth.hmis.models import Export, Source
from hearth.hmis.registry import record_map
from hearth.spec import current

DESCRIPTORS = ["Funder", "ProjectCoC", "Inventory", "Affiliation", "HMISParticipation", "CEParticipation"]


def _file_keys(result: ValidationResult, record: str) -> pl.Series:
    staged = result.staged.get(record)
    key = current().record(record).key.name
    if staged is None or not staged.paths:
        return pl.Series(key, [], dtype=pl.String)
    return pl.scan_ipc(staged.paths).select(key).collect().get_column(key)


def _mark_deleted(record: str, ids: pl.Series, when: dt.datetime) -> int:
    if ids.len() == 0:
        return 0
    frame = pl.DataFrame({"id": ids}).with_columns(pl.lit(when).dt.replace_time_zone("UTC").alias("date_deleted"))
    return db.update_frame(record_map(record).table, frame)


def sweep_full_refresh(source: Source, export: Export, result: ValidationResult) -> dict[str, int]:
    when = timezone.now().replace(tzinfo=None, microsecond=0)
    where = "t.source_id = %s AND t.date_deleted IS NULL"
    params = [source.pk]
    projects = _file_keys(result, "Project")
    swept: dict[str, int] = {}
    if projects.len() == 0:
        return swept
    for record in DESCRIPTORS:
        stored = db.read_hud(record, None, where=where, params=params, with_ids=True)
        key = current().record(record).key.name
        gone = stored.filter(
            pl.col("ProjectID").is_in(projects.implode()) & ~pl.col(key).is_in(_file_keys(result, record).implode())
        )
        swept[record] = _mark_deleted(record, gone[db.ID], when)

    start, end = export.export_start_date, export.export_end_date
    enrollments = db.read_hud(
        "Enrollment", ["EnrollmentID", "ProjectID", "EntryDate"], where=where, params=params, with_ids=True
    )
    exits = db.read_hud("Exit", ["EnrollmentID", "ExitDate"], where=where, params=params)
    enrollments = enrollments.join(exits.unique("EnrollmentID"), on="EnrollmentID", how="left")
    carried = _file_keys(result, "Enrollment")
    active = (pl.col("EntryDate") <= end) & (pl.col("ExitDate").is_null() | (pl.col("ExitDate") >= start))
    gone_enrollments = enrollments.filter(
        pl.col("ProjectID").is_in(projects.implode()) & active & ~pl.col("EnrollmentID").is_in(carried.implode())
    )
    swept["Enrollment"] = _mark_deleted("Enrollment", gone_enrollments[db.ID], when)
    gone_ids = gone_enrollments["EnrollmentID"]
    for record, rt in current().record_types.items():
        if record in ("Enrollment", "Client") or "EnrollmentID" not in rt.by_name or rt.key.name == "EnrollmentID":
            continue
        stored = db.read_hud(record, [rt.key.name, "EnrollmentID"], where=where, params=params, with_ids=True)
        in_carried = pl.col("EnrollmentID").is_in(carried.implode()) & ~pl.col(rt.key.name).is_in(
            _file_keys(result, record).implode()
        )
        gone = stored.filter(in_carried | pl.col("EnrollmentID").is_in(gone_ids.implode()))
        swept[record] = _mark_deleted(record, gone[db.ID], when)
    return {r: n for r, n in swept.items() if n}
