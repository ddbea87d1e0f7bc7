"""HMIS CSV exports carry none of a victim service provider's client-level records (its own copy aside), hashed
or not, and no confidential project's street address."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from hearth.exchange.exporter import ExportOptionError, ExportOptions, export_hmis
from tests.vsp.world import VspWorld

pytestmark = pytest.mark.django_db

# Every file holding client-level records (PersonalID): a VSP's must be absent from all of them.
CLIENT_FILES = (
    "Client",
    "Enrollment",
    "Exit",
    "IncomeBenefits",
    "HealthAndDV",
    "EmploymentEducation",
    "Disabilities",
    "Services",
    "CurrentLivingSituation",
    "Assessment",
    "AssessmentQuestions",
    "AssessmentResults",
    "Event",
    "YouthEducationStatus",
)


def read_zip(path: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8")))
            for name in archive.namelist()
        }


def export(tmp_path: Path, **options: object) -> dict[str, list[dict[str, str]]]:
    out = tmp_path / f"export-{len(list(tmp_path.glob('*.zip')))}.zip"
    export_hmis(out=out, actor="test", options=ExportOptions(**options))  # type: ignore[arg-type]
    return read_zip(out)


def personal_ids(files: dict[str, list[dict[str, str]]]) -> set[str]:
    return {row["PersonalID"] for name in CLIENT_FILES for row in files.get(name, [])}


def enrollment_ids(files: dict[str, list[dict[str, str]]]) -> set[str]:
    return {row["EnrollmentID"] for name in CLIENT_FILES if name != "Client" for row in files.get(name, [])}


def test_full_export_carries_no_vsp_client_record(vw: VspWorld, tmp_path: Path) -> None:
    w = vw.w
    files = export(tmp_path)
    ids = personal_ids(files)
    c = w.clients
    # The VSP's only clients (served, registered) are absent everywhere; the client A also serves is A's.
    assert c["at_v"].hud_id not in ids
    assert c["registered_v"].hud_id not in ids
    assert {row["PersonalID"] for row in files["Client"]} == {
        c[n].hud_id for n in ("at_a", "at_a_outreach", "at_b", "at_z", "registered_a", "both")
    }
    # No enrollment of the VSP's project, nor anything hanging off one (here: its HealthAndDV rows).
    assert vw.enrollments["at_v"].hud_id not in enrollment_ids(files)
    assert vw.enrollments["both_v"].hud_id not in enrollment_ids(files)
    assert {row["EnrollmentID"] for row in files["HealthAndDV"]} == {
        vw.enrollments[n].hud_id for n in ("at_a", "at_b", "both_a")
    }
    # No name of a VSP client in any file.
    text = "\n".join(str(row) for rows in files.values() for row in rows)
    for name in ("Dana", "Hill", "Iris", "Moon"):
        assert name not in text
    # Descriptors stay (the HIC counts VSP beds): the organization and its project, address blanked.
    assert w.projects["v_shelter"].hud_id in {row["ProjectID"] for row in files["Project"]}


def test_hashed_export_carries_no_vsp_hash(vw: VspWorld, tmp_path: Path) -> None:
    plain = export(tmp_path)
    hashed = export(tmp_path, hashed=True)
    assert len(hashed["Client"]) == len(plain["Client"]) == 6
    assert personal_ids(hashed) == personal_ids(plain)
    assert vw.w.clients["at_v"].hud_id not in personal_ids(hashed)
    assert all(row["FirstName"] != "Dana" and len(row["FirstName"]) == 64 for row in hashed["Client"])


def test_export_naming_the_vsp_still_carries_no_client_record(vw: VspWorld, tmp_path: Path) -> None:
    """Choosing the VSP's organization or project (the command line allows it) is not its own copy."""
    w = vw.w
    for options in (
        {"organizations": (w.orgs["v"].hud_id,)},
        {"projects": (w.projects["v_shelter"].hud_id,)},
        {"organizations": (w.orgs["v"].hud_id, w.orgs["a"].hud_id)},
    ):
        files = export(tmp_path, **options)
        assert w.clients["at_v"].hud_id not in personal_ids(files)
        assert w.clients["registered_v"].hud_id not in personal_ids(files)
        assert vw.enrollments["both_v"].hud_id not in enrollment_ids(files)
    files = export(tmp_path, organizations=(w.orgs["v"].hud_id,))
    assert files["Enrollment"] == []
    assert files["Client"] == []


def test_reporting_period_export_withholds_too(vw: VspWorld, tmp_path: Path) -> None:
    import datetime as dt

    files = export(tmp_path, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), period_type=3)
    assert vw.w.clients["at_v"].hud_id not in personal_ids(files)
    assert vw.enrollments["both_v"].hud_id not in enrollment_ids(files)
    assert vw.enrollments["both_a"].hud_id in enrollment_ids(files)


def test_own_copy_holds_the_vsp_records_and_nothing_else(vw: VspWorld, tmp_path: Path) -> None:
    w = vw.w
    files = export(tmp_path, own_organization=w.orgs["v"].hud_id, organizations=(w.orgs["a"].hud_id,))
    assert {row["PersonalID"] for row in files["Client"]} == {w.clients["at_v"].hud_id, w.clients["both"].hud_id}
    assert {row["EnrollmentID"] for row in files["Enrollment"]} == {
        vw.enrollments["at_v"].hud_id,
        vw.enrollments["both_v"].hud_id,
    }
    assert {row["ProjectID"] for row in files["Project"]} == {w.projects["v_shelter"].hud_id}
    (coc,) = files["ProjectCoC"]
    assert (coc["Address1"], coc["Address2"], coc["City"], coc["State"], coc["ZIP"]) == (
        "77 Hidden Lane",
        "Unit 2",
        "Harbor City",
        "CA",
        "90002",
    )


def test_own_copy_of_an_unknown_organization_is_refused(vw: VspWorld, tmp_path: Path) -> None:
    with pytest.raises(ExportOptionError, match="No organization with OrganizationID NOPE"):
        export_hmis(out=tmp_path / "x.zip", actor="test", options=ExportOptions(own_organization="NOPE"))
    assert not (tmp_path / "x.zip").exists()


def test_confidential_addresses_are_blank_geocode_stays(vw: VspWorld, tmp_path: Path) -> None:
    w = vw.w
    files = export(tmp_path)
    rows = {row["ProjectID"]: row for row in files["ProjectCoC"]}
    columns = ("Address1", "Address2", "City", "State", "ZIP")
    assert [rows[w.projects["a_shelter"].hud_id][c] for c in columns] == [
        "12 Open Street",
        "Unit 2",
        "Harbor City",
        "CA",
        "90001",
    ]
    for confidential in ("v_shelter", "b_rrh"):  # the VSP's, and the one B flagged
        row = rows[w.projects[confidential].hud_id]
        assert [row[c] for c in columns] == ["", "", "", "", ""]
        assert (row["Geocode"], row["CoCCode"], row["GeographyType"]) == ("069999", "XX-500", "1")
    text = (tmp_path / "export-0.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(text)) as archive:
        raw = archive.read("ProjectCoC.csv").decode()
    assert "Hidden Lane" not in raw
    assert "Quiet Court" not in raw
