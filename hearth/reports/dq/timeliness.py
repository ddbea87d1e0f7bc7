"""Q6 Timeliness (Glossary DQ report Q6; APR/CAPER Q6e): days between a project start or exit date and the
day its record was entered (the record's DateCreated, in the CoC's local time).

Start records: DQ-universe clients whose latest stay started inside the report range. Exit records: leavers.
Bands: 0 days, 1–3, 4–6, 7–10, 11 or more days late. A record entered before its date (a start recorded
ahead of the move) is "< 0 days" — its own first row in the DQ report (Glossary FY2024+); the APR/CAPER's
Q6e has no such row, and those records fall in none of its bands.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.cells import ReportBuilder
from hearth.reports.counting import count_where
from hearth.reports.dq.issues import Layout
from hearth.reports.dq.pii import local_date
from hearth.reports.params import ReportParams

COLUMNS = ("Number of Project Start Records", "Number of Project Exit Records")
BANDS: dict[str, tuple[int | None, int | None]] = {
    "< 0 days": (None, -1),
    "0 days": (0, 0),
    "1-3 days": (1, 3),
    "4-6 days": (4, 6),
    "7-10 days": (7, 10),
    "11+ days": (11, None),
}


def _band(lag: pl.Expr, low: int | None, high: int | None) -> pl.Expr:
    expr = lag.is_not_null()
    if low is not None:
        expr = expr & (lag >= low)
    if high is not None:
        expr = expr & (lag <= high)
    return expr.fill_null(False)


def build_q6(
    builder: ReportBuilder, universe: pl.DataFrame, params: ReportParams, name: str = "Q6", layout: Layout = "apr"
) -> None:
    bands = {label: limits for label, limits in BANDS.items() if layout == "dq" or label != "< 0 days"}
    table = builder.table(name, "Data Quality: Timeliness", COLUMNS, list(bands))
    dq = universe.filter(pl.col("dq"))
    starts = dq.filter(pl.col("EntryDate") >= params.start).with_columns(
        (local_date(pl.col("EnrollmentDateCreated")) - pl.col("EntryDate")).dt.total_days().alias("__lag")
    )
    exits = dq.filter(pl.col("leaver")).with_columns(
        (local_date(pl.col("ExitDateCreated")) - pl.col("ExitDate")).dt.total_days().alias("__lag")
    )
    rows = {row: _band(pl.col("__lag"), low, high) for row, (low, high) in enumerate(bands.values(), start=2)}
    count_where(table, starts, {f"B{row}": band for row, band in rows.items()}, unit="EnrollmentID")
    count_where(table, exits, {f"C{row}": band for row, band in rows.items()}, unit="EnrollmentID")
