"""Exporting: exact FY2026 files, HUD's export options, hashing, and a faithful round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from hearth.audit.models import AuditEvent
from hearth.exchange.exporter import (
    REPORTING_PERIOD,
    UPDATED,
    ExportOptionError,
    ExportOptions,
    export_hmis,
)
from hearth.exchange.hashing import hash_name, hash_ssn
from hearth.exchange.validate import validate_export
from hearth.hmis.models import Client, Export, Project
from hearth.spec import current
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import

pytestmark = pytest.mark.django_db


def read_zip(path: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))
            for name in archive.namelist()
        }


@pytest.fixture
def imported(tmp_path: Path, minimal: ExportBuilder) -> ExportBuilder:
    assert do_import(minimal.write_zip(tmp_path / "in.zip")).ok
    return minimal


def test_export_is_exact_fy2026(tmp_path: Path, imported: ExportBuilder) -> None:
    outcome = export_hmis(out=tmp_path / "out.zip", actor="test")
    spec = current()
    with zipfile.ZipFile(outcome.path) as archive:
        names = archive.namelist()
        assert names == [rt.filename for rt in spec.record_types.values()]
        for rt in spec.record_types.values():
            data = archive.read(rt.filename)
            assert data.split(b"\n", 1)[0].decode() == ",".join(rt.header)
            assert b"\r" not in data
            assert not data.startswith(b"\xef\xbb\xbf")
        client_lines = archive.read("Client.csv").decode().splitlines()
    files = read_zip(outcome.path)
    assert len(files["Export"]) == 1
    export_id = files["Export"][0]["ExportID"]
    assert all(row["ExportID"] == export_id for rows in files.values() for row in rows)
    assert outcome.counts["Client"] == 3
    assert outcome.counts["Services"] == 3
    maria = next(line for line in client_lines if line.startswith('"C1"'))
    # Strings quoted, numbers and dates bare, local date-times, empty for null.
    assert maria.startswith('"C1","Maria",,"Lopez",,1,"900123456",1,1985-04-12,1,0,0,0,0,1,0,0,0,,,0,')
    assert maria.endswith(f',2025-01-15 09:30:00,2025-01-15 09:30:00,"U1",,"{export_id}"')
    income = files["IncomeBenefits"][0]
    assert (income["TotalMonthlyIncome"], income["EarnedAmount"]) == ("850.50", "850.50")
    meta = files["Export"][0]
    assert (meta["SourceType"], meta["SourceID"], meta["CSVVersion"], meta["HashStatus"]) == (
        "1",
        "XX-501",
        "2026 v1.0",
        "1",
    )
    assert (meta["ExportPeriodType"], meta["ExportDirective"], meta["ExportStartDate"]) == ("4", "2", "2024-11-01")
    assert Export.objects.filter(hud_id=export_id, source__is_local=True).count() == 1
    assert AuditEvent.objects.get(action="hmis.export").details["counts"]["Client"] == 3


def test_round_trip_reproduces_every_record_and_value(tmp_path: Path, imported: ExportBuilder) -> None:
    files = read_zip(export_hmis(out=tmp_path / "out.zip", actor="test").path)
    for record, rows in imported.rows.items():
        if record == "Export":
            continue
        header = current().record(record).header
        expected = [{c: row.get(c, "") for c in header if c != "ExportID"} for row in rows]
        actual = [{c: v for c, v in row.items() if c != "ExportID"} for row in files[record]]
        key = header[0]
        assert sorted(actual, key=lambda r: r[key]) == sorted(expected, key=lambda r: r[key]), record


def test_own_export_passes_validation_and_eva_when_hashed(tmp_path: Path, imported: ExportBuilder) -> None:
    plain = validate_export(export_hmis(out=tmp_path / "plain.zip", actor="test").path)
    assert plain.ok
    assert plain.log.summary_lines() == []
    assert [r.id for r in plain.eva if not r.passed] == [126]
    hashed = validate_export(
        export_hmis(out=tmp_path / "hashed.zip", actor="test", options=ExportOptions(hashed=True)).path
    )
    assert hashed.ok
    assert hashed.log.summary_lines() == []
    assert [r.id for r in hashed.eva if not r.passed] == []
    client = next(r for r in read_zip(tmp_path / "hashed.zip")["Client"] if r["PersonalID"] == "C1")
    assert len(client["FirstName"]) == 64
    assert client["SSN"].startswith("3456")
    assert len(client["SSN"]) == 68
    assert client["DOB"] == "1985-04-12"


def test_reporting_period_selects_records_active_in_it(tmp_path: Path, imported: ExportBuilder) -> None:
    options = ExportOptions(start=dt.date(2025, 1, 8), end=dt.date(2025, 1, 31), period_type=REPORTING_PERIOD)
    files = read_zip(export_hmis(out=tmp_path / "period.zip", actor="test", options=options).path)
    # The family exited on 2025-01-05; only the night-shelter stay is active in the period.
    assert [r["EnrollmentID"] for r in files["Enrollment"]] == ["E3"]
    assert [r["PersonalID"] for r in files["Client"]] == ["C3"]
    assert files["Exit"] == []
    assert len(files["Services"]) == 3
    assert len(files["Project"]) == 3  # every project of the scope, active or not
    meta = files["Export"][0]
    assert (meta["ExportStartDate"], meta["ExportEndDate"], meta["ExportPeriodType"]) == (
        "2025-01-08",
        "2025-01-31",
        "3",
    )


def test_project_and_organization_selection(tmp_path: Path, imported: ExportBuilder) -> None:
    files = read_zip(export_hmis(out=tmp_path / "p1.zip", actor="test", options=ExportOptions(projects=("P1",))).path)
    assert [r["ProjectID"] for r in files["Project"]] == ["P1"]
    assert sorted(r["EnrollmentID"] for r in files["Enrollment"]) == ["E1", "E2"]
    assert sorted(r["PersonalID"] for r in files["Client"]) == ["C1", "C2"]
    assert [r["FunderID"] for r in files["Funder"]] == ["FP1"]
    assert files["Services"] == []
    by_org = read_zip(
        export_hmis(out=tmp_path / "o1.zip", actor="test", options=ExportOptions(organizations=("O1",))).path
    )
    assert len(by_org["Project"]) == 3
    with pytest.raises(ExportOptionError, match="No project with ProjectID P9"):
        export_hmis(out=tmp_path / "x.zip", actor="test", options=ExportOptions(projects=("P9",)))


def test_updated_period_exports_changes_including_deletions(tmp_path: Path, imported: ExportBuilder) -> None:
    Client.objects.filter(hud_id="C2").update(date_updated=dt.datetime(2025, 3, 2, 15, 0, tzinfo=dt.UTC))
    Project.objects.filter(hud_id="P3").update(
        date_updated=dt.datetime(2025, 3, 2, 15, 0, tzinfo=dt.UTC),
        date_deleted=dt.datetime(2025, 3, 2, 15, 0, tzinfo=dt.UTC),
    )
    options = ExportOptions(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31), period_type=UPDATED, directive=1)
    files = read_zip(export_hmis(out=tmp_path / "delta.zip", actor="test", options=options).path)
    assert [r["PersonalID"] for r in files["Client"]] == ["C2"]
    assert [(r["ProjectID"], r["DateDeleted"]) for r in files["Project"]] == [("P3", "2025-03-02 10:00:00")]
    assert files["Enrollment"] == []
    assert (files["Export"][0]["ExportPeriodType"], files["Export"][0]["ExportDirective"]) == ("1", "1")


def test_impermissible_characters_are_stripped(tmp_path: Path, minimal: ExportBuilder) -> None:
    minimal.set("Project", "P1", ProjectName="Harbor {East} <Main>")
    assert do_import(minimal.write_zip(tmp_path / "in.zip")).ok
    outcome = export_hmis(out=tmp_path / "out.zip", actor="test")
    assert outcome.stripped == {"Project.csv": 4}
    assert (
        next(r for r in read_zip(outcome.path)["Project"] if r["ProjectID"] == "P1")["ProjectName"]
        == "Harbor East Main"
    )


def test_export_of_several_sources_keeps_ids_unique(tmp_path: Path, minimal: ExportBuilder) -> None:
    assert do_import(minimal.write_zip(tmp_path / "a.zip")).ok
    other = minimal.copy().set("Export", "EXP1", ImplementationID="OTHER", SoftwareName="Other HMIS")
    assert do_import(other.write_zip(tmp_path / "b.zip")).ok
    outcome = export_hmis(out=tmp_path / "all.zip", actor="test")
    files = read_zip(outcome.path)
    ids = [r["PersonalID"] for r in files["Client"]]
    assert len(ids) == 6
    assert len(set(ids)) == 6
    assert all(i.split("_", 1)[1] in {"C1", "C2", "C3"} for i in ids)
    enrollment_clients = {r["PersonalID"] for r in files["Enrollment"]}
    assert enrollment_clients <= set(ids)
    assert validate_export(outcome.path).ok


def test_period_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    options = ExportOptions(start=dt.date(2025, 2, 1), end=dt.date(2025, 1, 1), period_type=REPORTING_PERIOD)
    with pytest.raises(ExportOptionError, match="ends before it starts"):
        export_hmis(out=tmp_path / "x.zip", actor="test", options=options)
    assert not (tmp_path / "x.zip").exists()


def test_selection_by_database_id_takes_exactly_the_chosen_projects(tmp_path: Path, minimal: ExportBuilder) -> None:
    """HUD IDs are unique within a source only: choosing source A's P1 and source B's P2 by HUD ID and source
    would also take B's P1 and A's P2. Pages choose by database id, and get exactly the two."""
    a = do_import(minimal.write_zip(tmp_path / "a.zip"))
    other = minimal.copy().set("Export", "EXP1", ImplementationID="OTHER", SoftwareName="Other HMIS")
    b = do_import(other.write_zip(tmp_path / "b.zip"))
    assert a.source is not None
    assert b.source is not None
    chosen = (
        Project.objects.get(source=a.source, hud_id="P1").pk,
        Project.objects.get(source=b.source, hud_id="P2").pk,
    )
    options = ExportOptions(project_keys=chosen)
    files = read_zip(export_hmis(out=tmp_path / "keys.zip", actor="test", options=options).path)
    assert sorted(r["ProjectID"] for r in files["Project"]) == sorted([f"{a.source.pk}_P1", f"{b.source.pk}_P2"])
    by_hud_id = ExportOptions(projects=("P1", "P2"), sources=(a.source.name, b.source.name))
    assert len(read_zip(export_hmis(out=tmp_path / "ids.zip", actor="test", options=by_hud_id).path)["Project"]) == 4
    with pytest.raises(ExportOptionError, match="no longer exist"):
        export_hmis(out=tmp_path / "gone.zip", actor="test", options=ExportOptions(project_keys=(999_999,)))


def _hashed_copy(builder: ExportBuilder, implementation: str) -> ExportBuilder:
    """The same records as another vendor's hashed export (HashStatus 4) would carry them."""
    copy = builder.copy().set("Export", "EXP1", ImplementationID=implementation, HashStatus=4)
    for pid in ("C1", "C2", "C3"):
        row = copy.row("Client", pid)
        copy.set(
            "Client",
            pid,
            FirstName=hash_name(row["FirstName"]),
            LastName=hash_name(row["LastName"]),
            SSN=hash_ssn(row["SSN"]),
        )
    return copy


def test_a_source_imported_hashed_is_never_exported_as_unhashed_nor_hashed_twice(
    tmp_path: Path, minimal: ExportBuilder
) -> None:
    """Export.HashStatus (list 1.5) is one value for the file: digests never go out under HashStatus 1, and a
    SHA-256 source's digests go out as they are in a HashStatus 4 export."""
    plain = do_import(minimal.write_zip(tmp_path / "a.zip"))
    hashed_copy = _hashed_copy(minimal, "HASHED")
    hashed = do_import(hashed_copy.write_zip(tmp_path / "b.zip"))
    assert plain.source is not None
    assert hashed.source is not None
    assert (plain.source.hash_status, hashed.source.hash_status) == (1, 4)
    with pytest.raises(ExportOptionError, match=re.escape(f"Source “{hashed.source.name}” was imported with hashed")):
        export_hmis(out=tmp_path / "plain.zip", actor="test")
    assert not (tmp_path / "plain.zip").exists()
    only_plain = ExportOptions(sources=(plain.source.name,))
    assert len(read_zip(export_hmis(out=tmp_path / "a-only.zip", actor="test", options=only_plain).path)["Client"]) == 3
    files = read_zip(export_hmis(out=tmp_path / "all.zip", actor="test", options=ExportOptions(hashed=True)).path)
    first_names = {r["PersonalID"]: r["FirstName"] for r in files["Client"]}
    for pid in ("C1", "C2", "C3"):
        digest = hashed_copy.row("Client", pid)["FirstName"]
        assert first_names[f"{hashed.source.pk}_{pid}"] == digest  # passed through, not hashed again
        assert first_names[f"{plain.source.pk}_{pid}"] == digest  # hashed here: the same digest
    assert files["Export"][0]["HashStatus"] == "4"


def test_an_export_that_would_mix_hashed_and_plain_names_in_one_source_is_refused(
    tmp_path: Path, minimal: ExportBuilder
) -> None:
    first = do_import(_hashed_copy(minimal, "TEST-IMPL-1").write_zip(tmp_path / "hashed.zip"))
    assert first.ok
    before = Client.objects.values_list("first_name", flat=True).order_by("hud_id")
    snapshot = list(before)
    again = do_import(minimal.write_zip(tmp_path / "plain.zip"))
    assert not again.ok
    assert [(i.file, i.column, i.rule) for i in again.log.issues()] == [
        ("Export.csv", "HashStatus", "source.hash_status")
    ]
    assert again.message.startswith("This export is unhashed (HashStatus 1), but source")
    assert list(before) == snapshot
    assert Export.objects.count() == 1


def test_an_export_claiming_hashed_names_that_are_plain_is_imported_as_unhashed(
    tmp_path: Path, minimal: ExportBuilder
) -> None:
    """HUD Data Lab's converted sample says HashStatus 3 over plain names: Hearth believes the names."""
    outcome = do_import(minimal.set("Export", "EXP1", HashStatus=3).write_zip(tmp_path / "says-hashed.zip"))
    assert outcome.source is not None
    assert outcome.source.hash_status == 1
    assert [(i.file, i.column, i.rule, i.message) for i in outcome.log.issues() if i.column == "HashStatus"] == [
        (
            "Export.csv",
            "HashStatus",
            "export.hash_status_plain",
            "Export.csv says HashStatus 3 (hashed), but Client.csv's names are not digests: they were imported "
            "as unhashed names.",
        )
    ]
    assert len(read_zip(export_hmis(out=tmp_path / "out.zip", actor="test").path)["Client"]) == 3
