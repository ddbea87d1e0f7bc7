"""Latest stay, leavers and stayers (Glossary "Latest Project Stay", "Leavers", "Stayers")."""

from __future__ import annotations

import polars as pl

from hearth.reports.frames import numbered, rows_of
from hearth.reports.params import ReportParams


def latest_stay(active: pl.DataFrame) -> pl.DataFrame:
    """One row per client: their enrollment with the latest project start date among ``active``. Ties (two
    stays starting the same day) go to the one still open or exiting later, then the higher EnrollmentID, so
    the choice never depends on input order."""
    # Decided on the four columns the rule reads; only the chosen stays' columns are copied.
    exit_order = pl.col("ExitDate").fill_null(pl.date(9999, 12, 31)).alias("__exit_order")
    chosen = (
        numbered(active, "PersonalID", "EntryDate", exit_order, "EnrollmentID")
        .sort("PersonalID", "EntryDate", "__exit_order", "EnrollmentID")
        .unique("PersonalID", keep="last", maintain_order=True)
    )
    return rows_of(active, chosen)


def leaver(params: ReportParams) -> pl.Expr:
    """A leaver's latest stay has an exit date inside the report range."""
    return pl.col("ExitDate").is_between(params.start, params.end).fill_null(False)


def stayer(params: ReportParams) -> pl.Expr:
    """A stayer's latest stay has no exit date, or one after the report end date."""
    return pl.col("ExitDate").is_null() | (pl.col("ExitDate") > params.end)
