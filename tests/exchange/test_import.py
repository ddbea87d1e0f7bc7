"""Importing an HMIS CSV export: what is stored, and what a second, newer or fuller export changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.exchange.models import ImportRun, RunStatus
from hearth.hmis.models import (
    Client,
    Disabilities,
    Enrollment,
    Exit,
    Export,
    IncomeBenefits,
    Project,
    Services,
    Source,
)
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import, hud_row_count, kinds

pytestmark = pytest.mark.django_db


def test_minimal_export_is_stored_with_exact_values(tmp_path: Path, minimal: ExportBuilder) -> None:
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert outcome.ok, outcome.log.summary_lines()
    assert outcome.log.summary_lines() == []
    source = Source.objects.get(implementation_id="TEST-IMPL-1")
    assert source.name == "Test HMIS"
    assert not source.is_local
    assert {r: c.inserted for r, c in outcome.counts.items() if c.inserted} == {
        "Organization": 1,
        "User": 1,
        "Project": 3,
        "Funder": 3,
        "ProjectCoC": 3,
        "Inventory": 3,
        "HMISParticipation": 3,
        "CEParticipation": 3,
        "Client": 3,
        "Enrollment": 3,
        "Exit": 2,
        "IncomeBenefits": 1,
        "HealthAndDV": 1,
        "Disabilities": 1,
        "Services": 3,
    }
    maria = Client.objects.get(source=source, hud_id="C1")
    assert (maria.first_name, maria.last_name, maria.dob, maria.sex) == ("Maria", "Lopez", dt.date(1985, 4, 12), 0)
    assert maria.get_sex_display() == "Female"
    # HMIS CSV date-times are local (America/New_York): 09:30 EST is 14:30 UTC.
    assert maria.date_created == dt.datetime(2025, 1, 15, 14, 30, tzinfo=dt.UTC)
    family = Enrollment.objects.filter(source=source, household_id="HH1").order_by("hud_id")
    assert [(e.hud_id, e.client.hud_id, e.project.hud_id, e.relationship_to_hoh) for e in family] == [
        ("E1", "C1", "P1", 1),
        ("E2", "C2", "P1", 2),
    ]
    exit_row = Exit.objects.get(source=source, hud_id="X1")
    assert (exit_row.enrollment.hud_id, exit_row.destination, exit_row.destination_subsidy_type) == ("E1", 435, 419)
    income = IncomeBenefits.objects.get(source=source)
    assert income.total_monthly_income == Decimal("850.50")
    assert Disabilities.objects.get(source=source).disability_response == 3
    assert list(
        Services.objects.filter(source=source).order_by("date_provided").values_list("date_provided", flat=True)
    ) == [dt.date(2025, 1, 10), dt.date(2025, 1, 11), dt.date(2025, 1, 12)]
    export = Export.objects.get(source=source)
    assert (export.hud_id, export.export_period_type, export.export_directive) == ("EXP1", 4, 2)
    assert Client.objects.filter(export=export).count() == 3
    run = ImportRun.objects.get()
    assert (run.status, run.errors, run.source, run.export) == (RunStatus.SUCCEEDED, 0, source, export)
    event = AuditEvent.objects.get(action="hmis.import")
    assert event.details["counts"]["Client"]["inserted"] == 3
    assert "Maria" not in str(event.details)


def test_reimporting_the_same_export_changes_nothing(tmp_path: Path, minimal: ExportBuilder) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    assert do_import(path).ok
    before = {c.pk: c.date_updated for c in Client.objects.all()}
    again = do_import(path)
    assert again.ok
    assert sum(c.inserted + c.updated + c.swept for c in again.counts.values()) == 0
    assert again.counts["Client"].unchanged == 3
    assert {c.pk: c.date_updated for c in Client.objects.all()} == before
    assert Source.objects.count() == 1
    assert Export.objects.count() == 1
    assert again.message.startswith("Nothing changed")


def test_newer_export_updates_changed_records_and_applies_deletions(tmp_path: Path, minimal: ExportBuilder) -> None:
    assert do_import(minimal.write_zip(tmp_path / "first.zip")).ok
    newer = minimal.copy()
    newer.set("Export", "EXP1", ExportID="EXP2")
    for rows in newer.rows.values():
        for row in rows:
            if "ExportID" in row:
                row["ExportID"] = "EXP2"
    newer.set("Client", "C3", FirstName="Jim", DateUpdated="2025-01-20 10:00:00")
    newer.set("Services", "S3", DateDeleted="2025-01-20 10:05:00", DateUpdated="2025-01-20 10:05:00")
    newer.add(
        "Services",
        ServicesID="S4",
        EnrollmentID="E3",
        PersonalID="C3",
        DateProvided="2025-01-13",
        RecordType=200,
        TypeProvided=200,
        DateCreated="2025-01-20 10:00:00",
        DateUpdated="2025-01-20 10:00:00",
        UserID="U1",
        ExportID="EXP2",
    )
    outcome = do_import(newer.write_zip(tmp_path / "second.zip"))
    assert outcome.ok, outcome.log.summary_lines()
    assert (outcome.counts["Client"].updated, outcome.counts["Client"].unchanged) == (1, 2)
    assert (outcome.counts["Services"].inserted, outcome.counts["Services"].updated) == (1, 1)
    assert outcome.counts["Services"].deleted == 1
    assert Client.objects.get(hud_id="C3").first_name == "Jim"
    assert Services.objects.live().count() == 3
    assert Services.objects.get(hud_id="S3").date_deleted is not None
    assert Export.objects.count() == 2


def test_older_record_does_not_overwrite_a_newer_stored_one(tmp_path: Path, minimal: ExportBuilder) -> None:
    assert do_import(minimal.write_zip(tmp_path / "first.zip")).ok
    Client.objects.filter(hud_id="C1").update(first_name="Mariah", date_updated=timezone.now())
    outcome = do_import(minimal.write_zip(tmp_path / "again.zip"))
    assert outcome.ok
    assert outcome.counts["Client"].older == 1
    assert Client.objects.get(hud_id="C1").first_name == "Mariah"
    assert ("warning", "Client.csv", "DateUpdated", "import.older") in kinds(outcome)


def test_full_refresh_marks_records_it_no_longer_carries_as_deleted(tmp_path: Path, minimal: ExportBuilder) -> None:
    assert do_import(minimal.write_zip(tmp_path / "first.zip")).ok
    refresh = minimal.copy()
    refresh.rows["Services"] = [r for r in refresh.rows["Services"] if r["ServicesID"] != "S2"]
    refresh.rows["Funder"] = [r for r in refresh.rows["Funder"] if r["FunderID"] != "FP3"]
    outcome = do_import(refresh.write_zip(tmp_path / "refresh.zip"))
    assert outcome.ok
    assert {r: c.swept for r, c in outcome.counts.items() if c.swept} == {"Services": 1, "Funder": 1}
    assert Services.objects.get(hud_id="S2").date_deleted is not None
    assert Services.objects.live().count() == 2
    # A delta refresh carries only changes: absence means nothing.
    delta = refresh.copy()
    delta.rows["Services"] = []
    delta.set("Export", "EXP1", ExportDirective=1, ExportPeriodType=1)
    outcome = do_import(delta.write_zip(tmp_path / "delta.zip"))
    assert outcome.ok
    assert Services.objects.live().count() == 2


def test_deleted_record_restored_by_a_later_export(tmp_path: Path, minimal: ExportBuilder) -> None:
    deleted = minimal.copy().set("Services", "S2", DateDeleted="2025-01-16 08:00:00")
    assert do_import(deleted.write_zip(tmp_path / "a.zip")).ok
    assert Services.objects.get(hud_id="S2").date_deleted is not None
    outcome = do_import(minimal.write_zip(tmp_path / "b.zip"))
    assert outcome.counts["Services"].updated == 1
    assert Services.objects.get(hud_id="S2").date_deleted is None


def test_two_sources_keep_their_own_records_under_the_same_ids(tmp_path: Path, minimal: ExportBuilder) -> None:
    assert do_import(minimal.write_zip(tmp_path / "a.zip")).ok
    other = minimal.copy().set("Export", "EXP1", ImplementationID="OTHER-VENDOR", SoftwareName="Other HMIS")
    other.set("Client", "C1", FirstName="Rosa")
    outcome = do_import(other.write_zip(tmp_path / "b.zip"))
    assert outcome.ok
    assert outcome.counts["Client"].inserted == 3
    assert sorted(Client.objects.filter(hud_id="C1").values_list("first_name", flat=True), key=str) == ["Maria", "Rosa"]
    assert Project.objects.filter(hud_id="P1").count() == 2
    e1 = Enrollment.objects.filter(hud_id="E1")
    assert {(e.source.name, e.client.first_name) for e in e1} == {("Test HMIS", "Maria"), ("Other HMIS", "Rosa")}


def test_named_source_groups_exports_of_one_database(tmp_path: Path, minimal: ExportBuilder) -> None:
    outcome = do_import(minimal.write_zip(tmp_path / "a.zip"), source_name="Old Vendor")
    assert outcome.ok
    assert outcome.source is not None
    assert outcome.source.name == "Old Vendor"
    renamed = minimal.copy().set("Export", "EXP1", ImplementationID="CHANGED")
    again = do_import(renamed.write_zip(tmp_path / "b.zip"), source_name="Old Vendor")
    assert again.counts["Client"].unchanged == 3
    assert Source.objects.count() == 1


def test_delta_export_may_refer_to_records_sent_before(tmp_path: Path, minimal: ExportBuilder) -> None:
    assert do_import(minimal.write_zip(tmp_path / "full.zip")).ok
    delta = ExportBuilder()
    delta.rows["Export"] = [
        dict(minimal.row("Export", "EXP1"), ExportID="EXP3", ExportDirective="1", ExportPeriodType="1")
    ]
    delta.add(
        "Services",
        ServicesID="S9",
        EnrollmentID="E3",
        PersonalID="C3",
        DateProvided="2025-01-14",
        RecordType=200,
        TypeProvided=200,
        DateCreated="2025-01-20 10:00:00",
        DateUpdated="2025-01-20 10:00:00",
        UserID="U1",
        ExportID="EXP3",
    )
    outcome = do_import(delta.write_zip(tmp_path / "delta.zip"))
    assert outcome.ok, outcome.log.summary_lines()
    assert Services.objects.get(hud_id="S9").enrollment.hud_id == "E3"


def test_delta_with_new_and_stored_parents(tmp_path: Path, minimal: ExportBuilder) -> None:
    assert do_import(minimal.write_zip(tmp_path / "full.zip")).ok
    delta = minimal.copy()
    stamp = {
        "DateCreated": "2025-01-25 10:00:00",
        "DateUpdated": "2025-01-25 10:00:00",
        "UserID": "U1",
        "ExportID": "EXP1",
    }
    delta.add("Client", **dict(delta.row("Client", "C3"), PersonalID="C4", FirstName="Dana", **stamp))
    delta.add(
        "Enrollment",
        **dict(
            delta.row("Enrollment", "E3"),
            EnrollmentID="E4",
            PersonalID="C4",
            HouseholdID="HH4",
            EntryDate="2025-01-20",
            **stamp,
        ),
    )
    delta.add(
        "Enrollment",
        **dict(
            delta.row("Enrollment", "E3"),
            EnrollmentID="E5",
            PersonalID="C1",
            HouseholdID="HH5",
            EntryDate="2025-01-21",
            **stamp,
        ),
    )
    delta.rows["Services"] = []
    outcome = do_import(delta.write_zip(tmp_path / "delta.zip"))
    assert outcome.ok, outcome.log.summary_lines()
    assert (outcome.counts["Client"].inserted, outcome.counts["Enrollment"].inserted) == (1, 2)
    assert Enrollment.objects.get(hud_id="E4").client.first_name == "Dana"
    assert Enrollment.objects.get(hud_id="E5").client.first_name == "Maria"


def test_rejected_import_writes_no_hud_record(tmp_path: Path, minimal: ExportBuilder) -> None:
    broken = minimal.copy().set("Enrollment", "E2", PersonalID="NOBODY")
    outcome = do_import(broken.write_zip(tmp_path / "bad.zip"))
    assert outcome.status == RunStatus.REJECTED
    assert hud_row_count() == 0
    assert Source.objects.count() == 0
    run = ImportRun.objects.get()
    # The enrollment names an unknown client, and so the exit disagrees with its enrollment.
    assert (run.status, run.errors) == (RunStatus.REJECTED, 2)
    assert AuditEvent.objects.filter(action="hmis.import_rejected").count() == 1
    assert outcome.report_path is not None
    assert outcome.report_path.exists()
    report = outcome.report_path.read_text()
    assert "Enrollment.csv,3,PersonalID,NOBODY,reference,PersonalID names no record in Client.csv.,9" in report


def test_importing_hearths_own_export_is_refused(tmp_path: Path, minimal: ExportBuilder) -> None:
    local = Source.local()
    local.implementation_id = "TEST-IMPL-1"
    local.save()
    outcome = do_import(minimal.write_zip(tmp_path / "own.zip"))
    assert outcome.status == RunStatus.REJECTED
    assert ("error", "Export.csv", "ImplementationID", "source.self") in kinds(outcome)
    assert hud_row_count() == 0
