"""Q9a persons contacted, Q9b persons engaged (APR/CAPER spec Q9; street outreach and night-by-night shelter).

A contact is a 4.12 Current Living Situation record of the client's latest stay dated inside the report range
and the stay; a Date of Engagement (4.13) with no contact that day counts as one, its situation "worker
unable to determine" (37). Rows count contacts (once, 2–5, 6–9, 10+); columns split by the situation at the
first contact: not on the street, in ES or SH; on the street, in ES or SH (116, 101, 118); worker unable to
determine (37). Q9b counts those engaged inside the range, by contacts up to the engagement, and the
engagement rate (engaged ÷ contacted) per column.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr.grid import table, tabulate
from hearth.reports.cells import ReportBuilder, ratio
from hearth.reports.glossary.codes import ES_NBN, SO
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

LITERALLY_HOMELESS = (116, 101, 118)
WORKER_UNABLE = 37


def contacts(tables: HmisTables, universe: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """One row per contact of the outreach universe: EnrollmentID, PersonalID, InformationDate, situation."""
    stays = universe.filter(pl.col("ProjectType").is_in([SO, ES_NBN])).select(
        "EnrollmentID", "PersonalID", "EntryDate", "ExitDate", "DateOfEngagement"
    )
    in_stay = (
        pl.col("InformationDate").is_between(params.start, params.end)
        & (pl.col("InformationDate") >= pl.col("EntryDate"))
        & (pl.col("ExitDate").is_null() | (pl.col("InformationDate") <= pl.col("ExitDate")))
    )
    recorded = (
        tables["CurrentLivingSituation"]
        .select("EnrollmentID", "InformationDate", pl.col("CurrentLivingSituation").alias("situation"))
        .join(stays, on="EnrollmentID")
        .filter(in_stay)
    )
    engagement = (
        stays.filter(pl.col("DateOfEngagement").is_not_null())
        .with_columns(
            pl.col("DateOfEngagement").alias("InformationDate"), pl.lit(WORKER_UNABLE, pl.Int64).alias("situation")
        )
        .filter(in_stay)
        .join(recorded.select("EnrollmentID", "InformationDate"), on=["EnrollmentID", "InformationDate"], how="anti")
    )
    columns = ["EnrollmentID", "PersonalID", "InformationDate", "situation", "DateOfEngagement"]
    return pl.concat([recorded.select(columns), engagement.select(columns)])


def _per_person(contact_rows: pl.DataFrame) -> pl.DataFrame:
    return (
        contact_rows.sort("InformationDate", "situation")
        .group_by("PersonalID", "EnrollmentID")
        .agg(
            pl.len().alias("contacts"),
            pl.col("situation").first().alias("first_situation"),
            pl.col("DateOfEngagement").first().alias("engaged_on"),
        )
    )


def _rows() -> dict[int, pl.Expr | None]:
    n = pl.col("contacts")
    return {2: n == 1, 3: n.is_between(2, 5), 4: n.is_between(6, 9), 5: n >= 10, 6: pl.lit(True)}


def _columns() -> dict[str, pl.Expr]:
    first = pl.col("first_situation")
    return {
        "B": pl.lit(True),
        "C": ~first.is_in([*LITERALLY_HOMELESS, WORKER_UNABLE]),
        "D": first.is_in(LITERALLY_HOMELESS),
        "E": first == WORKER_UNABLE,
    }


def q9(builder: ReportBuilder, report: str, tables: HmisTables, universe: pl.DataFrame, params: ReportParams) -> None:
    rows = contacts(tables, universe, params)
    people = _per_person(rows)
    tabulate(table(builder, report, "Q9a"), people, _rows(), _columns())
    engaged_on = pl.col("DateOfEngagement")
    until_engaged = rows.filter(
        engaged_on.is_between(params.start, params.end) & (pl.col("InformationDate") <= engaged_on)
    )
    engaged = _per_person(until_engaged)
    # The first-contact column stays the one of Q9a (the person's first contact in the range).
    engaged = engaged.drop("first_situation").join(people.select("PersonalID", "first_situation"), on="PersonalID")
    target = table(builder, report, "Q9b")
    tabulate(target, engaged, _rows(), _columns())
    for column, cond in _columns().items():
        rate = ratio(engaged.filter(cond).height, people.filter(cond).height)
        target.set(f"{column}7", round(rate, 4), "percent")
