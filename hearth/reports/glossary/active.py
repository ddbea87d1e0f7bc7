"""Active clients in the report date range (Glossary "Report Date Range", "Active Clients").

``enrollment_spans`` joins each enrollment to its project type and its exit; ``method1`` (start/exit),
``method2`` (date of service), ``method3`` (in residence) and ``method5`` (one night or more) are the Glossary's
methods; ``active_enrollments`` applies the APR/CAPER/DQ choice: Method 2 for
emergency shelters tracking night by night (ProjectType 1), Method 1 for every other project type.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.frames import ROW, numbered, rows_of
from hearth.reports.glossary.codes import ES_NBN, FUNDER_PATH, PH_TYPES, SO, SSO
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

EXIT_COLUMNS = ("ExitDate", "Destination", "DestinationSubsidyType", "HousingAssessment", "SubsidyInformation")


def enrollment_spans(tables: HmisTables, projects: tuple[str, ...] = (), where: pl.Expr | None = None) -> pl.DataFrame:
    """Enrollments (all their columns) with ProjectType and the exit's columns (one exit per enrollment: the
    latest written, if an export carries two) — only those meeting ``where`` (read from the enrollment's
    EnrollmentID, ProjectID, EntryDate, ProjectType and exit columns) when given."""
    exits = tables["Exit"]
    if exits["EnrollmentID"].n_unique() != exits.height:  # several exits for an enrollment: invalid, but read
        exits = exits.sort("DateCreated", nulls_last=False).unique("EnrollmentID", keep="last")
    exits = exits.select("EnrollmentID", *EXIT_COLUMNS, pl.col("DateCreated").alias("ExitDateCreated"))
    enrollments = tables["Enrollment"]
    if projects:
        enrollments = enrollments.filter(pl.col("ProjectID").is_in(list(projects)))
    # Which enrollments are kept is decided on a narrow frame, and only theirs of Enrollment's ~50 columns are
    # copied: a CoC's history holds millions of enrollments, most long closed, and joining and filtering all
    # their columns copied every one of them twice.
    decided = ("EnrollmentID", "ProjectID", "EntryDate")
    narrow = (
        numbered(enrollments, *decided)
        .join(tables["Project"].select("ProjectID", "ProjectType"), on="ProjectID", how="inner")
        .join(exits, on="EnrollmentID", how="left")
    )
    if where is not None:
        narrow = narrow.filter(where)
    rest = rows_of(enrollments.drop(*decided), narrow)
    return pl.concat([narrow.drop(ROW), rest], how="horizontal").select(
        *enrollments.columns, "ProjectType", *exits.columns[1:]
    )


def method1(params: ReportParams) -> pl.Expr:
    """Method 1, active by start and exit: [project start] ≤ [report end] AND ([exit] null OR [exit] ≥ [report
    start]) (Glossary "Active Clients – Method 1")."""
    return (pl.col("EntryDate") <= params.end) & (pl.col("ExitDate").is_null() | (pl.col("ExitDate") >= params.start))


def _nights_of_stays(tables: HmisTables, spans: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    # Bed nights (4.14, RecordType 200) inside the report range and inside the stay: on or after project start
    # and before the exit date — a night-by-night shelter's stay ends the morning of the exit, so a bed night
    # dated on the exit date is not a night of the stay (Glossary Method 2). Duplicates kept.
    nights = tables.bed_nights.filter(pl.col("DateProvided").is_between(params.start, params.end))
    return (
        nights.select("EnrollmentID", "DateProvided")
        .join(spans.select("EnrollmentID", "EntryDate", "ExitDate"), on="EnrollmentID", how="inner")
        .filter(
            (pl.col("DateProvided") >= pl.col("EntryDate"))
            & (pl.col("ExitDate").is_null() | (pl.col("DateProvided") < pl.col("ExitDate")))
        )
    )


def bed_nights_in_range(tables: HmisTables, spans: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """(EnrollmentID, DateProvided) of bed nights (4.14, RecordType 200) inside the report range and inside the
    stay, each night once."""
    return _nights_of_stays(tables, spans, params).select("EnrollmentID", "DateProvided").unique()


def served(tables: HmisTables, spans: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """(EnrollmentID, __served) of the ``spans`` with at least one bed night inside the range and the stay —
    what Methods 2 and 5 ask, without counting the nights (a CoC's nights number tens of millions)."""
    return (
        _nights_of_stays(tables, spans, params)
        .select("EnrollmentID")
        .unique()
        .with_columns(pl.lit(True).alias("__served"))
    )


def method2(tables: HmisTables, spans: pl.DataFrame, params: ReportParams) -> pl.Series:
    """Method 2, active by date of service, for ``spans`` (already Method 1 active): the exit date is inside the
    range, OR a bed night is dated inside both the range and the stay (Glossary "Active Clients – Method 2").
    Returns a boolean per row of ``spans``."""
    with_flag = spans.select("EnrollmentID", "ExitDate").join(
        served(tables, spans, params), on="EnrollmentID", how="left", maintain_order="left"
    )
    return with_flag.select(
        (pl.col("ExitDate").is_between(params.start, params.end) | pl.col("__served").fill_null(False)).alias("active")
    )["active"]


def method5(tables: HmisTables, spans: pl.DataFrame, params: ReportParams) -> pl.Series:
    """Method 5, active one night or more: the stay covers at least one night inside the range — [project
    start] ≤ [report end] AND ([exit] null OR [exit] > [report start]); for night-by-night shelters, a bed night
    inside the range and the stay (Glossary "Active Clients", the SPM's "1+ nights" rule). A boolean per row
    of ``spans`` (EnrollmentID, ProjectType, EntryDate, ExitDate)."""
    flagged = spans.select("EnrollmentID", "ProjectType", "EntryDate", "ExitDate").join(
        served(tables, spans, params), on="EnrollmentID", how="left", maintain_order="left"
    )
    one_night = (pl.col("EntryDate") <= params.end) & (
        pl.col("ExitDate").is_null() | (pl.col("ExitDate") > params.start)
    )
    return flagged.select(
        pl.when(pl.col("ProjectType") == ES_NBN)
        .then(pl.col("__served").fill_null(False))
        .otherwise(one_night)
        .fill_null(False)
        .alias("active")
    )["active"]


def method3(tables: HmisTables, spans: pl.DataFrame, params: ReportParams) -> pl.Series:
    """Method 3, active in residence: Method 5, and in permanent housing (types 3, 9, 10, 13) only once housed —
    a valid housing move-in date (on/after start, on/before exit) on or before the report end, with the exit,
    if any, after the report start (Glossary "Active Clients – Method 3"; "Housing Move-In Date"). Needs
    MoveInDate in ``spans``; uses the record's own date (members' inheritance: glossary.movein)."""
    housed = (
        pl.col("MoveInDate").is_not_null()
        & (pl.col("MoveInDate") >= pl.col("EntryDate"))
        & (pl.col("MoveInDate") <= params.end)
        & (pl.col("ExitDate").is_null() | (pl.col("MoveInDate") <= pl.col("ExitDate")))
    )
    in_residence = spans.select((~pl.col("ProjectType").is_in(PH_TYPES) | housed).fill_null(False).alias("housed"))[
        "housed"
    ]
    return method5(tables, spans, params) & in_residence


def active_enrollments(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    """Every enrollment of the reported projects active in the range: Method 2 for ES night-by-night
    (ProjectType 1), Method 1 for all other types (APR/CAPER programming specifications, "Active clients";
    the Glossary's DQ report follows the same choice)."""
    spans = enrollment_spans(tables, params.projects, where=method1(params))
    nbn = spans.filter(pl.col("ProjectType") == ES_NBN)
    if nbn.height == 0:
        return spans
    keep = nbn.filter(method2(tables, nbn, params))
    return pl.concat([spans.filter(pl.col("ProjectType") != ES_NBN), keep], how="vertical")


def engaged(tables: HmisTables, params: ReportParams) -> pl.Expr:
    """The DQ universe's filter (Glossary "Data Quality universe"; APR Q5a column B): in street outreach, and in
    PATH-funded services-only projects, a client counts only once engaged — a Date of Engagement (4.13) on or
    before the report end date. Every other project's clients all count. Needs ProjectType and ProjectID."""
    path_projects = tables["Funder"].filter(pl.col("Funder") == FUNDER_PATH)["ProjectID"].unique().to_list()
    outreach = (pl.col("ProjectType") == SO) | (
        (pl.col("ProjectType") == SSO) & pl.col("ProjectID").is_in(path_projects)
    )
    return ~outreach | (pl.col("DateOfEngagement").is_not_null() & (pl.col("DateOfEngagement") <= params.end))
