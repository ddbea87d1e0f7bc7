"""The loaders' integer keys for PersonalID and EnrollmentID (``tables.with_keys``): ordered as the IDs, turned
back into the IDs exactly, and invisible in every report's result."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from hearth.reports import registry
from hearth.reports.params import ReportParams
from hearth.reports.tables import KEY_TYPE, HmisTables, load_export, with_keys
from hearth.synthetic.generator import generate
from tests.builders import ExportBuilder


def _frames(**frames: list[dict[str, object]]) -> dict[str, pl.DataFrame]:
    return dict(HmisTables.from_frames(**frames).frames)  # type: ignore[arg-type]


def test_keys_follow_the_ids_sorted_order_and_decode_exactly() -> None:
    # "10" sorts before "9" as text: the keys sort as the IDs did, so rules that break ties by ID do not move.
    frames = _frames(
        Client=[{"PersonalID": "9"}, {"PersonalID": "10"}, {"PersonalID": "B"}],
        Enrollment=[
            {"EnrollmentID": "e9", "PersonalID": "9"},
            {"EnrollmentID": "e10", "PersonalID": "10"},
            {"EnrollmentID": "e11", "PersonalID": "B"},
        ],
        Exit=[{"ExitID": "x1", "EnrollmentID": "e11", "PersonalID": "B"}],
    )
    keyed, keys = with_keys(frames)
    assert keys["PersonalID"].to_list() == ["10", "9", "B"]
    assert keys["EnrollmentID"].to_list() == ["e10", "e11", "e9"]
    assert keyed["Client"]["PersonalID"].to_list() == [1, 0, 2]  # rows keep their order
    assert keyed["Enrollment"].schema["EnrollmentID"] == KEY_TYPE
    assert keyed["Enrollment"]["EnrollmentID"].to_list() == [2, 0, 1]
    assert keyed["Enrollment"]["PersonalID"].to_list() == [1, 0, 2]
    assert keyed["Exit"].select("EnrollmentID", "PersonalID").row(0) == (1, 2)
    tables = HmisTables(keyed, keys=keys)
    for record in ("Client", "Enrollment", "Exit"):
        assert tables.decode(tables[record]).equals(frames[record]), record


def test_keys_drop_orphans_and_leave_unknown_people_null() -> None:
    frames = _frames(
        Client=[{"PersonalID": "p1"}],
        Enrollment=[
            {"EnrollmentID": "e1", "PersonalID": "p1"},
            {"EnrollmentID": "e2", "PersonalID": "gone"},
            {"EnrollmentID": None, "PersonalID": "p1"},  # invalid, but read: kept, as before keys
        ],
        Exit=[
            {"ExitID": "x1", "EnrollmentID": "e1", "PersonalID": "someone else"},
            {"ExitID": "x2", "EnrollmentID": "e2", "PersonalID": "gone"},
            {"ExitID": "x3", "EnrollmentID": "nowhere", "PersonalID": "p1"},
        ],
        Services=[
            {"EnrollmentID": "e2", "DateProvided": "2025-01-01"},
            {"EnrollmentID": "e1", "DateProvided": "2025-01-02"},
        ],
    )
    keyed, keys = with_keys(frames)
    assert keys["EnrollmentID"].to_list() == ["e1"]  # e2's client is not live: neither is e2
    assert keyed["Enrollment"].select("EnrollmentID", "PersonalID").rows() == [(0, 0), (None, 0)]
    assert keyed["Exit"].select("ExitID", "EnrollmentID", "PersonalID").rows() == [("x1", 0, None)]
    assert keyed["Services"].select("EnrollmentID", pl.col("DateProvided").dt.day()).rows() == [(0, 2)]
    tables = HmisTables(keyed, keys=keys)
    assert tables.encode(pl.DataFrame({"PersonalID": ["p1", "gone"]}))["PersonalID"].to_list() == [0, None]


def test_export_loads_keys(minimal: ExportBuilder, tmp_path: Path) -> None:
    tables = load_export(minimal.write_zip(tmp_path / "export.zip"))
    ids = sorted({r["PersonalID"] for r in minimal.rows["Client"]})
    assert tables.keys["PersonalID"].to_list() == ids
    assert tables["Client"].schema["PersonalID"] == KEY_TYPE
    assert sorted(tables.decode(tables["Enrollment"])["EnrollmentID"].to_list()) == sorted(
        r["EnrollmentID"] for r in minimal.rows["Enrollment"]
    )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> HmisTables:
    out = tmp_path_factory.mktemp("keys") / "export"
    generate(400, 11, out)
    return load_export(out)


@pytest.mark.parametrize("name", ["apr", "caper", "dq", "ce_apr"])
def test_reports_on_keys_equal_reports_on_ids(synthetic: HmisTables, name: str) -> None:
    """Every table and every cell's members are the same whether the input holds keys or the IDs."""
    as_ids = dataclasses.replace(
        synthetic, frames={record: synthetic.decode(frame) for record, frame in synthetic.frames.items()}, keys={}
    )
    assert as_ids["Enrollment"].schema["EnrollmentID"] == pl.String
    params = ReportParams.create(start="2025-10-01", end="2026-09-30")
    keyed = registry.get(name).run(synthetic, params)
    plain = registry.get(name).run(as_ids, params)
    assert {t: table.values for t, table in keyed.tables.items()} == {
        t: table.values for t, table in plain.tables.items()
    }
    assert keyed.members.schema["PersonalID"] == KEY_TYPE
    assert plain.members.schema["PersonalID"] == pl.String
    assert keyed.members.height > 500
    order = ["table", "row", "column", "PersonalID", "EnrollmentID"]
    assert keyed.member_ids().sort(order).equals(plain.members.sort(order))


def test_a_stored_run_keeps_its_keys_and_reads_a_cell_as_ids(synthetic: HmisTables, tmp_path: Path) -> None:
    from hearth.reports.cells import ReportResult, read_cell_members

    params = ReportParams.create(start="2025-10-01", end="2026-09-30")
    result = registry.get("dq").run(synthetic, params)
    folder = result.save(tmp_path / "run")
    assert sorted(p.name for p in folder.glob("keys-*")) == ["keys-EnrollmentID.parquet", "keys-PersonalID.parquet"]
    loaded = ReportResult.load(folder)
    assert loaded.members.equals(result.members)
    assert loaded.member_ids().equals(result.member_ids())
    cell = read_cell_members(folder, "Q1", "C2")
    assert cell.schema["PersonalID"] == pl.String
    assert sorted(cell["PersonalID"].to_list()) == result.cell_members("Q1", "C2")["PersonalID"].to_list()
    assert cell["PersonalID"].n_unique() == result.table("Q1")["C2"]
    # The same folder re-saved from IDs: no stale keys turn them into other people.
    plain = dataclasses.replace(result, members=result.member_ids(), keys={})
    plain.save(folder)
    assert not list(folder.glob("keys-*"))
    assert read_cell_members(folder, "Q1", "C2").sort("PersonalID").equals(cell.sort("PersonalID"))


def test_an_apr_run_is_reproducible(synthetic: HmisTables) -> None:
    """Its two halves run side by side (apr.report.compute); the result does not depend on which ends first:
    the same tables in the same order, the same cells, the same members (their rows' order is not part of a
    result: Polars' parallel joins do not keep one)."""
    params = ReportParams.create(start="2025-10-01", end="2026-09-30")
    first, second = (registry.get("apr").run(synthetic, params) for _ in range(2))
    assert list(first.tables) == list(second.tables)
    assert {t: table.values for t, table in first.tables.items()} == {
        t: table.values for t, table in second.tables.items()
    }
    order = ["table", "row", "column", "PersonalID", "EnrollmentID"]
    assert first.members.sort(order).equals(second.members.sort(order))


def test_an_error_in_either_half_of_an_apr_run_is_raised(
    synthetic: HmisTables, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hearth.reports.apr import q9, q27

    params = ReportParams.create(start="2025-10-01", end="2026-09-30")
    for module, name in ((q9, "q9"), (q27, "q27")):  # one in each half
        with monkeypatch.context() as patch:
            patch.setattr(module, name, _broken(name))
            with pytest.raises(RuntimeError, match=f"{name} broke"):
                registry.get("apr").run(synthetic, params)


def _broken(name: str) -> Callable[..., None]:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"{name} broke")

    return broken
