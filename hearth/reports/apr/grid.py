"""A computed table: values by cell address plus the members (PersonalID, EnrollmentID) behind each cell.

Members are kept as one long frame per table — (table, row, column, PersonalID, EnrollmentID) — never as
Python sets per cell, so a CoC-wide run stays vectorized. A cell is counted as the number of distinct
PersonalIDs among its members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from hearth.reports.apr.shells import Shell

Value = int | float | str | None
MEMBER_SCHEMA = {
    "table": pl.String,
    "row": pl.Int64,
    "column": pl.String,
    "PersonalID": pl.String,
    "EnrollmentID": pl.String,
}


@dataclass
class Grid:
    shell: Shell
    values: dict[tuple[str, int], Value] = field(default_factory=dict)
    _members: list[pl.DataFrame] = field(default_factory=list)

    @property
    def table(self) -> str:
        return self.shell.table

    def count(self, column: str, row: int, frame: pl.DataFrame) -> int:
        """Set cell (column, row) to the number of distinct persons in ``frame`` and keep them as members."""
        self._check(column, row)
        people = frame.select("PersonalID", "EnrollmentID").unique("PersonalID", keep="first")
        self.values[(column, row)] = people.height
        if people.height:
            self._members.append(
                people.with_columns(
                    pl.lit(self.table).alias("table"),
                    pl.lit(row, pl.Int64).alias("row"),
                    pl.lit(column).alias("column"),
                ).select(list(MEMBER_SCHEMA))
            )
        return people.height

    def set(self, column: str, row: int, value: Value, frame: pl.DataFrame | None = None) -> None:
        """A computed value (an average, a percentage); ``frame`` holds the people it was computed over."""
        self._check(column, row)
        self.values[(column, row)] = value
        if frame is not None and frame.height:
            people = frame.select("PersonalID", "EnrollmentID").unique("PersonalID", keep="first")
            self._members.append(
                people.with_columns(
                    pl.lit(self.table).alias("table"),
                    pl.lit(row, pl.Int64).alias("row"),
                    pl.lit(column).alias("column"),
                ).select(list(MEMBER_SCHEMA))
            )

    def tabulate(
        self,
        frame: pl.DataFrame,
        rows: Mapping[int, pl.Expr | None],
        columns: Mapping[str, pl.Expr],
    ) -> None:
        """Count every (row condition × column condition) of ``frame``; a None row is a heading (blank)."""
        for row, row_cond in rows.items():
            if row_cond is None:
                continue
            in_row = frame.filter(row_cond)
            for column, col_cond in columns.items():
                self.count(column, row, in_row.filter(col_cond))

    @property
    def members(self) -> pl.DataFrame:
        if not self._members:
            return pl.DataFrame(schema=MEMBER_SCHEMA)
        return pl.concat(self._members)

    def cell(self, column: str, row: int) -> Value:
        return self.values.get((column, row), 0)

    def rows_as_lists(self) -> list[list[Value]]:
        """The table as Sage lays it out: header row, then each row label followed by its cells."""
        out: list[list[Value]] = [["", *(label for _, label in self.shell.columns)]]
        for number, label in self.shell.rows:
            out.append([label, *(self.values.get((letter, number), 0) for letter in self.shell.letters)])
        return out

    def _check(self, column: str, row: int) -> None:
        if column not in self.shell.letters or (self.shell.rows and row not in self.shell.numbers):
            raise KeyError(f"{self.table} has no cell {column}{row}")


def by_rows(labels: Sequence[tuple[int, pl.Expr | None]]) -> dict[int, pl.Expr | None]:
    return dict(labels)
