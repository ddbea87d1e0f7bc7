"""Filling an APR table from its FY2026 shell with the engine's ``TableBuilder`` (hearth.reports.cells).

``table(builder, report, name)`` opens the table with the shell's column headers and row labels, so every
cell lands at HUD's position; the cells are counted with ``hearth.reports.counting`` (``tabulate``,
``count_where``), which keeps every cell's members.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr.shells import shell_for, title
from hearth.reports.cells import ReportBuilder, TableBuilder


def table(builder: ReportBuilder, report: str, name: str) -> TableBuilder:
    shell = shell_for(report, name)
    return builder.table(name, title(name), [label for _, label in shell.columns], [label for _, label in shell.rows])


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
