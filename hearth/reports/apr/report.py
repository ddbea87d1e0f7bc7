"""CoC APR ("apr") and ESG CAPER ("caper"), registered with the report engine (ADR 0018).

Both run on one universe (``universe.py``) and write every table of their FY2026 Sage upload
(``shells/tables.csv``): the tables computed by the question modules, and — for the few not computed yet —
the table's shell with zeros, listed in docs/reports/apr-golden.md ("Not computed yet").
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from hearth.reports.apr import q4_q6, q7_q8, q11_q14, q22, q23
from hearth.reports.apr import universe as apr_universe
from hearth.reports.apr.grid import table
from hearth.reports.apr.shells import report_tables
from hearth.reports.cells import ReportBuilder, ReportResult
from hearth.reports.params import ReportParams
from hearth.reports.registry import report
from hearth.reports.tables import HmisTables, Progress


def compute(name: str, tables: HmisTables, params: ReportParams, progress: Progress | None = None) -> ReportResult:
    say = progress or (lambda stage, done, total: None)
    say("Finding the clients", 0, 3)
    stays = apr_universe.stays(tables, params)
    universe = apr_universe.latest(tables, stays, params)
    with_length = q22.with_length(tables, universe, params)
    say("Computing the tables", 1, 3)
    builder = ReportBuilder(name, params)
    steps: dict[str, Callable[[], None]] = {
        "Q4a": lambda: q4_q6.q4a(builder, name, tables, universe, params),
        "Q5a": lambda: q4_q6.q5a_q6(builder, tables, stays, universe, params),
        "Q7a": lambda: q7_q8.q7a(builder, name, universe),
        "Q7b": lambda: q7_q8.q7b_q8b(builder, name, tables, stays, universe, params),
        "Q8a": lambda: q7_q8.q8a(builder, name, universe),
        "Q11": lambda: q11_q14.q11(builder, name, universe),
        "Q14a": lambda: q11_q14.q14(builder, name, tables, universe, params),
        "Q22a1": lambda: q22.q22a1(builder, name, with_length),
        "Q22a2": lambda: q22.q22a2(builder, name, with_length),
        "Q22b": lambda: q22.q22b(builder, name, with_length),
        "Q22c": lambda: q22.q22c(builder, name, universe, params),
        "Q22d": lambda: q22.q22d(builder, name, with_length),
        "Q22e": lambda: q22.q22e(builder, name, universe, stays, params),
        "Q22f": lambda: q22.q22f(builder, name, universe, params),
        "Q22g": lambda: q22.q22g(builder, name, universe, stays, params),
        "Q23c": lambda: q23.q23c(builder, name, universe),
        "Q23d": lambda: q23.q23d(builder, name, universe),
        "Q23e": lambda: q23.q23e(builder, name, universe),
    }
    wanted = report_tables(name)
    for table_name in wanted:
        step = steps.get(table_name)
        if step is not None:
            step()
    built = set(builder_tables(builder))
    for table_name in wanted:
        if table_name not in built:
            table(builder, name, table_name)  # shell with zeros: every Sage file is present
    say("Counting", 2, 3)
    result = builder.finish()
    say("Done", 3, 3)
    ordered = {t: result.tables[t] for t in wanted}
    return ReportResult(result.report, result.params, ordered, result.members.filter(pl.col("table").is_in(wanted)))


# Tables a step builds besides the one it is keyed by.
ALSO_BUILT = {
    "Q5a": ("Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f"),
    "Q7b": ("Q8b",),
    "Q14a": ("Q14b",),
}
STEPS = [
    "Q4a",
    "Q5a",
    "Q7a",
    "Q7b",
    "Q8a",
    "Q11",
    "Q14a",
    "Q22a1",
    "Q22a2",
    "Q22b",
    "Q22c",
    "Q22d",
    "Q22e",
    "Q22f",
    "Q22g",
    "Q23c",
    "Q23d",
    "Q23e",
]


def computed_tables(name: str) -> list[str]:
    """The tables of report ``name`` that are computed (the others are written from their shell, zeros)."""
    built = {t for step in STEPS for t in (step, *ALSO_BUILT.get(step, ()))}
    return [t for t in report_tables(name) if t in built]


def builder_tables(builder: ReportBuilder) -> list[str]:
    return list(builder._tables)


@report(
    "apr",
    label="CoC APR",
    description="HUD's CoC Annual Performance Report (FY2026): the 67 tables of the Sage CSV upload.",
    tables=report_tables("apr"),
)
def apr(tables: HmisTables, params: ReportParams, progress: Progress) -> ReportResult:
    return compute("apr", tables, params, progress)


@report(
    "caper",
    label="ESG CAPER",
    description="HUD's ESG Consolidated Annual Performance and Evaluation Report (FY2026): 40 Sage tables.",
    tables=report_tables("caper"),
)
def caper(tables: HmisTables, params: ReportParams, progress: Progress) -> ReportResult:
    return compute("caper", tables, params, progress)
