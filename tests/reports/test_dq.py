"""The HMIS Data Quality report on a hand-built CoC: exact cells and the clients behind them.

Report range 2025-10-01 .. 2026-09-30; the CoC's time zone is America/New_York (settings.TIME_ZONE in tests).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from hearth.reports import registry
from hearth.reports.cells import ReportResult
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables
from tests.builders import ExportBuilder

PARAMS = ReportParams(dt.date(2025, 10, 1), dt.date(2026, 9, 30))


def _enrollment(eid: str, pid: str, project: str, entry: str, **more: Any) -> dict[str, Any]:
    row = {
        "EnrollmentID": eid,
        "PersonalID": pid,
        "ProjectID": project,
        "HouseholdID": f"H-{eid}",
        "RelationshipToHoH": 1,
        "EntryDate": entry,
        "EnrollmentCoC": "XX-501",
        "DisablingCondition": 0,
        "DateCreated": f"{entry} 15:00:00",
    }
    row.update(more)
    return row


def _client(pid: str, **more: Any) -> dict[str, Any]:
    row = {
        "PersonalID": pid,
        "FirstName": "Ana",
        "LastName": "Lee",
        "NameDataQuality": 1,
        "SSN": "234567890",
        "SSNDataQuality": 1,
        "DOB": "1980-01-01",
        "DOBDataQuality": 1,
        "White": 1,
        "VeteranStatus": 0,
    }
    row.update(more)
    return row


@pytest.fixture
def tables() -> HmisTables:
    return HmisTables.from_frames(
        Project=[
            {"ProjectID": "ES", "OrganizationID": "O1", "ProjectType": 0},
            {"ProjectID": "SO", "OrganizationID": "O1", "ProjectType": 4},
        ],
        ProjectCoC=[
            {"ProjectCoCID": "PC1", "ProjectID": "ES", "CoCCode": "XX-501"},
            {"ProjectCoCID": "PC2", "ProjectID": "SO", "CoCCode": "XX-501"},
        ],
        Client=[
            _client("C1"),
            # SSN with area 666 (SSA never issues it), and a name without a last name.
            _client("C2", SSN="666123456", LastName=None),
            # Name DK: counted under B only, though the name is also empty.
            _client("C3", NameDataQuality=8, FirstName=None, SSN=None, SSNDataQuality=99),
            # A 12-year-old recorded as a veteran.
            _client("C4", DOB="2013-05-01", VeteranStatus=1),
            _client("C5", VeteranStatus=99),
            _client("C6"),
            _client("C7"),
        ],
        Enrollment=[
            # Entered 2025-10-01; record created 2025-10-03 01:00 UTC = 2025-10-02 21:00 in New York: 1 day late.
            _enrollment("E1", "C1", "ES", "2025-10-01", DateCreated="2025-10-03 01:00:00"),
            # Overlaps E2b in the same project; EnrollmentCoC empty.
            _enrollment("E2", "C2", "ES", "2025-11-01", EnrollmentCoC=None),
            _enrollment("E2b", "C2", "ES", "2025-10-20", DateCreated="2025-10-20 12:00:00"),
            _enrollment("E3", "C3", "ES", "2025-12-01", DisablingCondition=99, DateCreated="2025-12-20 15:00:00"),
            # A child who is a member of C1's household (E1's HouseholdID) — H-E1 then has one head: fine.
            _enrollment("E4", "C4", "ES", "2025-10-01", HouseholdID="H-E1", RelationshipToHoH=2),
            _enrollment("E5", "C5", "ES", "2025-10-01", RelationshipToHoH=None),
            # Street outreach: C6 engaged 2026-01-10, C7 never engaged (outside the DQ universe).
            _enrollment("E6", "C6", "SO", "2025-06-01", DateOfEngagement="2026-01-10"),
            _enrollment("E7", "C7", "SO", "2025-06-01"),
        ],
        Exit=[
            {"ExitID": "X2b", "EnrollmentID": "E2b", "ExitDate": "2025-11-15", "Destination": 410},
            {"ExitID": "X3", "EnrollmentID": "E3", "ExitDate": "2026-01-10", "Destination": 30},
        ],
        CurrentLivingSituation=[
            {"CurrentLivingSitID": "L6", "EnrollmentID": "E6", "InformationDate": "2026-01-10"},
        ],
        IncomeBenefits=[
            {"IncomeBenefitsID": f"I{n}", "EnrollmentID": e, "InformationDate": d, "IncomeFromAnySource": 0,
             "DataCollectionStage": 1}
            for n, (e, d) in enumerate([("E1", "2025-10-01"), ("E2", "2025-11-01"), ("E5", "2025-10-01"),
                                        ("E6", "2025-06-01"), ("E7", "2025-06-01")])
        ],
    )  # fmt: skip


@pytest.fixture
def result(tables: HmisTables) -> ReportResult:
    return registry.get("dq").run(tables, PARAMS)


def members(result: ReportResult, table: str, cell: str) -> list[str]:
    return result.cell_members(table, cell)["PersonalID"].to_list()


def test_q1_counts_engaged_outreach_clients_only_in_the_dq_column(result: ReportResult) -> None:
    """C1, C2, C3, C4, C5 in the shelter, C6 and C7 in outreach: 7 clients; C7 never engaged → 6 for DQ."""
    q1 = result.table("Q1")
    assert (q1["B2"], q1["C2"]) == (6, 7)
    assert members(result, "Q1", "C2") == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    assert "C7" not in members(result, "Q1", "B2")
    assert (q1["C3"], q1["C4"]) == (6, 1)  # C4 is 12
    assert q1["C6"] == 1  # C3 left on 2026-01-10 (C2's exit was on an earlier stay, not the latest)
    assert q1["B11"] == 0  # the child "veteran" is not an adult veteran


def test_q2_counts_each_client_in_the_first_column_that_applies(result: ReportResult) -> None:
    """Name: C3 DK (B, though also empty), C2 missing a last name (C). SSN: C3 not collected (C), C2 area 666
    (D). Overall: C2 and C3 → 2 of 6 = 0.3333."""
    q2 = result.table("Q2")
    assert [q2[c] for c in ("B2", "C2", "D2", "E2")] == [1, 1, 0, 2]
    assert members(result, "Q2", "B2") == ["C3"]
    assert [q2[c] for c in ("B3", "C3", "D3", "E3")] == [0, 1, 1, 2]
    assert members(result, "Q2", "D3") == ["C2"]
    assert q2["E6"] == 2
    assert q2["F6"] == pytest.approx(2 / 6)
    assert q2.format_of("F6") == "percent"


def test_q3_universal_data_elements(result: ReportResult) -> None:
    """Veteran: C5 (adult, not collected: C) and C4 (a child veteran: D) over 5 adults + 1 child veteran = 2/6.
    Project start: C2's latest stay (from 2025-11-01) overlaps E2b (2025-10-20 .. 2025-11-15) (D). Relationship:
    C5's is empty (C). Enrollment CoC: C2's is empty (C), of 4 heads (C1, C2, C3, C6; C5 has no relationship,
    C4 is a child member). Disabling condition: C3's is 99 (C)."""
    q3 = result.table("Q3")
    assert q3.columns[:3] == ("Client Doesn't Know/Prefers Not to Answer", "Information Missing", "Data Issues")
    assert [q3[c] for c in ("B2", "C2", "D2", "E2")] == [0, 1, 1, 2]
    assert members(result, "Q3", "E2") == ["C4", "C5"]
    assert members(result, "Q3", "D2") == ["C4"]
    assert q3["F2"] == pytest.approx(2 / 6)
    assert members(result, "Q3", "D3") == ["C2"]
    assert members(result, "Q3", "C4") == ["C5"]
    assert q3["D4"] == 0
    assert members(result, "Q3", "C5") == ["C2"]
    assert q3["F5"] == pytest.approx(1 / 4)
    assert members(result, "Q3", "C6") == ["C3"]
    assert q3["E6"] == 1


def test_q3_q4_in_the_apr_layout(tables: HmisTables) -> None:
    """The APR/CAPER's Q6b and Q6c are the same rules as error count (B) and rate (C). Q6c row 4: C6, in outreach
    since 2025-06-01, reached the anniversary 2026-06-01 as a stayer and has no annual assessment → 1."""
    from hearth.reports.cells import ReportBuilder
    from hearth.reports.dq import universe
    from hearth.reports.dq.elements import build_q3
    from hearth.reports.dq.income_housing import build_q4

    active = universe.active_stays(tables, PARAMS)
    frame = universe.build(tables, PARAMS, active)
    builder = ReportBuilder("apr", PARAMS)
    build_q3(builder, frame, active, tables, name="Q6b")
    build_q4(builder, frame, tables, PARAMS, name="Q6c")
    apr = builder.finish()
    q6b, q6c = apr.table("Q6b"), apr.table("Q6c")
    assert q6b.columns == ("Error Count", "% of Error Rate")
    assert [q6b[f"B{row}"] for row in range(2, 7)] == [2, 1, 1, 1, 1]
    assert q6b["C5"] == pytest.approx(1 / 4)
    assert [q6c[f"B{row}"] for row in range(2, 6)] == [1, 1, 1, 1]


def test_q4_destination_and_income(result: ReportResult) -> None:
    """Destination: C3 left with 30 (no exit interview: missing, C) → 1 of 1 leaver. Income at start for adults
    and heads (C1, C2, C3, C5, C6; C4 is a child member): C3 has no start record (C) → 1 of 5. At exit: C3 has
    no exit record → 1 of 1."""
    q4 = result.table("Q4")
    assert members(result, "Q4", "C2") == ["C3"]
    assert (q4["B2"], q4["D2"], q4["E2"]) == (0, 0, 1)
    assert q4["F2"] == pytest.approx(1.0)
    assert members(result, "Q4", "C3") == ["C3"]
    assert q4["F3"] == pytest.approx(1 / 5)
    assert members(result, "Q4", "E5") == ["C3"]


def test_q6_timeliness_in_the_coc_time_zone(result: ReportResult) -> None:
    """Start records (latest stays starting in the range): C1 1 day (created 21:00 New York time the next day),
    C2, C4, C5 0 days (created 15:00 UTC = 11:00 in New York on the start date), C3 19 days. Exit records: C3's
    exit record carries no DateCreated, so it falls in no band."""
    q6 = result.table("Q6")
    assert q6.rows[:2] == ("< 0 days", "0 days")
    assert [q6[f"B{row}"] for row in range(2, 8)] == [0, 3, 1, 0, 0, 1]
    assert result.cell_members("Q6", "B4")["EnrollmentID"].to_list() == ["E1"]
    assert [q6[f"C{row}"] for row in range(2, 8)] == [0, 0, 0, 0, 0, 0]


def test_q6_records_entered_before_their_date(tables: HmisTables) -> None:
    """A start entered the evening before the client arrived (created 2025-12-31 23:00 New York time for a
    2026-01-01 start) is "< 0 days" in the DQ report, and in no band of the APR's five-row Q6e."""
    from hearth.reports.cells import ReportBuilder
    from hearth.reports.dq import universe
    from hearth.reports.dq.timeliness import build_q6

    frames = dict(tables.frames)
    early = HmisTables.from_frames(
        Enrollment=[_enrollment("E9", "C9", "ES", "2026-01-01", DateCreated="2026-01-01 04:00:00")],
        Client=[_client("C9")],
    )
    frames["Enrollment"] = pl.concat([frames["Enrollment"], early["Enrollment"]])
    frames["Client"] = pl.concat([frames["Client"], early["Client"]])
    combined = HmisTables(frames)
    dq = registry.get("dq").run(combined, PARAMS).table("Q6")
    assert dq["B2"] == 1
    builder = ReportBuilder("apr", PARAMS)
    build_q6(builder, universe.build(combined, PARAMS), PARAMS, name="Q6e")
    apr = builder.finish().table("Q6e")
    assert apr.rows[0] == "0 days"
    assert [apr[f"B{row}"] for row in range(2, 7)] == [3, 1, 0, 0, 1]


def test_q7_inactive_outreach_records(result: ReportResult) -> None:
    """Outreach stays open at the end, started 90+ days before it: C6 (C7 is outside the DQ universe). C6's last
    contact was 2026-01-10, before the 90 days up to 2026-09-30 (from 2026-07-02) → inactive: 1 of 1."""
    q7 = result.table("Q7")
    assert (q7["B2"], q7["C2"], q7["D2"]) == (1, 1, 1.0)
    assert members(result, "Q7", "C2") == ["C6"]
    assert (q7["B3"], q7["C3"]) == (0, 0)


def test_report_runs_for_chosen_projects_only(tables: HmisTables) -> None:
    params = ReportParams(PARAMS.start, PARAMS.end, ("SO",))
    result = registry.get("dq").run(tables.for_projects(params.projects), params)
    assert members(result, "Q1", "C2") == ["C6", "C7"]


def test_cli_writes_every_table(tmp_path: Path, minimal: ExportBuilder) -> None:
    export = minimal.write_zip(tmp_path / "export.zip")
    out = tmp_path / "dq.zip"
    saved = tmp_path / "run"
    call_command(
        "report", "dq", source=str(export), start="2024-10-01", end="2025-09-30", out=out, save=saved, no_progress=True
    )
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == [f"Q{n}.csv" for n in range(1, 8)]
        first = archive.read("Q1.csv").decode().splitlines()
    assert first[0] == '"","Count of Clients for DQ","Count of Clients"'
    kept = ReportResult.load(saved)
    assert kept.report == "dq"
    assert kept.params == ReportParams(dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    persons = len({row["PersonalID"] for row in minimal.rows["Enrollment"]})
    assert kept.table("Q1")["C2"] == persons
    assert kept.cell_members("Q1", "C2")["PersonalID"].n_unique() == persons


def test_cli_refuses_unknown_reports_projects_and_dates(tmp_path: Path, minimal: ExportBuilder) -> None:
    export = str(minimal.write_zip(tmp_path / "export.zip"))
    out = tmp_path / "out.zip"
    with pytest.raises(CommandError, match="There is no report 'nope'"):
        call_command("report", "nope", source=export, start="2024-10-01", end="2025-09-30", out=out)
    with pytest.raises(CommandError, match="No project with ProjectID P9"):
        call_command(
            "report",
            "dq",
            source=export,
            start="2024-10-01",
            end="2025-09-30",
            project=["P9"],
            out=out,
            no_progress=True,
        )
    with pytest.raises(CommandError, match="before its start"):
        call_command("report", "dq", source=export, start="2025-10-01", end="2025-09-30", out=out)
    assert not out.exists()
