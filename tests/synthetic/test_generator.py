"""The synthetic CoC export: deterministic, exactly in HUD's FY2026 HMIS CSV form, and internally consistent.

One small export (300 clients, seed 7) is generated once per module and checked file by file; the rules are
the ones the HMIS CSV specification and the HMIS Data Standards set (each test names its data element).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import polars as pl

from hearth.spec import current
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG, STRING
from hearth.synthetic.generator import DEFAULT_END, GenerationSummary, generate
from tests.synthetic.helpers import CLIENTS, SEED

END = DEFAULT_END
SPEC = current()

# -- the files ---------------------------------------------------------------------------------------------


def test_same_arguments_give_the_same_bytes_and_another_seed_does_not(
    export: tuple[Path, GenerationSummary], tmp_path: Path
) -> None:
    out, _ = export
    again = tmp_path / "again"
    generate(CLIENTS, SEED, again)
    for rt in SPEC.record_types.values():
        assert (again / rt.filename).read_bytes() == (out / rt.filename).read_bytes(), rt.filename
    assert (again / "duplicates.csv").read_bytes() == (out / "duplicates.csv").read_bytes()
    other = tmp_path / "other"
    generate(CLIENTS, SEED + 1, other)
    assert (other / "Client.csv").read_bytes() != (out / "Client.csv").read_bytes()
    assert (other / "Enrollment.csv").read_bytes() != (out / "Enrollment.csv").read_bytes()


def test_zip_holds_the_same_24_files_at_its_root_and_the_truth_beside_it(
    export: tuple[Path, GenerationSummary], tmp_path: Path
) -> None:
    out, _ = export
    summary = generate(CLIENTS, SEED, tmp_path / "coc.zip")
    with zipfile.ZipFile(tmp_path / "coc.zip") as archive:
        assert archive.namelist() == [rt.filename for rt in SPEC.record_types.values()]
        for rt in SPEC.record_types.values():
            assert archive.read(rt.filename) == (out / rt.filename).read_bytes()
    assert summary.duplicates_path == tmp_path / "coc.duplicates.csv"
    assert summary.duplicates_path.read_bytes() == (out / "duplicates.csv").read_bytes()


def test_every_file_has_the_exact_spec_header_and_lf_line_endings(export: tuple[Path, GenerationSummary]) -> None:
    out, summary = export
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(rt.filename for rt in SPEC.record_types.values()), "duplicates.csv"]
    )
    for rt in SPEC.record_types.values():
        data = (out / rt.filename).read_bytes()
        assert data.split(b"\n", 1)[0].decode() == ",".join(rt.header)
        assert b"\r" not in data
        assert data.endswith(b"\n")
        assert data.count(b"\n") == summary.rows[rt.name] + 1


FIELD = re.compile(r'"(?:[^"]|"")*"|[^,"]*')
PATTERNS = {
    INTEGER: r"-?\d+",
    DATE: r"\d{4}-\d{2}-\d{2}",
    DATETIME: r"\d{4}-\d{2}-\d{2} (0[7-9]|1\d|2[01]):\d{2}:\d{2}",
    MONEY: r"-?\d+\.\d{2}",
    MONEY_NONNEG: r"\d+\.\d{2}",
    STRING: r'"(?:[^"]|"")*"',
}


def _fields(line: str) -> list[str]:
    fields, position = [], 0
    while True:
        match = FIELD.match(line, position)
        assert match is not None
        fields.append(match.group())
        position = match.end()
        if position == len(line):
            return fields
        assert line[position] == ","
        position += 1


def test_values_are_written_as_hud_writes_them(export: tuple[Path, GenerationSummary]) -> None:
    """Strings quoted, numbers, dates and date-times bare (times 07:00-21:59), money with two decimals."""
    out, _ = export
    for rt in SPEC.record_types.values():
        text = (out / rt.filename).read_text(encoding="utf-8")
        assert not re.search(r"[<>\[\]{}]", text), rt.filename  # characters HUD's Eva rejects (check 134)
        lines = text.splitlines()[1:]
        for line in lines[:400]:
            fields = _fields(line)
            assert len(fields) == len(rt.columns), rt.filename
            for column, text in zip(rt.columns, fields, strict=True):
                if text == "" or (rt.name, column.name) == ("Export", "ExportDate"):
                    continue
                assert re.fullmatch(PATTERNS[column.type], text), (rt.filename, column.name, text)


def test_one_export_row_whose_id_every_row_carries(frames: dict[str, pl.DataFrame]) -> None:
    export_row = frames["Export"]
    assert export_row.height == 1
    row = export_row.row(0, named=True)
    assert row["SourceType"] == 1
    assert row["SourceID"] == "XX-501;XX-502"
    assert row["CSVVersion"] == "2026 v1.0"
    assert (row["ExportPeriodType"], row["ExportDirective"], row["HashStatus"]) == (4, 2, 1)
    assert row["SoftwareName"] == "Hearth synthetic data"
    assert row["ExportDate"] == dt.datetime.fromisoformat("2026-09-30 23:00:00")
    assert (row["ExportStartDate"], row["ExportEndDate"]) == (dt.date(2022, 10, 1), END)
    for name, frame in frames.items():
        if name != "Export":
            assert frame["ExportID"].unique().to_list() in ([row["ExportID"]], []), name


def test_required_columns_are_filled_and_coded_columns_hold_their_lists(frames: dict[str, pl.DataFrame]) -> None:
    """Non-null columns always have a value; coded ones only values of their list (with its exclusions, or the
    list another column selects: DisabilityResponse by DisabilityType, TypeProvided by RecordType)."""
    checked = 0
    for name, rt in SPEC.record_types.items():
        frame = frames[name]
        for column in rt.columns:
            if not column.nullable:
                assert frame[column.name].null_count() == 0, (name, column.name)
            if not column.lists:
                continue
            rules = SPEC.rules_for(name, column.name)
            selects = [r for r in rules if r.kind == "select"]
            parts: list[tuple[pl.Expr, frozenset[object]]] = []
            if not selects:
                parts.append((pl.lit(True), SPEC.allowed_values(column)))
            for rule in selects:
                assert rule.when_column is not None
                parts.append((pl.col(rule.when_column) == rule.when_value, SPEC.allowed_values(column, rule.list_id)))
            for rule in rules:
                if rule.kind == "otherwise":
                    chosen = [r.when_value for r in selects]
                    assert selects[0].when_column is not None
                    parts.append(
                        (~pl.col(selects[0].when_column).is_in(chosen), SPEC.allowed_values(column, rule.list_id))
                    )
            for where, allowed in parts:
                values = set(frame.filter(where)[column.name].drop_nulls().unique().to_list())
                assert values <= set(allowed), (name, column.name, values - set(allowed))
                checked += 1
    assert checked > 150


def test_hearths_validator_finds_no_error_or_warning(tmp_path: Path) -> None:
    """Every rule Hearth's importer applies (spec columns, lists, conditions, references, households, dates,
    bed nights) passes; in a folder export the importer would only mention duplicates.csv as a file it skips."""
    from hearth.exchange.validate import validate_export

    generate(CLIENTS, SEED, tmp_path / "coc.zip")
    report = validate_export(tmp_path / "coc.zip")
    assert [(i.severity, i.file, i.column, i.rule) for i in report.log.issues()] == []
    assert report.rows["Client"] == CLIENTS
