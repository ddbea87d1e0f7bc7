"""The HMIS Data Quality report, registered as "dq" (FY2026 Reporting Glossary, HMIS Data Quality Report).

Any projects, any date range; Q1–Q7 on each client's latest stay; every count keeps its clients (the detail
lists). See docs/reports/dq.md for the rules and how they compare with HUD's test kits.
"""

from __future__ import annotations

from hearth.reports.cells import ReportBuilder, ReportResult
from hearth.reports.dq import universe as dq_universe
from hearth.reports.dq.chronic import build_q5
from hearth.reports.dq.elements import build_q3
from hearth.reports.dq.inactive import build_q7
from hearth.reports.dq.income_housing import build_q4
from hearth.reports.dq.pii import build_q2
from hearth.reports.dq.timeliness import build_q6
from hearth.reports.dq.validation import build_q1
from hearth.reports.params import ReportParams
from hearth.reports.registry import report
from hearth.reports.tables import HmisTables, Progress

TABLES = ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7")


@report(
    "dq",
    label="HMIS Data Quality",
    description="HUD's HMIS Data Quality report (Q1–Q7 = APR/CAPER Q5a, Q6a–Q6f) for any projects and dates.",
    tables=TABLES,
)
def data_quality(tables: HmisTables, params: ReportParams, progress: Progress) -> ReportResult:
    progress("Finding the clients", 0, 3)
    active = dq_universe.active_stays(tables, params)
    universe = dq_universe.build(tables, params, active)
    progress("Computing the tables", 1, 3)
    builder = ReportBuilder("dq", params, tables.keys)
    build_q1(builder, universe, params)
    build_q2(builder, universe)
    build_q3(builder, universe, active, tables, layout="dq")
    build_q4(builder, universe, tables, params, layout="dq")
    build_q5(builder, universe)
    build_q6(builder, universe, params, layout="dq")
    build_q7(builder, universe, tables, params)
    progress("Counting", 2, 3)
    result = builder.finish()
    progress("Done", 3, 3)
    return result
