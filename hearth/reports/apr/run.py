"""Compute the APR / CAPER tables that exist so far, on one universe (ADR 0018).

``compute(report, tables, params)`` returns the computed grids by table name. Every table of the report's
Sage upload is listed in ``shells/tables.csv``; a table not computed here yet is written from its shell with
zeros by the Sage writer, and ``missing(report)`` names them (docs/reports/apr-golden.md).
"""

from __future__ import annotations

from hearth.reports.apr import q7_q8, q11_q14, q22, q23
from hearth.reports.apr import universe as apr_universe
from hearth.reports.apr.grid import Grid
from hearth.reports.apr.shells import report_tables
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables


def compute(report: str, tables: HmisTables, params: ReportParams) -> dict[str, Grid]:
    stays = apr_universe.stays(tables, params)
    universe = apr_universe.latest_stays(stays, params)
    with_length = q22.with_length(tables, universe, params)
    grids = [
        q7_q8.q7a(universe),
        q7_q8.q8a(universe),
        *q7_q8.q7b_q8b(tables, stays, universe, params),
        q11_q14.q11(universe),
        *q11_q14.q14(tables, universe, params),
        *q23.q23(universe),
    ]
    if report == "apr":
        grids += [q22.q22a1(with_length), q22.q22b(with_length), *q23.q25i_q25j(universe)]
    else:
        grids += [q22.q22a2(with_length)]
    wanted = set(report_tables(report))
    return {grid.table: grid for grid in grids if grid.table in wanted}


def missing(report: str, computed: dict[str, Grid]) -> list[str]:
    return [table for table in report_tables(report) if table not in computed and table not in ("Q4a", "Q5a")]
