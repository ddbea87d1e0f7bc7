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
    """Count each (row × column) of ``frame``; a row whose condition is None is a heading and stays blank.

    Vectorized: one pass evaluates every row and column condition as boolean columns, then one long frame of
    (row, column, PersonalID, EnrollmentID) holds every cell's members.
    """
    counted = {row: cond for row, cond in rows.items() if cond is not None}
    for row, cond in rows.items():
        if cond is None:
            for column in columns:
                target.set(f"{column}{row}", None)
    if not counted:
        return
    flags = frame.select(
        "PersonalID",
        "EnrollmentID",
        *(cond.fill_null(False).alias(f"__r{row}") for row, cond in counted.items()),
        *(cond.fill_null(False).alias(f"__c{column}") for column, cond in columns.items()),
    )
    flags = flags.with_row_index("__i")
    in_rows = (
        flags.unpivot(index="__i", on=[f"__r{row}" for row in counted], variable_name="__row", value_name="__in")
        .filter(pl.col("__in"))
        .select("__i", pl.col("__row").str.slice(3).alias("row"))
    )
    in_columns = (
        flags.unpivot(index="__i", on=[f"__c{column}" for column in columns], variable_name="__col", value_name="__in")
        .filter(pl.col("__in"))
        .select("__i", pl.col("__col").str.slice(3).alias("column"))
    )
    long = in_rows.join(in_columns, on="__i").join(flags.select("__i", "PersonalID", "EnrollmentID"), on="__i")
    addresses = [f"{column}{row}" for row in counted for column in columns]
    labelled = long.select(pl.concat_str("column", "row").alias("address"), "PersonalID", "EnrollmentID")
    target.count_many(labelled, addresses)


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
    flags = frame.select(
        "PersonalID",
        "EnrollmentID",
        *(cond.fill_null(False).alias(f"__{n}") for n, cond in enumerate(counted.values())),
    )
    long = (
        flags.unpivot(index=["PersonalID", "EnrollmentID"], variable_name="__cell", value_name="__in")
        .filter(pl.col("__in"))
        .select(
            pl.col("__cell").str.slice(2).cast(pl.Int64).replace_strict(dict(enumerate(names))).alias("address"),
            "PersonalID",
            "EnrollmentID",
        )
    )
    target.count_many(long, names)


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
