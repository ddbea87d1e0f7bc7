"""Loading a report's input: from an export (zip or folder, FY2026), from frames, restricted to projects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from hearth.reports.tables import HmisTables, ReportInputError, load_export
from tests.builders import ExportBuilder


def test_load_export_types_columns_and_drops_deleted(minimal: ExportBuilder, tmp_path: Path) -> None:
    enrollment = minimal.rows["Enrollment"][0]
    minimal.add("Enrollment", **{**enrollment, "EnrollmentID": "E-GONE", "DateDeleted": "2025-01-02 10:00:00"})
    tables = load_export(minimal.write_zip(tmp_path / "export.zip"))
    frame = tables.decode(tables["Enrollment"])
    assert frame.schema["EntryDate"] == pl.Date
    assert frame.schema["RelationshipToHoH"] == pl.Int64
    assert frame.schema["DateCreated"] == pl.Datetime("us", "UTC")
    assert "E-GONE" not in frame["EnrollmentID"].to_list()  # the IDs, decoded
    assert frame.height == len(minimal.rows["Enrollment"]) - 1
    assert "DateDeleted" not in frame.columns
    assert tables["IncomeBenefits"].schema["TotalMonthlyIncome"] == pl.Float64
    assert tables.source == "export.zip"


def test_load_export_refuses_bad_dates_naming_file_row_and_column(minimal: ExportBuilder, tmp_path: Path) -> None:
    key = minimal.rows["Enrollment"][0]["EnrollmentID"]
    minimal.set("Enrollment", key, EntryDate="not a date")
    with pytest.raises(ReportInputError) as caught:
        load_export(minimal.write_folder(tmp_path / "export"))
    message = str(caught.value)
    assert "Enrollment.csv row 2 EntryDate" in message
    assert "not a date" not in message  # values are never repeated


def test_load_export_ignores_problems_in_columns_reports_do_not_read(minimal: ExportBuilder, tmp_path: Path) -> None:
    pid = minimal.rows["Client"][0]["PersonalID"]
    minimal.set("Client", pid, YearEnteredService="nineteen")
    tables = load_export(minimal.write_folder(tmp_path / "export"))
    assert tables["Client"].height == len(minimal.rows["Client"])


def test_load_export_needs_enrollments(minimal: ExportBuilder, tmp_path: Path) -> None:
    with pytest.raises(ReportInputError, match=r"has no Enrollment\.csv"):
        load_export(minimal.drop_file("Enrollment").write_zip(tmp_path / "export.zip"))


def test_from_frames_parses_text_and_fills_absent_records() -> None:
    tables = HmisTables.from_frames(
        Enrollment=[{"EnrollmentID": "E1", "PersonalID": "C1", "ProjectID": "P1", "EntryDate": "2025-01-31"}]
    )
    assert tables["Enrollment"]["EntryDate"].to_list() == [dt.date(2025, 1, 31)]
    assert tables["Enrollment"]["MoveInDate"].to_list() == [None]
    assert tables["Exit"].height == 0
    assert tables["Exit"].schema["ExitDate"] == pl.Date
    with pytest.raises(ValueError, match="Clients"):
        HmisTables.from_frames(Clients=[])


def test_for_projects_keeps_the_projects_rows_only() -> None:
    tables = HmisTables.from_frames(
        Organization=[{"OrganizationID": "O1"}, {"OrganizationID": "O2"}],
        Project=[{"ProjectID": "P1", "OrganizationID": "O1"}, {"ProjectID": "P2", "OrganizationID": "O2"}],
        Client=[{"PersonalID": "C1"}, {"PersonalID": "C2"}, {"PersonalID": "C3"}],
        Enrollment=[
            {"EnrollmentID": "E1", "PersonalID": "C1", "ProjectID": "P1"},
            {"EnrollmentID": "E2", "PersonalID": "C2", "ProjectID": "P2"},
            {"EnrollmentID": "E3", "PersonalID": "C1", "ProjectID": "P2"},
        ],
        Exit=[{"ExitID": "X1", "EnrollmentID": "E1"}, {"ExitID": "X2", "EnrollmentID": "E2"}],
        Funder=[{"FunderID": "F1", "ProjectID": "P1"}, {"FunderID": "F2", "ProjectID": "P2"}],
    )
    one = tables.for_projects(["P1"])
    assert one["Project"]["ProjectID"].to_list() == ["P1"]
    assert one["Enrollment"]["EnrollmentID"].to_list() == ["E1"]
    assert one["Exit"]["ExitID"].to_list() == ["X1"]
    assert one["Client"]["PersonalID"].to_list() == ["C1"]
    assert one["Funder"]["FunderID"].to_list() == ["F1"]
    assert one["Organization"]["OrganizationID"].to_list() == ["O1"]
    assert tables.for_projects([]) is tables


def test_from_frames_keeps_row_counts_when_columns_are_absent() -> None:
    """An empty list is an empty table; rows without any report column keep their number (no literal row)."""
    tables = HmisTables.from_frames(Exit=[], Affiliation=pl.DataFrame({"Other": [1, 2]}))
    assert tables["Exit"].height == 0
    assert tables["Affiliation"].height == 2
    assert tables["Affiliation"]["ProjectID"].to_list() == [None, None]


def test_load_export_reads_fy2024_through_hud_changes() -> None:
    """The FY2023 Data Lab kit's records as FY2024 CSV load with the same rows as their FY2026 conversion."""
    from tests.conftest import shared_path

    fy2024 = load_export(shared_path("testkits", "datalab-testkit-input-fy2024-fy2026-csv", "in", "merged", "source"))
    fy2026 = load_export(shared_path("hmis-csv-samples", "greenriver-fy2026-datalab-converted"))
    assert fy2024.rows == fy2026.rows
    assert fy2024.rows["Enrollment"] == 574
    assert fy2024["Client"]["Sex"].null_count() == fy2024["Client"].height  # FY2026 added it: empty
    assert (
        fy2024.decode(fy2024["Enrollment"])
        .select("EnrollmentID", "LivingSituation")
        .sort("EnrollmentID")
        .equals(fy2026.decode(fy2026["Enrollment"]).select("EnrollmentID", "LivingSituation").sort("EnrollmentID"))
    )


def test_load_export_names_the_first_problems_and_counts_the_rest(minimal: ExportBuilder, tmp_path: Path) -> None:
    base = minimal.rows["Enrollment"][0]
    for n in range(7):
        minimal.add("Enrollment", **{**base, "EnrollmentID": f"E-BAD{n}", "EntryDate": f"2025-13-0{n + 1}"})
    with pytest.raises(ReportInputError) as caught:
        load_export(minimal.write_folder(tmp_path / "export"))
    message = str(caught.value)
    assert message.count("Enrollment.csv row") == 5
    assert "(and 2 more; `hearth validate` lists them all)" in message
    assert "2025-13" not in message


def test_a_deleted_clients_enrollments_are_not_reported(minimal: ExportBuilder, tmp_path: Path) -> None:
    """A client deleted (DateDeleted) while their enrollment rows were not: the enrollments and what hangs on
    them (exit, services, …) leave the report input with the client."""
    enrollment = minimal.rows["Enrollment"][0]
    pid, eid = enrollment["PersonalID"], enrollment["EnrollmentID"]
    minimal.set("Client", pid, DateDeleted="2025-01-20 10:00:00")
    tables = load_export(minimal.write_zip(tmp_path / "export.zip"))
    frames = {record: tables.decode(frame) for record, frame in tables.frames.items()}
    assert pid not in frames["Client"]["PersonalID"].to_list()
    assert pid not in frames["Enrollment"]["PersonalID"].to_list()
    for record in ("Exit", "Services", "IncomeBenefits", "Disabilities"):
        assert eid not in frames[record]["EnrollmentID"].to_list(), record
    others = {r["PersonalID"] for r in minimal.rows["Enrollment"]} - {pid}
    assert set(frames["Enrollment"]["PersonalID"].to_list()) == others
