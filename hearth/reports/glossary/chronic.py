"""Chronically homeless at project start (Glossary "Chronically Homeless at Project Start", its flowchart).

For each head of household and adult (and anyone of unknown age), in the flowchart's order:

1. Disabling condition: 3.08 = yes, or any disability (4.05–4.10) recorded at project start as yes (and, for
   physical, chronic health, mental health and substance use, expected to be of long duration) → go on.
   Otherwise 3.08 no → not CH; client doesn't know / prefers not to answer → "dk_pnta"; data not collected or
   absent → "missing".
2. Where the client was (3.917): in ES, SO and SH (types 0, 1, 4, 8; 3.917A) the client is homeless → go on.
   Elsewhere (3.917B) by 3.917.1 living situation: homeless (100–199) → go on; institutional (200–299) → go
   on only if the stay was under 90 days (3.917.2A) AND the night before was on the street, in ES or SH
   (3.917.2B); any other situation (0–99, 300–499) → go on only if the stay was under 7 nights (3.917.2A) AND
   the same. No prior living situation → "missing". 2A is read before 2B: a "no" ends at not CH; 2A or 2B
   unanswered → "dk_pnta" when the length of stay was DK/PNTA, else "missing".
3. Approximate date homelessness started (3.917.3) ≥ 365 days before project start → CH.
4. Otherwise times homeless in the past three years (3.917.4): four or more → go on; fewer → not CH;
   DK/PNTA → "dk_pnta"; missing → "missing". Then months homeless (3.917.5): 12 or more → CH; fewer → not CH;
   DK/PNTA → "dk_pnta"; missing → "missing".

Household: when a head of household or adult present at the household's project start is CH, every member
present at that start is CH too (Glossary: the household inherits CH status). Children are never assessed on
their own (they inherit or are not CH).
"""

from __future__ import annotations

import polars as pl

from hearth.reports.frames import lookup
from hearth.reports.glossary.codes import (
    DK_PNTA,
    HOMELESS_SITUATION_TYPES,
    MONTHS_TWELVE_OR_MORE,
    NO,
    STAGE_START,
    TIMES_FOUR_OR_MORE,
    YES,
)

YES_CH, NO_CH, DK_CH, MISSING_CH = "yes", "no", "dk_pnta", "missing"
_CONTINUE = "__continue"
# 4.05 physical, 4.07 chronic health, 4.09 mental health, 4.10 substance use need "long duration" (indefinite and
# impairs); 4.06 developmental and 4.08 HIV/AIDS are disabling by themselves (Data Standards 3.08).
_LONG_DURATION_TYPES = (5, 7, 9, 10)
_DISABLING_TYPES = (6, 8)
_SUBSTANCE_USE = 10


def disabled_at_start(disabilities: pl.DataFrame, spans: pl.DataFrame) -> pl.DataFrame:
    """EnrollmentIDs with a disability (4.05–4.10) recorded at project start as yes (step 1's second test)."""
    yes_response = (
        pl.when(pl.col("DisabilityType") == _SUBSTANCE_USE)
        .then(pl.col("DisabilityResponse").is_in([1, 2, 3]))
        .otherwise(pl.col("DisabilityResponse") == YES)
    )
    qualifies = yes_response & (
        pl.col("DisabilityType").is_in(_DISABLING_TYPES)
        | (pl.col("DisabilityType").is_in(_LONG_DURATION_TYPES) & (pl.col("IndefiniteAndImpairs") == YES))
    )
    return (
        disabilities.filter((pl.col("DataCollectionStage") == STAGE_START) & qualifies.fill_null(False))
        .join(spans.select("EnrollmentID", "EntryDate"), on="EnrollmentID", how="inner")
        .filter(pl.col("InformationDate") == pl.col("EntryDate"))
        .select("EnrollmentID")
        .unique()
    )


def _dk_or_missing(value: pl.Expr) -> pl.Expr:
    return pl.when(value.is_in(DK_PNTA)).then(pl.lit(DK_CH)).otherwise(pl.lit(MISSING_CH))


def individual_status(disabled: pl.Expr) -> pl.Expr:
    """The flowchart's outcome for one enrollment ("yes", "no", "dk_pnta", "missing"). ``disabled``: step 1's
    4.05–4.10 test. Reads the 3.08 and 3.917 columns of Enrollment and ProjectType."""
    disabling = pl.col("DisablingCondition")
    step1 = (
        pl.when((disabling == YES) | disabled)
        .then(pl.lit(_CONTINUE))
        .when(disabling == NO)
        .then(pl.lit(NO_CH))
        .otherwise(_dk_or_missing(disabling))
    )
    situation = pl.col("LivingSituation")
    los = pl.col("LengthOfStay")
    # 3.917B's institutional and other situations are decided by 3.917.2A (LOSUnderThreshold: under 90 days /
    # under 7 nights) and then 3.917.2B (PreviousStreetESSH), not by the length-of-stay bucket: either one
    # unanswered is "data not collected" (or DK/PNTA when the length of stay itself was) — as HUD Data Lab's
    # results show (FY2023 kit, caper/hp_esg Q26b).
    below_threshold = pl.col("LOSUnderThreshold")
    street_before = pl.col("PreviousStreetESSH")
    # Flowchart rows 9/14/21: "[prior living situation] (3.917.1) ... If null then CH = missing"; then 2A before
    # 2B (rows 15-16, 22-23): 2A no → not CH, 2A unanswered → missing whatever 2B says.
    step2 = (
        pl.when(pl.col("ProjectType").is_in(HOMELESS_SITUATION_TYPES) | situation.is_between(100, 199))
        .then(pl.lit(_CONTINUE))
        .when(situation.is_null())
        .then(pl.lit(MISSING_CH))
        .when(below_threshold == NO)
        .then(pl.lit(NO_CH))
        .when((below_threshold == YES) & (street_before == YES))
        .then(pl.lit(_CONTINUE))
        .when((below_threshold == YES) & (street_before == NO))
        .then(pl.lit(NO_CH))
        .otherwise(_dk_or_missing(los))
    )
    started = pl.col("DateToStreetESSH")
    year_before_start = pl.col("EntryDate") - pl.duration(days=365)
    times = pl.col("TimesHomelessPastThreeYears")
    months = pl.col("MonthsHomelessPastThreeYears")
    step4 = (
        pl.when(times == TIMES_FOUR_OR_MORE)
        .then(
            pl.when(months.is_in(MONTHS_TWELVE_OR_MORE))
            .then(pl.lit(YES_CH))
            .when(months.is_between(101, 111))
            .then(pl.lit(NO_CH))
            .otherwise(_dk_or_missing(months))
        )
        .when(times.is_between(1, 3))
        .then(pl.lit(NO_CH))
        .otherwise(_dk_or_missing(times))
    )
    return (
        pl.when(step1 != _CONTINUE)
        .then(step1)
        .when(step2 != _CONTINUE)
        .then(step2)
        .when(started.is_not_null() & (started <= year_before_start))
        .then(pl.lit(YES_CH))
        .otherwise(step4)
    )


def chronic_at_start(active: pl.DataFrame, disabilities: pl.DataFrame) -> pl.DataFrame:
    """``active`` (every active stay, with age, HouseholdID, RelationshipToHoH, EntryDate and the 3.08/3.917
    columns) with ``ch_status`` (the member's own flowchart outcome; children: null) and ``chronic`` (CH at
    start after household inheritance, boolean)."""
    disabled = disabled_at_start(disabilities, active).with_columns(pl.lit(True).alias("__disabled"))
    assessed = (pl.col("age") >= 18).fill_null(True) | (pl.col("RelationshipToHoH") == 1).fill_null(False)
    frame = lookup(active, disabled, "EnrollmentID").with_columns(
        pl.when(assessed)
        .then(individual_status(pl.col("__disabled").fill_null(False)))
        .otherwise(None)
        .alias("ch_status")
    )
    household_start = (
        frame.group_by("HouseholdID")
        .agg(
            pl.col("EntryDate").filter(pl.col("RelationshipToHoH") == 1).max().alias("__hoh_start"),
            pl.col("EntryDate").min().alias("__first_start"),
        )
        .select("HouseholdID", pl.coalesce("__hoh_start", "__first_start").alias("__household_start"))
    )
    frame = lookup(frame, household_start, "HouseholdID")
    present_at_start = pl.col("EntryDate") <= pl.col("__household_start")
    chronic_households = (
        frame.select("HouseholdID", (present_at_start & (pl.col("ch_status") == YES_CH)).alias("__ch"))
        .filter(pl.col("__ch"))
        .select("HouseholdID")
        .unique()
    )
    frame = lookup(frame, chronic_households.with_columns(pl.lit(True).alias("__household_ch")), "HouseholdID")
    chronic = (pl.col("ch_status") == YES_CH).fill_null(False) | (
        pl.col("__household_ch").fill_null(False) & present_at_start
    )
    return frame.with_columns(chronic.alias("chronic")).drop("__disabled", "__household_start", "__household_ch")
