"""Length of stay and bed nights (Glossary "Length of Stay", "Bed Nights"; APR Q22).

Entry-exit projects count days: [exit date, or the day after the report end] − [project start, or the report
start when counting within the range]. Night-by-night shelters (type 1) count the distinct bed-night dates
(4.14) on or after project start and before the exit date. Permanent housing with a move-in date counts
housed nights from the move-in date.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from hearth.reports.glossary.active import bed_nights_in_range
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables


def days(params: ReportParams, *, whole_stay: bool = False, start_column: str = "EntryDate") -> pl.Expr:
    """Days of the stay: min(exit, report end + 1) − max(start, report start); ``whole_stay`` drops the report
    start term (length of participation since project start). ``start_column``: "EntryDate", or "move_in" for
    housed days in permanent housing."""
    end_plus_one = pl.lit(params.end + dt.timedelta(days=1))
    stop = pl.min_horizontal(pl.col("ExitDate").fill_null(end_plus_one), end_plus_one)
    begin = pl.col(start_column) if whole_stay else pl.max_horizontal(pl.col(start_column), pl.lit(params.start))
    return (stop - begin).dt.total_days().cast(pl.Int32)


def bed_nights(tables: HmisTables, spans: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """(EnrollmentID, bed_nights) for night-by-night stays: distinct bed-night dates inside the report range and
    inside the stay (a bed night on the exit date is not a night of the stay)."""
    nights = bed_nights_in_range(tables, spans, params)
    counted = nights.group_by("EnrollmentID").agg(pl.col("DateProvided").n_unique().cast(pl.Int32).alias("bed_nights"))
    return (
        spans.select("EnrollmentID")
        .unique()
        .join(counted, on="EnrollmentID", how="left")
        .with_columns(pl.col("bed_nights").fill_null(0))
    )
