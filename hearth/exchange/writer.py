"""Turn validated, staged batches into rows of the HUD tables of one source, and write them.

Preparing (``BatchPreparer``) is pure computation plus reads of what the source already holds; applying
(``Applier``) only writes. On PostgreSQL they run in two threads, so both cores work (docs/adr/0003).

Each incoming record is matched to the stored one by (source, HUD ID) and then:
- new: inserted;
- newer (DateUpdated later than the stored one, or a stored deletion the export restores): replaces it;
- same or older: left alone. HMIS CSV receivers compare DateUpdated to decide (spec: "DateUpdated drives
  import precedence"); a record changed in Hearth after the last import is therefore kept, and counted.
References (PersonalID, EnrollmentID…) become foreign keys through the source's id maps; new records of the
types others refer to get their ids before they are written (reserved from the table's sequence).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Protocol

import polars as pl

from hearth.exchange import db
from hearth.exchange.csvfile import LEGACY
from hearth.exchange.hooks import ImportStep
from hearth.exchange.keyindex import KeyIndex
from hearth.hmis.fields import encrypted_fields
from hearth.hmis.registry import RecordMap, record_map

PARENTS = {"Organization", "Project", "Client", "Enrollment", "Assessment"}
# Below this many rows, maintaining indexes row by row is cheaper than rebuilding them.
BULK_MIN_ROWS = 50_000


@dataclass
class RecordCounts:
    received: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    deleted: int = 0  # written with a DateDeleted (deleted in the source)
    swept: int = 0  # absent from a full refresh, so marked deleted

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Prepared:
    """One batch, ready for the database: rows to insert (ids set for parent types) and rows to update."""

    record: str
    inserts: pl.DataFrame
    updates: pl.DataFrame
    # The inserts already encoded for PostgreSQL's binary COPY (by the import's validating thread, so the writing
    # thread, the import's bottleneck, only sends them); None: encoded when written.
    encoded: db.EncodedRows | None = None


class IdAllocator(Protocol):
    def reserve(self, table: str, count: int) -> pl.Series: ...


class SequenceIds:
    """PostgreSQL: draw ids from the table's identity sequence (safe alongside other writers)."""

    def reserve(self, table: str, count: int) -> pl.Series:
        return db.reserve_ids(table, count)


class NextIds:
    """SQLite: ids after the largest one, inside the import's write transaction (SQLite has one writer)."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def reserve(self, table: str, count: int) -> pl.Series:
        if table not in self._next:
            self._next[table] = db.max_id(table) + 1
        start = self._next[table]
        self._next[table] = start + count
        return pl.int_range(start, start + count, eager=True, dtype=pl.Int64)


class BatchPreparer:
    """``new_source``: the source holds nothing yet, so nothing is read back (its tables may be locked by a
    bulk load in the writing thread)."""

    def __init__(
        self,
        source_id: int,
        export_pk: int,
        ids: IdAllocator,
        *,
        new_source: bool,
        steps: Sequence[ImportStep] = (),
    ) -> None:
        self.source_id = source_id
        self.steps = steps
        self.export_pk = export_pk
        self.ids = ids
        self.new_source = new_source
        self.counts: dict[str, RecordCounts] = {}
        self._id_maps: dict[str, pl.DataFrame] = {}
        self._id_indexes: dict[str, tuple[KeyIndex, pl.Series]] = {}
        self._new_ids: dict[str, list[pl.DataFrame]] = {}
        self._stored: dict[str, pl.DataFrame] = {}
        self._stored_indexes: dict[str, KeyIndex] = {}

    def _id_index(self, record: str) -> tuple[KeyIndex, pl.Series]:
        """Key index over a referenced record type's HUD IDs, and the database id of each."""
        if record not in self._id_maps:
            stored = self._stored_for(record_map(record))
            self._id_maps[record] = stored.select("hud_id", pl.col("__stored_id").alias("id"))
        if record not in self._id_indexes:
            ids = self._id_maps[record]
            self._id_indexes[record] = (KeyIndex(ids["hud_id"]), ids["id"])
        return self._id_indexes[record]

    def _stored_for(self, rmap: RecordMap) -> pl.DataFrame:
        if rmap.record not in self._stored:
            if self.new_source:
                stored = pl.DataFrame(
                    schema={"hud_id": pl.String, "id": pl.Int64, "date_updated": pl.String, "date_deleted": pl.String}
                )
            else:
                stored = db.key_map(rmap.table, self.source_id, extra=["date_updated", "date_deleted"])
            self._stored[rmap.record] = stored.select(
                "hud_id",
                pl.col("id").alias("__stored_id"),
                _utc(pl.col("date_updated")).alias("__stored_updated"),
                pl.col("date_deleted").is_not_null().alias("__stored_deleted"),
            )
        return self._stored[rmap.record]

    def _stored_index(self, rmap: RecordMap) -> KeyIndex:
        if rmap.record not in self._stored_indexes:
            self._stored_indexes[rmap.record] = KeyIndex(self._stored_for(rmap)["hud_id"])
        return self._stored_indexes[rmap.record]

    def prepare(self, record: str, frame: pl.DataFrame) -> Prepared:
        rmap = record_map(record)
        counts = self.counts.setdefault(record, RecordCounts())
        counts.received += frame.height
        values = self.to_db(rmap, frame)
        stored = self._stored_for(rmap)
        if stored.height:
            matched = self._stored_index(rmap).gather(stored.drop("hud_id"), values["hud_id"])
            values = pl.concat([values, matched], how="horizontal")
            is_new = pl.col("__stored_id").is_null()
            newer = (pl.col("date_updated") > pl.col("__stored_updated")) | (
                pl.col("__stored_deleted")
                & pl.col("date_deleted").is_null()
                & (pl.col("date_updated") >= pl.col("__stored_updated"))
            )
            older = pl.col("date_updated") < pl.col("__stored_updated")
            inserts = values.filter(is_new)
            updates = values.filter(~is_new & newer).with_columns(pl.col("__stored_id").alias("id"))
            counts.older += values.filter(~is_new & ~newer & older).height
            counts.unchanged += values.filter(~is_new & ~newer & ~older).height
            extra = ["__stored_id", "__stored_updated", "__stored_deleted"]
            inserts, updates = inserts.drop(extra), updates.drop(extra)
        else:
            inserts, updates = values, values.clear()
        if inserts.height:
            # Ids are drawn now, a block per batch: other files' references to these records resolve before
            # anything is written, and the database does not draw them one row at a time (db.reserve_ids).
            inserts = inserts.with_columns(self.ids.reserve(rmap.table, inserts.height).alias("id"))
            if record in PARENTS:
                self._new_ids.setdefault(record, []).append(inserts.select("hud_id", "id"))
        if inserts.height:
            for step in self.steps:
                step.rows(record, inserts)
        # Encrypted at rest (the SSN, docs/adr/0007): encrypted here, a column at a time, as the model field would.
        inserts, updates = _encrypted(rmap, inserts), _encrypted(rmap, updates)
        counts.inserted += inserts.height
        counts.updated += updates.height
        counts.deleted += inserts.filter(pl.col("date_deleted").is_not_null()).height
        counts.deleted += updates.filter(pl.col("date_deleted").is_not_null()).height
        return Prepared(record, inserts, updates)

    def file_done(self, record: str) -> None:
        """A file is complete: its new records join the id map later files resolve references with."""
        if record in PARENTS:
            base = self._id_maps.get(record)
            if base is None:
                base = self._stored_for(record_map(record)).select("hud_id", pl.col("__stored_id").alias("id"))
            self._id_maps[record] = pl.concat([base, *self._new_ids.pop(record, [])])
            self._id_indexes.pop(record, None)
        # A file's stored rows are needed only while it is read.
        self._stored.pop(record, None)
        self._stored_indexes.pop(record, None)

    def to_db(self, rmap: RecordMap, frame: pl.DataFrame) -> pl.DataFrame:
        """HUD-named typed frame -> database-named frame with foreign keys resolved to ids."""
        out = frame
        exprs: list[pl.Expr] = [pl.lit(self.source_id, pl.Int64).alias("source_id")]
        for fm in rmap.fields:
            name = fm.column.name
            if fm.column.is_key:
                exprs.append(pl.col(name).alias("hud_id"))
            elif fm.is_export:
                exprs.append(pl.lit(self.export_pk, pl.Int64).alias(fm.db_column))
            elif fm.is_reference:
                index, ids = self._id_index(fm.target or "")
                out = out.with_columns(ids.gather(index.positions(frame[name])).alias(f"__id_{fm.db_column}"))
                exprs.append(pl.col(f"__id_{fm.db_column}").alias(fm.db_column))
            else:
                exprs.append(pl.col(name).alias(fm.db_column))
        if rmap.has_legacy:
            legacy = pl.col(LEGACY) if LEGACY in frame.columns else pl.lit(None, pl.String)
            exprs.append(legacy.alias("legacy"))
        result = out.select(exprs)
        unresolved = [
            fm.db_column
            for fm in rmap.fields
            if fm.is_reference and result[fm.db_column].null_count() > frame[fm.column.name].null_count()
        ]
        if unresolved:  # validation guarantees references; reaching here is a bug, not bad input
            raise RuntimeError(f"{rmap.record}: unresolved references in {', '.join(unresolved)}")
        return result


class Applier:
    """Writes prepared batches. On a bulk load it drops each table's indexes before its first batch and
    rebuilds them when its file is done (measured: rebuilding every table at the end is slower, because the
    rebuilds then no longer overlap with the validation of later files). An empty table that no foreign key
    points at is given a new file first and its rows are copied frozen (db.empty_into_new_file): the import
    costs the same, and the VACUUM that would later rewrite every page to freeze them has nothing to do
    (200K clients: VACUUM FREEZE of Services and Disabilities 3.0 s after a plain load, 0.13 s after this)."""

    def __init__(self, *, bulk: bool | None) -> None:
        self.bulk = bulk
        self._started: set[str] = set()
        self._rebuild: list[db.BulkIndexes] = []
        self._frozen: set[str] = set()

    def apply(self, prepared: Prepared, expected_rows: int) -> None:
        if prepared.record not in self._started:
            self._start(prepared.record, expected_rows)
        table = record_map(prepared.record).table
        if prepared.encoded is not None:
            db.copy_encoded(table, prepared.encoded, freeze=table in self._frozen)
        else:
            db.insert_frame(table, prepared.inserts)
        db.update_frame(table, prepared.updates)

    def file_done(self, record: str) -> None:
        table = record_map(record).table
        for indexes in [i for i in self._rebuild if i.table == table]:
            indexes.rebuild()
            self._rebuild.remove(indexes)

    def finish(self) -> None:
        for indexes in self._rebuild:
            indexes.rebuild()
        self._rebuild.clear()

    def _start(self, record: str, expected_rows: int) -> None:
        rmap = record_map(record)
        self._started.add(record)
        if self._bulk_for(rmap, expected_rows):
            if db.empty_into_new_file(rmap.table):
                self._frozen.add(rmap.table)
            indexes = db.BulkIndexes(rmap.table)
            indexes.drop()
            self._rebuild.append(indexes)

    def _bulk_for(self, rmap: RecordMap, rows: int) -> bool:
        if not db.is_postgres() or self.bulk is False:
            return False
        if self.bulk is True:
            return rows > 0
        return rows >= BULK_MIN_ROWS and db.table_is_empty(rmap.table)


def _encrypted(rmap: RecordMap, frame: pl.DataFrame) -> pl.DataFrame:
    for field in encrypted_fields(rmap.model).values():
        column = str(field.column)
        if frame.height and column in frame.columns:
            frame = frame.with_columns(field.encrypt_series(frame[column]).alias(column))
    return frame


def _utc(value: pl.Expr) -> pl.Expr:
    return value.str.slice(0, 19).str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S").dt.replace_time_zone("UTC")
