"""Q27 youth (APR spec Q27a–Q27m): the same questions asked of youth — clients 12–24 in households where no one
is 25 or older (Glossary "Youth"; ``youth`` of the universe); heads of household and adults among them where
the adult question is asked of adults.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr import q12_q15, q16_q21, q19, q22, q23
from hearth.reports.apr.grid import table
from hearth.reports.apr.universe import household_columns
from hearth.reports.cells import ReportBuilder
from hearth.reports.counting import count_where, tabulate
from hearth.reports.frames import lookup
from hearth.reports.glossary.codes import CHILD_OF_HOH, DK_PNTA, NOT_COLLECTED, STAGE_EXIT, STAGE_START
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables


def youth_adults_or_heads() -> pl.Expr:
    """Youth who are adults (18–24) or heads of household (the youth version of "adults")."""
    return pl.col("youth") & (pl.col("age").is_between(18, 24).fill_null(False) | pl.col("hoh"))


def q27a(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    youth = universe.filter(pl.col("youth"))
    age = pl.col("age")
    rows: dict[int, pl.Expr | None] = {2: age.is_between(12, 17), 3: age.is_between(18, 24), 6: pl.lit(True)}
    target = table(builder, report, "Q27a")
    tabulate(target, youth, rows, household_columns())
    for column in household_columns():  # youth have a known age by definition: rows 4–5 are grayed out
        target.set(f"{column}4", None)
        target.set(f"{column}5", None)


def q27b(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    """Parenting youth households by the head's age: parents (head and spouse), their children, all persons,
    households (counted by the head)."""
    parents = universe.filter(pl.col("parenting_youth"))
    target = table(builder, report, "Q27b")
    for row, low, high in ((2, 0, 17), (3, 18, 24)):
        heads = parents.filter(pl.col("hoh") & pl.col("age").is_between(low, high))
        households = heads.select("HouseholdID").unique()
        members = universe.join(households, on="HouseholdID", how="semi")
        target.count(f"B{row}", members.filter(pl.col("parenting_youth")))
        target.count(f"C{row}", members.filter(pl.col("RelationshipToHoH") == CHILD_OF_HOH))
        target.count(f"D{row}", members)
        target.count(f"E{row}", heads)


def q27(
    builder: ReportBuilder,
    report: str,
    tables: HmisTables,
    universe: pl.DataFrame,
    staged: pl.DataFrame,
    with_length: pl.DataFrame,
    params: ReportParams,
    prior: pl.DataFrame,
) -> None:
    """The youth tables. ``prior`` is ``q22.time_prior(universe, stays, params)``, computed once per run."""
    q27a(builder, report, universe)
    q27b(builder, report, universe)
    youth = universe.filter(pl.col("youth"))
    heads = youth.filter(pl.col("hoh"))
    q12_q15.living_situation(builder, report, "Q27d", heads, household_columns())
    youth_lengths = with_length.filter(pl.col("youth"))
    rows = q22.band_rows("length", q22.A1_BANDS)
    rows[12] = pl.lit(True)
    columns = {"B": pl.lit(True), "C": pl.col("leaver"), "D": pl.col("stayer")}
    tabulate(table(builder, report, "Q27e"), youth_lengths, rows, columns)
    leavers = youth.filter(pl.col("leaver"))
    q23.destinations(builder, report, "Q27f1", leavers, household_columns())
    q23.subsidies(builder, report, "Q27f2", leavers, household_columns())
    youth_adults = staged.filter(youth_adults_or_heads())
    q16_q21.q17(builder, report, youth_adults, name="Q27g")
    q16_q21.q18(builder, report, youth_adults, name="Q27h")
    q19.q27i(builder, report, youth_adults)
    target = table(builder, report, "Q27j")
    for column, who in (("B", pl.col("leaver")), ("C", pl.col("stayer"))):
        q22.average_and_median(target, column, youth_lengths.filter(who), "length", 2)
    q22.start_to_move_in_table(builder, report, "Q27k", q22.start_to_move_in(universe, params).filter(pl.col("youth")))
    q22.time_prior_table(builder, report, "Q27l", prior.filter(pl.col("youth")))
    q27m(builder, report, tables, youth)


# Q27m, C3 Youth Education Status (HMIS Data Standards FY2026 C3.2 current school attendance, C3.A most recent
# education status of those not enrolled, C3.B current education status of those enrolled) at project start and
# at project exit, of the youth heads of household who left. The FY2026 programming specifications are not in
# ../shared: the layout, the universe and the project types (transitional housing, PSH, street outreach,
# services only, rapid re-housing: YHDP's components) follow Green River's FY2026 implementation, a reading of
# them (docs/reports/apr-golden.md, "Q27m").
Q27M_PROJECT_TYPES = (2, 3, 4, 6, 13)
Q27M_STAGES = {"B": STAGE_START, "C": STAGE_EXIT}
C3_COLUMNS = ("CurrentSchoolAttend", "MostRecentEdStatus", "CurrentEdStatus")  # C3.2, C3.A, C3.B


def _values(column: str, codes: list[tuple[int, ...]]) -> list[pl.Expr]:
    """One row per group of codes, then "Data not collected" (99, empty, or no record at that stage)."""
    value = pl.col(column)
    return [value.is_in(group) for group in codes] + [value.is_null() | (value == NOT_COLLECTED)]


def q27m_rows(suffix: str) -> dict[int, pl.Expr | None]:
    """Row number → condition over the C3 columns of one stage (``suffix``); headings are None."""
    attend, recent, current = (f"{name}{suffix}" for name in C3_COLUMNS)
    not_enrolled = pl.col(attend) == 0
    enrolled = pl.col(attend).is_in([1, 2])
    rows: dict[int, pl.Expr | None] = {}
    for n, cond in enumerate(_values(attend, [(0,), (1,), (2,), DK_PNTA]), start=2):
        rows[n] = cond
    rows[7] = None  # For those not enrolled: most recent education status (C3.A)
    for n, cond in enumerate(_values(recent, [(code,) for code in range(8)] + [DK_PNTA]), start=8):
        rows[n] = not_enrolled & cond
    rows[18] = None  # For those currently enrolled: current education status (C3.B)
    for n, cond in enumerate(_values(current, [(code,) for code in range(5)] + [DK_PNTA]), start=19):
        rows[n] = enrolled & cond
    rows[26] = pl.lit(True)
    return rows


def q27m(builder: ReportBuilder, report: str, tables: HmisTables, youth: pl.DataFrame) -> None:
    """Youth heads of household who left, by their C3 answers at project start (B) and at exit (C)."""
    heads = youth.filter(pl.col("hoh") & pl.col("leaver") & pl.col("ProjectType").is_in(Q27M_PROJECT_TYPES))
    records = (
        tables["YouthEducationStatus"]
        .filter(pl.col("DataCollectionStage").is_in(list(Q27M_STAGES.values())))
        # One record per enrollment and stage: the latest information date, then the higher ID, whatever the
        # rows' order.
        .sort("InformationDate", "YouthEducationStatusID")
        .unique(["EnrollmentID", "DataCollectionStage"], keep="last")
    )
    for column, stage in Q27M_STAGES.items():
        at_stage = records.filter(pl.col("DataCollectionStage") == stage).select(
            "EnrollmentID", *(pl.col(c).alias(f"{c}_{column}") for c in C3_COLUMNS)
        )
        heads = lookup(heads, at_stage, "EnrollmentID")
    target = table(builder, report, "Q27m")
    cells: dict[str, pl.Expr | None] = {}
    for column in Q27M_STAGES:
        cells.update({f"{column}{row}": cond for row, cond in q27m_rows(f"_{column}").items()})
    count_where(target, heads, cells)
