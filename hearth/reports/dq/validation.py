"""Q1 Report validations (Glossary DQ report Q1; APR/CAPER Q5a): unduplicated counts of the universe.

Column B counts the DQ universe (street outreach and PATH-funded services only: engaged clients only),
column C every client. The counts are the denominators of the other tables.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.cells import ReportBuilder
from hearth.reports.counting import tabulate
from hearth.reports.params import ReportParams

COLUMNS = ("Count of Clients for DQ", "Count of Clients")
ROWS = (
    "Total number of persons served",
    "Number of adults (age 18 or over)",
    "Number of children (under age 18)",
    "Number of persons with unknown age",
    "Number of leavers",
    "Number of adult leavers",
    "Number of adult and head of household leavers",
    "Number of stayers",
    "Number of adult stayers",
    "Number of veterans",
    "Number of chronically homeless persons",
    "Number of youth under age 25",
    "Number of parenting youth under age 25 with children",
    "Number of adult heads of household",
    "Number of child and unknown-age heads of household",
    "Heads of households and adult stayers in the project 365 days or more",
)


def long_stayer(params: ReportParams) -> pl.Expr:
    """Row 17: a stayer who is the head or an adult, in a household whose head is a stayer with 365 days or
    more in the project at the report end ("any adult stayer present when the head of household's stay is 365
    days or more, even if that adult has not been in the household that long")."""
    hoh_days = (pl.lit(params.end) - pl.col("hoh_entry")).dt.total_days()
    hoh_stayer = pl.col("hoh_exit").is_null() | (pl.col("hoh_exit") > params.end)
    return (pl.col("stayer") & (pl.col("adult") | pl.col("hoh")) & hoh_stayer & (hoh_days >= 365)).fill_null(False)


def row_filters(params: ReportParams) -> dict[int, pl.Expr]:
    adult, child, hoh = pl.col("adult"), pl.col("child"), pl.col("hoh")
    leaver, stayer = pl.col("leaver"), pl.col("stayer")
    return {
        2: pl.lit(True),
        3: adult,
        4: child,
        5: pl.col("age_unknown"),
        6: leaver,
        7: leaver & adult,
        8: leaver & (adult | hoh),
        9: stayer,
        10: stayer & adult,
        11: adult & (pl.col("VeteranStatus") == 1).fill_null(False),
        12: pl.col("chronic"),
        13: pl.col("youth"),
        14: pl.col("parenting_youth"),
        15: adult & hoh,
        16: hoh & ~adult,
        17: long_stayer(params),
    }


def build_q1(builder: ReportBuilder, universe: pl.DataFrame, params: ReportParams, name: str = "Q1") -> None:
    table = builder.table(name, "Report Validations", COLUMNS, ROWS)
    tabulate(table, universe, row_filters(params), {"B": pl.col("dq"), "C": pl.lit(True)})
