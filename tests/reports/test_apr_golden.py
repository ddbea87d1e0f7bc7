"""Golden tests: Hearth's APR/CAPER tables against HUD Data Lab's expected results, per project run.

Input: the FY2023 kit's records as FY2026 CSV (../shared/hmis-csv-samples/greenriver-fy2026-datalab-converted)
through the report engine's ``load_export``, with the kit input's dates of birth restored (golden.py). Every
comparable cell of every computed table is compared; kit cells moved or dropped by the FY2026 layout and
cells HUD's consumers disputed are reported as unknown, never as passes. Skips without ../shared.
Kit 2.0 (FY2022 CSV input) is not comparable yet: Hearth refuses FY2022 exports (docs/reports/apr-golden.md).
"""

from __future__ import annotations

import pytest

from hearth.reports.apr.report import compute, computed_tables
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables, load_export
from tests.reports import golden

RUNS = [r for r in golden.runs() if r.report in ("apr", "caper")]
assert not RUNS or len(RUNS) == 10  # five APR and five CAPER runs in the FY2023 kit
pytestmark = pytest.mark.skipif(not RUNS or golden.kit_input_fy2026() is None, reason="../shared test kits absent")


@pytest.fixture(scope="module")
def kit_tables() -> HmisTables:
    path = golden.kit_input_fy2026()
    assert path is not None
    return load_export(path)


@pytest.mark.parametrize("run", RUNS, ids=[r.id for r in RUNS])
def test_kit_run(run: golden.Run, kit_tables: HmisTables) -> None:
    params = ReportParams.create(start=run.start, end=run.end, projects=run.projects)
    computed = {name: t.values for name, t in compute(run.report, kit_tables, params).tables.items()}
    failures: list[str] = []
    detail: list[str] = []
    compared = 0
    for table, grid in computed.items():
        if table not in computed_tables(run.report) or table in DQ_TABLES:
            continue
        kit_name = {v: k for k, v in golden.RENAMED.items()}.get(table, table)
        expected = run.expected(kit_name)
        if expected is None or kit_name in golden.NOT_COMPARABLE:
            continue
        result = golden.compare(kit_name, expected, grid, skip=golden.disputed(run, kit_name))
        compared += result.matched
        if result.mismatched:
            failures.append(table)
            detail.append(result.describe())
    assert compared > 0
    # The tables that differ are pinned: a new difference fails, and so does a fixed one (remove it from KNOWN).
    assert sorted(failures) == sorted(KNOWN.get(run.id, ())), "\n".join(detail)


# Q5a and Q6a–f are the Data Quality report's tables (hearth.reports.dq), golden-tested with it.
DQ_TABLES = ("Q5a", "Q6a", "Q6b", "Q6c", "Q6d", "Q6e", "Q6f")

# Tables whose cells differ from the kit, per run, and why: docs/reports/apr-golden.md ("Known differences").
# Age-based cells: the kit's expected results were computed on Data Lab's per-project exports, whose dates of
# birth differ from the merged export the kit ships (and the FY2024/FY2026 copies regenerate them again).
# Household type follows from ages, so Q7a/Q8a/Q7b/Q8b/Q14/Q23c cells split by household type move with them.
KNOWN: dict[str, tuple[str, ...]] = {
    "fy2023/apr/psh_coc_1": ("Q11",),
    "fy2023/apr/rrh_coc_1": ("Q11", "Q14a", "Q14b", "Q22e", "Q23c", "Q7a", "Q7b", "Q8a", "Q8b"),
    "fy2023/apr/rrh_coc_2": ("Q11", "Q14a", "Q14b", "Q22c", "Q22e", "Q23c", "Q7a", "Q7b", "Q8a", "Q8b"),
    "fy2023/apr/sso_coc": ("Q11", "Q14a", "Q14b", "Q23c", "Q7a", "Q7b", "Q8a", "Q8b"),
    "fy2023/apr/th_coc": ("Q11", "Q22e", "Q23c", "Q7a", "Q7b", "Q8b"),
    "fy2023/caper/es_ee_esg": ("Q11", "Q14a", "Q22d", "Q22e", "Q23c", "Q7a", "Q7b", "Q8a", "Q8b"),
    "fy2023/caper/es_nbn_esg": ("Q11", "Q22e", "Q8b"),
    "fy2023/caper/hp_esg": ("Q11",),
    "fy2023/caper/rrh_esg": (),
    "fy2023/caper/so_esg": ("Q11",),
}


@pytest.mark.parametrize("run", RUNS, ids=[r.id for r in RUNS])
def test_totals_match_kit(run: golden.Run, kit_tables: HmisTables) -> None:
    """The Total columns (B) do not depend on ages: persons, PIT counts, leavers, DV, lengths all match."""
    params = ReportParams.create(start=run.start, end=run.end, projects=run.projects)
    computed = {name: t.values for name, t in compute(run.report, kit_tables, params).tables.items()}
    for table in ("Q7b", "Q22a1", "Q22a2", "Q22b"):
        if table not in computed or run.expected(table) is None:
            continue
        expected = run.expected(table)
        assert expected is not None
        result = golden.compare(table, expected, computed[table], skip=golden.disputed(run, table))
        assert result.matched > 0
        assert not [m for m in result.mismatched if m[0].startswith("B")], result.describe()
