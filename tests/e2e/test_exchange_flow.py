"""The HMIS Lead imports an HMIS CSV export from a page and watches the background job finish, then exports.

A worker runs in a thread of the test, as the demo runs one next to its web server.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from hearth.hmis.models import Client
from hearth.jobs.models import Job, JobState
from tests.builders import ExportBuilder
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings: Any) -> World:
    # The test database is SQLite in memory with a shared cache, where a writer meeting another connection's
    # lock fails at once instead of waiting (a file database waits, PostgreSQL has row locks): keep the
    # pages' own writes to the ones the flow needs while the worker thread writes.
    settings.SESSION_SAVE_EVERY_REQUEST = False
    return build_world()


def test_import_and_export_from_the_pages(
    page: Any, world: World, worker: Any, tmp_path: Path, minimal: ExportBuilder
) -> None:
    good = minimal.write_zip(tmp_path / "harbor-light-export.zip")
    broken_builder = minimal.copy()
    broken_builder.set("Client", "C2", Sex=7)
    broken_builder.set("Enrollment", "E3", ProjectID="P9")
    broken = broken_builder.write_zip(tmp_path / "old-vendor-export.zip")
    not_zip = tmp_path / "clients.xlsx"
    not_zip.write_bytes(b"not an export")
    clients_before = Client.objects.count()

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lead_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Data exchange").click()
    page.get_by_role("heading", name="Data exchange").wait_for()
    check_accessibility(page, "exchange-01-overview")

    # A file that is not an export is refused on the spot, with the reason next to the field.
    page.get_by_role("link", name="Import an HMIS CSV export").click()
    page.get_by_label("HMIS CSV export").set_input_files(str(not_zip))
    page.get_by_role("button", name="Upload and import").click()
    page.get_by_text("“clients.xlsx” is neither a .zip nor a .csv file.").wait_for()
    check_accessibility(page, "exchange-02-upload-refused")
    assert Job.objects.count() == 0

    # An export with errors: queued, then the worker finds the problems and writes nothing.
    page.get_by_label("HMIS CSV export").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and import").click()
    page.get_by_role("progressbar").wait_for()
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "0"
    check_accessibility(page, "exchange-03-import-queued")
    worker()
    page.get_by_role("heading", name="Nothing was imported").wait_for(timeout=30_000)
    page.get_by_text("Sex is not a value of HUD list 4.21. [Eva 50]").wait_for()
    assert page.locator("#job-announce").inner_text().startswith("Did not finish: Nothing was imported")
    check_accessibility(page, "exchange-04-import-problems")
    assert Client.objects.count() == clients_before

    with page.expect_download() as report:
        page.get_by_role("link", name="Download the problem report (CSV, every row)").click()
    assert report.value.suggested_filename.endswith("-problems.csv")

    # The corrected export imports.
    page.get_by_role("link", name="Data exchange").first.click()
    page.get_by_role("link", name="Import an HMIS CSV export").click()
    page.get_by_label("HMIS CSV export").set_input_files(str(good))
    page.get_by_label("Source (optional)").fill("Harbor Light (old vendor)")
    page.get_by_role("button", name="Upload and import").click()
    page.get_by_role("heading", name="Imported").wait_for(timeout=30_000)
    page.locator("#job-status").get_by_text("Imported into source “Harbor Light (old vendor)”").wait_for()
    check_accessibility(page, "exchange-05-import-done")
    assert Client.objects.count() == clients_before + len(minimal.rows["Client"])

    # An export: the page warns that the file holds client data.
    page.get_by_role("link", name="Data exchange").first.click()
    page.get_by_role("link", name="Export HMIS CSV").click()
    page.get_by_role("heading", name="This file holds client data").wait_for()
    page.get_by_text("Records active in a reporting period").click()
    page.get_by_label("Period start").fill("2024-10-01")
    page.get_by_label("Period end").fill("2025-09-30")
    page.get_by_text("Hash names and SSN").click()
    page.get_by_text("I will keep the file on an approved, encrypted device").click()
    check_accessibility(page, "exchange-06-export-options")
    page.get_by_role("button", name="Start the export").click()
    page.get_by_role("heading", name="Ready").wait_for(timeout=30_000)
    check_accessibility(page, "exchange-07-export-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the export").click()
    saved = tmp_path / "downloaded.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert "Export.csv" in archive.namelist()
    jobs = list(Job.objects.order_by("pk").values_list("kind", "state"))
    assert jobs == [("import", JobState.FAILED), ("import", JobState.SUCCEEDED), ("export", JobState.SUCCEEDED)]

    page.get_by_role("link", name="Data exchange").first.click()
    check_accessibility(page, "exchange-08-job-list")

    # On a phone the tables stack: each problem reads as labelled lines.
    page.set_viewport_size({"width": 390, "height": 844})
    rejected = Job.objects.filter(state=JobState.FAILED).get()
    page.get_by_role("link", name=f"Job {rejected.pk}", exact=True).click()
    page.get_by_role("heading", name="Every problem, row by row").wait_for()
    check_accessibility(page, "exchange-09-problems-on-a-phone")
