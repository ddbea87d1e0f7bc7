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
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from hearth.reports.params import ReportParams

Value = int | float | str | None
Unit = Literal["PersonalID", "EnrollmentID"]
Format = Literal["count", "percent", "money", "days", "text", "date"]

# PersonalID and EnrollmentID are the input's integer keys (pl.UInt32) when it held keys (ReportResult.keys).
MEMBERS_SCHEMA: dict[str, pl.DataType] = {
    "table": pl.Categorical(),
    "row": pl.Int32(),
    "column": pl.Categorical(),
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
    members: pl.LazyFrame | None  # None: the cell's members are rows of one of the table's long frames
    unit: Unit


class TableBuilder:
    """Fills one table: counted cells keep their members; derived cells are computed from counted ones."""

    def __init__(self, name: str, title: str, columns: Sequence[str], rows: Sequence[str]) -> None:
        self.name = name
        self.title = title
        self.columns = tuple(columns)
        self.rows = tuple(rows)
        self._letters = {letter(i) for i in range(len(self.columns))}
        self._counts: list[_Count] = []
        self._long: list[pl.DataFrame] = []  # (__cell: position in _counts, PersonalID, EnrollmentID)
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
        if isinstance(members, pl.DataFrame):
            # A frame in hand is a one-cell long frame: no lazy plan to build (most cells). Built from its
            # columns, not with a query: a one-project APR counts a thousand such cells, and planning a query
            # costs more than copying a small frame's keys.
            cell = pl.Series("__cell", np.zeros(members.height, dtype=np.uint32))
            self.count_many(pl.DataFrame([cell, *(members[name] for name in MEMBER_KEYS)]), [address], unit=unit)
        else:
            self._counts.append(_Count(self._check(address), members.select(*MEMBER_KEYS), unit))

    def count_many(self, members: pl.DataFrame, addresses: Sequence[str], *, unit: Unit = "PersonalID") -> None:
        """Several cells at once from one long frame: ``members`` has (__cell, PersonalID, EnrollmentID) rows,
        ``__cell`` the position in ``addresses`` of the cell the row counts in; every cell of ``addresses`` is
        counted (0 when it has no rows). One frame per table instead of a frame per cell."""
        first = len(self._counts)
        for address in addresses:
            self._counts.append(_Count(self._check(address), None, unit))
        if members.height:
            cell = members["__cell"].cast(pl.UInt32)
            self._long.append(pl.DataFrame([cell + first if first else cell, *(members[n] for n in MEMBER_KEYS)]))

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

    def counts(self) -> list[_Count]:
        return list(self._counts)

    def long_frames(self) -> list[pl.DataFrame]:
        return list(self._long)

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

    def __init__(self, report: str, params: ReportParams, keys: Mapping[str, pl.Series] | None = None) -> None:
        self.report = report
        self.params = params
        # PersonalID / EnrollmentID → the IDs in key order, when members hold the input's integer keys
        # (HmisTables.keys): the result keeps them, to turn members back into IDs.
        self._keys = dict(keys or {})
        self._tables: dict[str, TableBuilder] = {}
        self._lock = threading.Lock()  # tables may be opened from several threads (apr.report.compute)

    def table(self, name: str, title: str, columns: Sequence[str], rows: Sequence[str]) -> TableBuilder:
        builder = TableBuilder(name, title, columns, rows)
        with self._lock:
            if name in self._tables:
                raise ValueError(f"table {name} is built twice")
            self._tables[name] = builder
        return builder

    def in_order(self, names: Sequence[str]) -> None:
        """Put the tables in ``names``' order (tables not named keep theirs, after): tables opened from several
        threads arrive in any order, and a run's result — cell numbering, members' row order — must not."""
        rank = {name: n for n, name in enumerate(names)}
        ordered = sorted(self._tables, key=lambda name: rank.get(name, len(rank)))
        self._tables = {name: self._tables[name] for name in ordered}

    def finish(self) -> ReportResult:
        # Every counted cell gets an integer id; its members are (cell id, PersonalID, EnrollmentID) rows of one
        # frame, deduplicated and counted by that id — hashing an integer, not the table, row and column
        # strings, is most of a CoC-wide run's counting time — and labelled with the cell's table, row and column
        # at the end by gathering from the small frame of labels. Members given as DataFrames are the tables'
        # long frames; lazy members (few) are collected in one plan, each with its id as a literal.
        cells = [(builder.name, c) for builder in self._tables.values() for c in builder.counts()]
        rows_and_columns = [split_address(c.address) for _, c in cells]
        labels = pl.DataFrame(
            {
                "table": [name for name, _ in cells],
                "row": [row for _, row in rows_and_columns],
                "column": [column for column, _ in rows_and_columns],
            },
            schema={"table": pl.String, "row": pl.Int32, "column": pl.String},
        )
        lazy = [(n, c.members) for n, (_, c) in enumerate(cells) if c.members is not None]
        keyed = pl.DataFrame(schema={"__cell": pl.UInt32, "PersonalID": pl.String, "EnrollmentID": pl.String})
        parts: list[pl.DataFrame] = []
        offset = 0
        for builder in self._tables.values():
            # A table's long frames number its cells from 0: shift them to the run's numbering.
            parts.extend(
                pl.DataFrame([f["__cell"] + offset, *(f[n] for n in MEMBER_KEYS)]) if offset else f
                for f in builder.long_frames()
            )
            offset += len(builder.counts())
        if lazy:
            plans = [frame.select(pl.lit(n, pl.UInt32).alias("__cell"), *MEMBER_KEYS) for n, frame in lazy]
            parts.append(pl.concat(plans, how="vertical").collect())
        if parts:
            keyed = pl.concat(parts, how="vertical")
        enrollment_cells = [n for n, (_, c) in enumerate(cells) if c.unit == "EnrollmentID"]
        counted, keyed = _count_distinct(keyed, enrollment_cells)
        by_table: dict[str, dict[str, int]] = {}
        for cell, value in counted.items():
            name, count = cells[cell]
            by_table.setdefault(name, {})[count.address] = value
        tables = {name: b.finish(by_table.get(name, {})) for name, b in self._tables.items()}
        # Table and column names as categories: gathering them for tens of millions of members copies integers,
        # not strings (the stored Parquet dictionary-encodes them either way).
        categorical = labels.with_columns(pl.col("table", "column").cast(pl.Categorical))
        members = pl.concat([categorical.gather(keyed["__cell"]), keyed.select(*MEMBER_KEYS)], how="horizontal")
        keys = {name: ids for name, ids in self._keys.items() if members.schema[name] != pl.String}
        return ReportResult(self.report, self.params, tables, members, keys=keys)


def _count_distinct(frame: pl.DataFrame, enrollment_cells: Sequence[int]) -> tuple[dict[int, int], pl.DataFrame]:
    """Each cell's count — distinct PersonalIDs, or EnrollmentIDs for ``enrollment_cells`` — and ``frame``
    (__cell, PersonalID, EnrollmentID) without duplicate rows.

    Most cells are proven distinct in order first (``_counted_in_order``) and counted by their rows; the others'
    counts come from one group-by, whose pass also proves them free of duplicates: an enrollment belongs to one
    client, so two equal rows share their cell and EnrollmentID, and a cell whose rows number exactly its
    distinct EnrollmentIDs holds none. Only when some cell has more rows than enrollments is the frame
    deduplicated (``_distinct``) — a CoC-wide run keeps tens of millions of members, and checking them all row
    by row cost as much as counting them."""
    if frame.height == 0:
        return {}, frame
    counts, rest = _counted_in_order(frame)
    if rest.height == 0:
        return counts, frame
    stats = rest.group_by("__cell").agg(
        pl.len().alias("n"), pl.col("PersonalID").n_unique().alias("p"), pl.col("EnrollmentID").n_unique().alias("e")
    )
    by_enrollment = set(enrollment_cells)
    counts.update(
        (int(cell), int(e if cell in by_enrollment else p))
        for cell, p, e in zip(stats["__cell"], stats["p"], stats["e"], strict=True)
    )
    if stats.select((pl.col("n") == pl.col("e")).all()).item():
        return counts, frame
    return counts, _distinct(frame)


def _counted_in_order(frame: pl.DataFrame) -> tuple[dict[int, int], pl.DataFrame]:
    """The row counts of the cells whose rows are proven distinct in one pass, and the rows of the others.

    A cell is proven when its rows are one run of ``frame`` with strictly increasing PersonalID keys: its
    clients are then all different, so are its enrollments (each belongs to one client), and its count — by
    client or by enrollment — is its number of rows. The universe is in PersonalID order (its latest stays
    are chosen by a sort on it) and the counting keeps a frame's order, so nearly every cell of a run is
    proven, and the group-by over tens of millions of members (seconds of a CoC-wide APR) runs only over the
    few cells that are not. Text IDs (frames built in tests) and missing keys go the general way."""
    person = frame["PersonalID"]
    if person.dtype == pl.String or person.null_count() or frame["EnrollmentID"].null_count():
        return {}, frame
    cell = frame["__cell"].to_numpy()
    people = person.to_numpy()
    size = int(cell.max()) + 1
    starts = np.empty(len(cell), dtype=bool)
    starts[0] = True
    np.not_equal(cell[1:], cell[:-1], out=starts[1:])
    rows = np.bincount(cell, minlength=size)
    unproven = np.bincount(cell[starts], minlength=size) > 1  # a cell in several runs
    # A row that follows a row of its own cell without a higher PersonalID breaks its cell's order.
    unproven[cell[1:][~starts[1:] & (people[1:] <= people[:-1])]] = True
    proven = np.flatnonzero((rows > 0) & ~unproven)
    counts = dict(zip(proven.tolist(), rows[proven].tolist(), strict=True))
    if not unproven.any():
        return counts, frame.clear()
    return counts, frame.filter(pl.Series(unproven[cell]))


def _distinct(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (__cell, PersonalID, EnrollmentID) without duplicate rows. A cell's members rarely repeat, so
    first ask the cheap question — are the rows' 64-bit hashes all distinct? Then the rows are, exactly — and
    only deduplicate when they are not (a string-keyed ``unique`` of a CoC-wide run's ten million members costs
    seconds; the hashes, a fraction)."""
    # Equal rows have equal combined hashes, so all-distinct hashes prove all-distinct rows; a collision only
    # sends the frame to the exact ``unique``.
    combined = pl.col("__cell").cast(pl.UInt64) * 0x9E3779B97F4A7C15 + pl.col("PersonalID").hash(1) * 31
    combined = combined + pl.col("EnrollmentID").hash(2)
    if frame.height < 2 or frame.select(combined.n_unique()).item() == frame.height:
        return frame
    return frame.unique()


@dataclass(frozen=True)
class ReportResult:
    """A finished run: its tables (in HUD's order) and every cell's members (``MEMBERS_SCHEMA``).

    When the input held integer keys (``HmisTables.keys``), so do ``members``' PersonalID and EnrollmentID, and
    ``keys`` turns them into the IDs (``member_ids``, ``cell_members``): a CoC-wide run has tens of millions of
    members, and a cell's page of people needs a few of them as IDs, not all (turning 80M keys back into text
    was a tenth of a CoC-wide APR, and storing them as text several times the file)."""

    report: str
    params: ReportParams
    tables: Mapping[str, ReportTable]
    members: pl.DataFrame
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    keys: Mapping[str, pl.Series] = field(default_factory=dict)

    def table(self, name: str) -> ReportTable:
        return self.tables[name]

    def member_ids(self, members: pl.DataFrame | None = None) -> pl.DataFrame:
        """``members`` (default: all the run's) with PersonalID and EnrollmentID as the IDs."""
        return decode_keys(self.members if members is None else members, self.keys)

    def cell_members(self, table: str, address: str) -> pl.DataFrame:
        """The clients and enrollments behind one cell (PersonalID, EnrollmentID)."""
        chosen = self.members.filter(_in_cell(table, address)).select(*MEMBER_KEYS)
        return self.member_ids(chosen).sort(*MEMBER_KEYS)

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
        for name in MEMBER_KEYS:
            path = _keys_file(folder, name)
            if name in self.keys:
                self.keys[name].to_frame("id").write_parquet(path)
            else:
                path.unlink(missing_ok=True)
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
            keys=stored_keys(folder),
        )


def _keys_file(folder: Path, name: str) -> Path:
    return folder / f"keys-{name}.parquet"


def stored_keys(folder: Path) -> dict[str, pl.Series]:
    """The IDs of a stored run's member keys (none when its members are stored as IDs)."""
    return {
        name: pl.read_parquet(path)["id"].rename(name)
        for name in MEMBER_KEYS
        if (path := _keys_file(folder, name)).exists()
    }


def read_cell_members(folder: Path, table: str, address: str) -> pl.DataFrame:
    """The (PersonalID, EnrollmentID) IDs behind one cell of a stored run, reading only that cell's rows."""
    chosen = pl.scan_parquet(folder / "members.parquet").filter(_in_cell(table, address)).select(*MEMBER_KEYS).collect()
    return decode_keys(chosen, stored_keys(folder) if chosen.height else {})


def decode_keys(frame: pl.DataFrame, keys: Mapping[str, pl.Series]) -> pl.DataFrame:
    """``frame`` with its integer PersonalID / EnrollmentID keys turned into the IDs (``keys``: column → the IDs
    in key order); columns already holding IDs are left as they are. One rule for input tables and results."""
    return frame.with_columns(
        keys[name].gather(frame[name]).alias(name)
        for name in MEMBER_KEYS
        if name in keys and name in frame.columns and frame.schema[name] != pl.String
    )


def _in_cell(table: str, address: str) -> pl.Expr:
    column, row = split_address(address)
    return (pl.col("table") == table) & (pl.col("row") == row) & (pl.col("column") == column)
