"""The APR/CAPER client universe: one row per client, their latest stay in the reported projects.

Rules (FY2026 Reporting Glossary, condensed in ../shared/hud/REPORTS.md §1; APR/CAPER spec "Report
universe"):
- Active clients, Method 1 (start ≤ report end AND (exit null OR exit ≥ report start)) for every project type
  but ES night-by-night (ProjectType 1), which uses Method 2 (a bed night inside the range and the stay, or an
  exit inside the range; a bed night on the exit date does not count).
- Latest stay: each client's latest enrollment (by project start) among the active ones.
- Age: as of the later of project start and report start; unknown when DOB is missing or after that date.
- Household type: from every member active in the range sharing the HouseholdID, decided before the
  latest-stay filter: adults + children, adults only, children only, else unknown.
- Leavers: exit date inside the range; stayers: the others.
- Housing move-in (PH types 3, 9, 10, 13): valid when on/after start, on/before exit and report end; members
  inherit the head of household's date when present at move-in, else their own start date.

These are the Glossary concepts the report-engine's ``hearth.reports.glossary`` also defines; this module
keeps the APR's own assembly of them in one frame (ADR 0018).
"""

from __future__ import annotations

import polars as pl

from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

ES_NBN = 1
PH_MOVE_IN_TYPES = (3, 9, 10, 13)  # Glossary "Housing Move-in Date": PSH, PH housing only, PH with services, RRH
BED_NIGHT = 200  # Services RecordType / TypeProvided 200: bed night (HMIS CSV 4.14)

AO, AC, CO, UN = "AO", "AC", "CO", "UN"  # without children, with children and adults, only children, unknown


def age_expr(dob: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Whole years from ``dob`` to ``on`` (Glossary "Age"): birthday arithmetic, not 365-day units."""
    before_birthday = (on.dt.month() * 100 + on.dt.day()) < (dob.dt.month() * 100 + dob.dt.day())
    years = on.dt.year() - dob.dt.year() - before_birthday.cast(pl.Int32)
    return pl.when(dob.is_null() | (dob > on)).then(None).otherwise(years)


def active_enrollments(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    """Every enrollment of the reported projects active in the range, with project type and exit fields."""
    start, end = pl.lit(params.start), pl.lit(params.end)
    projects = tables["Project"].select("ProjectID", "ProjectType")
    exits = (
        tables["Exit"]
        .select(
            "EnrollmentID",
            "ExitDate",
            "Destination",
            "DestinationSubsidyType",
            "HousingAssessment",
            "SubsidyInformation",
        )
        .unique("EnrollmentID", keep="last")
    )
    enrollments = tables["Enrollment"]
    if params.projects:
        enrollments = enrollments.filter(pl.col("ProjectID").is_in(list(params.projects)))
    frame = (
        enrollments.join(projects, on="ProjectID", how="inner")
        .join(exits, on="EnrollmentID", how="left")
        .filter((pl.col("EntryDate") <= end) & (pl.col("ExitDate").is_null() | (pl.col("ExitDate") >= start)))
    )
    nbn = frame.filter(pl.col("ProjectType") == ES_NBN)
    if nbn.height:
        # Method 2 for ES night-by-night: a bed night inside the range and inside the stay (not on the exit day).
        nights = tables["Services"].filter(
            (pl.col("RecordType") == BED_NIGHT) & pl.col("DateProvided").is_between(params.start, params.end)
        )
        with_night = (
            nights.select("EnrollmentID", "DateProvided")
            .join(nbn.select("EnrollmentID", "EntryDate", "ExitDate"), on="EnrollmentID")
            .filter(
                (pl.col("DateProvided") >= pl.col("EntryDate"))
                & (pl.col("ExitDate").is_null() | (pl.col("DateProvided") < pl.col("ExitDate")))
            )
            .select("EnrollmentID")
            .unique()
        )
        keep = nbn.filter(pl.col("ExitDate").is_between(params.start, params.end)).select("EnrollmentID")
        keep = pl.concat([keep, with_night]).unique()
        frame = pl.concat(
            [frame.filter(pl.col("ProjectType") != ES_NBN), nbn.join(keep, on="EnrollmentID", how="semi")],
            how="vertical",
        )
    return frame


def build(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    """The universe: one row per client (latest stay) with the derived columns every APR table reads."""
    return latest_stays(stays(tables, params), params)


def stays(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    """Every active stay (not only the latest) with age, household type and the effective move-in date."""
    start, end = pl.lit(params.start), pl.lit(params.end)
    clients = tables["Client"].select("PersonalID", "DOB", "DOBDataQuality", "VeteranStatus", "Sex")
    active = active_enrollments(tables, params).join(clients, on="PersonalID", how="left")
    as_of = pl.max_horizontal(pl.col("EntryDate"), start)
    active = active.with_columns(age_expr(pl.col("DOB"), as_of).alias("Age"))

    # Household type from every member active in the range (Glossary "Household Type"), before latest stay.
    households = (
        active.group_by("HouseholdID")
        .agg(
            (pl.col("Age") >= 18).any().alias("_adult"),
            (pl.col("Age") < 18).any().alias("_child"),
            pl.col("Age").is_null().any().alias("_unknown"),
        )
        .with_columns(
            pl.when(pl.col("_adult") & pl.col("_child"))
            .then(pl.lit(AC))
            .when(pl.col("_adult") & ~pl.col("_unknown"))
            .then(pl.lit(AO))
            .when(pl.col("_child") & ~pl.col("_unknown"))
            .then(pl.lit(CO))
            .otherwise(pl.lit(UN))
            .alias("HouseholdType")
        )
        .select("HouseholdID", "HouseholdType")
    )
    active = active.join(households, on="HouseholdID", how="left")

    # Housing move-in: the HoH's valid date, inherited by members present at move-in (Glossary).
    valid_move_in = (
        pl.col("ProjectType").is_in(PH_MOVE_IN_TYPES)
        & (pl.col("MoveInDate") >= pl.col("EntryDate"))
        & (pl.col("MoveInDate") <= end)
        & (pl.col("ExitDate").is_null() | (pl.col("MoveInDate") <= pl.col("ExitDate")))
    )
    hoh_move_in = (
        active.filter((pl.col("RelationshipToHoH") == 1) & valid_move_in)
        .sort("EntryDate", descending=True)
        .unique("HouseholdID", keep="first")
        .select("HouseholdID", pl.col("MoveInDate").alias("_hoh_move_in"))
    )
    active = active.join(hoh_move_in, on="HouseholdID", how="left").with_columns(
        pl.when(pl.col("_hoh_move_in").is_null() | ~pl.col("ProjectType").is_in(PH_MOVE_IN_TYPES))
        .then(None)
        .when(pl.col("EntryDate") <= pl.col("_hoh_move_in"))
        .then(pl.col("_hoh_move_in"))
        .otherwise(pl.col("EntryDate"))
        .alias("MoveIn")
    )
    active = active.with_columns(
        pl.when(
            pl.col("MoveIn").is_not_null()
            & (pl.col("MoveIn") <= end)
            & (pl.col("ExitDate").is_null() | (pl.col("MoveIn") <= pl.col("ExitDate")))
        )
        .then(pl.col("MoveIn"))
        .otherwise(None)
        .alias("MoveIn")
    )

    return active.drop("_hoh_move_in")


def latest_stays(active: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    latest = active.sort(["EntryDate", "EnrollmentID"], descending=[True, True]).unique(
        "PersonalID", keep="first", maintain_order=True
    )
    return latest.with_columns(
        (pl.col("Age") >= 18).fill_null(False).alias("Adult"),
        (pl.col("Age") < 18).fill_null(False).alias("Child"),
        (pl.col("Age").is_null() & pl.col("DOBDataQuality").is_in([8, 9])).alias("AgeDK"),
        (pl.col("Age").is_null() & ~pl.col("DOBDataQuality").is_in([8, 9]).fill_null(False)).alias("AgeDNC"),
        (pl.col("RelationshipToHoH") == 1).fill_null(False).alias("HoH"),
        pl.col("ExitDate").is_between(params.start, params.end).fill_null(False).alias("Leaver"),
    ).with_columns((~pl.col("Leaver")).alias("Stayer"))


def household_columns() -> dict[str, pl.Expr]:
    """The usual B–F columns: Total, without children, with children and adults, only children, unknown."""
    hh = pl.col("HouseholdType")
    return {"B": pl.lit(True), "C": hh == AO, "D": hh == AC, "E": hh == CO, "F": hh == UN}


def veteran_household_columns() -> dict[str, pl.Expr]:
    """Q25 columns: Total, without children, with children and adults, unknown (no child-only veterans)."""
    hh = pl.col("HouseholdType")
    return {"B": pl.lit(True), "C": hh == AO, "D": hh == AC, "E": hh == UN}
