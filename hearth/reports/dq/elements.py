"""Q3 Universal data elements (Glossary DQ report Q3; APR/CAPER Q6b).

Per element, B client doesn't know / prefers not to answer, C information missing, D data issues:
- Veteran status (3.07): adults 8/9 (B), adults 99 or empty (C), children recorded as veterans (D). Rate
  over adults plus those children.
- Project start date (3.10): the latest stay overlaps another stay of the same client in the same project (D).
- Relationship to head of household (3.15): empty (C); not a listed relationship, or a household with no
  head or more than one (D).
- Enrollment CoC (3.16), heads of household: empty (C); not one of the project's CoCs in ProjectCoC (D). Rate
  over heads of household.
- Disabling condition (3.08): 8/9 (B), 99 or empty (C), "no" while a disability recorded at project start is
  disabling (4.05–4.10, the chronic-homelessness test) (D).
Rates are over all clients of the DQ universe unless said otherwise. Layouts: ``hearth.reports.dq.issues``.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.cells import MEMBER_KEYS, ReportBuilder
from hearth.reports.dq.issues import IssueRow, Layout, columns, write
from hearth.reports.glossary.chronic import disabled_at_start
from hearth.reports.tables import HmisTables

ROWS = (
    "Veteran Status (3.07)",
    "Project Start Date (3.10)",
    "Relationship to Head of Household (3.15)",
    "Enrollment CoC (3.16)",
    "Disabling Condition (3.08)",
)
RELATIONSHIPS = (1, 2, 3, 4, 5)
Q3_COLUMNS = ("ProjectID", "EntryDate", "ExitDate", "HouseholdID", "RelationshipToHoH", "EnrollmentCoC",
              "VeteranStatus", "DisablingCondition", "adult", "child", "hoh")  # fmt: skip


def overlapping(tables: HmisTables, universe: pl.DataFrame) -> pl.DataFrame:
    """Universe rows whose stay overlaps another enrollment of the same client in the same project: the other
    starts before this one ends (or this one is open) and ends after this one starts (or is open)."""
    # Only the enrollments of the universe's clients in the same projects can overlap: narrowed before their
    # exits are joined (a CoC's history holds several times as many enrollments as one year's universe).
    others = (
        tables["Enrollment"]
        .select(
            "PersonalID",
            "ProjectID",
            pl.col("EnrollmentID").alias("__other"),
            pl.col("EntryDate").alias("__other_entry"),
        )
        .join(universe.select("PersonalID", "ProjectID"), on=["PersonalID", "ProjectID"], how="semi")
    )
    exits = (
        tables["Exit"]
        .select(pl.col("EnrollmentID").alias("__other"), pl.col("ExitDate").alias("__other_exit"))
        .join(others.select("__other"), on="__other", how="semi")
        .unique("__other")
    )
    others = others.join(exits, on="__other", how="left")
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


def relationship_issues(active_stays: pl.DataFrame, universe: pl.DataFrame) -> pl.DataFrame:
    """Listed relationship missing from the list, or a household without exactly one head (among its active
    members) — empty relationships are counted as missing instead."""
    heads = active_stays.group_by("HouseholdID").agg((pl.col("RelationshipToHoH") == 1).sum().alias("__heads"))
    frame = universe.filter(pl.col("RelationshipToHoH").is_not_null()).join(heads, on="HouseholdID", how="left")
    return frame.filter(~pl.col("RelationshipToHoH").is_in(RELATIONSHIPS) | (pl.col("__heads").fill_null(0) != 1))


def coc_issues(tables: HmisTables, heads: pl.DataFrame) -> pl.DataFrame:
    """Heads whose EnrollmentCoC is given but is not one of the project's CoC codes (ProjectCoC)."""
    project_cocs = tables["ProjectCoC"].select("ProjectID", pl.col("CoCCode").alias("EnrollmentCoC")).unique()
    given = heads.filter(pl.col("EnrollmentCoC").is_not_null())
    return given.join(project_cocs, on=["ProjectID", "EnrollmentCoC"], how="anti")


def build_q3(
    builder: ReportBuilder,
    universe: pl.DataFrame,
    active_stays: pl.DataFrame,
    tables: HmisTables,
    name: str = "Q3",
    layout: Layout = "apr",
) -> None:
    table = builder.table(name, "Data Quality: Universal Data Elements", columns(layout), ROWS)
    # The columns read here only: the universe is ~100 columns wide, and each filter below would copy them all.
    dq = universe.lazy().filter(pl.col("dq")).select(*MEMBER_KEYS, *Q3_COLUMNS).collect()
    adults = dq.filter(pl.col("adult"))
    veteran = pl.col("VeteranStatus")
    child_veterans = dq.filter(pl.col("child") & (veteran == 1).fill_null(False))
    heads = dq.filter(pl.col("hoh"))
    disabled = disabled_at_start(tables["Disabilities"], dq)
    condition = pl.col("DisablingCondition")
    rows = [
        IssueRow(
            2,
            adults.height + child_veterans.height,
            dk_pnta=adults.filter(veteran.is_in([8, 9])),
            missing=adults.filter(veteran.is_null() | (veteran == 99)),
            issues=child_veterans,
        ),
        IssueRow(3, dq.height, issues=overlapping(tables, dq)),
        IssueRow(
            4,
            dq.height,
            missing=dq.filter(pl.col("RelationshipToHoH").is_null()),
            issues=relationship_issues(active_stays, dq),
        ),
        IssueRow(
            5,
            heads.height,
            missing=heads.filter(pl.col("EnrollmentCoC").is_null()),
            issues=coc_issues(tables, heads),
        ),
        IssueRow(
            6,
            dq.height,
            dk_pnta=dq.filter(condition.is_in([8, 9])),
            missing=dq.filter(condition.is_null() | (condition == 99)),
            issues=dq.filter(condition == 0).join(disabled, on="EnrollmentID", how="semi"),
        ),
    ]
    write(table, rows, layout)
