"""Older CSV versions: FY2024 exports are read through HUD's change table (FY2022: tests/exchange/test_fy2022.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth.exchange.exporter import export_hmis
from hearth.hmis.models import Client, Enrollment
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import, kinds
from tests.exchange.test_export import read_zip

pytestmark = pytest.mark.django_db

GENDER = [
    "Woman",
    "Man",
    "NonBinary",
    "CulturallySpecific",
    "Transgender",
    "Questioning",
    "DifferentIdentity",
    "GenderNone",
    "DifferentIdentityText",
]
ENROLLMENT_FY2024 = [
    "SexualOrientation",
    "SexualOrientationOther",
    "TranslationNeeded",
    "PreferredLanguage",
    "PreferredLanguageDifferent",
]


def as_fy2024(b: ExportBuilder) -> ExportBuilder:
    b.set("Export", "EXP1", CSVVersion="2024 v1.3")
    client = [h for h in b.spec.record("Client").header if h != "Sex"]
    client[client.index("HispanicLatinao")] = "HispanicLatinaeo"
    b.header_override["Client"] = client[:10] + GENDER + client[10:]
    for row in b.rows["Client"]:
        row["HispanicLatinaeo"] = row.pop("HispanicLatinao")
        row.pop("Sex", None)
        row.update(
            Woman="1" if row["FirstName"] in ("Maria", "Ana") else "0",
            Man="0",
            NonBinary="0",
            CulturallySpecific="0",
            Transgender="0",
            Questioning="0",
            DifferentIdentity="0",
        )
    enrollment = [h for h in b.spec.record("Enrollment").header if h != "MentalHealthConsultation"]
    b.header_override["Enrollment"] = enrollment[:-5] + ENROLLMENT_FY2024 + enrollment[-5:]
    b.set("Enrollment", "E1", SexualOrientation=1, TranslationNeeded=0)
    return b


def test_fy2024_export_is_read_and_its_dropped_columns_kept(tmp_path: Path, minimal: ExportBuilder) -> None:
    outcome = do_import(as_fy2024(minimal).write_zip(tmp_path / "fy24.zip"))
    assert outcome.ok, outcome.log.summary_lines()
    assert ("warning", "Export.csv", "CSVVersion", "version.fy2024") in kinds(outcome)
    maria = Client.objects.get(hud_id="C1")
    assert maria.hispanic_latinao == 1
    assert maria.sex is None
    assert maria.legacy == {
        "Woman": "1",
        "Man": "0",
        "NonBinary": "0",
        "CulturallySpecific": "0",
        "Transgender": "0",
        "Questioning": "0",
        "DifferentIdentity": "0",
        "GenderNone": None,
        "DifferentIdentityText": None,
    }
    assert Enrollment.objects.get(hud_id="E1").legacy == {
        "SexualOrientation": "1",
        "SexualOrientationOther": None,
        "TranslationNeeded": "0",
        "PreferredLanguage": None,
        "PreferredLanguageDifferent": None,
    }
    exported = read_zip(export_hmis(out=tmp_path / "out.zip", actor="test").path)
    row = next(r for r in exported["Client"] if r["PersonalID"] == "C1")
    assert "Woman" not in row
    assert row["HispanicLatinao"] == "1"
    assert row["Sex"] == ""
    assert exported["Export"][0]["CSVVersion"] == "2026 v1.0"
