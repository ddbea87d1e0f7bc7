"""Q13 physical and mental health conditions (APR/CAPER spec Q13a1/b1/c1, APR Q13a2/b2/c2; Data Standards
4.05–4.10).

A condition counts when its 4.05–4.10 response is yes (substance use 4.10: 1 alcohol, 2 drug, 3 both). At
start: the stage-1 records of the latest stay; at exit: the leavers' stage-3 records; for stayers: each
condition's most recent record dated on or before the report end. Columns split the household "with children
and adults" into its adults and its children (spec Q13a1).
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr.grid import table
from hearth.reports.apr.shells import report_tables
from hearth.reports.cells import ReportBuilder
from hearth.reports.counting import Columns, tabulate
from hearth.reports.frames import lookup
from hearth.reports.glossary.codes import STAGE_EXIT, STAGE_START
from hearth.reports.glossary.household import AC, AO, CO, UN
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

PHYSICAL, DEVELOPMENTAL, CHRONIC_HEALTH, HIV, MENTAL, SUBSTANCE = 5, 6, 7, 8, 9, 10
ALCOHOL, DRUG, BOTH = 1, 2, 3
CONDITION_COLUMNS = {
    MENTAL: "mental",
    SUBSTANCE: "substance",
    CHRONIC_HEALTH: "chronic_health",
    HIV: "hiv",
    DEVELOPMENTAL: "developmental",
    PHYSICAL: "physical",
}


def split_household_columns() -> Columns:
    hh = pl.col("household_type")
    return {
        "B": pl.lit(True),
        "C": hh == AO,
        "D": (hh == AC) & pl.col("adult"),
        "E": (hh == AC) & ~pl.col("adult"),
        "F": hh == CO,
        "G": hh == UN,
    }


def disability_records(tables: HmisTables, universe: pl.DataFrame) -> pl.DataFrame:
    """The Disabilities records (4.05–4.10) of the universe's enrollments, with the columns ``conditions``
    reads: taken once per run — a CoC's Disabilities are its second largest record, and Q13 and Q26e ask
    for six stage views of them — and sorted once, by information date and stage, for ``conditions`` to take
    each type's latest record from."""
    return _in_order(
        tables["Disabilities"]
        .select("EnrollmentID", "InformationDate", "DataCollectionStage", "DisabilityType", "DisabilityResponse")
        .filter(pl.col("EnrollmentID").is_in(universe["EnrollmentID"].implode()))
    )


def _in_order(records: pl.DataFrame) -> pl.DataFrame:
    # Two records of one type on the same date and stage (reports do not read DisabilitiesID, to keep a CoC's
    # second largest record small): the higher response is taken as the latest, whatever the rows' order — a
    # third sort key costs nothing measurable, a stable sort +60 %.
    return records.sort("InformationDate", "DataCollectionStage", "DisabilityResponse")


def conditions(
    tables: HmisTables, frame: pl.DataFrame, when: str, params: ReportParams, records: pl.DataFrame | None = None
) -> pl.DataFrame:
    """``frame`` with one column per condition (its response at ``when``: "start", "exit" or "latest").
    ``records``: ``disability_records`` (sorted) of a universe that holds ``frame``'s enrollments (default: all)."""
    every = _in_order(tables["Disabilities"]) if records is None else records
    # A filter, not a semi join: the records stay in date order, so each type's last record is its latest.
    records = every.filter(pl.col("EnrollmentID").is_in(frame["EnrollmentID"].implode()))
    if when == "start":
        records = records.filter(pl.col("DataCollectionStage") == STAGE_START)
    elif when == "exit":
        records = records.filter(pl.col("DataCollectionStage") == STAGE_EXIT)
    else:
        records = records.filter(pl.col("InformationDate") <= params.end)
    # Each type's latest response (the records are in date order), one column per type, in one group-by: a
    # unique-then-pivot took two passes over a CoC's millions of records and 3-5x as long.
    response = pl.col("DisabilityResponse")
    wide = records.group_by("EnrollmentID").agg(
        response.filter(pl.col("DisabilityType") == code).last().alias(name) for code, name in CONDITION_COLUMNS.items()
    )
    return lookup(frame, wide, "EnrollmentID")


def condition_rows() -> dict[int, pl.Expr | None]:
    substance = pl.col("substance")
    return {
        2: pl.col("mental") == 1,
        3: substance == ALCOHOL,
        4: substance == DRUG,
        5: substance == BOTH,
        6: pl.col("chronic_health") == 1,
        7: pl.col("hiv") == 1,
        8: pl.col("developmental") == 1,
        9: pl.col("physical") == 1,
    }


def condition_count() -> pl.Expr:
    """Conditions answered yes. FY2026 spec Q13a2/b2/c2 instruction 4: for 4.10, "a response of 1 ... or 2 ...
    counts as 1 condition. A response of 3 ("Both alcohol and drug use disorders") counts as 2 conditions"."""
    yes = [
        (
            pl.when(pl.col(name) == BOTH).then(2).when(pl.col(name).is_in([ALCOHOL, DRUG])).then(1).otherwise(0)
            if name == "substance"
            else (pl.col(name) == 1).cast(pl.Int32)
        ).fill_null(0)
        for name in CONDITION_COLUMNS.values()
    ]
    return pl.sum_horizontal(yes)


def count_rows() -> dict[int, pl.Expr | None]:
    """Q13x2: none / one / two / three or more; unknown, DK/PNTA and not collected by 3.08 when none is yes."""
    n = condition_count()
    disabling = pl.col("DisablingCondition")
    none_yes = n == 0
    return {
        2: none_yes & (disabling == 0).fill_null(False),
        3: n == 1,
        4: n == 2,
        5: n >= 3,
        6: none_yes & (disabling == 1).fill_null(False),
        7: none_yes & disabling.is_in([8, 9]).fill_null(False),
        8: none_yes & (disabling.is_null() | (disabling == 99)),
        9: pl.lit(True),
    }


def q13(
    builder: ReportBuilder,
    report: str,
    tables: HmisTables,
    universe: pl.DataFrame,
    params: ReportParams,
    records: pl.DataFrame | None = None,
) -> None:
    """Q13a1–Q13c2; ``records``: ``disability_records(tables, universe)`` when the caller has it."""
    records = disability_records(tables, universe) if records is None else records
    groups = (
        ("Q13a1", "Q13a2", universe, "start"),
        ("Q13b1", "Q13b2", universe.filter(pl.col("leaver")), "exit"),
        ("Q13c1", "Q13c2", universe.filter(pl.col("stayer")), "latest"),
    )
    wanted = set(report_tables(report))
    for conditions_table, count_table, frame, when in groups:
        with_conditions = conditions(tables, frame, when, params, records)
        if conditions_table in wanted:
            tabulate(
                table(builder, report, conditions_table), with_conditions, condition_rows(), split_household_columns()
            )
        if count_table in wanted:
            tabulate(table(builder, report, count_table), with_conditions, count_rows(), split_household_columns())
