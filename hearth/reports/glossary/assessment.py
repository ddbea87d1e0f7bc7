"""The annual assessment (Glossary "Annual Assessment"; Data Standards "Annual assessment" collection point).

An annual assessment is due only when the head of household has been in the project one year or more at the
report end date — counted in anniversaries (like age), not in 365-day units. The relevant anniversary is the
latest one of the head's project start on or before the report end; the assessment must be dated within 30
days either side of it, the upper bound capped at the report end date. Only stayers are assessed; a member
who joined after that anniversary is "not yet required"; with none in the window the assessment is missing.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.glossary.age import years_between
from hearth.reports.params import ReportParams

WINDOW_DAYS = 30


def add_years(date: pl.Expr, years: pl.Expr) -> pl.Expr:
    """``date`` plus whole ``years``; February 29 becomes February 28 in a year without one (as calendar
    arithmetic and Polars' ``offset_by`` do). By parts, not by offsetting with a per-row "{n}y" string, which
    formatted and parsed a string for each of a CoC's 2.5M stays."""
    year = date.dt.year().cast(pl.Int32) + years
    month, day = date.dt.month(), date.dt.day()
    leap = ((year % 4) == 0) & (((year % 100) != 0) | ((year % 400) == 0))
    return pl.date(year, month, pl.when((month == 2) & (day == 29) & ~leap).then(28).otherwise(day))


def with_window(frame: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """``frame`` (EntryDate, ExitDate, ``hoh_entry``) with ``anniversary``, ``window_start``, ``window_end`` and
    ``annual_due`` (a stayer whose head reached an anniversary by the report end, present by that anniversary)."""
    end = pl.lit(params.end)
    years = years_between(pl.col("hoh_entry"), end)
    anniversary = add_years(pl.col("hoh_entry"), years)
    stayer = pl.col("ExitDate").is_null() | (pl.col("ExitDate") > params.end)
    return frame.with_columns(pl.when(years >= 1).then(anniversary).otherwise(None).alias("anniversary")).with_columns(
        (pl.col("anniversary") - pl.duration(days=WINDOW_DAYS)).alias("window_start"),
        pl.when(pl.col("anniversary").is_not_null())
        .then(pl.min_horizontal(pl.col("anniversary") + pl.duration(days=WINDOW_DAYS), end))
        .alias("window_end"),
        (stayer & pl.col("anniversary").is_not_null() & (pl.col("EntryDate") <= pl.col("anniversary")))
        .fill_null(False)
        .alias("annual_due"),
    )
