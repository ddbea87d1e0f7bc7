"""Q7a/Q7b persons served, Q8a/Q8b households served (APR/CAPER spec Q7, Q8).

Q7b and Q8b count on the last Wednesday of January, April, July and October inside the report range, over
**all** stays active that night, not only the latest (spec Q7b): start ≤ date and (exit null or exit > date);
PH types 3, 9, 10, 13 only once moved in (move-in ≤ date); ES night-by-night only with a bed night that date.
A person (household) is placed in the household-type column the report gives them (their latest stay).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from hearth.reports.apr.grid import table
from hearth.reports.apr.universe import household_columns
from hearth.reports.cells import MEMBER_KEYS, ReportBuilder
from hearth.reports.counting import count_where, tabulate
from hearth.reports.frames import lookup
from hearth.reports.glossary.codes import ES_NBN, PH_TYPES, PSH, RRH
from hearth.reports.glossary.household import latest_head
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables


def moved_in() -> pl.Expr:
    """Q7a row 7 / Q8a row 3: PSH or RRH with an effective housing move-in date (Glossary)."""
    return pl.col("ProjectType").is_in([PSH, RRH]) & pl.col("move_in").is_not_null()


def q7a(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    rows = {
        2: pl.col("adult"),
        3: pl.col("child"),
        4: pl.col("age_dk"),
        5: pl.col("age_dnc"),
        6: pl.lit(True),
        7: moved_in(),
    }
    tabulate(table(builder, report, "Q7a"), universe, rows, household_columns())


def q8a(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    heads = universe.filter(pl.col("hoh"))
    tabulate(table(builder, report, "Q8a"), heads, {2: pl.lit(True), 3: moved_in()}, household_columns())


def last_wednesday(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - 2) % 7)


def pit_dates(params: ReportParams) -> list[tuple[int, dt.date]]:
    """(row, date): the last Wednesday of January (row 2), April, July, October (row 5) inside the range."""
    out = []
    for row, month in ((2, 1), (3, 4), (4, 7), (5, 10)):
        for year in range(params.start.year, params.end.year + 1):
            day = last_wednesday(year, month)
            if params.start <= day <= params.end:
                out.append((row, day))
    return out


def present_on(stays: pl.DataFrame, nights: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    present = stays.filter(
        (pl.col("EntryDate") <= day)
        & (pl.col("ExitDate").is_null() | (pl.col("ExitDate") > day))
        & (~pl.col("ProjectType").is_in(PH_TYPES) | (pl.col("move_in") <= day).fill_null(False))
    )
    slept = nights.filter(pl.col("DateProvided") == day).select("EnrollmentID").unique()
    return pl.concat(
        [
            present.filter(pl.col("ProjectType") != ES_NBN),
            present.filter(pl.col("ProjectType") == ES_NBN).join(slept, on="EnrollmentID", how="semi"),
        ]
    )


def q7b_q8b(
    builder: ReportBuilder,
    report: str,
    tables: HmisTables,
    stays: pl.DataFrame,
    universe: pl.DataFrame,
    params: ReportParams,
) -> None:
    persons, households = table(builder, report, "Q7b"), table(builder, report, "Q8b")
    nights = tables.bed_nights
    # The stays' columns read here only (a stay row carries ~90), with each client's household type.
    present_columns = ("HouseholdID", "RelationshipToHoH", "EntryDate", "ExitDate", "ProjectType", "move_in")
    frame = lookup(
        stays.select(*MEMBER_KEYS, *present_columns), universe.select("PersonalID", "household_type"), "PersonalID"
    )
    # A household is present when any member is (a night-by-night head may not have slept there that night);
    # it is counted by its head (the latest head on record), in the head's household-type column.
    all_heads = latest_head(frame, "PersonalID", "EnrollmentID", "household_type")
    for row, day in pit_dates(params):
        present = present_on(frame, nights, day)
        heads = all_heads.join(present.select("HouseholdID").unique(), on="HouseholdID", how="semi")
        count_where(persons, present, {f"{column}{row}": cond for column, cond in household_columns().items()})
        count_where(households, heads, {f"{column}{row}": cond for column, cond in household_columns().items()})
