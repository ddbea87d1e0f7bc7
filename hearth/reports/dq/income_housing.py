"""Q4 Income and housing (Glossary DQ report Q4; APR/CAPER Q6c).

- Destination (3.12), leavers: 8/9 (B); 30 no exit interview, 99 or empty (C).
- Income and sources (4.02) at start, adults and heads of household: IncomeFromAnySource 8/9 (B); no start
  record dated on the project start date, or 99/empty (C); "no" with a source marked yes, or "yes" with none
  (D).
- At annual assessment: the same, for adults and heads who are stayers with an annual assessment due (Glossary
  "Annual Assessment"), the record being the latest stage-5 one inside the window.
- At exit: the same, for adult and head-of-household leavers, the record dated on the exit date.
Layouts (DQ report B–F, APR/CAPER B–C): ``hearth.reports.dq.issues``.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.cells import MEMBER_KEYS, ReportBuilder
from hearth.reports.dq.issues import IssueRow, Layout, columns, write
from hearth.reports.glossary import assessment, income
from hearth.reports.glossary.codes import NO, YES
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

Q4_COLUMNS = ("EntryDate", "ExitDate", "hoh_entry", "Destination", "leaver", "adult", "hoh")
ROWS = (
    "Destination (3.12)",
    "Income and Sources (4.02) at Start",
    "Income and Sources (4.02) at Annual Assessment",
    "Income and Sources (4.02) at Exit",
)


def income_row(row: int, frame: pl.DataFrame, prefix: str) -> IssueRow:
    found = pl.col(f"{prefix}_found")
    any_source = pl.col(f"{prefix}_any")
    sources = pl.col(f"{prefix}_sources")
    return IssueRow(
        row,
        frame.height,
        dk_pnta=frame.filter(found & any_source.is_in([8, 9])),
        missing=frame.filter(~found | any_source.is_null() | (any_source == 99)),
        issues=frame.filter(found & (((any_source == NO) & (sources > 0)) | ((any_source == YES) & (sources == 0)))),
    )


def build_q4(
    builder: ReportBuilder,
    universe: pl.DataFrame,
    tables: HmisTables,
    params: ReportParams,
    name: str = "Q4",
    layout: Layout = "apr",
) -> None:
    table = builder.table(name, "Data Quality: Income and Housing Data Quality", columns(layout), ROWS)
    # The columns read here only: the universe is ~100 columns wide, and each filter below would copy them all.
    dq = universe.lazy().filter(pl.col("dq")).select(*MEMBER_KEYS, *Q4_COLUMNS).collect()
    leavers = dq.filter(pl.col("leaver"))
    destination = pl.col("Destination")
    adults_heads = dq.filter(pl.col("adult") | pl.col("hoh"))
    due = assessment.with_window(adults_heads, params).filter(pl.col("annual_due"))
    rows = [
        IssueRow(
            2,
            leavers.height,
            dk_pnta=leavers.filter(destination.is_in([8, 9])),
            missing=leavers.filter(destination.is_null() | destination.is_in([30, 99])),
        ),
        income_row(3, income.at_stage(tables, adults_heads, "start"), "income_start"),
        income_row(4, income.at_stage(tables, due, "annual"), "income_annual"),
        income_row(5, income.at_stage(tables, adults_heads.filter(pl.col("leaver")), "exit"), "income_exit"),
    ]
    write(table, rows, layout)
