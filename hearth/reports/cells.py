"""A report's result: HUD's tables of cells, and the people behind every cell as ONE long frame.

A table is addressed as HUD's shells and Sage address it: column A holds the row labels, B… the values; row 1
the column headers, rows 2… the values — so ``"B2"`` is the first value, as in a Sage CSV. Every counted cell
keeps the clients and enrollments it counted as rows (table, row, column, PersonalID, EnrollmentID) of one
Polars frame per run — never a Python set per cell — so a CoC-wide run with a million clients stays a few
vectorized operations, and a cell's client list is one filter.

Reports fill tables with a ``TableBuilder``: ``count`` takes a frame of members (lazy or not) for a cell,
``derive`` computes a cell from others (a percentage), and ``ReportBuilder.finish`` resolves every count of
every table in one collect.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import polars as pl

from hearth.reports.params import ReportParams

Value = int | float | str | None
Unit = Literal["PersonalID", "EnrollmentID"]
Format = Literal["count", "percent", "money", "days", "text", "date"]

MEMBERS_SCHEMA: dict[str, pl.DataType] = {
    "table": pl.String(),
    "row": pl.Int32(),
    "column": pl.String(),
    "PersonalID": pl.String(),
    "EnrollmentID": pl.String(),
}
MEMBER_KEYS = ("PersonalID", "EnrollmentID")


def letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based value column (0 → "B": column A holds the row labels)."""
    number = index + 2
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def split_address(address: str) -> tuple[str, int]:
    """``"B12"`` → ``("B", 12)``."""
    column = address.rstrip("0123456789")
    if not column or not column.isalpha() or column == address:
        raise ValueError(f"{address!r} is not a cell address such as B2")
    return column.upper(), int(address[len(column) :])


@dataclass(frozen=True)
class ReportTable:
    """One of HUD's tables: ``columns`` are the headers of B, C, …; ``rows`` the labels of rows 2, 3, …"""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[str, ...]
    values: Mapping[str, Value]
    formats: Mapping[str, Format] = field(default_factory=dict)

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(letter(i) for i in range(len(self.columns)))

    def addresses(self) -> list[str]:
        return [f"{col}{row}" for row in range(2, len(self.rows) + 2) for col in self.letters]

    def __getitem__(self, address: str) -> Value:
        return self.values.get(address.upper())

    def format_of(self, address: str) -> Format:
        return self.formats.get(address.upper(), "count")

    def grid(self) -> list[list[Value]]:
        """The table as HUD's shell lays it out: the header row, then one row per label."""
        lines: list[list[Value]] = [["", *self.columns]]
        for number, label in enumerate(self.rows, start=2):
            lines.append([label, *(self.values.get(f"{col}{number}") for col in self.letters)])
        return lines

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "columns": list(self.columns),
            "rows": list(self.rows),
            "values": dict(self.values),
            "formats": dict(self.formats),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ReportTable:
        return cls(
            name=str(data["name"]),
            title=str(data["title"]),
            columns=tuple(data["columns"]),  # type: ignore[arg-type]
            rows=tuple(data["rows"]),  # type: ignore[arg-type]
            values=dict(data["values"]),  # type: ignore[call-overload]
            formats=dict(data.get("formats") or {}),  # type: ignore[call-overload]
        )


def ratio(numerator: Value, denominator: Value) -> float:
    """HUD's percentages: a decimal fraction; 0 when the denominator is 0 (Sage: no division by zero)."""
    top = float(numerator or 0)
    bottom = float(denominator or 0)
    return top / bottom if bottom else 0.0


@dataclass
class _Count:
    address: str
    members: pl.LazyFrame
    unit: Unit
    eager: pl.DataFrame | None = None  # members given as a DataFrame: resolved without the lazy union


class TableBuilder:
    """Fills one table: counted cells keep their members; derived cells are computed from counted ones."""

    def __init__(self, name: str, title: str, columns: Sequence[str], rows: Sequence[str]) -> None:
        self.name = name
        self.title = title
        self.columns = tuple(columns)
        self.rows = tuple(rows)
        self._letters = {letter(i) for i in range(len(self.columns))}
        self._counts: list[_Count] = []
        self._values: dict[str, Value] = {}
        self._formats: dict[str, Format] = {}
        self._derived: list[tuple[str, Callable[[Mapping[str, Value]], Value], Format]] = []

    def _check(self, address: str) -> str:
        column, row = split_address(address)
        if column not in self._letters or not 2 <= row <= len(self.rows) + 1:
            raise ValueError(f"{self.name} has no cell {address}")
        return f"{column}{row}"

    def count(self, address: str, members: pl.DataFrame | pl.LazyFrame, *, unit: Unit = "PersonalID") -> None:
        """The cell counts distinct ``unit`` values of ``members`` (a frame with PersonalID and EnrollmentID)."""
        address = self._check(address)
        if isinstance(members, pl.DataFrame):
            keys = members if members.columns == list(MEMBER_KEYS) else members.select(*MEMBER_KEYS)
            self._counts.append(_Count(address, keys.lazy(), unit, keys))
        else:
            self._counts.append(_Count(address, members.select(*MEMBER_KEYS), unit))

    def set(self, address: str, value: Value, fmt: Format = "count") -> None:
        address = self._check(address)
        self._values[address] = value
        if fmt != "count":
            self._formats[address] = fmt

    def derive(self, address: str, compute: Callable[[Mapping[str, Value]], Value], fmt: Format = "percent") -> None:
        """A cell computed from the table's other cells once counts are known (``compute(values)``)."""
        self._derived.append((self._check(address), compute, fmt))

    def percent(self, address: str, numerator: str, denominator: str | int) -> None:
        def compute(values: Mapping[str, Value]) -> Value:
            bottom = denominator if isinstance(denominator, int) else values.get(denominator)
            return ratio(values.get(numerator), bottom)

        self.derive(address, compute, "percent")

    def eager_counts(self) -> list[_Count]:
        return [c for c in self._counts if c.eager is not None]

    def member_frames(self, *, lazy_only: bool = False) -> list[pl.LazyFrame]:
        counts = [c for c in self._counts if not (lazy_only and c.eager is not None)]
        column_row = [split_address(c.address) for c in counts]
        return [
            c.members.unique().with_columns(
                pl.lit(self.name, pl.String).alias("table"),
                pl.lit(row, pl.Int32).alias("row"),
                pl.lit(column, pl.String).alias("column"),
                pl.lit(c.unit, pl.String).alias("__unit"),
            )
            for c, (column, row) in zip(counts, column_row, strict=True)
        ]

    def finish(self, counts: Mapping[str, int]) -> ReportTable:
        values: dict[str, Value] = {}
        for row in range(2, len(self.rows) + 2):
            for col in sorted(self._letters, key=lambda s: (len(s), s)):
                values[f"{col}{row}"] = 0
        for c in self._counts:
            values[c.address] = counts.get(c.address, 0)
        values.update(self._values)
        formats = dict(self._formats)
        for address, compute, fmt in self._derived:
            values[address] = compute(values)
            if fmt != "count":
                formats[address] = fmt
        return ReportTable(self.name, self.title, self.columns, self.rows, values, formats)


class ReportBuilder:
    """The tables of one run, resolved together: one collect for every counted cell of every table."""

    def __init__(self, report: str, params: ReportParams) -> None:
        self.report = report
        self.params = params
        self._tables: dict[str, TableBuilder] = {}

    def table(self, name: str, title: str, columns: Sequence[str], rows: Sequence[str]) -> TableBuilder:
        if name in self._tables:
            raise ValueError(f"table {name} is built twice")
        builder = TableBuilder(name, title, columns, rows)
        self._tables[name] = builder
        return builder

    def finish(self) -> ReportResult:
        columns = ["table", "row", "column", *MEMBER_KEYS, "__unit"]
        empty = pl.DataFrame(schema={**MEMBERS_SCHEMA, "__unit": pl.String()}).select(columns)
        # Lazy members: one collect of their union. Members given as DataFrames (most cells) skip the lazy
        # plan altogether — planning a union of thousands of inputs costs seconds — and are labelled in one
        # vectorized step: their keys concatenated, (table, row, column, unit) repeated by each frame's height.
        frames = [f for builder in self._tables.values() for f in builder.member_frames(lazy_only=True)]
        parts = [pl.concat([f.select(columns) for f in frames], how="vertical").collect()] if frames else []
        eager = [(builder.name, c) for builder in self._tables.values() for c in builder.eager_counts()]
        if eager:
            keys = pl.concat([c.eager for _, c in eager if c.eager is not None], how="vertical")
            rows_and_columns = [split_address(c.address) for _, c in eager]
            labels = pl.DataFrame(
                {
                    "table": [name for name, _ in eager],
                    "row": [row for _, row in rows_and_columns],
                    "column": [column for column, _ in rows_and_columns],
                    "__unit": [c.unit for _, c in eager],
                    "__n": [c.eager.height if c.eager is not None else 0 for _, c in eager],
                },
                schema={"table": pl.String, "row": pl.Int32, "column": pl.String, "__unit": pl.String, "__n": pl.Int64},
            )
            labels = labels.select(pl.exclude("__n").repeat_by(pl.col("__n"))).explode(
                ["table", "row", "column", "__unit"]
            )
            labelled = pl.concat([labels, keys], how="horizontal").select(columns).unique(maintain_order=True)
            parts.append(labelled)
        members = pl.concat(parts, how="vertical") if parts else empty
        counts = (
            members.group_by("table", "row", "column", "__unit")
            .agg(pl.col("PersonalID").n_unique().alias("p"), pl.col("EnrollmentID").n_unique().alias("e"))
            .select(
                "table",
                pl.format("{}{}", "column", "row").alias("address"),
                pl.when(pl.col("__unit") == "PersonalID").then("p").otherwise("e").alias("n"),
            )
        )
        by_table: dict[str, dict[str, int]] = {}
        for table, address, n in counts.iter_rows():
            by_table.setdefault(table, {})[address] = int(n)
        tables = {name: b.finish(by_table.get(name, {})) for name, b in self._tables.items()}
        return ReportResult(self.report, self.params, tables, members.drop("__unit"))


@dataclass(frozen=True)
class ReportResult:
    """A finished run: its tables (in HUD's order) and every cell's members (``MEMBERS_SCHEMA``)."""

    report: str
    params: ReportParams
    tables: Mapping[str, ReportTable]
    members: pl.DataFrame
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def table(self, name: str) -> ReportTable:
        return self.tables[name]

    def cell_members(self, table: str, address: str) -> pl.DataFrame:
        """The clients and enrollments behind one cell (PersonalID, EnrollmentID)."""
        column, row = split_address(address)
        return (
            self.members.filter((pl.col("table") == table) & (pl.col("row") == row) & (pl.col("column") == column))
            .select(*MEMBER_KEYS)
            .sort(*MEMBER_KEYS)
        )

    # -- storing a frozen run -----------------------------------------------------------------------------
    def save(self, folder: Path) -> Path:
        """Write the run to ``folder``: result.json (parameters and cells) and members.parquet."""
        folder.mkdir(parents=True, exist_ok=True)
        data = {
            "report": self.report,
            "params": self.params.as_dict(),
            "created": self.created.isoformat(),
            "tables": [t.as_dict() for t in self.tables.values()],
        }
        (folder / "result.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
        self.members.write_parquet(folder / "members.parquet")
        return folder

    @classmethod
    def load(cls, folder: Path) -> ReportResult:
        data = json.loads((folder / "result.json").read_text(encoding="utf-8"))
        params = data["params"]
        tables = [ReportTable.from_dict(t) for t in data["tables"]]
        return cls(
            report=data["report"],
            params=ReportParams.create(
                start=params["start"], end=params["end"], projects=params["projects"], coc=params["coc"]
            ),
            tables={t.name: t for t in tables},
            members=pl.read_parquet(folder / "members.parquet"),
            created=dt.datetime.fromisoformat(data["created"]),
        )
