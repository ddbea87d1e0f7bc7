"""Q4 Income and housing (Glossary DQ report Q4; APR/CAPER Q6c): error counts and rates.

- Destination (3.12), leavers: empty, DK/PNTA, no exit interview completed, or not collected.
- Income and sources (4.02) at start, adults and heads of household: no start record dated on the project
  start date, or IncomeFromAnySource DK/PNTA/missing, or inconsistent with the sources.
- At annual assessment, adults and heads of household who are stayers with an annual assessment due
  (Glossary "Annual Assessment"): none inside the window, or the same answer problems.
- At exit, adult and head-of-household leavers: no exit record dated on the exit date, or the same problems.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.cells import ReportBuilder, ratio
from hearth.reports.glossary import assessment, destinations, income
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

COLUMNS = ("Error Count", "% of Error Rate")
ROWS = (
    "Destination (3.12)",
    "Income and Sources (4.02) at Start",
    "Income and Sources (4.02) at Annual Assessment",
    "Income and Sources (4.02) at Exit",
)


def build_q4(
    builder: ReportBuilder, universe: pl.DataFrame, tables: HmisTables, params: ReportParams, name: str = "Q4"
) -> None:
    table = builder.table(name, "Data Quality: Income and Housing Data Quality", COLUMNS, ROWS)
    dq = universe.filter(pl.col("dq"))

    leavers = dq.filter(pl.col("leaver"))
    table.count("B2", leavers.filter(destinations.missing(pl.col("Destination"))))
    table.derive("C2", lambda v: ratio(v["B2"], leavers.height))

    adults_heads = dq.filter(pl.col("adult") | pl.col("hoh"))
    start = income.at_start(tables, adults_heads)
    table.count("B3", start.filter(income.dq_error("income_start")))
    table.derive("C3", lambda v: ratio(v["B3"], adults_heads.height))

    due = assessment.with_window(adults_heads, params).filter(pl.col("annual_due"))
    annual = income.at_annual(tables, due)
    table.count("B4", annual.filter(income.dq_error("income_annual")))
    table.derive("C4", lambda v: ratio(v["B4"], due.height))

    exiting = adults_heads.filter(pl.col("leaver"))
    exit_records = income.at_exit(tables, exiting)
    table.count("B5", exit_records.filter(income.dq_error("income_exit")))
    table.derive("C5", lambda v: ratio(v["B5"], exiting.height))
