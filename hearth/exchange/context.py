"""What the validator remembers about records it has read, for checks that span files.

For each record type that other files refer to it keeps a few columns (HUD names) of every row: the rows of
this export, plus — when importing into a source that already holds data — the stored rows the export does
not carry again (a delta export may refer to a client sent last month).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from hearth.exchange.csvfile import ROW
from hearth.exchange.keyindex import KeyIndex

# Columns kept per referenced record type; the first is its key.
KEPT: dict[str, list[str]] = {
    "Organization": ["OrganizationID", "VictimServiceProvider"],
    "User": ["UserID"],
    "Project": ["ProjectID", "OrganizationID", "ProjectType", "RRHSubType", "ContinuumProject"],
    "ProjectCoC": ["ProjectCoCID", "ProjectID", "CoCCode", "DateDeleted"],
    "Client": ["PersonalID", "DOB"],
    "Enrollment": [
        "EnrollmentID",
        "PersonalID",
        "ProjectID",
        "EntryDate",
        "HouseholdID",
        "RelationshipToHoH",
        "MoveInDate",
        "DateDeleted",
    ],
    "Exit": ["ExitID", "EnrollmentID", "ExitDate", "DateDeleted"],
    "Assessment": ["AssessmentID", "EnrollmentID", "PersonalID"],
}

StoredReader = Callable[[str, list[str]], pl.DataFrame]


class Context:
    def __init__(self, stored: StoredReader | None = None) -> None:
        self._stored = stored
        self._parts: dict[str, list[pl.DataFrame]] = {}
        self._merged: dict[str, pl.DataFrame] = {}
        self._unique: dict[str, tuple[pl.DataFrame, KeyIndex]] = {}
        self.broken: set[str] = set()

    def collect(self, record: str, typed: pl.DataFrame) -> None:
        if record in KEPT:
            self._parts.setdefault(record, []).append(typed.select([*KEPT[record], ROW]))

    def finish(self, record: str) -> None:
        """Merge this export's rows with stored rows it does not replace."""
        if record not in KEPT:
            return
        columns = KEPT[record]
        key = columns[0]
        parts = self._parts.pop(record, [])
        current = pl.concat(parts) if parts else None
        stored = self._stored(record, columns) if self._stored is not None else None
        if stored is not None:
            stored = stored.select(columns).with_columns(pl.lit(None, pl.UInt32).alias(ROW))
        if current is None and stored is None:
            merged = pl.DataFrame(schema={**dict.fromkeys(columns, pl.String), ROW: pl.UInt32})
        elif current is None:
            assert stored is not None
            merged = stored
        elif stored is None or stored.height == 0:
            merged = current
        else:
            stored = stored.join(current.select(key), on=key, how="anti")
            merged = pl.concat([current, stored.cast(current.schema)], how="vertical")
        self._set(record, merged)

    def _set(self, record: str, merged: pl.DataFrame) -> None:
        self._merged[record] = merged
        self._unique.pop(record, None)

    def frame(self, record: str) -> pl.DataFrame | None:
        """Every row (this export's and stored ones); duplicated keys are possible (and reported)."""
        return self._merged.get(record)

    def unique(self, record: str) -> pl.DataFrame | None:
        """One row per key (the first), for lookups that must not multiply rows."""
        indexed = self._indexed(record)
        return None if indexed is None else indexed[0]

    def index(self, record: str) -> KeyIndex | None:
        """The key index over ``unique(record)``: look up a batch's references without rebuilding anything."""
        indexed = self._indexed(record)
        return None if indexed is None else indexed[1]

    def lookup(self, record: str, values: pl.Series, columns: list[str], prefix: str = "") -> pl.DataFrame | None:
        """Columns of the referenced rows, aligned with ``values`` (nulls where there is none)."""
        indexed = self._indexed(record)
        if indexed is None:
            return None
        frame, index = indexed
        rows = index.gather(frame.select(columns), values)
        return rows.rename({c: prefix + c for c in columns}) if prefix else rows

    def _indexed(self, record: str) -> tuple[pl.DataFrame, KeyIndex] | None:
        if record not in self._unique:
            frame = self._merged.get(record)
            if frame is None:
                return None
            unique = frame.unique(KEPT[record][0], keep="first", maintain_order=True)
            self._unique[record] = (unique, KeyIndex(unique.get_column(KEPT[record][0])))
        return self._unique[record]

    def replace(self, record: str, frame: pl.DataFrame) -> None:
        self._set(record, frame)
