"""Q9a persons contacted, Q9b persons engaged (APR/CAPER spec Q9; street outreach and night-by-night shelter).

Adults and heads of household of the universe in ES night-by-night (1) or street outreach (4). A contact is a
4.12 Current Living Situation of the client's latest stay; a Date of Engagement (4.13) with no contact that day
counts as one, its situation "worker unable to determine" (37). Per the spec, each person's count includes
every contact of that stay — also those before the report start — that is on or after the project start
(or is that engagement-day contact when engagement came first), on or before the exit, the date of engagement
and the report end. Q9a counts people engaged inside the range or with a contact inside it (up to their
engagement); Q9b those engaged inside the range. Columns split by the situation at the first contact: not on
the street, ES or SH; on the street, ES or SH (116, 101, 118); worker unable to determine (37, 8, 9, 99). Row 7
of Q9b is the engagement rate (engaged ÷ contacted) per column.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr.grid import table
from hearth.reports.cells import ReportBuilder, ratio
from hearth.reports.counting import tabulate
from hearth.reports.frames import lookup
from hearth.reports.glossary.codes import ES_NBN, SO
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

LITERALLY_HOMELESS = (116, 101, 118)
WORKER_UNABLE = 37
UNDETERMINED = (WORKER_UNABLE, 8, 9, 99)


def contacts(tables: HmisTables, people: pl.DataFrame) -> pl.DataFrame:
    """Every contact of ``people``'s latest stays: EnrollmentID, InformationDate, situation, ``engagement_day``."""
    stays = people.select("EnrollmentID", "DateOfEngagement")
    recorded = (
        tables["CurrentLivingSituation"]
        .select("EnrollmentID", "InformationDate", pl.col("CurrentLivingSituation").alias("situation"))
        .join(stays.select("EnrollmentID"), on="EnrollmentID")
        .with_columns(pl.lit(False).alias("engagement_day"))
    )
    engagement = (
        stays.filter(pl.col("DateOfEngagement").is_not_null())
        .select(
            "EnrollmentID",
            pl.col("DateOfEngagement").alias("InformationDate"),
            pl.lit(WORKER_UNABLE, pl.Int64).alias("situation"),
            pl.lit(True).alias("engagement_day"),
        )
        .join(recorded.select("EnrollmentID", "InformationDate"), on=["EnrollmentID", "InformationDate"], how="anti")
    )
    return pl.concat([recorded, engagement.select(recorded.columns)])


def per_person(tables: HmisTables, people: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """``people`` with ``contacts`` (the spec's count), ``first_situation`` and ``contacted_in_range``."""
    all_contacts = contacts(tables, people).join(
        people.select("EnrollmentID", "EntryDate", "ExitDate", "DateOfEngagement"), on="EnrollmentID"
    )
    engaged_on = pl.col("DateOfEngagement")
    date = pl.col("InformationDate")
    counted = (
        ((date >= pl.col("EntryDate")) | (pl.col("engagement_day") & (engaged_on < pl.col("EntryDate"))))
        & (pl.col("ExitDate").is_null() | (date <= pl.col("ExitDate")))
        & (engaged_on.is_null() | (date <= engaged_on))
        & (date <= params.end)
    )
    summary = (
        all_contacts.sort("InformationDate", "situation")
        .group_by("EnrollmentID")
        .agg(
            counted.sum().alias("contacts"),
            pl.col("situation").first().alias("first_situation"),
            (date.is_between(params.start, params.end) & (engaged_on.is_null() | (date <= engaged_on)))
            .any()
            .alias("contacted_in_range"),
        )
    )
    return lookup(people, summary, "EnrollmentID").with_columns(
        pl.col("contacts").fill_null(0), pl.col("contacted_in_range").fill_null(False)
    )


def _rows() -> dict[int, pl.Expr | None]:
    n = pl.col("contacts")
    return {2: n == 1, 3: n.is_between(2, 5), 4: n.is_between(6, 9), 5: n >= 10, 6: n >= 1}


def _columns() -> dict[str, pl.Expr]:
    first = pl.col("first_situation")
    return {
        "B": pl.lit(True),
        "C": ~first.is_in([*LITERALLY_HOMELESS, *UNDETERMINED]),
        "D": first.is_in(LITERALLY_HOMELESS),
        "E": first.is_in(UNDETERMINED),
    }


def q9(builder: ReportBuilder, report: str, tables: HmisTables, universe: pl.DataFrame, params: ReportParams) -> None:
    people = universe.filter((pl.col("adult") | pl.col("hoh")) & pl.col("ProjectType").is_in([ES_NBN, SO]))
    summary = per_person(tables, people, params)
    engaged = pl.col("DateOfEngagement").is_between(params.start, params.end).fill_null(False)
    contacted = summary.filter(engaged | pl.col("contacted_in_range"))
    tabulate(table(builder, report, "Q9a"), contacted, _rows(), _columns())
    engaged_people = summary.filter(engaged)
    target = table(builder, report, "Q9b")
    tabulate(target, engaged_people, _rows(), _columns())
    for column, cond in _columns().items():
        with_contacts = pl.col("contacts") >= 1
        rate = ratio(engaged_people.filter(cond & with_contacts).height, contacted.filter(cond & with_contacts).height)
        target.set(f"{column}7", round(rate, 4), "percent")
