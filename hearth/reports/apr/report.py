"""CoC APR ("apr") and ESG CAPER ("caper"), registered with the report engine (ADR 0018).

Both run on one universe (``universe.py``) and write every table of their FY2026 Sage upload
(``shells/tables.csv``), in HUD's order: the tables the question modules compute and — for the few not
computed yet (``NOT_COMPUTED``) — the table's shell with zeros, as Sage requires every file.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

from hearth.reports.apr import q4_q6, q7_q8, q9, q11_q14, q12_q15, q13, q16_q21, q19, q22, q23, q24_q26, q27
from hearth.reports.apr import universe as apr_universe
from hearth.reports.apr.grid import table
from hearth.reports.apr.shells import report_tables
from hearth.reports.cells import ReportBuilder, ReportResult
from hearth.reports.params import ReportParams
from hearth.reports.registry import report
from hearth.reports.tables import HmisTables, Progress

# Tables written from their shell only, with zeros (docs/reports/apr-golden.md, "Not computed yet").
NOT_COMPUTED: tuple[str, ...] = ()


def compute(name: str, tables: HmisTables, params: ReportParams, progress: Progress | None = None) -> ReportResult:
    say = progress or (lambda stage, done, total: None)
    wanted = report_tables(name)
    say("Finding the clients", 0, 4)
    stays = apr_universe.stays(tables, params)
    universe = apr_universe.latest(tables, stays, params)
    with_length = q22.with_length(tables, universe, params)
    disabilities = q13.disability_records(tables, universe)
    say("Computing the tables", 1, 4)
    b = ReportBuilder(name, params, tables.keys)

    def clients_and_enrollments() -> None:
        q4_q6.q4a(b, name, tables, universe, params)
        q4_q6.q5a_q6(b, tables, stays, universe, params)
        q7_q8.q7a(b, name, universe)
        q7_q8.q7b_q8b(b, name, tables, stays, universe, params)
        q7_q8.q8a(b, name, universe)
        q9.q9(b, name, tables, universe, params)
        q11_q14.q11(b, name, universe)
        q12_q15.q12(b, name, universe)
        q13.q13(b, name, tables, universe, params, disabilities)
        q11_q14.q14(b, name, tables, universe, params)
        q12_q15.q15(b, name, universe)

    def income_length_and_outcomes() -> None:
        staged = q16_q21.q16_q21(b, name, tables, universe, params)
        if name == "apr":
            q19.q19a(b, name, staged)
        q19.q19b(b, name, staged)
        if name == "apr":
            q22.q22a1(b, name, with_length)
            q22.q22b(b, name, with_length)
        else:
            q22.q22a2(b, name, with_length)
            q22.q22d(b, name, with_length)
        q22.q22c(b, name, universe, params)
        prior = q22.time_prior(universe, stays, params)
        q22.q22e(b, name, prior)
        q22.q22f(b, name, universe, params)
        q22.q22g(b, name, prior)
        q23.q23c(b, name, universe)
        q23.q23d(b, name, universe)
        q23.q23e(b, name, universe)
        if name == "apr":
            q24_q26.q24b(b, name, tables, universe, params)
        else:
            q24_q26.q24a(b, name, universe)
        q24_q26.q24e(b, name, universe)
        q24_q26.q25(b, name, universe)
        q24_q26.q26(b, name, tables, universe, params, disabilities)
        if name == "apr":
            q27.q27(b, name, tables, universe, staged, with_length, params, prior)

    # The two halves share only their (read-only) inputs and open different tables, so they run side by side:
    # Polars releases the GIL while it computes, and a one-project run's many small queries otherwise keep one
    # core busy while the other waits (a CoC-wide run's large operations use both cores either way).
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"{name}-tables") as pool:
        halves = [pool.submit(clients_and_enrollments), pool.submit(income_length_and_outcomes)]
        for half in halves:
            half.result()  # re-raises a half's error here
    for table_name in wanted:
        if table_name in NOT_COMPUTED:
            table(b, name, table_name)  # the shell with zeros: every Sage file is present
    say("Counting", 3, 4)
    b.in_order(wanted)
    result = b.finish()
    unexpected = set(result.tables) - set(wanted)
    if unexpected:
        raise AssertionError(f"{name} built tables it does not report: {', '.join(sorted(unexpected))}")
    say("Done", 4, 4)
    ordered = {t: result.tables[t] for t in wanted}
    return dataclasses.replace(result, tables=ordered)


def computed_tables(name: str) -> list[str]:
    """The tables of report ``name`` that are computed (the others are written from their shell, zeros)."""
    return [t for t in report_tables(name) if t not in NOT_COMPUTED]


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
