"""Filling an APR table from its FY2026 shell with the engine's ``TableBuilder`` (hearth.reports.cells).

``table(builder, report, name)`` opens the table with the shell's column headers and row labels, so every
cell lands at HUD's position; ``tabulate`` counts every (row condition × column condition) of a frame — the
members of each cell are kept by the engine (one long frame per run).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from hearth.reports.apr.shells import shell_for, title
from hearth.reports.cells import ReportBuilder, TableBuilder

Rows = Mapping[int, pl.Expr | None]
Columns = Mapping[str, pl.Expr]


def table(builder: ReportBuilder, report: str, name: str) -> TableBuilder:
    shell = shell_for(report, name)
    return builder.table(name, title(name), [label for _, label in shell.columns], [label for _, label in shell.rows])


def tabulate(target: TableBuilder, frame: pl.DataFrame, rows: Rows, columns: Columns) -> None:
    """Count each (row × column) of ``frame``; a row whose condition is None is a heading and stays blank.

    Vectorized: one pass evaluates every cell's condition (row and column) as a boolean column, then one long
    frame of (address, PersonalID, EnrollmentID) holds every cell's members.
    """
    # The row and column conditions are evaluated once each (R + C columns), and a cell is the AND of two of
    # them: with R × C composite expressions, planning them cost more than counting a one-project APR's rows.
    flags = frame.with_columns(
        *(cond.fill_null(False).alias(f"__row{row}") for row, cond in rows.items() if cond is not None),
        *(cond.fill_null(False).alias(f"__column{column}") for column, cond in columns.items()),
    )
    cells: dict[str, pl.Expr | None] = {}
    for row, row_cond in rows.items():
        for column in columns:
            cells[f"{column}{row}"] = None if row_cond is None else pl.col(f"__row{row}") & pl.col(f"__column{column}")
    count_where(target, flags, cells)


def count_where(target: TableBuilder, frame: pl.DataFrame, cells: Mapping[str, pl.Expr | None]) -> None:
    """Count each cell's condition over ``frame`` (``{"B2": condition, …}``; None leaves the cell blank) in one
    pass: every condition becomes a boolean column, and one long frame holds the cells' members."""
    counted = {address: cond for address, cond in cells.items() if cond is not None}
    for address, cond in cells.items():
        if cond is None:
            target.set(address, None)
    if not counted:
        return
    names = list(counted)
    # Each cell's rows by position, every cell in one query (a list of positions per cell, evaluated in
    # parallel; one arg_true per cell cost a query each: 6x slower over a CoC's 2.5M stays, 1.6x over one
    # project), then the keys gathered once: no frame repeats the keys per cell. A literal condition
    # (everyone) filters every position.
    position = pl.int_range(pl.len(), dtype=pl.UInt32)
    hits = frame.select(
        position.filter(cond.fill_null(False)).implode().alias(f"__{n}") for n, cond in enumerate(counted.values())
    )
    cell = np.repeat(np.arange(len(names), dtype=np.uint32), hits.select(pl.all().list.len()).row(0))
    rows = hits.select(pl.concat_list(pl.all()).explode()).to_series()
    keys = frame.select("PersonalID", "EnrollmentID")[rows]
    target.count_many(keys.select(pl.Series("__cell", cell, pl.UInt32), "PersonalID", "EnrollmentID"), names)


def yes_no_rows(column: str, first: int = 2) -> dict[int, pl.Expr | None]:
    """Yes / No / DK-PNTA / Data not collected (99, empty or no record) / Total — HUD's usual response rows."""
    value = pl.col(column)
    return {
        first: value == 1,
        first + 1: value == 0,
        first + 2: value.is_in([8, 9]),
        first + 3: value.is_null() | (value == 99),
        first + 4: pl.lit(True),
    }
