"""The Coordinated Entry APR ("ce_apr"), its ten Sage tables (CE APR programming specifications).

- Q4a one row per reported project; Q5a validation (B: assessed clients, C: every member of an assessed
  household); Q6a PII data quality (the DQ report's Q2 on the assessed clients); Q7a persons and Q8a households
  by household type.
- Q9a households assessed by the latest assessment's 4.19 location type; Q9b placed on the prioritization list
  (4.19.7) and the share of those assessed.
- Q9c access events (4.20: 1–4) and Q9d referral events (5–18) of the assessed households, with their results
  (4.20.D referral result; 4.20.A problem solving result; 4.20.B case management after housing).
- Q10 every counted assessment and event by outcome (occurrences, not people).
"""

from __future__ import annotations

import dataclasses

import polars as pl

from hearth.reports.apr.grid import table
from hearth.reports.apr.q4_q6 import q4a
from hearth.reports.apr.shells import report_tables
from hearth.reports.apr.universe import household_columns
from hearth.reports.ce_apr import universe as ce
from hearth.reports.cells import ReportBuilder, ReportResult, ratio
from hearth.reports.counting import tabulate
from hearth.reports.dq.pii import build_q2
from hearth.reports.params import ReportParams
from hearth.reports.registry import report
from hearth.reports.tables import HmisTables, Progress

NAME = "ce_apr"
ACCESS_EVENTS = (1, 2, 3, 4)  # 4.20.2 rows 2–5 of Q9c
REFERRAL_EVENTS = tuple(range(5, 19))  # 4.20.2 rows 2–15 of Q9d
SUCCESSFUL, CLIENT_REJECTED, PROVIDER_REJECTED = 1, 2, 3  # 4.20.D
YES = 1


def compute(tables: HmisTables, params: ReportParams, progress: Progress | None = None) -> ReportResult:
    say = progress or (lambda stage, done, total: None)
    say("Finding assessments and events", 0, 3)
    assessed = ce.assessments(tables, params)
    counted_events = ce.events(tables, params)
    universe = ce.build(tables, params, assessed)
    b = ReportBuilder(NAME, params, tables.keys)
    say("Computing the tables", 1, 3)
    q4a(b, NAME, tables, universe, params)
    q5a(b, universe)
    build_q2(b, universe, name="Q6a")
    heads = universe.filter(pl.col("hoh"))
    tabulate(
        table(b, NAME, "Q7a"),
        universe,
        {
            2: pl.col("adult"),
            3: pl.col("child"),
            4: pl.col("age_unknown") & pl.col("DOBDataQuality").is_in([8, 9]).fill_null(False),
            5: pl.col("age_unknown") & ~pl.col("DOBDataQuality").is_in([8, 9]).fill_null(False),
            6: pl.lit(True),
            7: pl.lit(False),
        },
        household_columns(),
    )
    tabulate(table(b, NAME, "Q8a"), heads, {2: pl.lit(True), 3: pl.lit(False)}, household_columns())
    latest = assessed.sort("AssessmentDate", "AssessmentID").unique("PersonalID", keep="last")
    assessed_households = (
        latest.select("HouseholdID", "AssessmentType", "PrioritizationStatus", "AssessmentDate")
        .sort("AssessmentDate")
        .unique("HouseholdID", keep="last")
        .join(heads.select("HouseholdID", "PersonalID", "EnrollmentID", "household_type"), on="HouseholdID")
    )
    q9a(b, assessed_households)
    q9b(b, assessed_households)
    household_events = (
        counted_events.join(
            assessed_households.select("HouseholdID", "PersonalID", "EnrollmentID", "household_type"),
            on="HouseholdID",
            how="inner",
            suffix="_hoh",
        )
        .drop("PersonalID", "EnrollmentID")
        .rename({"PersonalID_hoh": "PersonalID", "EnrollmentID_hoh": "EnrollmentID"})
    )
    q9c(b, household_events)
    q9d(b, household_events, assessed_households)
    q10(b, assessed, counted_events)
    say("Counting", 2, 3)
    result = b.finish()
    say("Done", 3, 3)
    wanted = report_tables(NAME)
    return dataclasses.replace(result, tables={t: result.tables[t] for t in wanted})


def q5a(b: ReportBuilder, universe: pl.DataFrame) -> None:
    """Validation counts; CE APR reports no leavers, stayers, veterans or chronic homelessness (rows stay 0)."""
    target = table(b, NAME, "Q5a")
    adult, hoh = pl.col("adult"), pl.col("hoh")
    rows = {
        2: pl.lit(True),
        3: adult,
        4: pl.col("child"),
        5: pl.col("age_unknown"),
        13: pl.col("youth"),
        14: pl.col("parenting_youth"),
        15: adult & hoh,
        16: hoh & ~adult,
    }
    for row, cond in rows.items():
        target.count(f"B{row}", universe.filter(pl.col("dq") & cond))
        target.count(f"C{row}", universe.filter(cond))


def q9a(b: ReportBuilder, households: pl.DataFrame) -> None:
    kind = pl.col("AssessmentType")
    rows: dict[int, pl.Expr | None] = {2: kind == 1, 3: kind == 2, 4: kind == 3, 5: pl.lit(True)}
    tabulate(table(b, NAME, "Q9a"), households, rows, household_columns())


def q9b(b: ReportBuilder, households: pl.DataFrame) -> None:
    target = table(b, NAME, "Q9b")
    status = pl.col("PrioritizationStatus")
    tabulate(target, households, {2: status == 1, 3: status == 2}, household_columns())
    for column, cond in household_columns().items():
        group = households.filter(cond)
        target.set(f"{column}4", round(ratio(group.filter(status == 1).height, group.height), 4), "percent")


def q9c(b: ReportBuilder, events: pl.DataFrame) -> None:
    access = events.filter(pl.col("Event").is_in(ACCESS_EVENTS))
    target = table(b, NAME, "Q9c")
    rows: dict[int, pl.Expr | None] = {row: pl.col("Event") == code for row, code in enumerate(ACCESS_EVENTS, start=2)}
    rows[6] = pl.lit(True)
    rows[7] = (pl.col("Event") == 2) & (pl.col("ProbSolDivRRResult") == YES)
    tabulate(target, access, rows, household_columns())
    for column, cond in household_columns().items():
        group = access.filter(cond & (pl.col("Event") == 2))
        housed = group.filter(pl.col("ProbSolDivRRResult") == YES)
        share = ratio(housed.select("PersonalID").n_unique(), group.select("PersonalID").n_unique())
        target.set(f"{column}8", round(share, 4), "percent")


def q9d(b: ReportBuilder, events: pl.DataFrame, households: pl.DataFrame) -> None:
    referrals = events.filter(pl.col("Event").is_in(REFERRAL_EVENTS))
    target = table(b, NAME, "Q9d")
    result = pl.col("ReferralResult")
    rows: dict[int, pl.Expr | None] = {
        row: pl.col("Event") == code for row, code in enumerate(REFERRAL_EVENTS, start=2)
    }
    rows.update(
        {
            16: pl.lit(True),
            18: result == SUCCESSFUL,
            19: result == CLIENT_REJECTED,
            20: result == PROVIDER_REJECTED,
            21: result.is_null(),
            22: (pl.col("Event") == 5) & (pl.col("ReferralCaseManageAfter") == YES),
        }
    )
    tabulate(target, referrals, rows, household_columns())
    prioritized = households.filter(pl.col("PrioritizationStatus") == 1)
    referred_households = referrals.select("HouseholdID").unique()
    residential = referrals.filter(pl.col("Event").is_between(10, 15))
    for column, cond in household_columns().items():
        # Row 17 (shell: "Of the total HH prioritized (Q9b row 1) what percentage received a referral"): the
        # prioritized households with a referral over all prioritized households — never above 100 %.
        group = prioritized.filter(cond)
        received = group.join(referred_households, on="HouseholdID", how="semi").height
        target.set(f"{column}17", round(ratio(received, group.height), 4), "percent")
        group = residential.filter(cond)
        accepted = group.filter(result == SUCCESSFUL).select("PersonalID").n_unique()
        target.set(f"{column}23", round(ratio(accepted, group.select("PersonalID").n_unique()), 4), "percent")


def q10(b: ReportBuilder, assessed: pl.DataFrame, events: pl.DataFrame) -> None:
    """Occurrences, not people: every counted assessment by level (4.19.4), every counted event by type and
    result. A cell keeps the clients and enrollments of its occurrences as members; its value is the number
    of occurrences (set after the count, which the engine lets override)."""
    target = table(b, NAME, "Q10")
    result = pl.col("ReferralResult")
    # Results belong to their events: a referral result (4.20.D) to referrals to projects and services
    # (events 5–18), "housed in a safe alternative" (4.20.A) to problem solving (2), aftercare (4.20.B) to
    # post-placement case management (5) — the kit shows none for the others (FY2023 kit, event 5535088).
    event = pl.col("Event")
    referral = event.is_in(REFERRAL_EVENTS)
    columns = {
        "C": referral & (result == SUCCESSFUL),
        "D": referral & (result == CLIENT_REJECTED),
        "E": referral & (result == PROVIDER_REJECTED),
        "F": (event == 2) & (pl.col("ProbSolDivRRResult") == YES),
        "G": (event == 5) & (pl.col("ReferralCaseManageAfter") == YES),
    }

    def occurrences(address: str, rows: pl.DataFrame) -> None:
        target.count(address, rows.select("PersonalID", "EnrollmentID"))
        target.set(address, rows.height)

    for row, level in ((2, 1), (3, 2)):
        occurrences(f"B{row}", assessed.filter(pl.col("AssessmentLevel") == level))
        for column in columns:
            target.set(f"{column}{row}", None)  # an assessment has no referral result
    for row, code in enumerate(range(1, 19), start=4):
        rows = events.filter(pl.col("Event") == code)
        occurrences(f"B{row}", rows)
        for column, cond in columns.items():
            occurrences(f"{column}{row}", rows.filter(cond.fill_null(False)))


@report(
    NAME,
    label="Coordinated Entry APR",
    description="HUD's Coordinated Entry APR: assessments, prioritization and CE events (ten Sage tables).",
    tables=report_tables(NAME),
)
def ce_apr(tables: HmisTables, params: ReportParams, progress: Progress) -> ReportResult:
    return compute(tables, params, progress)
