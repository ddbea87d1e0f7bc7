"""Golden tests against the public FY2026 sample exports in ../shared (skipped when it is absent).

- HUD Data Lab's synthetic data (converted to FY2026 by greenriver) imports, and exporting it reproduces every
  record and value.
- The same data in FY2024 form imports and exports exactly as greenriver's independent FY2026 conversion.
- Abt's FY2026 LSA sample imports; its header spelling and legacy destination codes are reported as warnings.
- The deliberately invalid sets are rejected with their specific problems, writing nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from hearth.exchange.exporter import export_hmis
from hearth.exchange.models import RunStatus
from hearth.hmis.models import Client, Exit, Source
from tests.conftest import shared_path
from tests.exchange.helpers import do_import, hud_row_count, kinds, rows_of

pytestmark = [pytest.mark.django_db, pytest.mark.shared]

DATALAB = ("hmis-csv-samples", "greenriver-fy2026-datalab-converted")


def _read(source: Path) -> dict[str, list[dict[str, str]]]:
    if source.is_dir():
        return {
            p.stem: list(csv.DictReader(p.open(encoding="utf-8-sig", newline=""))) for p in sorted(source.glob("*.csv"))
        }
    with zipfile.ZipFile(source) as archive:
        return {
            Path(n).stem: list(csv.DictReader(io.TextIOWrapper(archive.open(n), encoding="utf-8-sig", newline="")))
            for n in archive.namelist()
        }


def assert_same_records(original: dict[str, list[dict[str, str]]], exported: dict[str, list[dict[str, str]]]) -> None:
    """Every record of every HUD file, every value (headers compared case-insensitively; ExportID is new)."""
    for record, rows in exported.items():
        if record == "Export":
            continue
        before = original.get(record, [])
        key = next(iter(rows[0])) if rows else ""
        by_key = {next(iter(r.values())): {k.lower(): v for k, v in r.items()} for r in before}
        assert len(rows) == len(before), record
        for row in rows:
            old = by_key[row[key]] if key else {}
            for column, value in row.items():
                if column != "ExportID":
                    assert old.get(column.lower(), "") == value, (record, row[key], column)


def test_datalab_sample_round_trip(tmp_path: Path) -> None:
    folder = shared_path(*DATALAB)
    outcome = do_import(folder)
    assert outcome.ok, outcome.log.summary_lines()
    assert outcome.counts["Client"].inserted == 514
    assert outcome.counts["Services"].inserted == 6385
    found = kinds(outcome)
    assert ("warning", "Exit.csv", "WorkplaceViolenceThreats", "header.spelling") in found
    assert ("warning", "Export.csv", "ExportDate", "format.date-time") in found
    assert rows_of(outcome, "Funder.csv", "Funder", "list.retired") == [2, 5, 35]
    assert not outcome.log.has_errors
    source = outcome.source
    assert source is not None
    exported = export_hmis(out=tmp_path / "out.zip", actor="test")
    assert_same_records(_read(folder), _read(exported.path))
    again = do_import(folder)
    assert sum(c.inserted + c.updated for c in again.counts.values()) == 0


def test_fy2024_kit_converts_exactly_as_an_independent_converter(tmp_path: Path) -> None:
    fy2024 = shared_path("testkits", "datalab-testkit-input-fy2024-fy2026-csv", "in", "merged", "source")
    converted = shared_path(*DATALAB)
    outcome = do_import(fy2024)
    assert outcome.ok, outcome.log.summary_lines()
    assert ("warning", "Export.csv", "CSVVersion", "version.fy2024") in kinds(outcome)
    exported = export_hmis(out=tmp_path / "out.zip", actor="test")
    assert_same_records(_read(converted), _read(exported.path))
    assert Client.objects.exclude(legacy=None).count() == 514


def test_lsa_sample_imports_with_its_quirks_explained() -> None:
    path = shared_path("testkits", "lsa-fy2026-lsasamplecode", "sample-data", "Sample HMIS Data.zip")
    outcome = do_import(path)
    assert outcome.ok, outcome.log.summary_lines()
    assert outcome.counts["Client"].inserted == 10_606
    assert outcome.counts["Enrollment"].inserted == 16_494
    assert outcome.counts["Disabilities"].inserted == 180_692
    found = kinds(outcome)
    # Abt spells HOHLeaseholder "HoHLeaseholder": read case-insensitively, reported, written with HUD's spelling.
    assert ("warning", "Enrollment.csv", "HOHLeaseholder", "header.spelling") in found
    # Export.csv holds 10 concatenated rows; the data carry one ExportID, whose row is used.
    assert ("warning", "Export.csv", "", "export.rows") in found
    # Subsidy-type codes written as destinations: kept as given, each row listed.
    tolerated = [i for i in outcome.log.issues() if i.rule == "list.tolerated"]
    assert sorted((i.value for i in tolerated), key=str) == ["419", "434", "434", "440"]
    assert Exit.objects.filter(destination__in=[419, 434, 440]).count() == 4
    assert Source.objects.get().name == "Square Peg HMIS"


def test_greenriver_validation_set_is_rejected_with_its_problems() -> None:
    outcome = do_import(shared_path("hmis-csv-samples", "greenriver-fy2026-validation_files"))
    assert outcome.status == RunStatus.REJECTED
    found = kinds(outcome)
    expected = {
        ("error", "Client.csv", "PersonalID", "required"),
        ("error", "Client.csv", "VeteranStatus", "required"),
        ("error", "Client.csv", "NameDataQuality", "list"),
        ("error", "Assessment.csv", "AssessmentType", "list"),
        ("error", "Affiliation.csv", "ResProjectID", "reference"),
        ("error", "Affiliation.csv", "AffiliationID", "key.duplicate"),
        ("error", "Assessment.csv", "ExportID", "export.mismatch"),
        ("error", "Assessment.csv", "ExportID", "row.short"),
    }
    assert expected <= found
    assert hud_row_count() == 0
    assert Source.objects.count() == 0


def test_greenriver_enrollment_test_set_is_rejected_with_its_problems() -> None:
    outcome = do_import(shared_path("hmis-csv-samples", "greenriver-fy2026-enrollment_test_files"))
    assert outcome.status == RunStatus.REJECTED
    found = kinds(outcome)
    expected = {
        ("error", "IncomeBenefits.csv", "", "file.missing"),
        ("error", "HealthAndDV.csv", "", "file.missing"),
        ("error", "Disabilities.csv", "", "file.missing"),
        ("error", "Enrollment.csv", "HouseholdID", "required"),
        ("error", "Assessment.csv", "PersonalID", "reference"),
        ("error", "Assessment.csv", "ExportID", "export.mismatch"),
    }
    assert expected <= found
    assert hud_row_count() == 0


def test_lsa_small_files_are_an_incomplete_export() -> None:
    outcome = do_import(shared_path("hmis-csv-samples", "lsasamplecode-fy2026-small-files"))
    assert outcome.status == RunStatus.REJECTED
    missing = {f for (sev, f, _c, rule) in kinds(outcome) if rule == "file.missing"}
    assert missing == {
        "Client.csv",
        "Enrollment.csv",
        "Exit.csv",
        "Disabilities.csv",
        "HealthAndDV.csv",
        "Services.csv",
    }
    assert hud_row_count() == 0
