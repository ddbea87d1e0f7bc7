"""The DQ report's universe: one row per client, their latest stay in the reported projects, with every
Glossary concept the tables read (hearth.reports.glossary), computed once.

Columns added to the Enrollment/Exit/Client columns: ``age``, ``adult``, ``child``, ``age_unknown``,
``household_type``, ``youth_household``, ``youth``, ``parenting_youth``, ``hoh``, ``hoh_entry``, ``hoh_exit``,
``ch_status``, ``chronic``, ``move_in``, ``leaver``, ``stayer``, ``dq`` (in the DQ universe: engaged where
engagement counts), ``EnrollmentDateCreated``, ``ExitDateCreated``, ``ClientDateCreated``.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.frames import lookup
from hearth.reports.glossary import active, age, chronic, household, movein, stays
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

CLIENT_COLUMNS = (
    "PersonalID",
    "FirstName",
    "LastName",
    "NameDataQuality",
    "SSN",
    "SSNDataQuality",
    "DOB",
    "DOBDataQuality",
    "AmIndAKNative",
    "Asian",
    "BlackAfAmerican",
    "HispanicLatinao",
    "MidEastNAfrican",
    "NativeHIPacific",
    "White",
    "RaceNone",
    "VeteranStatus",
)


def active_stays(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    """Every active stay in the reported projects with client columns, age, household and CH at start —
    the frame household-level rules are decided on, before the latest-stay filter."""
    spans = active.active_enrollments(tables, params).with_columns(
        pl.col("DateCreated").alias("EnrollmentDateCreated"),
        # An enrollment without a HouseholdID is a household of one (never grouped with other blanks).
        pl.coalesce(pl.col("HouseholdID"), pl.lit("__single:") + pl.col("EnrollmentID").cast(pl.String)).alias(
            "HouseholdID"
        ),
    )
    clients = (
        tables["Client"]
        .select(*CLIENT_COLUMNS, pl.col("DateCreated").alias("ClientDateCreated"))
        .unique("PersonalID", keep="last")
    )
    frame = age.with_age(lookup(spans, clients, "PersonalID"), params)
    frame = lookup(frame, household.household_types(frame), "HouseholdID")
    frame = lookup(frame, household.heads(frame), "HouseholdID")
    frame = chronic.chronic_at_start(frame, tables["Disabilities"])
    return movein.with_move_in(frame, params)


def build(tables: HmisTables, params: ReportParams, active_stays_frame: pl.DataFrame | None = None) -> pl.DataFrame:
    """The universe: one row per client (their latest stay) with the derived columns. Pass the frame of
    ``active_stays`` when the caller has it already (it is the expensive part)."""
    frame = active_stays(tables, params) if active_stays_frame is None else active_stays_frame
    latest = stays.latest_stay(frame)
    return latest.with_columns(
        household.is_hoh().alias("hoh"),
        stays.leaver(params).alias("leaver"),
        stays.stayer(params).alias("stayer"),
        active.engaged(tables, params).fill_null(False).alias("dq"),
        *household.youth_flags(),
    )
