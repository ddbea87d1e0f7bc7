"""The APR/CAPER client universe: the DQ report's universe (hearth.reports.dq.universe — one row per client,
their latest stay, with every Glossary concept computed once) plus what only the APR tables read.

Added columns: ``age_dk`` / ``age_dnc`` (unknown age split by 3.03 DOB data quality: client doesn't know or
prefers not to answer vs. not collected — APR Q7a/Q11 rows), ``Sex`` (3.06, Q24e). The B–F columns of the
many tables split by household type are ``household_columns``.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.dq import universe as dq_universe
from hearth.reports.frames import lookup
from hearth.reports.glossary.household import AC, AO, CO, UN
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables

DK_PNTA = (8, 9)


def stays(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    """Every active stay (not only the latest): household type, age, CH at start, effective move-in."""
    return dq_universe.active_stays(tables, params)


def latest(tables: HmisTables, stays_frame: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """One row per client from ``stays_frame`` — the same reduction as the DQ universe — with APR columns."""
    universe = dq_universe.build(tables, params, stays_frame)
    sex = tables["Client"].select("PersonalID", "Sex").unique("PersonalID", keep="last")
    return lookup(universe, sex, "PersonalID").with_columns(
        (pl.col("age_unknown") & pl.col("DOBDataQuality").is_in(DK_PNTA).fill_null(False)).alias("age_dk"),
        (pl.col("age_unknown") & ~pl.col("DOBDataQuality").is_in(DK_PNTA).fill_null(False)).alias("age_dnc"),
    )


def build(tables: HmisTables, params: ReportParams) -> pl.DataFrame:
    return latest(tables, stays(tables, params), params)


def household_columns() -> dict[str, pl.Expr]:
    """The usual B–F columns: Total, without children, with children and adults, only children, unknown."""
    hh = pl.col("household_type")
    return {"B": pl.lit(True), "C": hh == AO, "D": hh == AC, "E": hh == CO, "F": hh == UN}


def veteran_household_columns() -> dict[str, pl.Expr]:
    """Q25 columns: Total, without children, with children and adults, unknown (a veteran is an adult)."""
    hh = pl.col("household_type")
    return {"B": pl.lit(True), "C": hh == AO, "D": hh == AC, "E": hh == UN}
