"""Q16 income ranges, Q17 income sources, Q18 income category, Q20a/b non-cash benefits, Q21 health insurance
(APR/CAPER spec Q16–Q21; Glossary "Income and Sources", "Annual Assessment").

Each stage's record is the Glossary's (hearth.reports.glossary.income): at start the stage-1 record dated on
the project start, at exit the stage-3 record dated on the exit, at the annual assessment the latest stage-5
record inside the anniversary window — asked of stayers only when due ("no annual required" otherwise,
"required annual missing" when none is found). Columns: B at start, C latest annual assessment for stayers,
D at exit for leavers.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr.grid import table
from hearth.reports.apr.shells import report_tables
from hearth.reports.cells import ReportBuilder
from hearth.reports.columns import BENEFITS, INSURANCE
from hearth.reports.counting import count_where
from hearth.reports.glossary import assessment, income
from hearth.reports.glossary.codes import STAGE_ANNUAL, STAGE_EXIT, STAGE_START
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

STAGES = (("start", STAGE_START, "B"), ("annual", STAGE_ANNUAL, "C"), ("exit", STAGE_EXIT, "D"))
# Q16 total monthly income bands: (row, lowest, highest) dollars.
INCOME_BANDS = ((3, 1, 150), (4, 151, 250), (5, 251, 500), (6, 501, 1000), (7, 1001, 1500), (8, 1501, 2000))
# The stage record's own columns the tables read: 4.02 sources (Q17, Q19b), 4.03 benefits (Q20), 4.04 insurance (Q21).
STAGE_COLUMNS = (*income.SOURCES, "BenefitsFromAnySource", *BENEFITS, "InsuranceFromAnySource", *INSURANCE)


def with_stages(tables: HmisTables, frame: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """``frame`` with each stage's income record (``income_{stage}_*``), the annual window and ``annual_due``,
    and that same record's 4.02 sources, 4.03 benefits and 4.04 insurance columns (``{stage}_{column}``): every
    table reads, for a client and stage, the one record the Glossary's rule chose (glossary.income)."""
    frame = assessment.with_window(frame, params)
    for stage, _, _ in STAGES:
        frame = income.at_stage(tables, frame, stage, STAGE_COLUMNS)
    return frame


def in_stage(stage: str) -> pl.Expr:
    """Who a stage's column counts: everyone at start, stayers at the annual assessment, leavers at exit.

    A condition ANDed into every cell of the stage's column rather than a filtered copy of the frame: the
    staged universe is some 250 columns wide, and copying it per stage and table was a twentieth of a
    one-project APR."""
    if stage == "start":
        return pl.lit(True)
    return pl.col("stayer") if stage == "annual" else pl.col("leaver")


def annual_status() -> tuple[pl.Expr, pl.Expr]:
    """(not required, required but missing) for stayers."""
    due = pl.col("annual_due")
    return ~due, due & ~pl.col("income_annual_found")


def _counted(stage: str) -> pl.Expr:
    """Rows counted from the stage's record: at the annual assessment only when it is due."""
    return pl.col("annual_due") if stage == "annual" else pl.lit(True)


def q16(builder: ReportBuilder, report: str, adults: pl.DataFrame) -> None:
    target = table(builder, report, "Q16")
    not_required, missing = annual_status()
    for stage, _, column in STAGES:
        prefix = f"income_{stage}"
        category = income.total_category(prefix)
        # Spec Q16 instruction 2a: whole dollars, $0.49 and below down, $0.50 and above up ($500.50 is $501).
        # A positive total under $0.50 is $0: no income.
        dollars = (income.total_amount(prefix) + 0.5).floor()
        counted = _counted(stage)
        with_amount = counted & (category == income.AMOUNT)
        rows: dict[int, pl.Expr] = {2: (counted & (category == income.NO_INCOME)) | (with_amount & (dollars == 0))}
        for row, low, high in INCOME_BANDS:
            rows[row] = with_amount & dollars.is_between(low, high)
        rows[9] = with_amount & (dollars > 2000)
        rows[10] = counted & (category == income.DK)
        rows[11] = counted & category.is_in([income.NOT_COLLECTED, income.AMOUNT_MISSING])
        if stage == "annual":
            rows[11] = rows[11] & pl.col("income_annual_found")
            rows[12] = not_required
            rows[13] = missing
        rows[14] = pl.lit(True)
        count_where(target, adults, {f"{column}{row}": in_stage(stage) & cond for row, cond in rows.items()})


def q17(builder: ReportBuilder, report: str, adults: pl.DataFrame, name: str = "Q17") -> None:
    """Income sources at each stage (Q17; Q27g for youth)."""
    target = table(builder, report, name)
    for stage, _, column in STAGES:
        counted = in_stage(stage) & _counted(stage)
        flags = {
            f"{column}{row}": counted & (pl.col(f"{stage}_{source}") == 1)
            for row, source in enumerate(income.SOURCES, start=2)
        }
        count_where(target, adults, flags)
    # Row 17: adults with income information at start and at the annual assessment / exit (B is grayed out).
    with_info = pl.col("income_start_found")
    count_where(
        target,
        adults,
        {"B17": None}
        | {
            f"{column}17": in_stage(stage) & with_info & pl.col(f"income_{stage}_found") & _counted(stage)
            for stage, _, column in STAGES[1:]
        },
    )


def q20(builder: ReportBuilder, report: str, adults: pl.DataFrame) -> None:
    sources_table = table(builder, report, "Q20a")
    counts_table = table(builder, report, "Q20b") if "Q20b" in report_tables(report) else None
    for stage, _, column in STAGES:
        recorded = in_stage(stage) & _counted(stage) & pl.col(f"income_{stage}_found")
        count_where(
            sources_table,
            adults,
            {
                f"{column}{row}": recorded & (pl.col(f"{stage}_{benefit}") == 1)
                for row, benefit in enumerate(BENEFITS, start=2)
            },
        )
        if counts_table is None:
            continue
        # By 4.03 Non-cash benefits from any source itself (the kit counts "yes" with no source marked as
        # one or more sources: FY2023 kit, apr/psh_coc_1, enrollments 657822, 822362, 827370).
        any_benefit = pl.col(f"{stage}_BenefitsFromAnySource")
        n = pl.sum_horizontal([(pl.col(f"{stage}_{b}") == 1).fill_null(False).cast(pl.Int32) for b in BENEFITS])
        counted = _counted(stage)
        # fill_null: with no 4.03 answer "some" must be False, not null, or the client fell out of every row
        # (kit 2.0 apr/th_coc B5, so_coc B5: the total counted them, no row did).
        some = (any_benefit == 1).fill_null(False) | (n > 0)
        rows = {
            2: counted & (any_benefit == 0) & ~some,
            3: counted & some,
            4: counted & any_benefit.is_in([8, 9]) & ~some,
            5: ~counted | ((any_benefit.is_null() | (any_benefit == 99)) & ~some),
            6: pl.lit(True),  # count_where sizes a literal to the frame
        }
        count_where(counts_table, adults, {f"{column}{row}": in_stage(stage) & cond for row, cond in rows.items()})


def q21(builder: ReportBuilder, report: str, everyone: pl.DataFrame) -> None:
    target = table(builder, report, "Q21")
    for stage, _, column in STAGES:
        counted = _counted(stage)
        n = pl.sum_horizontal([(pl.col(f"{stage}_{i}") == 1).fill_null(False).cast(pl.Int32) for i in INSURANCE])
        any_insurance = pl.col(f"{stage}_InsuranceFromAnySource")
        rows: dict[int, pl.Expr] = {
            row: counted & (pl.col(f"{stage}_{name}") == 1) for row, name in enumerate(INSURANCE, start=2)
        }
        # No source marked yes: "no health insurance" even when 4.04 says yes (as the kit counts it: FY2023
        # kit, apr/psh_coc_1, enrollments 819780 and 827370).
        rows[12] = counted & (n == 0) & any_insurance.is_in([0, 1])
        rows[13] = counted & (n == 0) & any_insurance.is_in([8, 9])
        rows[14] = counted & (n == 0) & (any_insurance.is_null() | (any_insurance == 99))
        if stage == "annual":
            rows[15] = ~pl.col("annual_due")
        rows[16] = counted & (n == 1)
        rows[17] = counted & (n > 1)
        count_where(target, everyone, {f"{column}{row}": in_stage(stage) & cond for row, cond in rows.items()})


def q18(builder: ReportBuilder, report: str, adults: pl.DataFrame, name: str = "Q18") -> None:
    """Income category at each stage: only earned, only other, both, none (Q18; Q27h for youth)."""
    target = table(builder, report, name)
    not_required, missing = annual_status()
    for stage, _, column in STAGES:
        # By amounts (Glossary "Earned Income": 4.02.3.A's amount; other = total − earned), as HUD Data Lab
        # decides (FY2023 kit, apr/psh_coc_1 Q18 B2/B3).
        prefix = f"income_{stage}"
        earned_amount = pl.col(f"{prefix}_earned").fill_null(0.0)
        total_amount = income.total_amount(prefix).fill_null(0.0)
        earned = (earned_amount > 0).fill_null(False)
        other = ((total_amount - earned_amount) > 0).fill_null(False)
        category = income.total_category(f"income_{stage}")
        counted = _counted(stage) & pl.col(f"income_{stage}_found")
        rows: dict[int, pl.Expr] = {
            2: counted & earned & ~other,
            3: counted & other & ~earned,
            4: counted & earned & other,
            5: counted & ~earned & ~other & (category == income.NO_INCOME),
            6: counted & ~earned & ~other & (category == income.DK),
            7: _counted(stage) & ~earned & ~other & ~category.is_in([income.NO_INCOME, income.DK]).fill_null(False),
            10: pl.lit(True),
            11: counted & (earned | other),
        }
        if stage == "annual":
            rows[8], rows[9] = not_required, missing
            rows[7] = rows[7] & pl.col("income_annual_found")
        else:
            target.set(f"{column}8", None)
            target.set(f"{column}9", None)
        count_where(target, adults, {f"{column}{row}": in_stage(stage) & cond for row, cond in rows.items()})
    count_where(
        target,
        adults,
        {"B12": None}
        | {
            f"{column}12": in_stage(stage)
            & pl.col("income_start_found")
            & pl.col(f"income_{stage}_found")
            & _counted(stage)
            for stage, _, column in STAGES[1:]
        },
    )


def q16_q21(
    builder: ReportBuilder,
    report: str,
    tables: HmisTables,
    universe: pl.DataFrame,
    params: ReportParams,
) -> pl.DataFrame:
    """Build Q16, Q17, Q18, Q20a(/b), Q21 and return the universe with its stage records (for Q19 and Q27)."""
    staged = with_stages(tables, universe, params)
    adults = staged.filter(pl.col("adult"))
    q16(builder, report, adults)
    q17(builder, report, adults)
    if "Q18" in report_tables(report):
        q18(builder, report, adults)
    q20(builder, report, adults)
    q21(builder, report, staged)
    return staged
