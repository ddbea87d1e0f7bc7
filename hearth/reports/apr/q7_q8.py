"""Q7a/Q7b persons served, Q8a/Q8b households served (APR/CAPER spec Q7, Q8).

Q7b and Q8b count on the last Wednesday of January, April, July and October inside the report range, over
**all** stays active that night, not only the latest (spec Q7b): start ≤ date and (exit null or exit > date);
PH types 3, 9, 10, 13 only once moved in (move-in ≤ date); ES night-by-night only with a bed night that date.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from hearth.reports.apr.grid import Grid
from hearth.reports.apr.shells import shell
from hearth.reports.apr.universe import BED_NIGHT, ES_NBN, PH_MOVE_IN_TYPES, household_columns
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

PSH_RRH = (3, 13)  # Q7a row 7 / Q8a row 3: "For PSH & RRH"


def q7a(universe: pl.DataFrame) -> Grid:
    grid = Grid(shell("Q7a"))
    moved_in = pl.col("ProjectType").is_in(PSH_RRH) & pl.col("MoveIn").is_not_null()
    rows = {
        2: pl.col("Adult"),
        3: pl.col("Child"),
        4: pl.col("AgeDK"),
        5: pl.col("AgeDNC"),
        6: pl.lit(True),
        7: moved_in,
    }
    grid.tabulate(universe, rows, household_columns())
    # Spec Q7a: children are never in "without children"; adults never in "with only children" (grayed out).
    return grid


def q8a(universe: pl.DataFrame) -> Grid:
    grid = Grid(shell("Q8a"))
    heads = universe.filter(pl.col("HoH"))
    moved_in = pl.col("ProjectType").is_in(PSH_RRH) & pl.col("MoveIn").is_not_null()
    grid.tabulate(heads, {2: pl.lit(True), 3: moved_in}, household_columns())
    return grid


def pit_dates(params: ReportParams) -> list[tuple[int, dt.date]]:
    """(row, date) of the last Wednesday of January, April, July, October inside the range (rows 2–5)."""
    out = []
    for row, month in ((2, 1), (3, 4), (4, 7), (5, 10)):
        for year in range(params.start.year, params.end.year + 1):
            last = (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
            wednesday = last - dt.timedelta(days=(last.weekday() - 2) % 7)
            if params.start <= wednesday <= params.end:
                out.append((row, wednesday))
    return out


def _on_night(stays: pl.DataFrame, nights: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    present = stays.filter(
        (pl.col("EntryDate") <= day)
        & (pl.col("ExitDate").is_null() | (pl.col("ExitDate") > day))
        & (~pl.col("ProjectType").is_in(PH_MOVE_IN_TYPES) | (pl.col("MoveIn") <= day).fill_null(False))
    )
    slept = nights.filter(pl.col("DateProvided") == day).select("EnrollmentID").unique()
    return pl.concat(
        [
            present.filter(pl.col("ProjectType") != ES_NBN),
            present.filter(pl.col("ProjectType") == ES_NBN).join(slept, on="EnrollmentID", how="semi"),
        ]
    )


def q7b_q8b(tables: HmisTables, stays: pl.DataFrame, universe: pl.DataFrame, params: ReportParams) -> list[Grid]:
    persons, households = Grid(shell("Q7b")), Grid(shell("Q8b"))
    nights = tables["Services"].filter(pl.col("RecordType") == BED_NIGHT).select("EnrollmentID", "DateProvided")
    # The household type of a person is the one the report gives them (their latest stay's household).
    hh_type = universe.select("PersonalID", "HouseholdType")
    frame = stays.drop("HouseholdType").join(hh_type, on="PersonalID", how="left")
    for row, day in pit_dates(params):
        present = _on_night(frame, nights, day)
        for column, cond in household_columns().items():
            persons.count(column, row, present.filter(cond))
            households.count(column, row, present.filter(cond & (pl.col("RelationshipToHoH") == 1)))
    return [persons, households]
