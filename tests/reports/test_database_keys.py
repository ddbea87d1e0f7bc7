"""Reports on the database read every source at once: with database keys, equal HUD IDs of two sources stay
two people, and every PersonalID / EnrollmentID / ProjectID leads back to its Hearth record."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth.hmis.models import Client, Enrollment, Project
from hearth.reports import registry
from hearth.reports.params import ReportParams
from hearth.reports.tables import load_database
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import

pytestmark = pytest.mark.django_db


def _two_sources(minimal: ExportBuilder, tmp_path: Path) -> None:
    first = minimal.write_zip(tmp_path / "first.zip")
    assert do_import(first, source_name="First vendor").ok
    minimal.rows["Export"][0]["ImplementationID"] = "second-vendor"
    second = minimal.write_zip(tmp_path / "second.zip")
    assert do_import(second, source_name="Second vendor").ok


def test_equal_hud_ids_of_two_sources_stay_apart(minimal: ExportBuilder, tmp_path: Path) -> None:
    _two_sources(minimal, tmp_path)
    people = len({r["PersonalID"] for r in minimal.rows["Client"]})
    assert Client.objects.count() == 2 * people

    by_hud = load_database()
    by_db = load_database(database_keys=True)
    assert by_hud["Client"]["PersonalID"].n_unique() == people  # HUD IDs collide across the sources
    assert sorted(by_db.decode(by_db["Client"])["PersonalID"].to_list()) == sorted(
        str(pk) for pk in Client.objects.values_list("pk", flat=True)
    )
    enrollments = {str(e.pk): (str(e.client_id), str(e.project_id)) for e in Enrollment.objects.all()}
    rows = by_db.decode(by_db["Enrollment"]).select("EnrollmentID", "PersonalID", "ProjectID").rows()
    assert {row[0]: (row[1], row[2]) for row in rows} == enrollments


def test_projects_are_chosen_by_database_id(minimal: ExportBuilder, tmp_path: Path) -> None:
    _two_sources(minimal, tmp_path)
    chosen = Project.objects.filter(hud_id="P1").order_by("source_id").first()
    assert chosen is not None
    tables = load_database(projects=[str(chosen.pk)], database_keys=True)
    assert tables["Project"]["ProjectID"].to_list() == [str(chosen.pk)]
    expected = {str(pk) for pk in Enrollment.objects.filter(project=chosen).values_list("pk", flat=True)}
    assert set(tables.decode(tables["Enrollment"])["EnrollmentID"].to_list()) == expected
    assert expected


def test_a_report_counts_both_sources(minimal: ExportBuilder, tmp_path: Path) -> None:
    _two_sources(minimal, tmp_path)
    params = ReportParams.create(start="2024-10-01", end="2025-09-30")
    result = registry.get("dq").run(load_database(database_keys=True), params)
    people = len({r["PersonalID"] for r in minimal.rows["Enrollment"]})
    assert result.table("Q1")["C2"] == 2 * people
    members = set(result.cell_members("Q1", "C2")["PersonalID"].to_list())
    assert members <= {str(pk) for pk in Client.objects.values_list("pk", flat=True)}
    assert len(members) == 2 * people


def test_q4a_shows_hud_ids_when_the_keys_are_database_ids(minimal: ExportBuilder, tmp_path: Path) -> None:
    # Runs in the application read database ids (two sources may share a HUD ID); Q4a still names the
    # organization and project by the HUD IDs the agency knows.
    _two_sources(minimal, tmp_path)
    chosen = Project.objects.filter(hud_id="P1").order_by("source_id").first()
    assert chosen is not None
    params = ReportParams.create(start="2024-10-01", end="2025-09-30", projects=[str(chosen.pk)])
    q4a = registry.get("apr").run(load_database(projects=[str(chosen.pk)], database_keys=True), params).table("Q4a")
    assert (q4a["B2"], q4a["D2"]) == (chosen.organization.hud_id, "P1")
    assert str(chosen.pk) != "P1"
