"""Income and sources at a collection stage (Glossary "Income and Sources", "Total Income", "Earned Income";
Data Standards 4.02).

The record for a stage: at project start, the IncomeBenefits row with DataCollectionStage 1 dated on the
project start date; at exit, stage 3 dated on the exit date; at the annual assessment, the latest stage 5 row
inside the annual window (``hearth.reports.glossary.assessment``). A client without such a row has the record
missing. Data quality (APR Q6c): IncomeFromAnySource DK/PNTA, not collected or empty; "no" with a source marked
yes; "yes" with no source marked yes — all errors.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from hearth.reports.columns import INCOME_SOURCES
from hearth.reports.frames import lookup
from hearth.reports.glossary.codes import DK_PNTA, NO, STAGE_ANNUAL, STAGE_EXIT, STAGE_START, YES
from hearth.reports.tables import HmisTables

SOURCES = (*INCOME_SOURCES, "OtherIncomeSource")
AMOUNTS = tuple("OtherIncomeAmount" if s == "OtherIncomeSource" else f"{s}Amount" for s in SOURCES)

AMOUNT, NO_INCOME, AMOUNT_MISSING, DK, NOT_COLLECTED = "amount", "none", "amount_missing", "dk_pnta", "missing"


def _record(
    tables: HmisTables,
    frame: pl.DataFrame,
    stage: int,
    on: pl.Expr,
    date_columns: tuple[str, ...],
    prefix: str,
    carry: Sequence[str] = (),
    carry_prefix: str = "",
) -> pl.DataFrame:
    records = tables["IncomeBenefits"].filter(pl.col("DataCollectionStage") == stage)
    matched = records.join(
        frame.select("EnrollmentID", *date_columns).unique("EnrollmentID"), on="EnrollmentID"
    ).filter(on)
    # Several records of the stage for one enrollment (on the same date, or several annual assessments in the
    # window): the latest, ties broken by the highest IncomeBenefitsID. Most enrollments have one, and proving
    # that costs a fraction of sorting a CoC's records by three columns.
    if matched["EnrollmentID"].n_unique() != matched.height:
        matched = matched.sort("EnrollmentID", "InformationDate", "IncomeBenefitsID").unique(
            "EnrollmentID", keep="last"
        )
    chosen = matched.select(
        "EnrollmentID",
        pl.lit(True).alias(f"{prefix}_found"),
        pl.col("InformationDate").alias(f"{prefix}_date"),
        pl.col("IncomeFromAnySource").alias(f"{prefix}_any"),
        pl.col("TotalMonthlyIncome").alias(f"{prefix}_total"),
        pl.sum_horizontal([(pl.col(s) == YES).fill_null(False).cast(pl.Int32) for s in SOURCES]).alias(
            f"{prefix}_sources"
        ),
        pl.sum_horizontal([pl.col(a).fill_null(0.0) for a in AMOUNTS]).alias(f"{prefix}_amounts"),
        # Glossary decision table row 3: a source specified (yes) with its amount entered (>= $0.00).
        pl.any_horizontal(
            [((pl.col(s) == YES) & (pl.col(a) >= 0)).fill_null(False) for s, a in zip(SOURCES, AMOUNTS, strict=True)]
        ).alias(f"{prefix}_entered"),
        pl.when(pl.col("Earned") == YES)
        .then(pl.col("EarnedAmount").fill_null(0.0))
        .otherwise(None)
        .alias(f"{prefix}_earned"),
        *(pl.col(column).alias(f"{carry_prefix}_{column}") for column in carry),
    )
    joined = lookup(frame, chosen, "EnrollmentID")
    return joined.with_columns(pl.col(f"{prefix}_found").fill_null(False))


# Each stage's record (Glossary "Income and Sources"; "Annual Assessment"): its DataCollectionStage, the test
# that dates it, and the frame's columns that test reads.
STAGE_RECORDS: dict[str, tuple[int, pl.Expr, tuple[str, ...]]] = {
    "start": (STAGE_START, pl.col("InformationDate") == pl.col("EntryDate"), ("EntryDate",)),
    "exit": (STAGE_EXIT, pl.col("InformationDate") == pl.col("ExitDate"), ("ExitDate",)),
    # The latest annual assessment (stage 5) inside window_start..window_end (assessment.with_window).
    "annual": (
        STAGE_ANNUAL,
        pl.col("InformationDate").is_between(pl.col("window_start"), pl.col("window_end")),
        ("window_start", "window_end"),
    ),
}


def at_stage(tables: HmisTables, frame: pl.DataFrame, stage: str, carry: Sequence[str] = ()) -> pl.DataFrame:
    """``frame`` (EnrollmentID and the stage's date columns: EntryDate; ExitDate; window_start/window_end) with
    the record of ``stage`` ("start", "exit", "annual") as ``income_{stage}_found``, ``_any``, ``_total``,
    ``_sources``, ``_amounts``, ``_earned``, ``_date``, and that record's own ``carry`` columns as
    ``{stage}_{column}`` (4.02 sources, 4.03 benefits, 4.04 insurance: every table reads the one record the
    stage chose)."""
    code, on, date_columns = STAGE_RECORDS[stage]
    return _record(tables, frame, code, on, date_columns, f"income_{stage}", carry, stage)


def dq_error(prefix: str) -> pl.Expr:
    """APR Q6c rows 3–5: no record, IncomeFromAnySource DK/PNTA/not collected/empty, or inconsistent with the
    sources (no with a source yes; yes with none)."""
    found = pl.col(f"{prefix}_found")
    any_source = pl.col(f"{prefix}_any")
    sources = pl.col(f"{prefix}_sources")
    return (
        ~found
        | any_source.is_null()
        | ~any_source.is_in([NO, YES])
        | ((any_source == NO) & (sources > 0))
        | ((any_source == YES) & (sources == 0))
    ).fill_null(True)


def total_category(prefix: str) -> pl.Expr:
    """Glossary "Determining Total and Earned Income", its decision table processed in order, first match wins:
    1/2 TotalMonthlyIncome > $0 → that amount; 3 a source specified (yes) with amounts entered (>= $0.00) → the
    sum of the source amounts ("amount" when positive, "none" when $0.00); 4 IncomeFromAnySource no → $0.00;
    5 TotalMonthlyIncome <= $0.00 (not null) and IncomeFromAnySource yes or null → $0.00; 6 DK/PNTA → null,
    reported as "dk_pnta"; 7 anything else → null, reported as not collected ("missing", or "amount_missing"
    for a yes with no amounts, so the tables can tell them apart). No record at the stage is "missing"."""
    any_source = pl.col(f"{prefix}_any")
    total = pl.col(f"{prefix}_total")
    entered = pl.col(f"{prefix}_entered")
    # Row 3 comes before row 4: a record saying "no income" with a source marked yes and its amount is counted by
    # the amount (HUD Data Lab's results agree, FY2023 kit: apr/th_coc Q16, es_ee_esg, es_nbn_esg, rrh_coc_2).
    return (
        pl.when(~pl.col(f"{prefix}_found"))
        .then(pl.lit(NOT_COLLECTED))
        .when(total > 0)
        .then(pl.lit(AMOUNT))
        .when(entered & (pl.col(f"{prefix}_amounts") > 0))
        .then(pl.lit(AMOUNT))
        .when(entered)
        .then(pl.lit(NO_INCOME))
        .when(any_source == NO)
        .then(pl.lit(NO_INCOME))
        .when((total <= 0) & (any_source.is_null() | (any_source == YES)))
        .then(pl.lit(NO_INCOME))
        .when(any_source.is_in(DK_PNTA))
        .then(pl.lit(DK))
        .when(any_source == YES)
        .then(pl.lit(AMOUNT_MISSING))
        .otherwise(pl.lit(NOT_COLLECTED))
    )


def total_amount(prefix: str) -> pl.Expr:
    """[total income] in dollars (Glossary decision table rows 2–5): TotalMonthlyIncome when positive, else the sum
    of the source amounts when a source is specified with its amount (row 3), else $0.00."""
    total = pl.col(f"{prefix}_total")
    return (
        pl.when(total > 0)
        .then(total)
        .when(pl.col(f"{prefix}_entered"))
        .then(pl.col(f"{prefix}_amounts"))
        .otherwise(pl.lit(0.0))
    )
