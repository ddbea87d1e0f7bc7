"""Golden tests against HUD Data Lab test kit 2.0 (July 2022): APR ×6, CAPER ×6, CE APR ×2, one project run each.

Input: the kit's own FY2022 HMIS CSV export, read by the report engine's ``load_export`` through Hearth's FY2022
translation (hearth.exchange.fy2022) and the FY2024→FY2026 path. Every comparable cell of every computed table
is compared, the Data Quality tables (Q5a, Q6a–f) included (no other test reads kit 2.0). The kit's FY2022
layout is mapped onto FY2026 by ``golden.layouts_for`` (the FY2023 map, plus Q5a's missing header row and Q26e's
columns); its disputed cells (SOURCE.md) are unknown. Kit 2.0 rounds averages and money, so Hearth's numbers
are compared at the kit's precision.

What still differs is pinned per run — the differing tables and the matched and differing cell counts — so a
regression fails, and so does a fix (update the pins). Each difference is explained in docs/reports/kit-2.0.md.
Skips without ../shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from hearth.reports.apr.report import compute, computed_tables
from hearth.reports.apr.shells import report_tables
from hearth.reports.ce_apr.report import compute as ce_compute
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables, load_export
from tests.reports import golden

RUNS = golden.runs(golden.KIT_2_0)
assert not RUNS or len(RUNS) == 14  # six APR, six CAPER and two CE APR runs in kit 2.0
pytestmark = pytest.mark.skipif(not RUNS or golden.kit_input_2_0() is None, reason="../shared test kit 2.0 absent")


@dataclass(frozen=True)
class Pin:
    matched: int  # cells equal to the kit's
    differing: int  # cells that differ
    tables: tuple[str, ...]  # the tables holding them


# docs/reports/kit-2.0.md explains every differing table.
PINS: dict[str, Pin] = {
    "2.0/apr/psh_coc_1": Pin(1765, 11, ("Q13a2", "Q13c2", "Q6a")),
    "2.0/apr/rrh_coc_1": Pin(1742, 27, ("Q13a2", "Q13c2", "Q22e", "Q7a", "Q7b", "Q8a", "Q8b")),
    "2.0/apr/rrh_coc_2": Pin(1751, 27, ("Q13a2", "Q13c2", "Q22e", "Q7a", "Q7b", "Q8a", "Q8b")),
    "2.0/apr/so_coc": Pin(1765, 8, ("Q13a2", "Q13c2")),
    "2.0/apr/sso_coc": Pin(1762, 8, ("Q13a2", "Q13b2")),
    "2.0/apr/th_coc": Pin(1772, 0, ()),
    "2.0/caper/es_ee_esg": Pin(1105, 0, ()),
    "2.0/caper/es_nbn_esg": Pin(1091, 6, ("Q16", "Q21", "Q6a", "Q6c")),
    "2.0/caper/hp_esg": Pin(1097, 9, ("Q26b", "Q6a")),
    "2.0/caper/rrh_esg": Pin(1107, 0, ()),
    "2.0/caper/so_esg": Pin(1095, 9, ("Q13a1", "Q6a")),
    "2.0/caper/th_esg": Pin(1024, 0, ()),
    "2.0/ce_apr/ce": Pin(310, 69, ("Q10", "Q5a", "Q6a", "Q7a", "Q8a", "Q9a", "Q9b", "Q9d")),
    "2.0/ce_apr/ce_and_es_ee_esg_2": Pin(311, 73, ("Q10", "Q5a", "Q6a", "Q7a", "Q8a", "Q9a", "Q9b", "Q9d")),
}


@pytest.fixture(scope="module")
def kit_tables() -> HmisTables:
    path = golden.kit_input_2_0()
    assert path is not None
    return load_export(path)


def _compare(run: golden.Run, tables: Mapping[str, Mapping[str, object]]) -> tuple[Pin, list[str]]:
    matched, differing, names, detail = 0, 0, [], []
    for name, values in tables.items():
        if run.report != "ce_apr" and name not in computed_tables(run.report):
            continue
        kit_name = {v: k for k, v in golden.RENAMED.items()}.get(name, name)
        expected = run.expected(kit_name)
        if expected is None or kit_name in golden.NOT_COMPARABLE:
            continue
        outcome = golden.compare(
            kit_name,
            expected,
            values,
            skip=golden.disputed(run, kit_name),
            layouts=golden.layouts_for(run),
            kit_precision=True,
        )
        matched += outcome.matched
        if outcome.mismatched:
            differing += len(outcome.mismatched)
            names.append(name)
            detail.append(outcome.describe())
    return Pin(matched, differing, tuple(sorted(names))), detail


@pytest.mark.parametrize("run", RUNS, ids=[r.id for r in RUNS])
def test_kit_2_0_run(run: golden.Run, kit_tables: HmisTables) -> None:
    params = ReportParams.create(start=run.start, end=run.end, projects=run.projects)
    result = ce_compute(kit_tables, params) if run.report == "ce_apr" else compute(run.report, kit_tables, params)
    assert list(result.tables) == list(report_tables(run.report))  # every Sage table, in order
    outcome, detail = _compare(run, {name: table.values for name, table in result.tables.items()})
    assert outcome == PINS[run.id], "\n".join(detail)


def test_every_run_is_pinned() -> None:
    assert sorted(PINS) == sorted(r.id for r in RUNS)
