"""Households (Glossary "Household Type", "Head of Household", "Youth", "Parenting Youth").

Household type is decided from every member active in the report range who shares the HouseholdID — BEFORE
each client is reduced to their latest stay — so a member who left early still makes a household "with
children and adults". In order: at least one adult and one child → with children and adults (AC); adults
only, no unknown age → without children (AO); children only, no unknown age → with only children (CO);
otherwise unknown (UN).
"""

from __future__ import annotations

import polars as pl

from hearth.reports.glossary.codes import CHILD_OF_HOH, SELF_HOH, SPOUSE_OF_HOH

AO, AC, CO, UN = "AO", "AC", "CO", "UN"
LABELS = {
    AO: "Without children",
    AC: "With children and adults",
    CO: "With only children",
    UN: "Unknown household type",
}


def household_types(active: pl.DataFrame) -> pl.DataFrame:
    """(HouseholdID, household_type, youth_household, has_child_of_hoh) from every active member's stay.

    ``active`` carries HouseholdID, age (null = unknown), RelationshipToHoH. A youth household has no member
    aged 25 or older and at least one member of known age (Glossary "Youth": everyone under 25).
    """
    return (
        active.group_by("HouseholdID")
        .agg(
            (pl.col("age") >= 18).any().alias("__adult"),
            (pl.col("age") < 18).any().alias("__child"),
            pl.col("age").is_null().any().alias("__unknown"),
            (pl.col("age") >= 25).any().alias("__over_24"),
            pl.col("age").is_not_null().any().alias("__known"),
            (pl.col("RelationshipToHoH") == CHILD_OF_HOH).any().alias("has_child_of_hoh"),
        )
        .with_columns(
            pl.when(pl.col("__adult") & pl.col("__child"))
            .then(pl.lit(AC))
            .when(pl.col("__adult") & ~pl.col("__unknown"))
            .then(pl.lit(AO))
            .when(pl.col("__child") & ~pl.col("__unknown"))
            .then(pl.lit(CO))
            .otherwise(pl.lit(UN))
            .alias("household_type"),
            (~pl.col("__over_24") & pl.col("__known")).alias("youth_household"),
        )
        .select("HouseholdID", "household_type", "youth_household", pl.col("has_child_of_hoh").fill_null(False))
    )


def is_hoh() -> pl.Expr:
    """Head of household: RelationshipToHoH = 1 (3.15)."""
    return (pl.col("RelationshipToHoH") == SELF_HOH).fill_null(False)


def latest_head(frame: pl.DataFrame, *columns: str | pl.Expr, among: pl.Expr | None = None) -> pl.DataFrame:
    """(HouseholdID, ``columns``…) of each household's head of household. With more than one head on record, the
    most recent one — latest project start, then the higher EnrollmentID — answers for the household (Glossary
    "Head of Household": attributes from the most recent HoH). ``among``: only heads meeting it. Decided on the
    columns read, so a wide frame is not copied."""
    head = is_hoh() if among is None else is_hoh() & among.fill_null(False)
    picked = [pl.col(c) if isinstance(c, str) else c for c in columns]
    return (
        frame.select(
            "HouseholdID",
            pl.col("EntryDate").alias("__entry"),
            pl.col("EnrollmentID").alias("__enrollment"),
            head.alias("__head"),
            *picked,
        )
        .filter(pl.col("__head"))
        .sort("__entry", "__enrollment")
        .unique("HouseholdID", keep="last")
        .select("HouseholdID", *(e.meta.output_name() for e in picked))
    )


def heads(active: pl.DataFrame) -> pl.DataFrame:
    """Each household's head: (HouseholdID, hoh_entry, hoh_exit, hoh_personal_id) — the most recent head."""
    return latest_head(
        active,
        pl.col("EntryDate").alias("hoh_entry"),
        pl.col("ExitDate").alias("hoh_exit"),
        pl.col("PersonalID").alias("hoh_personal_id"),
    )


def youth_flags() -> list[pl.Expr]:
    """``youth`` (12–24 in a youth household) and ``parenting_youth`` (a youth who is the head or the head's
    spouse/partner, in a household with a child of the head) — APR Q5a rows 13 and 14, Glossary "Youth"."""
    youth = pl.col("youth_household").fill_null(False) & pl.col("age").is_between(12, 24).fill_null(False)
    parenting = (
        youth
        & pl.col("RelationshipToHoH").is_in([SELF_HOH, SPOUSE_OF_HOH]).fill_null(False)
        & pl.col("has_child_of_hoh").fill_null(False)
    )
    return [youth.alias("youth"), parenting.alias("parenting_youth")]
