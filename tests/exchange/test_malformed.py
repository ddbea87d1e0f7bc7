"""Malformed input gets a clear message naming the file and row — never a traceback, never a partial write."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from hearth.exchange.models import RunStatus
from tests.builders import CsvStyle, ExportBuilder
from tests.exchange.helpers import do_import, hud_row_count, kinds

pytestmark = pytest.mark.django_db


def _messages(outcome: object) -> list[str]:
    return [i.message for i in outcome.log.issues()]  # type: ignore[attr-defined]


def _replace(zip_path: Path, name: str, data: bytes) -> Path:
    files = {}
    with zipfile.ZipFile(zip_path) as archive:
        for member in archive.namelist():
            files[member] = archive.read(member)
    files[name] = data
    with zipfile.ZipFile(zip_path, "w") as archive:
        for member, content in files.items():
            archive.writestr(member, content)
    return zip_path


def test_windows_1252_bytes_are_located(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    data = minimal.csv_bytes("Organization").replace(b"Harbor Light", b"Harbor \x92s Light")
    outcome = do_import(_replace(path, "Organization.csv", data))
    assert outcome.status == RunStatus.REJECTED
    assert ("error", "Organization.csv", "", "file.malformed") in kinds(outcome)
    assert any("line 2: byte 0x92 is not valid UTF-8" in m and "Windows-1252" in m for m in _messages(outcome))
    assert hud_row_count() == 0


@pytest.mark.parametrize("options", [{"bom": True}, {"crlf": True}, {"quote_all": True}, {"bom": True, "crlf": True}])
def test_bom_crlf_and_quoting_styles_are_read(tmp_path: Path, minimal: ExportBuilder, options: CsvStyle) -> None:
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip", **options))
    assert outcome.ok, outcome.log.summary_lines()
    assert outcome.log.summary_lines() == []
    assert outcome.counts["Client"].inserted == 3


def test_stray_quote_is_located(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    data = minimal.csv_bytes("Project").replace(b"Night Shelter", b'Night "Shelter')
    outcome = do_import(_replace(path, "Project.csv", data))
    assert outcome.status == RunStatus.REJECTED
    assert 'Project.csv row 3 (line 3) is not valid CSV: a quote mark inside a value must be doubled ("")' in " ".join(
        _messages(outcome)
    )


def test_unclosed_quote_is_located(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    data = minimal.csv_bytes("User").replace(b"Pat,", b'"Pat,', 1)
    outcome = do_import(_replace(path, "User.csv", data))
    assert outcome.status == RunStatus.REJECTED
    assert "User.csv row 2 is not valid CSV: a quoted value is never closed" in outcome.message or any(
        "User.csv row 2" in m for m in _messages(outcome)
    )


def test_row_with_more_fields_than_the_header(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    data = minimal.csv_bytes("Client").replace(b"Carter,", b"Carter,extra,", 1)
    outcome = do_import(_replace(path, "Client.csv", data))
    assert outcome.status == RunStatus.REJECTED
    assert any("Client.csv row 4 (line 4) has 39 fields but the header has 38" in m for m in _messages(outcome))


def test_row_with_fewer_fields_than_the_header(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    lines = minimal.csv_bytes("Funder").split(b"\n")
    lines[2] = lines[2].rsplit(b",", 3)[0]
    outcome = do_import(_replace(path, "Funder.csv", b"\n".join(lines)))
    assert outcome.status == RunStatus.REJECTED
    assert ("error", "Funder.csv", "ExportID", "row.short") in kinds(outcome)


def test_truncated_zip(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    outcome = do_import(path)
    assert outcome.status == RunStatus.REJECTED
    assert "export.zip is not a readable zip file: it is truncated or damaged" in outcome.message


def test_damaged_member_is_named(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("Client.csv")
    start = info.header_offset + 30 + len(info.filename) + 5
    data[start : start + 20] = b"\x00" * 20
    path.write_bytes(bytes(data))
    outcome = do_import(path)
    assert outcome.status == RunStatus.REJECTED
    assert "Client.csv in export.zip cannot be read" in outcome.message


def test_zip_inside_a_zip_is_opened_one_level(tmp_path: Path, minimal: ExportBuilder) -> None:
    inner = minimal.write_zip(tmp_path / "inner.zip")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, "export.zip")
    outcome = do_import(outer)
    assert outcome.ok
    assert ("warning", "", "", "input.nested_zip") in kinds(outcome)


def test_csv_files_in_a_folder_inside_the_zip(tmp_path: Path, minimal: ExportBuilder) -> None:
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip", prefix="Export 2025/"))
    assert outcome.ok
    assert ("warning", "", "", "input.nested_folder") in kinds(outcome)


def test_files_spread_over_folders_are_refused(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "export.zip", prefix="a/", extra=[("b/Client.csv", b"PersonalID\n")])
    outcome = do_import(path)
    assert outcome.status == RunStatus.REJECTED
    assert "holds CSV files in several folders (a, b)" in outcome.message


def test_empty_file(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = _replace(minimal.write_zip(tmp_path / "export.zip"), "Event.csv", b"")
    outcome = do_import(path)
    assert outcome.status == RunStatus.REJECTED
    assert ("error", "Event.csv", "", "file.empty") in kinds(outcome)


def test_missing_file(tmp_path: Path, minimal: ExportBuilder) -> None:
    outcome = do_import(minimal.drop_file("Inventory").write_zip(tmp_path / "export.zip"))
    assert outcome.status == RunStatus.REJECTED
    assert ("error", "Inventory.csv", "", "file.missing") in kinds(outcome)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Client.csv", b"PersonalID\n", "Client.csv is a single CSV file"),
        ("export.xlsx", b"PK\x03\x04 not really", "export.xlsx is not a .zip file or a folder"),
        ("empty.zip", b"", "empty.zip is empty (0 bytes)."),
        ("notes.zip", b"plain text", "notes.zip is not a readable zip file"),
    ],
)
def test_wrong_kind_of_file(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    outcome = do_import(path)
    assert outcome.status == RunStatus.REJECTED
    assert outcome.message.startswith(expected)


def test_zip_without_members(tmp_path: Path) -> None:
    path = tmp_path / "hollow.zip"
    zipfile.ZipFile(path, "w").close()
    assert do_import(path).message == "hollow.zip is an empty zip file."


def test_password_protected_zip(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "locked.zip")
    data = bytearray(path.read_bytes())
    # Set the "encrypted" bit of the general-purpose flags in every central directory entry.
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        data[start + 8] |= 0x1
        start += 4
    path.write_bytes(bytes(data))
    assert "password-protected" in do_import(path).message


def test_headers_are_matched_case_insensitively(tmp_path: Path, minimal: ExportBuilder) -> None:
    minimal.rename_column("Enrollment", "HOHLeaseholder", "HoHLeaseholder")
    minimal.rename_column("Client", "PersonalID", "personalid")
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert outcome.ok
    assert ("warning", "Enrollment.csv", "HOHLeaseholder", "header.spelling") in kinds(outcome)
    assert ("warning", "Client.csv", "PersonalID", "header.spelling") in kinds(outcome)


def test_unknown_and_missing_columns_are_named(tmp_path: Path, minimal: ExportBuilder) -> None:
    minimal.header_override["Event"] = [h for h in minimal.spec.record("Event").header if h != "ResultDate"] + ["Extra"]
    minimal.header_override["Project"] = [h for h in minimal.spec.record("Project").header if h != "ProjectName"]
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert outcome.status == RunStatus.REJECTED
    found = kinds(outcome)
    assert ("warning", "Event.csv", "Extra", "header.unknown") in found
    assert ("warning", "Event.csv", "ResultDate", "header.missing") in found
    assert ("error", "Project.csv", "ProjectName", "header.missing") in found
    # The missing required column is reported once in the header, not again for every row.
    assert ("error", "Project.csv", "ProjectName", "required") not in found


def test_duplicate_header(tmp_path: Path, minimal: ExportBuilder) -> None:
    minimal.header_override["User"] = [*minimal.spec.record("User").header, "userid"]
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert ("error", "User.csv", "userid", "header.duplicate") in kinds(outcome)


def test_not_enough_disk_to_unpack(tmp_path: Path, minimal: ExportBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    monkeypatch.setattr(shutil, "disk_usage", lambda _: shutil._ntuple_diskusage(10, 10, 10))
    outcome = do_import(path)
    assert outcome.status == RunStatus.REJECTED
    assert "of disk is free" in outcome.message
    assert "set TMPDIR" in outcome.message


def test_large_files_stream_in_batches_with_exact_row_numbers(
    tmp_path: Path, minimal: ExportBuilder, settings: pytest.FixtureRequest
) -> None:
    settings.HEARTH_IMPORT_BATCH_ROWS = 500  # type: ignore[attr-defined]
    template = minimal.row("Services", "S1")
    minimal.rows["Services"] = [dict(template, ServicesID=f"S{n}", DateProvided="2025-01-10") for n in range(1, 2001)]
    minimal.rows["Services"][1499]["RecordType"] = "x"
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert outcome.status == RunStatus.REJECTED
    assert [(i.row, i.rule) for i in outcome.log.issues() if i.file == "Services.csv"] == [(1501, "type.integer")]
    minimal.rows["Services"][1499]["RecordType"] = "200"
    outcome = do_import(minimal.write_zip(tmp_path / "export2.zip"))
    assert outcome.ok
    assert outcome.counts["Services"].inserted == 2000
