"""Write validated, staged batches into the HUD tables of one source.

Each incoming record is matched to the stored one by (source, HUD ID) and then:
- new: inserted;
- newer (DateUpdated later than the stored one, or a stored deletion the export restores): replaces it;
- same or older: left alone. HMIS CSV receivers compare DateUpdated to decide (spec: "DateUpdated drives
  import precedence"); a record changed in Hearth after the last import is therefore kept, and counted.
References (PersonalID, EnrollmentID…) become foreign keys through the source's key maps.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl

from hearth.exchange import db
from hearth.exchange.csvfile import LEGACY
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


class SourceWriter:
    def __init__(self, source_id: int, export_pk: int, *, bulk: bool | None, progress: object = None) -> None:
        self.source_id = source_id
        self.export_pk = export_pk
        self.bulk = bulk
        self.ids: dict[str, pl.DataFrame] = {}

    def parent_ids(self, record: str) -> pl.DataFrame:
        if record not in self.ids:
            self.ids[record] = db.key_map(record_map(record).table, self.source_id)
        return self.ids[record]

    def write(self, record: str, paths: list[Path], expected_rows: int) -> RecordCounts:
        rmap = record_map(record)
        counts = RecordCounts()
        stored = db.key_map(rmap.table, self.source_id, extra=["date_updated", "date_deleted"])
        stored = stored.select(
            "hud_id",
            pl.col("id").alias("__stored_id"),
            _utc(pl.col("date_updated")).alias("__stored_updated"),
            pl.col("date_deleted").is_not_null().alias("__stored_deleted"),
        )
        bulk = self._bulk_for(rmap, expected_rows)
        indexes = db.BulkIndexes(rmap.table) if bulk else None
        if indexes is not None:
            indexes.drop()
        for path in paths:
            frame = pl.read_ipc(path)
            counts.received += frame.height
            values = self.to_db(rmap, frame)
            if stored.height:
                values = values.join(stored, on="hud_id", how="left")
                is_new = pl.col("__stored_id").is_null()
                newer = (pl.col("date_updated") > pl.col("__stored_updated")) | (
                    pl.col("__stored_deleted")
                    & pl.col("date_deleted").is_null()
                    & (pl.col("date_updated") >= pl.col("__stored_updated"))
                )
                older = pl.col("date_updated") < pl.col("__stored_updated")
                inserts = values.filter(is_new)
                updates = values.filter(~is_new & newer)
                counts.older += values.filter(~is_new & ~newer & older).height
                counts.unchanged += values.filter(~is_new & ~newer & ~older).height
                updates = updates.with_columns(pl.col("__stored_id").alias("id"))
                extra = ["__stored_id", "__stored_updated", "__stored_deleted"]
                inserts, updates = inserts.drop(extra), updates.drop(extra)
            else:
                inserts, updates = values, values.clear()
            counts.inserted += db.insert_frame(rmap.table, inserts)
            counts.updated += db.update_frame(rmap.table, updates)
            counts.deleted += inserts.filter(pl.col("date_deleted").is_not_null()).height
            counts.deleted += updates.filter(pl.col("date_deleted").is_not_null()).height
        if indexes is not None:
            indexes.rebuild()
        if record in PARENTS:
            self.ids.pop(record, None)
        return counts

    def _bulk_for(self, rmap: RecordMap, rows: int) -> bool:
        if not db.is_postgres():
            return False
        if self.bulk is False:
            return False
        if self.bulk is True:
            return rows > 0
        return rows >= BULK_MIN_ROWS and db.table_is_empty(rmap.table)

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
                target = fm.target or ""
                ids = self.parent_ids(target).select(
                    pl.col("hud_id").alias(name), pl.col("id").alias(f"__id_{fm.db_column}")
                )
                out = out.join(ids, on=name, how="left")
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


def _utc(value: pl.Expr) -> pl.Expr:
    return value.str.slice(0, 19).str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S").dt.replace_time_zone("UTC")
