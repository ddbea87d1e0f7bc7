"""An agency administrator runs the HMIS Data Quality report on the agency's shelter from the Reports page,
watches it compute in the background, reads HUD's tables and opens the people behind a number.

A worker runs in a thread of the test, as the demo runs one next to its web server.
"""

from __future__ import annotations

from typing import Any

import pytest

from hearth.reports.models import ReportRun
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings: Any) -> World:
    # SQLite in memory with a shared cache fails a writer at once on another connection's lock: keep the pages'
    # own writes to the ones the flow needs while the worker thread writes (as tests/e2e/test_exchange_flow.py).
    settings.SESSION_SAVE_EVERY_REQUEST = False
    return build_world()


def test_run_a_report_and_open_the_people_behind_a_number(page: Any, world: World, worker: Any) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("admin_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("heading", name="Run a report").wait_for()

    page.get_by_text("HMIS Data Quality").click()
    page.get_by_label("Report start date").fill("2025-10-01")
    page.get_by_label("Report end date").fill("2026-09-30")
    page.get_by_label("Projects").select_option(label="Harbor House · Harbor Night Shelter")
    check_accessibility(page, "reports-01-choose")
    page.get_by_role("button", name="Run the report").click()

    page.get_by_role("progressbar").wait_for()
    check_accessibility(page, "reports-02-queued")
    worker()
    # The status part sees the stored result and reloads the page with the tables.
    page.get_by_role("heading", name="Q1. ").first.wait_for(timeout=30_000)
    run = ReportRun.objects.get()
    assert run.stored
    assert run.people == 1
    check_accessibility(page, "reports-03-tables")

    page.get_by_role("link", name="1: Total number of persons served, people behind Q1 C2").click()
    page.get_by_role("heading", name="Q1 C2: the people behind the number").wait_for()
    page.get_by_role("link", name="Lopez, Maria").wait_for()
    check_accessibility(page, "reports-04-people")

    page.get_by_role("link", name=f"HMIS Data Quality #{run.pk}").click()
    page.get_by_role("link", name="Download the Sage upload zip").wait_for()
    with page.expect_download() as sage:
        page.get_by_role("link", name="Download the Sage upload zip").click()
    assert sage.value.suggested_filename.startswith(f"dq-{run.pk}-sage-")

    # Deleting the run: confirmed with a tick, then gone from the list, with its tables and people lists.
    page.get_by_role("button", name="Delete this run").click()
    assert ReportRun.objects.filter(pk=run.pk).exists()  # the browser asks for the tick first (required box)
    # USWDS draws the box on the label (the input itself is visually hidden), so a person clicks the label.
    page.locator("label[for=confirm-delete]").click()
    assert page.get_by_label(f"Delete run #{run.pk} and its tables for good").is_checked()
    page.get_by_role("button", name="Delete this run").click()
    page.get_by_text(f"Deleted report run #{run.pk}.").wait_for()
    assert not ReportRun.objects.filter(pk=run.pk).exists()
    assert not run.folder().exists()
    check_accessibility(page, "reports-05-deleted")
