"""Q24a homelessness prevention housing assessment, Q24b moving-on assistance (PSH), Q24e sex; Q25 veterans;
Q26 chronically homeless (APR/CAPER spec Q24, Q25, Q26).
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr import q13, q23
from hearth.reports.apr.grid import table
from hearth.reports.apr.shells import report_tables
from hearth.reports.apr.universe import household_columns, veteran_household_columns
from hearth.reports.cells import ReportBuilder
from hearth.reports.counting import count_where, tabulate
from hearth.reports.frames import lookup
from hearth.reports.glossary.chronic import DK_CH, MISSING_CH, NO_CH, YES_CH
from hearth.reports.glossary.codes import HP, PSH
from hearth.reports.glossary.household import latest_head
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

MOVING_ON = 300  # Services RecordType 300: C2 Moving On Assistance Provided (TypeProvided 1–5, list C2.2)


def q24a(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    """Homelessness prevention leavers by W5 housing assessment at exit and its subsidy information."""
    leavers = universe.filter(pl.col("leaver") & (pl.col("ProjectType") == HP))
    assessed, subsidy = pl.col("HousingAssessment"), pl.col("SubsidyInformation")
    rows: dict[int, pl.Expr | None] = {
        2: (assessed == 1) & (subsidy == 1),
        3: (assessed == 1) & (subsidy == 2),
        4: (assessed == 1) & (subsidy == 3),
        5: (assessed == 1) & (subsidy == 4),
        6: (assessed == 2) & (subsidy == 11),
        7: (assessed == 2) & (subsidy == 12),
        8: assessed == 3,
        9: assessed == 4,
        10: assessed == 5,
        11: assessed == 6,
        12: assessed == 7,
        13: assessed == 10,
        14: assessed.is_in([8, 9]),
        15: assessed.is_null() | (assessed == 99),
        16: pl.lit(True),
    }
    tabulate(table(builder, report, "Q24a"), leavers, rows, household_columns())


def q24b(builder: ReportBuilder, report: str, tables: HmisTables, universe: pl.DataFrame, params: ReportParams) -> None:
    """Heads of household in PSH by the moving-on assistance (C2) provided to them inside the range."""
    heads = universe.filter(pl.col("hoh") & (pl.col("ProjectType") == PSH))
    given = (
        tables["Services"]
        .filter((pl.col("RecordType") == MOVING_ON) & pl.col("DateProvided").is_between(params.start, params.end))
        .select("EnrollmentID", "TypeProvided")
        .unique()
    )
    target = table(builder, report, "Q24b")
    for row, kind in enumerate((1, 2, 3, 4, 5), start=2):
        received = heads.join(given.filter(pl.col("TypeProvided") == kind), on="EnrollmentID", how="semi")
        count_where(target, received, {f"{column}{row}": cond for column, cond in household_columns().items()})


def q24e(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    """Every client by 3.06 Sex (new in FY2026)."""
    sex = pl.col("Sex")
    rows: dict[int, pl.Expr | None] = {
        2: sex == 0,
        3: sex == 1,
        4: sex.is_in([8, 9]),
        5: sex.is_null() | (sex == 99),
        6: pl.lit(True),
    }
    tabulate(table(builder, report, "Q24e"), universe, rows, household_columns())


def _veteran_rows() -> dict[int, pl.Expr | None]:
    vet = pl.col("VeteranStatus")
    return {
        2: (vet == 1) & pl.col("chronic"),
        3: (vet == 1) & ~pl.col("chronic"),
        4: vet == 0,
        5: vet.is_in([8, 9]),
        6: vet.is_null() | (vet == 99),
        7: pl.lit(True),
    }


def q25(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    adults = universe.filter(pl.col("adult"))
    wanted = report_tables(report)
    tabulate(table(builder, report, "Q25a"), adults, _veteran_rows(), veteran_household_columns())
    if "Q25b" in wanted:
        # A household is a veteran household when any adult in it is a veteran (chronically homeless if any
        # veteran in it is); otherwise its head's answer decides. Counted once, by its head.
        per_household = adults.group_by("HouseholdID").agg(
            ((pl.col("VeteranStatus") == 1) & pl.col("chronic")).any().alias("__ch_vet"),
            (pl.col("VeteranStatus") == 1).any().alias("__vet"),
        )
        heads = universe.filter(pl.col("hoh")).join(per_household, on="HouseholdID", how="left")
        vet = pl.col("VeteranStatus")
        ch_vet, any_vet = pl.col("__ch_vet").fill_null(False), pl.col("__vet").fill_null(False)
        rows: dict[int, pl.Expr | None] = {
            2: ch_vet,
            3: any_vet & ~ch_vet,
            4: ~any_vet & (vet == 0),
            5: ~any_vet & vet.is_in([8, 9]),
            6: ~any_vet & (vet.is_null() | (vet == 99)),
            7: pl.lit(True),
        }
        tabulate(table(builder, report, "Q25b"), heads, rows, veteran_household_columns())
    veterans = adults.filter(pl.col("VeteranStatus") == 1)
    if "Q25d" in wanted:
        age = pl.col("age")
        bands = ((2, 18, 24), (3, 25, 34), (4, 35, 44), (5, 45, 54), (6, 55, 64))
        rows = {row: age.is_between(low, high) for row, low, high in bands}
        rows.update({7: age >= 65, 8: pl.col("age_dk"), 9: pl.col("age_dnc"), 10: pl.lit(True)})
        tabulate(table(builder, report, "Q25d"), veterans, rows, veteran_household_columns())
    if "Q25i" in wanted:
        leaving = veterans.filter(pl.col("leaver"))
        q23.destinations(builder, report, "Q25i", leaving, veteran_household_columns())
        q23.subsidies(builder, report, "Q25j", leaving, veteran_household_columns())


def _status_rows(status: str) -> dict[int, pl.Expr | None]:
    value = pl.col(status)
    return {2: value == YES_CH, 3: value == NO_CH, 4: value == DK_CH, 5: value == MISSING_CH, 6: pl.lit(True)}


def with_person_status(universe: pl.DataFrame) -> pl.DataFrame:
    """``person_ch``: CH (after household inheritance) or the person's own flowchart outcome; children, who are
    not assessed, take their head of household's outcome (never CH unless inherited)."""
    heads = latest_head(universe, pl.col("ch_status").alias("__hoh_status"))
    own = pl.coalesce(pl.col("ch_status"), pl.col("__hoh_status"), pl.lit(MISSING_CH))
    return (
        lookup(universe, heads, "HouseholdID")
        .with_columns(
            pl.when(pl.col("chronic"))
            .then(pl.lit(YES_CH))
            .when(own == YES_CH)
            .then(pl.lit(NO_CH))
            .otherwise(own)
            .alias("person_ch")
        )
        .drop("__hoh_status")
    )


def q26(
    builder: ReportBuilder,
    report: str,
    tables: HmisTables,
    universe: pl.DataFrame,
    params: ReportParams,
    disabilities: pl.DataFrame | None = None,
) -> None:
    """Q26a–Q26e; ``disabilities``: ``q13.disability_records(tables, universe)`` when the caller has it."""
    people = with_person_status(universe)
    wanted = report_tables(report)
    if "Q26a" in wanted:
        # A household is CH when any member is; otherwise its head's outcome decides (spec Q26a).
        any_ch = people.group_by("HouseholdID").agg(pl.col("chronic").any().alias("__any_ch"))
        heads = people.filter(pl.col("hoh")).join(any_ch, on="HouseholdID", how="left")
        heads = heads.with_columns(
            pl.when(pl.col("__any_ch")).then(pl.lit(YES_CH)).otherwise(pl.col("person_ch")).alias("household_ch")
        )
        tabulate(table(builder, report, "Q26a"), heads, _status_rows("household_ch"), household_columns())
    tabulate(table(builder, report, "Q26b"), people, _status_rows("person_ch"), household_columns())
    chronic = people.filter(pl.col("chronic"))
    if "Q26d" in wanted:
        age = pl.col("age")
        bands = ((2, 0, 17), (3, 18, 24), (4, 25, 34), (5, 35, 44), (6, 45, 54), (7, 55, 64))
        rows: dict[int, pl.Expr | None] = {row: age.is_between(low, high) for row, low, high in bands}
        rows.update({8: age >= 65, 9: pl.col("age_dk"), 10: pl.col("age_dnc"), 11: pl.lit(True)})
        tabulate(table(builder, report, "Q26d"), chronic, rows, household_columns())
    if "Q26e" in wanted:
        target = table(builder, report, "Q26e")
        # Column C holds the leavers at exit and D the stayers' latest, where HUD Data Lab's expected results
        # put them (FY2023 kit, every APR run); docs/reports/apr-golden.md "Q26e columns".
        for column, frame, when in (
            ("B", chronic, "start"),
            ("C", chronic.filter(pl.col("leaver")), "exit"),
            ("D", chronic.filter(pl.col("stayer")), "latest"),
        ):
            with_conditions = q13.conditions(tables, frame, when, params, disabilities)
            count_where(target, with_conditions, {f"{column}{row}": c for row, c in q13.condition_rows().items()})
