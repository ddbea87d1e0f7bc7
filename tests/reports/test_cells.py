"""Report results: counted cells keep their members in one long frame; Sage CSVs keep HUD's cell positions."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import polars as pl
import pytest

from hearth.reports.cells import ReportBuilder, ReportResult, letter, split_address
from hearth.reports.params import ParamsError, ReportParams
from hearth.reports.sage import cell_text, write_sage

PARAMS = ReportParams(dt.date(2025, 10, 1), dt.date(2026, 9, 30), ("P1",))


def _members(*pairs: tuple[str, str]) -> pl.DataFrame:
    return pl.DataFrame(pairs, schema={"PersonalID": pl.String, "EnrollmentID": pl.String}, orient="row")


def _result() -> ReportResult:
    builder = ReportBuilder("test", PARAMS)
    table = builder.table("Q9", "Test table", ["Count", "Percent"], ["Everyone", "Adults", 'A "quoted" row'])
    # One client with two enrollments: counted once by person.
    table.count("B2", _members(("C1", "E1"), ("C1", "E2"), ("C2", "E3"), ("C3", "E4")).lazy())
    table.count("B3", _members(("C1", "E1"), ("C1", "E1")))
    table.count("B4", _members(("C1", "E1"), ("C1", "E2")), unit="EnrollmentID")
    table.percent("C3", "B3", "B2")
    table.set("C4", None)
    return builder.finish()


def test_counts_distinct_units_and_derives_percentages() -> None:
    q9 = _result().table("Q9")
    assert q9["B2"] == 3
    assert q9["B3"] == 1
    assert q9["B4"] == 2
    assert q9["C3"] == pytest.approx(1 / 3)
    assert q9["C2"] == 0  # never filled: zero, as Sage wants
    assert q9["C4"] is None  # a blank cell
    assert q9.format_of("C3") == "percent"


def test_members_are_one_long_frame_per_run() -> None:
    result = _result()
    assert result.members.columns == ["table", "row", "column", "PersonalID", "EnrollmentID"]
    assert result.members.height == 4 + 1 + 2  # duplicates within a cell dropped
    assert result.cell_members("Q9", "B3").rows() == [("C1", "E1")]
    assert result.cell_members("Q9", "B2")["PersonalID"].to_list() == ["C1", "C1", "C2", "C3"]
    assert result.cell_members("Q9", "C3").height == 0


def test_a_run_without_duplicates_keeps_every_member_and_counts_each_unit() -> None:
    builder = ReportBuilder("test", PARAMS)
    table = builder.table("Q9", "Test table", ["Count"], ["People", "Enrollments"])
    # A client with two enrollments is two members of one cell, not a duplicate.
    table.count("B2", _members(("C1", "E1"), ("C1", "E2"), ("C2", "E3")))
    table.count("B3", _members(("C1", "E1"), ("C1", "E2"), ("C2", "E3")), unit="EnrollmentID")
    result = builder.finish()
    assert (result.table("Q9")["B2"], result.table("Q9")["B3"]) == (2, 3)
    assert result.members.height == 6
    assert result.cell_members("Q9", "B2").rows() == [("C1", "E1"), ("C1", "E2"), ("C2", "E3")]


def test_cells_proven_distinct_in_order_and_the_others_count_alike() -> None:
    """Integer keys: a cell whose rows are one run with increasing PersonalID is counted by its rows; any other
    cell (a client twice, rows out of order, the cell in two runs with a repeated row) by the group-by — the
    same counts and members either way, and a repeated row dropped."""

    def keyed(rows: list[tuple[int, int, int]]) -> pl.DataFrame:
        return pl.DataFrame(
            rows, schema={"__cell": pl.UInt32, "PersonalID": pl.UInt32, "EnrollmentID": pl.UInt32}, orient="row"
        )

    builder = ReportBuilder("test", PARAMS)
    table = builder.table("T", "T", ["A", "B", "C", "D", "E"], ["Row"])
    table.count_many(keyed([(0, 1, 10), (0, 2, 20), (0, 5, 50)]), ["B2"])  # proven: 3
    table.count_many(keyed([(0, 1, 10), (0, 1, 11), (0, 2, 20)]), ["C2"])  # a client twice: 2 people
    table.count_many(keyed([(0, 1, 10), (0, 1, 11), (0, 2, 20)]), ["D2"], unit="EnrollmentID")  # 3 enrollments
    # E2 in two runs (F2 between them) repeating (7, 70); F2 descending but distinct.
    table.count_many(keyed([(0, 7, 70), (1, 9, 90), (1, 3, 30), (0, 8, 80), (0, 7, 70)]), ["E2", "F2"])
    result = builder.finish()
    assert result.table("T").values == {"B2": 3, "C2": 2, "D2": 3, "E2": 2, "F2": 2}
    cells = result.members.select(pl.col("column").cast(pl.String), "PersonalID", "EnrollmentID").rows()
    assert sorted(cells) == sorted(
        [("B", 1, 10), ("B", 2, 20), ("B", 5, 50), ("C", 1, 10), ("C", 1, 11), ("C", 2, 20), ("D", 1, 10),
         ("D", 1, 11), ("D", 2, 20), ("E", 7, 70), ("E", 8, 80), ("F", 9, 90), ("F", 3, 30)]
    )  # fmt: skip


def test_cells_outside_the_shell_are_refused() -> None:
    builder = ReportBuilder("test", PARAMS)
    table = builder.table("Q1", "T", ["A count"], ["One row"])
    with pytest.raises(ValueError, match="Q1 has no cell C2"):
        table.set("C2", 1)
    with pytest.raises(ValueError, match="Q1 has no cell B3"):
        table.count("B3", _members())


def test_save_and_load_keep_the_run(tmp_path: Path) -> None:
    result = _result()
    loaded = ReportResult.load(result.save(tmp_path / "run"))
    assert loaded.params == PARAMS
    assert loaded.table("Q9").values == result.table("Q9").values
    assert loaded.members.equals(result.members)


def test_sage_zip_keeps_positions_quotes_text_and_writes_decimals(tmp_path: Path) -> None:
    path = write_sage(_result(), tmp_path / "out.zip")
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["Q9.csv"]
        text = archive.read("Q9.csv").decode("utf-8")
    assert text.split("\r\n") == [
        '"","Count","Percent"',
        '"Everyone",3,0',
        '"Adults",1,0.3333',
        '"A ""quoted"" row",2,',
        "",
    ]


def test_cell_text_formats() -> None:
    assert cell_text(0.77777, "percent") == "0.7778"
    assert cell_text(1234.5, "money") == "1234.50"
    assert cell_text(12.0) == "12"
    assert cell_text(None) == ""


def test_addresses_and_letters() -> None:
    assert [letter(i) for i in (0, 1, 24, 25)] == ["B", "C", "Z", "AA"]
    assert split_address("AA12") == ("AA", 12)
    with pytest.raises(ValueError, match="not a cell address"):
        split_address("12")


def test_params_refuse_an_end_before_the_start() -> None:
    with pytest.raises(ParamsError, match="before its start"):
        ReportParams.create(start="2026-01-02", end="2026-01-01")
    with pytest.raises(ParamsError, match="yyyy-mm-dd"):
        ReportParams.create(start="01/02/2026", end="2026-01-01")


def test_count_where_and_tabulate_count_each_cell_from_one_frame() -> None:
    from hearth.reports.counting import count_where, tabulate

    builder = ReportBuilder("test", PARAMS)
    frame = pl.DataFrame(
        {"PersonalID": ["1", "2", "3", "3"], "EnrollmentID": ["e1", "e2", "e3", "e4"], "age": [10, 30, None, 40]}
    )
    where = builder.table("W", "count_where", ["Count"], ["Everyone", "Everyone again", "Adults", "Heading", "None"])
    # A literal condition (everyone) counts every row of the frame, not one; null conditions count nowhere.
    count_where(
        where,
        frame,
        {
            "B2": pl.lit(True),
            "B3": pl.repeat(True, pl.len()),
            "B4": pl.col("age") >= 18,
            "B5": None,
            "B6": pl.col("age") > 99,
        },
    )
    grid = builder.table("G", "tabulate", ["Adults", "All"], ["Children", "Adults"])
    tabulate(
        grid, frame, {2: pl.col("age") < 18, 3: pl.col("age") >= 18}, {"B": pl.col("age") >= 18, "C": pl.lit(True)}
    )
    result = builder.finish()
    assert result.table("W").values == {"B2": 3, "B3": 3, "B4": 2, "B5": None, "B6": 0}
    assert result.table("G").values == {"B2": 0, "C2": 1, "B3": 2, "C3": 2}
    assert result.cell_members("W", "B4").rows() == [("2", "e2"), ("3", "e4")]
    assert result.cell_members("G", "C2").rows() == [("1", "e1")]
    assert result.cell_members("W", "B6").height == 0


def test_tabulate_crosses_rows_and_columns_counts_units_and_leaves_headings_blank() -> None:
    from hearth.reports.counting import count_where, tabulate

    builder = ReportBuilder("test", PARAMS)
    frame = pl.DataFrame(
        {
            "PersonalID": ["1", "1", "2", "3", "4"],
            "EnrollmentID": ["e1", "e2", "e3", "e4", "e5"],
            "age": [30, 30, 10, None, 50],
            "vet": [1, 1, 0, 1, None],
        }
    )
    grid = builder.table("G", "grid", ["All", "Veterans", "Not"], ["Heading", "Adults", "Children", "Everyone"])
    rows = {2: None, 3: pl.col("age") >= 18, 4: pl.col("age") < 18, 5: pl.lit(True)}
    columns = {"B": pl.lit(True), "C": pl.col("vet") == 1, "D": pl.col("vet") == 0}
    tabulate(grid, frame, rows, columns, unit="EnrollmentID")
    clients = builder.table("P", "people", ["Adults", "Veterans"], ["Everyone"])
    tabulate(clients, frame, {2: pl.lit(True)}, {"B": pl.col("age") >= 18, "C": pl.col("vet") == 1})
    empty = builder.table("E", "empty", ["All"], ["Heading", "Everyone"])
    tabulate(empty, frame.clear(), {2: None, 3: pl.lit(True)}, {"B": pl.lit(True)})
    nothing = builder.table("N", "nothing", ["All"], ["Everyone"])
    count_where(nothing, frame.clear(), {"B2": pl.lit(True)})
    result = builder.finish()
    # A null condition (unknown age, unknown veteran status) counts in no row or column but "everyone".
    assert result.table("G").values == {
        "B2": None, "C2": None, "D2": None,
        "B3": 3, "C3": 2, "D3": 0,
        "B4": 1, "C4": 0, "D4": 1,
        "B5": 5, "C5": 3, "D5": 1,
    }  # fmt: skip
    assert result.table("P").values == {"B2": 2, "C2": 2}  # clients: person 1's two enrollments count once
    assert result.cell_members("G", "C5").rows() == [("1", "e1"), ("1", "e2"), ("3", "e4")]
    assert result.cell_members("G", "D4").rows() == [("2", "e3")]
    assert result.table("E").values == {"B2": None, "B3": 0}
    assert result.table("N").values == {"B2": 0}
    assert result.cell_members("E", "B3").height == 0


def test_tables_opened_in_any_order_finish_in_the_order_given() -> None:
    """Tables opened from several threads (the APR's two halves) arrive in any order; the run must not depend
    on it: ``in_order`` fixes the tables' order, hence the cell numbering and the members' rows."""

    def run(opening: list[str]) -> ReportResult:
        builder = ReportBuilder("test", PARAMS)
        for name in opening:
            table = builder.table(name, name, ["Count"], ["Everyone"])
            table.count("B2", _members((f"{name}-person", f"{name}-enrollment")))
        builder.in_order(["Q1", "Q2", "Q3"])
        return builder.finish()

    forward, backward = run(["Q1", "Q2", "Q3"]), run(["Q3", "Q1", "Q2"])
    assert list(backward.tables) == ["Q1", "Q2", "Q3"]
    assert backward.members.equals(forward.members)
    assert backward.members["PersonalID"].to_list() == ["Q1-person", "Q2-person", "Q3-person"]


def test_a_table_opened_twice_is_refused() -> None:
    builder = ReportBuilder("test", PARAMS)
    builder.table("Q1", "Q1", ["Count"], ["Everyone"])
    with pytest.raises(ValueError, match="Q1 is built twice"):
        builder.table("Q1", "Q1", ["Count"], ["Everyone"])
