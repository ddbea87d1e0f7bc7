"""Q22a1/Q22a2 length of participation, Q22b average and median (APR/CAPER spec Q22).

Length of participation: leavers (project exit date − project start date), stayers (report end date + 1 −
project start date); ES night-by-night counts bed nights instead (Glossary "Length of Stay": distinct bed-night dates
≥ start and < exit, up to the report end).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from hearth.reports.apr.grid import Grid
from hearth.reports.apr.shells import shell
from hearth.reports.apr.universe import BED_NIGHT, ES_NBN
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

# (row, low, high) days, inclusive; high None = no upper bound. Q22a1 (CoC APR) and Q22a2 (ESG CAPER).
A1_BANDS = (
    (2, 0, 30),
    (3, 31, 60),
    (4, 61, 90),
    (5, 91, 180),
    (6, 181, 365),
    (7, 366, 730),
    (8, 731, 1095),
    (9, 1096, 1460),
    (10, 1461, 1825),
    (11, 1826, None),
)
A2_BANDS = (
    (2, 0, 7),
    (3, 8, 14),
    (4, 15, 21),
    (5, 22, 30),
    (6, 31, 60),
    (7, 61, 90),
    (8, 91, 180),
    (9, 181, 365),
    (10, 366, 730),
    (11, 731, 1095),
    (12, 1096, 1460),
    (13, 1461, 1825),
    (14, 1826, None),
)


def with_length(tables: HmisTables, universe: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """``universe`` plus ``Length``: days of participation (bed nights for ES night-by-night)."""
    # Glossary "Length of Stay": min(exit date, report end + 1) − start date.
    until = pl.when(pl.col("Leaver")).then(pl.col("ExitDate")).otherwise(pl.lit(params.end + dt.timedelta(days=1)))
    frame = universe.with_columns((until - pl.col("EntryDate")).dt.total_days().alias("Length"))
    nbn = frame.filter(pl.col("ProjectType") == ES_NBN)
    if not nbn.height:
        return frame
    nights = (
        tables["Services"]
        .filter(pl.col("RecordType") == BED_NIGHT)
        .select("EnrollmentID", "DateProvided")
        .join(nbn.select("EnrollmentID", "EntryDate", "ExitDate"), on="EnrollmentID")
        .filter(
            (pl.col("DateProvided") >= pl.col("EntryDate"))
            & (pl.col("DateProvided") <= params.end)
            & (pl.col("ExitDate").is_null() | (pl.col("DateProvided") < pl.col("ExitDate")))
        )
        .group_by("EnrollmentID")
        .agg(pl.col("DateProvided").n_unique().alias("_nights"))
    )
    return (
        frame.join(nights, on="EnrollmentID", how="left")
        .with_columns(
            pl.when(pl.col("ProjectType") == ES_NBN)
            .then(pl.col("_nights").fill_null(0))
            .otherwise(pl.col("Length"))
            .alias("Length")
        )
        .drop("_nights")
    )


def _bands(table: str, frame: pl.DataFrame, bands: tuple[tuple[int, int, int | None], ...]) -> Grid:
    grid = Grid(shell(table))
    length = pl.col("Length")
    rows: dict[int, pl.Expr | None] = {
        row: (length >= low) if high is None else length.is_between(low, high) for row, low, high in bands
    }
    rows[bands[-1][0] + 1] = pl.lit(True)  # Total
    grid.tabulate(frame, rows, {"B": pl.lit(True), "C": pl.col("Leaver"), "D": pl.col("Stayer")})
    return grid


def q22a1(frame: pl.DataFrame) -> Grid:
    return _bands("Q22a1", frame, A1_BANDS)


def q22a2(frame: pl.DataFrame) -> Grid:
    return _bands("Q22a2", frame, A2_BANDS)


def q22b(frame: pl.DataFrame) -> Grid:
    """Average (to 4 decimals, spec §3.1 day averages) and median length, leavers (B) and stayers (C)."""
    grid = Grid(shell("Q22b"))
    for column, who in (("B", pl.col("Leaver")), ("C", pl.col("Stayer"))):
        part = frame.filter(who)
        lengths = part["Length"]
        average = round(float(lengths.mean()), 4) if part.height else 0  # type: ignore[arg-type]
        median = float(lengths.median()) if part.height else 0  # type: ignore[arg-type]
        grid.set(column, 2, average, part)
        grid.set(column, 3, median, part)
    return grid
