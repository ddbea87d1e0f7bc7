"""Q22 length of participation and time to housing (APR/CAPER spec Q22a1, Q22a2, Q22b, Q22c, Q22d, Q22e,
Q22f, Q22g).

- Length of participation (Q22a1/a2/b/d): leavers exit date − start date, stayers report end + 1 − start date
  (Glossary "Length of Stay", whole stay: ``glossary.nights.days(whole_stay=True)``); ES night-by-night counts
  its bed nights from project start to the exit or the report end (not only inside the range).
- Start to move-in (Q22c, Q22f): PSH and RRH clients who moved in inside the range, plus leavers who exited
  without moving in; days = effective move-in date − project start date.
- Time prior to housing (Q22e, Q22g): ES, TH, SH, PSH, PH and RRH; days from 3.917 DateToStreetESSH to the
  move-in date (PH types) or to project start (others); a date after that end is not collected.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr import race
from hearth.reports.apr.grid import table
from hearth.reports.apr.universe import household_columns
from hearth.reports.cells import ReportBuilder, TableBuilder
from hearth.reports.counting import tabulate
from hearth.reports.frames import lookup
from hearth.reports.glossary import nights
from hearth.reports.glossary.codes import ES_EE, ES_NBN, PH_TYPES, PSH, RRH, SH, TH
from hearth.reports.glossary.household import latest_head
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

Band = tuple[int, int, int | None]
A1_BANDS: tuple[Band, ...] = (
    (2, 0, 30), (3, 31, 60), (4, 61, 90), (5, 91, 180), (6, 181, 365), (7, 366, 730), (8, 731, 1095),
    (9, 1096, 1460), (10, 1461, 1825), (11, 1826, None),
)  # fmt: skip
A2_BANDS: tuple[Band, ...] = (
    (2, 0, 7), (3, 8, 14), (4, 15, 21), (5, 22, 30), (6, 31, 60), (7, 61, 90), (8, 91, 180), (9, 181, 365),
    (10, 366, 730), (11, 731, 1095), (12, 1096, 1460), (13, 1461, 1825), (14, 1826, None),
)  # fmt: skip
D_BANDS: tuple[Band, ...] = (
    (2, 0, 7), (3, 8, 14), (4, 15, 21), (5, 22, 30), (6, 31, 60), (7, 61, 90), (8, 91, 180), (9, 181, 365),
    (10, 366, 730), (11, 731, None),
)  # fmt: skip
TIME_PRIOR_TYPES = (ES_EE, ES_NBN, TH, PSH, SH, 9, RRH)  # Q22e universe (spec; 10 PH with services too)


def band_rows(column: str, bands: tuple[Band, ...]) -> dict[int, pl.Expr | None]:
    value = pl.col(column)
    return {row: (value >= low) if high is None else value.is_between(low, high) for row, low, high in bands}


def with_length(tables: HmisTables, universe: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """``universe`` plus ``length``: days of participation (bed nights for ES night-by-night)."""
    frame = universe.with_columns(nights.days(params, whole_stay=True).alias("length"))
    nbn = frame.select("EnrollmentID", "ProjectType", "EntryDate", "ExitDate").filter(pl.col("ProjectType") == ES_NBN)
    if not nbn.height:
        return frame
    counted = (
        tables.bed_nights.join(nbn.select("EnrollmentID", "EntryDate", "ExitDate"), on="EnrollmentID")
        .filter(
            (pl.col("DateProvided") >= pl.col("EntryDate"))
            & (pl.col("DateProvided") <= params.end)
            & (pl.col("ExitDate").is_null() | (pl.col("DateProvided") < pl.col("ExitDate")))
        )
        .group_by("EnrollmentID")
        .agg(pl.col("DateProvided").n_unique().cast(pl.Int32).alias("__nights"))
    )
    return (
        lookup(frame, counted, "EnrollmentID")
        .with_columns(
            pl.when(pl.col("ProjectType") == ES_NBN)
            .then(pl.col("__nights").fill_null(0))
            .otherwise(pl.col("length"))
            .alias("length")
        )
        .drop("__nights")
    )


def _participation(
    builder: ReportBuilder, report: str, name: str, frame: pl.DataFrame, bands: tuple[Band, ...]
) -> None:
    rows = band_rows("length", bands)
    rows[bands[-1][0] + 1] = pl.lit(True)  # Total
    columns = {"B": pl.lit(True), "C": pl.col("leaver"), "D": pl.col("stayer")}
    tabulate(table(builder, report, name), frame, rows, columns)


def q22a1(builder: ReportBuilder, report: str, frame: pl.DataFrame) -> None:
    _participation(builder, report, "Q22a1", frame, A1_BANDS)


def q22a2(builder: ReportBuilder, report: str, frame: pl.DataFrame) -> None:
    _participation(builder, report, "Q22a2", frame, A2_BANDS)


def average_and_median(target: TableBuilder, column: str, part: pl.DataFrame, values: str, first_row: int) -> None:
    """Average (4 decimals, Sage day averages) at ``first_row`` and median at the next row of ``part``."""
    series = part[values].drop_nulls()
    average = round(float(series.mean()), 4) if series.len() else 0.0  # type: ignore[arg-type]
    median = float(series.median()) if series.len() else 0.0  # type: ignore[arg-type]
    target.set(f"{column}{first_row}", average, "days")
    target.set(f"{column}{first_row + 1}", median, "days")


def q22b(builder: ReportBuilder, report: str, frame: pl.DataFrame) -> None:
    target = table(builder, report, "Q22b")
    for column, who in (("B", pl.col("leaver")), ("C", pl.col("stayer"))):
        average_and_median(target, column, frame.filter(who), "length", 2)


def q22d(builder: ReportBuilder, report: str, frame: pl.DataFrame) -> None:
    rows = band_rows("length", D_BANDS)
    rows[12] = pl.lit(True)
    tabulate(table(builder, report, "Q22d"), frame, rows, household_columns())


def start_to_move_in(universe: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """Q22c universe with ``to_move_in`` (days from project start to the effective move-in date)."""
    moved = pl.col("move_in").is_between(params.start, params.end).fill_null(False)
    return universe.filter(
        pl.col("ProjectType").is_in([PSH, RRH]) & (moved | (pl.col("leaver") & pl.col("move_in").is_null()))
    ).with_columns(pl.when(moved).then((pl.col("move_in") - pl.col("EntryDate")).dt.total_days()).alias("to_move_in"))


def q22c(builder: ReportBuilder, report: str, universe: pl.DataFrame, params: ReportParams) -> None:
    start_to_move_in_table(builder, report, "Q22c", start_to_move_in(universe, params))


def start_to_move_in_table(builder: ReportBuilder, report: str, name: str, frame: pl.DataFrame) -> None:
    """Q22c (Q27k for youth): days from project start to move-in by band, average, unhoused leavers."""
    target = table(builder, report, name)
    rows = band_rows("to_move_in", D_BANDS[:9])
    rows[11] = pl.col("to_move_in").is_not_null()
    rows[13] = pl.col("to_move_in").is_null()
    rows[14] = pl.lit(True)
    tabulate(target, frame, rows, household_columns())
    for column, cond in household_columns().items():
        part = frame.filter(cond & pl.col("to_move_in").is_not_null())
        average = round(float(part["to_move_in"].mean()), 4) if part.height else 0.0  # type: ignore[arg-type]
        target.set(f"{column}12", average, "days")


def time_prior(universe: pl.DataFrame, stays: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """Q22e universe with ``prior`` (days homeless before housing) and its status.

    Household members use the head of household's 3.917 date homelessness started (it is collected from
    heads and adults; the kit's expected results count children with their head's date).
    """
    heads = latest_head(stays, pl.col("DateToStreetESSH").alias("__hoh_street"))
    universe = lookup(universe, heads, "HouseholdID")
    ph = pl.col("ProjectType").is_in(PH_TYPES)
    street = pl.when(pl.col("hoh")).then(pl.col("DateToStreetESSH")).otherwise(pl.col("__hoh_street"))
    housed_on = pl.when(ph).then(pl.col("move_in")).otherwise(pl.col("EntryDate"))
    known = street.is_not_null() & (street <= housed_on)
    return universe.filter(pl.col("ProjectType").is_in([*TIME_PRIOR_TYPES, 10])).with_columns(
        pl.when(known).then((housed_on - street).dt.total_days()).alias("prior"),
        (ph & pl.col("move_in").is_null()).alias("not_yet_housed"),
        (~(ph & pl.col("move_in").is_null()) & ~known.fill_null(False)).alias("prior_missing"),
    )


def q22e(builder: ReportBuilder, report: str, prior: pl.DataFrame) -> None:
    """``prior``: ``time_prior(universe, stays, params)`` (Q22e, Q22g and Q27l read it; computed once)."""
    time_prior_table(builder, report, "Q22e", prior)


def time_prior_table(builder: ReportBuilder, report: str, name: str, frame: pl.DataFrame) -> None:
    """Q22e (Q27l for youth): days homeless before housing by band; not yet housed; not collected."""
    rows = band_rows("prior", D_BANDS[:10])
    rows[12] = pl.col("prior").is_not_null()
    rows[13] = pl.col("not_yet_housed")
    rows[14] = pl.col("prior_missing")
    rows[15] = pl.lit(True)
    tabulate(table(builder, report, name), frame, rows, household_columns())


def _by_race(builder: ReportBuilder, report: str, name: str, frame: pl.DataFrame, days: str) -> None:
    target = table(builder, report, name)
    frame = race.with_race(frame)
    for column, cond in race.group_columns().items():
        group = frame.filter(cond)
        target.count(f"{column}2", group.filter(pl.col(days).is_not_null()))
        target.count(f"{column}3", group.filter(pl.col(days).is_null()))
        average_and_median(target, column, group.filter(pl.col(days).is_not_null()), days, 4)


def q22f(builder: ReportBuilder, report: str, universe: pl.DataFrame, params: ReportParams) -> None:
    _by_race(builder, report, "Q22f", start_to_move_in(universe, params), "to_move_in")


def q22g(builder: ReportBuilder, report: str, prior: pl.DataFrame) -> None:
    _by_race(builder, report, "Q22g", prior, "prior")
