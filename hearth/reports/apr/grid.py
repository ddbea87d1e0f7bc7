"""Filling an APR table from its FY2026 shell with the engine's ``TableBuilder`` (hearth.reports.cells).

``table(builder, report, name)`` opens the table with the shell's column headers and row labels, so every
cell lands at HUD's position; ``tabulate`` counts every (row condition × column condition) of a frame — the
members of each cell are kept by the engine (one long frame per run).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from hearth.reports.apr.shells import shell_for, title
from hearth.reports.cells import ReportBuilder, TableBuilder

Rows = Mapping[int, pl.Expr | None]
Columns = Mapping[str, pl.Expr]


def table(builder: ReportBuilder, report: str, name: str) -> TableBuilder:
    shell = shell_for(report, name)
    return builder.table(name, title(name), [label for _, label in shell.columns], [label for _, label in shell.rows])


def tabulate(target: TableBuilder, frame: pl.DataFrame, rows: Rows, columns: Columns) -> None:
    """Count each (row × column) of ``frame``; a row whose condition is None is a heading and stays blank."""
    for row, row_cond in rows.items():
        for column, col_cond in columns.items():
            address = f"{column}{row}"
            if row_cond is None:
                target.set(address, None)
            else:
                target.count(address, frame.filter(row_cond & col_cond))


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
