"""Q11 age, Q14a domestic violence history, Q14b persons fleeing (APR/CAPER spec Q11, Q14)."""

from __future__ import annotations

import polars as pl

from hearth.reports.apr.grid import Grid
from hearth.reports.apr.shells import shell
from hearth.reports.apr.universe import household_columns
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

# Q11 rows (FY2024+ bands, spec Q11): [low, high] inclusive ages.
_AGE_BANDS = ((2, 0, 4), (3, 5, 12), (4, 13, 17), (5, 18, 24), (6, 25, 34), (7, 35, 44), (8, 45, 54), (9, 55, 64))


def q11(universe: pl.DataFrame) -> Grid:
    grid = Grid(shell("Q11"))
    age = pl.col("Age")
    rows: dict[int, pl.Expr | None] = {row: age.is_between(low, high) for row, low, high in _AGE_BANDS}
    rows.update({10: age >= 65, 11: pl.col("AgeDK"), 12: pl.col("AgeDNC"), 13: pl.lit(True)})
    grid.tabulate(universe, rows, household_columns())
    return grid


def _yes_no(column: str) -> dict[int, pl.Expr | None]:
    """Yes / No / DK-PNTA / Data not collected (99 or no record) / Total — the standard response rows."""
    value = pl.col(column)
    return {
        2: value == 1,
        3: value == 0,
        4: value.is_in([8, 9]),
        5: value.is_null() | (value == 99),
        6: pl.lit(True),
    }


def q14(tables: HmisTables, universe: pl.DataFrame, params: ReportParams) -> list[Grid]:
    """Adults and heads of household (spec Q14a); Q14b: those of them with a DV history (yes).

    Each person's most recent 4.11 record of the stay dated on or before the report end (any collection
    stage), as the kit's expected results show (an annual update answering "no" replaces a "yes" at start).
    """
    at_start = (
        tables["HealthAndDV"]
        .filter(pl.col("InformationDate") <= params.end)
        .sort("InformationDate", descending=True)
        .unique("EnrollmentID", keep="first")
        .select("EnrollmentID", "DomesticViolenceSurvivor", "CurrentlyFleeing")
    )
    people = universe.filter(pl.col("Adult") | pl.col("HoH")).join(at_start, on="EnrollmentID", how="left")
    history, fleeing = Grid(shell("Q14a")), Grid(shell("Q14b"))
    history.tabulate(people, _yes_no("DomesticViolenceSurvivor"), household_columns())
    fleeing.tabulate(
        people.filter(pl.col("DomesticViolenceSurvivor") == 1), _yes_no("CurrentlyFleeing"), household_columns()
    )
    return [history, fleeing]
