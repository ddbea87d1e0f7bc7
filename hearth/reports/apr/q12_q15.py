"""Q12 race and ethnicity, Q15 living situation (APR/CAPER spec Q12, Q15; Data Standards 3.04, 3.917.1)."""

from __future__ import annotations

import polars as pl

from hearth.reports.apr import race
from hearth.reports.apr.grid import table
from hearth.reports.apr.universe import household_columns
from hearth.reports.cells import ReportBuilder
from hearth.reports.counting import Columns, tabulate

# Q15 rows (FY2024+ codes): (heading row, 3.917.1 codes in the shell's order); a subtotal follows each group.
LIVING_GROUPS = (
    (2, (116, 101, 118)),
    (7, (215, 206, 207, 225, 204, 205)),
    (15, (302, 329, 314, 332, 336, 335)),
    (23, (410, 435, 421, 411)),
)


def q12(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    tabulate(table(builder, report, "Q12"), race.with_race(universe), race.q12_rows(), household_columns())


def living_situation_rows() -> dict[int, pl.Expr | None]:
    situation = pl.col("LivingSituation")
    rows: dict[int, pl.Expr | None] = {}
    for heading, codes in LIVING_GROUPS:
        rows[heading] = None
        for offset, code in enumerate(codes, start=1):
            rows[heading + offset] = situation == code
        rows[heading + len(codes) + 1] = situation.is_in(codes)
    unknown = situation.is_null() | situation.is_in([8, 9, 99])
    rows[29] = situation.is_in([8, 9])
    rows[30] = situation.is_null() | (situation == 99)
    rows[31] = unknown
    rows[32] = pl.lit(True)
    return rows


def living_situation(builder: ReportBuilder, report: str, name: str, people: pl.DataFrame, columns: Columns) -> None:
    tabulate(table(builder, report, name), people, living_situation_rows(), columns)


def q15(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    """Adults and heads of household (spec Q15), by their 3.917.1 prior living situation."""
    people = universe.filter(pl.col("adult") | pl.col("hoh"))
    living_situation(builder, report, "Q15", people, household_columns())
