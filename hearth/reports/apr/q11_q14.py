"""Q11 age, Q14a domestic violence history, Q14b survivors currently fleeing (APR/CAPER spec Q11, Q14)."""

from __future__ import annotations

import polars as pl

from hearth.reports.apr.grid import table, yes_no_rows
from hearth.reports.apr.universe import household_columns
from hearth.reports.cells import ReportBuilder
from hearth.reports.counting import tabulate
from hearth.reports.frames import lookup
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

# Q11 rows (FY2024+ bands, spec Q11): (row, lowest age, highest age).
AGE_BANDS = ((2, 0, 4), (3, 5, 12), (4, 13, 17), (5, 18, 24), (6, 25, 34), (7, 35, 44), (8, 45, 54), (9, 55, 64))


def age_rows() -> dict[int, pl.Expr | None]:
    age = pl.col("age")
    rows: dict[int, pl.Expr | None] = {row: age.is_between(low, high) for row, low, high in AGE_BANDS}
    rows.update({10: age >= 65, 11: pl.col("age_dk"), 12: pl.col("age_dnc"), 13: pl.lit(True)})
    return rows


def q11(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    tabulate(table(builder, report, "Q11"), universe, age_rows(), household_columns())


def latest_dv(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    """Each enrollment's most recent 4.11 record dated on or before the report end (any collection stage)."""
    return (
        tables["HealthAndDV"]
        .filter(pl.col("InformationDate") <= params.end)
        # Two records on one date and stage: the higher HealthAndDVID, whatever the rows' order.
        .sort("InformationDate", "DataCollectionStage", "HealthAndDVID")
        .unique("EnrollmentID", keep="last")
        .select("EnrollmentID", "DomesticViolenceSurvivor", "CurrentlyFleeing")
    )


def q14(builder: ReportBuilder, report: str, tables: HmisTables, universe: pl.DataFrame, params: ReportParams) -> None:
    """Adults and heads of household (spec Q14a); Q14b: those answering yes to 4.11 (survivors).

    The most recent 4.11 answer of the stay counts, as the kit's expected results show (an annual update
    answering "no" replaces a "yes" at start: FY2023 kit, psh_coc_1, enrollment 706031).
    """
    people = lookup(universe.filter(pl.col("adult") | pl.col("hoh")), latest_dv(tables, params), "EnrollmentID")
    tabulate(table(builder, report, "Q14a"), people, yes_no_rows("DomesticViolenceSurvivor"), household_columns())
    survivors = people.filter(pl.col("DomesticViolenceSurvivor") == 1)
    tabulate(table(builder, report, "Q14b"), survivors, yes_no_rows("CurrentlyFleeing"), household_columns())
