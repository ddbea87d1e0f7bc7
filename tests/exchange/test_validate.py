"""hearth validate: every rule of the spec, plus HUD's Eva file-structure checks by ID."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hearth.exchange.validate import validate_export
from hearth.hmis.registry import hud_models
from tests.builders import ExportBuilder

EVA_FILE_STRUCTURE = {
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    47,
    48,
    49,
    50,
    51,
    52,
    53,
    54,
    55,
    82,
    98,
    101,
    122,
    124,
    125,
    126,
    127,
    134,
    140,
}


def failed(report: object) -> set[int]:
    return {r.id for r in report.eva if not r.passed}  # type: ignore[attr-defined]


def test_every_eva_file_structure_check_is_judged(tmp_path: Path, minimal: ExportBuilder) -> None:
    report = validate_export(minimal.write_zip(tmp_path / "export.zip"))
    assert {r.id for r in report.eva} == EVA_FILE_STRUCTURE
    assert failed(report) == {126}  # unhashed: Eva takes only SHA-256 hashed exports
    check = next(r for r in report.eva if r.id == 140)
    assert (check.severity, check.issue) == ("High Priority", "Export.csv contains more than one row")
    assert check.guidance.startswith("Export.csv describes the export itself")


CASES = [
    ("folder", lambda b, p: b.write_folder(p / "export"), {126, 127}),
    ("nested-folder", lambda b, p: b.write_zip(p / "e.zip", prefix="x/"), {122, 126}),
    ("missing-file", lambda b, p: b.drop_file("Event").write_zip(p / "e.zip"), {125, 126}),
    ("fy2024-version", lambda b, p: b.set("Export", "EXP1", CSVVersion="2024 v1.3").write_zip(p / "e.zip"), {124, 126}),
    (
        "two-export-rows",
        lambda b, p: b.add("Export", **dict(b.row("Export", "EXP1"), ExportID="EXP0")) and b.write_zip(p / "e.zip"),
        {126, 140},
    ),
    ("duplicate-client", lambda b, p: b.set("Client", "C3", PersonalID="C2").write_zip(p / "e.zip"), {7, 9, 126}),
    ("unknown-project", lambda b, p: b.set("Enrollment", "E3", ProjectID="P9").write_zip(p / "e.zip"), {10, 126}),
    ("export-id", lambda b, p: b.set("Client", "C1", ExportID="X").write_zip(p / "e.zip"), {49, 126}),
    ("bad-destination", lambda b, p: b.set("Exit", "X1", Destination=999).write_zip(p / "e.zip"), {54, 126}),
    ("bad-client-value", lambda b, p: b.set("Client", "C1", VeteranStatus=5).write_zip(p / "e.zip"), {50, 126}),
    ("characters", lambda b, p: b.set("Project", "P1", ProjectName="A [B]").write_zip(p / "e.zip"), {126, 134}),
    ("date-format", lambda b, p: b.set("Enrollment", "E1", EntryDate="11/01/2024").write_zip(p / "e.zip"), {11, 126}),
    ("header-case", lambda b, p: b.rename_column("Client", "DOB", "Dob").write_zip(p / "e.zip"), {12, 126}),
    ("household-reused", lambda b, p: b.set("Enrollment", "E3", HouseholdID="HH1").write_zip(p / "e.zip"), {98, 126}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("make", "expected"), [pytest.param(c[1], c[2], id=c[0]) for c in CASES])
def test_eva_checks_fail_for_their_problem(
    tmp_path: Path, minimal: ExportBuilder, make: object, expected: set[int]
) -> None:
    path = make(minimal, tmp_path)  # type: ignore[operator]
    assert failed(validate_export(path)) == expected
    assert sum(m.objects.count() for m in hud_models()) == 0


@pytest.mark.django_db
def test_command_reports_and_exits_nonzero_on_errors(
    tmp_path: Path, minimal: ExportBuilder, capsys: pytest.CaptureFixture[str]
) -> None:
    good = minimal.write_zip(tmp_path / "good.zip")
    call_command("validate", str(good), "--no-progress")
    out = capsys.readouterr().out
    assert "FY2026 export, 35 rows in 24 files" in out
    assert "FAIL  126  High Priority Unhashed or non-SHA256 Hashed HMIS CSV Export" in out
    assert "Valid: 0 errors, 0 warnings." in out
    with pytest.raises(CommandError, match="1 Eva High Priority failures"):
        call_command("validate", str(good), "--no-progress", "--for-eva")
    bad = minimal.set("Client", "C1", DOB="1985-02-30").write_zip(tmp_path / "bad.zip")
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match=r"Not valid: 1 errors"):
        call_command("validate", str(bad), "--no-progress", "--report", str(report))
    assert "Client.csv,2,DOB,(hidden: personal data),type.date" in report.read_text()
