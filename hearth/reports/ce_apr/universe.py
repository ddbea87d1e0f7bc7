"""The CE APR universe (CE APR programming specifications, "Report universe"; Glossary household types).

- A CE activity counts when it is dated inside the report range, recorded on an enrollment in one of the
  reported projects, while the project participated in coordinated entry (2.10 CEParticipation active on
  that date).
- Assessed households: each head of household (or client) with an assessment (4.19) counted; their latest
  assessment in the range answers for the household. Every member of that household (same HouseholdID) is a
  client of the report — the "count of clients" — while the assessed clients are its data-quality universe.
- Age and household type follow the Glossary on the members' enrollments (hearth.reports.glossary).
"""

from __future__ import annotations

import polars as pl

from hearth.reports.dq import universe as dq_universe
from hearth.reports.glossary import age, household
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables


def participating(tables: HmisTables, frame: pl.DataFrame, date: str) -> pl.DataFrame:
    """Rows of ``frame`` (ProjectID, ``date``) recorded while their project participated in CE (2.10)."""
    periods = tables["CEParticipation"].select(
        "ProjectID", "CEParticipationStatusStartDate", "CEParticipationStatusEndDate"
    )
    inside = (pl.col(date) >= pl.col("CEParticipationStatusStartDate")) & (
        pl.col("CEParticipationStatusEndDate").is_null() | (pl.col(date) <= pl.col("CEParticipationStatusEndDate"))
    )
    indexed = frame.with_row_index("__row")
    matched = indexed.join(periods, on="ProjectID", how="inner").filter(inside).select("__row").unique()
    return indexed.join(matched, on="__row", how="semi").drop("__row")


def _enrollments(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    enrollments = tables["Enrollment"].select(
        "EnrollmentID",
        "PersonalID",
        "ProjectID",
        "EntryDate",
        "HouseholdID",
        "RelationshipToHoH",
        pl.col("DateCreated").alias("EnrollmentDateCreated"),
    )
    if params.projects:
        enrollments = enrollments.filter(pl.col("ProjectID").is_in(list(params.projects)))
    return enrollments


def assessments(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    """Counted assessments (4.19) with their enrollment's project and household."""
    rows = (
        tables["Assessment"]
        .filter(pl.col("AssessmentDate").is_between(params.start, params.end))
        .join(_enrollments(tables, params).drop("PersonalID", "EnrollmentDateCreated"), on="EnrollmentID")
    )
    return participating(tables, rows, "AssessmentDate")


def events(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    """Counted events (4.20) with their enrollment's project and household."""
    rows = (
        tables["Event"]
        .filter(pl.col("EventDate").is_between(params.start, params.end))
        .join(_enrollments(tables, params).drop("PersonalID", "EnrollmentDateCreated"), on="EnrollmentID")
    )
    return participating(tables, rows, "EventDate")


def build(tables: HmisTables, params: ReportParams, assessed: pl.DataFrame) -> pl.DataFrame:
    """Every member of an assessed household, one row per client, with age, household type and ``dq`` (the
    client was assessed) and ``hoh``."""
    latest = assessed.sort("AssessmentDate", "AssessmentID").unique("PersonalID", keep="last")
    households = latest.select("HouseholdID").unique()
    members = (
        _enrollments(tables, params)
        .join(households, on="HouseholdID", how="semi")
        .join(tables["Exit"].select("EnrollmentID", "ExitDate"), on="EnrollmentID", how="left")
        .sort("EntryDate", "EnrollmentID")
        .unique("PersonalID", keep="last")
    )
    clients = (
        tables["Client"]
        .select(*dq_universe.CLIENT_COLUMNS, pl.col("DateCreated").alias("ClientDateCreated"))
        .unique("PersonalID", keep="last")
    )
    frame = age.with_age(members.join(clients, on="PersonalID", how="left"), params)
    frame = frame.join(household.household_types(frame), on="HouseholdID", how="left")
    assessed_ids = latest.select("PersonalID").with_columns(pl.lit(True).alias("dq"))
    return frame.join(assessed_ids, on="PersonalID", how="left").with_columns(
        pl.col("dq").fill_null(False),
        household.is_hoh().alias("hoh"),
        *household.youth_flags(),
    )
