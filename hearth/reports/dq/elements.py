"""Q3 Universal data elements (Glossary DQ report Q3; APR/CAPER Q6b): error counts and rates.

- Veteran status (3.07): adults with DK/PNTA, not collected or empty; and children recorded as veterans.
  Rate over adults plus those children.
- Project start date (3.10): the latest stay overlaps another stay of the same client in the same project.
- Relationship to head of household (3.15): missing or not a listed relationship, or a household with no head
  or more than one.
- Enrollment CoC (3.16): heads of household whose EnrollmentCoC is empty or not one of the project's CoCs
  (ProjectCoC). Rate over heads of household.
- Disabling condition (3.08): DK/PNTA, not collected or empty; or "no" while a disability recorded at
  project start is disabling (4.05–4.10; the same test as chronic homelessness step 1).
Rates are over all clients of the DQ universe unless said otherwise.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.cells import ReportBuilder, ratio
from hearth.reports.glossary.chronic import disabled_at_start
from hearth.reports.tables import HmisTables

COLUMNS = ("Error Count", "% of Error Rate")
ROWS = (
    "Veteran Status (3.07)",
    "Project Start Date (3.10)",
    "Relationship to Head of Household (3.15)",
    "Enrollment CoC (3.16)",
    "Disabling Condition (3.08)",
)
RELATIONSHIPS = (1, 2, 3, 4, 5)


def overlapping(tables: HmisTables, universe: pl.DataFrame) -> pl.DataFrame:
    """Universe rows whose stay overlaps another enrollment of the same client in the same project: the other
    starts before this one ends (or this one is open) and ends after this one starts (or is open)."""
    exits = tables["Exit"].select("EnrollmentID", pl.col("ExitDate").alias("__other_exit")).unique("EnrollmentID")
    others = (
        tables["Enrollment"]
        .select(
            "PersonalID",
            "ProjectID",
            pl.col("EnrollmentID").alias("__other"),
            pl.col("EntryDate").alias("__other_entry"),
        )
        .join(exits.rename({"EnrollmentID": "__other"}), on="__other", how="left")
    )
    pairs = universe.select("PersonalID", "ProjectID", "EnrollmentID", "EntryDate", "ExitDate").join(
        others, on=["PersonalID", "ProjectID"], how="inner"
    )
    overlap = (
        (pl.col("__other") != pl.col("EnrollmentID"))
        & (pl.col("ExitDate").is_null() | (pl.col("__other_entry") < pl.col("ExitDate")))
        & (pl.col("__other_exit").is_null() | (pl.col("__other_exit") > pl.col("EntryDate")))
    )
    ids = pairs.filter(overlap).select("EnrollmentID").unique()
    return universe.join(ids, on="EnrollmentID", how="semi")


def relationship_errors(active_stays: pl.DataFrame, universe: pl.DataFrame) -> pl.DataFrame:
    heads = active_stays.group_by("HouseholdID").agg((pl.col("RelationshipToHoH") == 1).sum().alias("__heads"))
    frame = universe.join(heads, on="HouseholdID", how="left")
    bad = (
        pl.col("RelationshipToHoH").is_null()
        | ~pl.col("RelationshipToHoH").is_in(RELATIONSHIPS)
        | (pl.col("__heads").fill_null(0) != 1)
    )
    return frame.filter(bad)


def coc_errors(tables: HmisTables, heads: pl.DataFrame) -> pl.DataFrame:
    project_cocs = tables["ProjectCoC"].select("ProjectID", pl.col("CoCCode").alias("EnrollmentCoC")).unique()
    valid = heads.join(project_cocs, on=["ProjectID", "EnrollmentCoC"], how="semi")
    return heads.join(valid.select("EnrollmentID"), on="EnrollmentID", how="anti")


def build_q3(
    builder: ReportBuilder, universe: pl.DataFrame, active_stays: pl.DataFrame, tables: HmisTables, name: str = "Q3"
) -> None:
    table = builder.table(name, "Data Quality: Universal Data Elements", COLUMNS, ROWS)
    dq = universe.filter(pl.col("dq"))
    everyone = dq.height

    veteran = pl.col("VeteranStatus")
    child_veteran = pl.col("child") & (veteran == 1).fill_null(False)
    veteran_base = dq.filter(pl.col("adult") | child_veteran)
    veteran_errors = veteran_base.filter(
        (pl.col("adult") & (veteran.is_null() | veteran.is_in([8, 9, 99]))) | child_veteran
    )
    table.count("B2", veteran_errors)
    table.derive("C2", lambda v: ratio(v["B2"], veteran_base.height))

    table.count("B3", overlapping(tables, dq))
    table.derive("C3", lambda v: ratio(v["B3"], everyone))

    table.count("B4", relationship_errors(active_stays, dq))
    table.derive("C4", lambda v: ratio(v["B4"], everyone))

    heads = dq.filter(pl.col("hoh"))
    table.count("B5", coc_errors(tables, heads))
    table.derive("C5", lambda v: ratio(v["B5"], heads.height))

    disabled = disabled_at_start(tables["Disabilities"], dq)
    condition = pl.col("DisablingCondition")
    contradicted = dq.filter(condition == 0).join(disabled, on="EnrollmentID", how="semi")
    unknown = dq.filter(condition.is_null() | condition.is_in([8, 9, 99]))
    table.count("B6", pl.concat([unknown, contradicted], how="vertical"))
    table.derive("C6", lambda v: ratio(v["B6"], everyone))
