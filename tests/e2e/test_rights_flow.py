"""A client's rights through the pages: the case manager records a correction request, makes the change, records
the outcome and hands the client their record; the HMIS Lead runs the retention dry run — each page scanned by
axe-core (WCAG 2.1 AA) and, with HEARTH_SCREENSHOTS set, photographed for the user guide."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.hmis.models import Client
from hearth.jobs.models import Job
from hearth.jobs.queue import claim
from hearth.jobs.runner import run_job
from hearth.rights.models import CorrectionRequest
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world() -> World:
    return build_world()


def sign_in(page: Any, username: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: url.endswith("/"))


def test_correction_request_and_the_clients_record(page: Any, world: World, tmp_path: Path) -> None:
    sign_in(page, "manager_a")
    maria = world.clients["at_a"]

    # 1. The client asks to correct her date of birth: recorded from her profile.
    page.goto(f"/clients/{maria.pk}/")
    page.get_by_role("link", name="Record a correction request").click()
    page.locator("label[for=element-dob]").click()  # USWDS draws the box on the label
    page.get_by_label("What the client asked to change").fill("Date of birth is 03/15/1987, not 03/14/1987.")
    check_accessibility(page, "rights-correction-new")
    page.get_by_role("button", name="Save request").click()
    page.wait_for_url(lambda url: "/corrections/" in url)
    correction = CorrectionRequest.objects.get()
    assert correction.elements == ["dob"]

    # 2. Accepting before the change is made is refused, with the reason shown.
    page.get_by_label("Outcome").select_option("accepted")
    page.get_by_role("button", name="Save outcome").click()
    assert page.locator(".usa-error-message").first.inner_text().startswith("No change to the client's record")
    check_accessibility(page, "rights-correction-refused")

    # 3. The change, through the usual edit page; then the outcome.
    page.goto(f"/clients/{maria.pk}/edit/")
    page.get_by_label("Date of birth", exact=True).fill("1987-03-15")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: url.endswith(f"/clients/{maria.pk}/"))
    assert Client.objects.get(pk=maria.pk).dob == date(1987, 3, 15)
    page.goto(f"/corrections/{correction.pk}/")
    page.get_by_label("Outcome").select_option("accepted")
    page.get_by_role("button", name="Save outcome").click()
    page.wait_for_selector("text=The outcome is recorded.")
    check_accessibility(page, "rights-correction")
    correction.refresh_from_db()
    assert correction.outcome == "accepted"
    assert correction.changes == [AuditEvent.objects.get(action="client.updated").pk]

    # 4. The agency's list and the profile panel.
    page.goto("/corrections/?outcome=all")
    check_accessibility(page, "rights-corrections")
    page.goto(f"/clients/{maria.pk}/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Client rights"))
    check_accessibility(page, "rights-panel")

    # 5. The client's record, as JSON: a download named by Hearth ID only.
    with page.expect_download() as download:
        panel.get_by_role("button", name="Client's record (JSON)").click()
    saved = tmp_path / "record.json"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"client-{maria.pk}-record-{timezone.localdate().isoformat()}.json"
    record = json.loads(saved.read_text())
    assert record["client"]["values"]["DOB"] == "1987-03-15"
    assert record["correction_requests"][0]["outcome"] == "Accepted: the change was made"


def test_retention_dry_run_from_the_page(page: Any, world: World) -> None:
    sign_in(page, "lead_a")
    page.goto("/retention/")
    check_accessibility(page, "rights-retention")
    page.get_by_role("button", name="Start a dry run").click()
    page.wait_for_url(lambda url: "/rights/jobs/" in url)
    job = Job.objects.get(kind="retention")
    claimed = claim("e2e")
    assert claimed is not None
    run_job(claimed, "e2e", threaded=False)
    page.goto(f"/rights/jobs/{job.pk}/")
    page.wait_for_selector("text=Nothing was changed")
    check_accessibility(page, "rights-retention-job")
    page.goto("/retention/")
    assert page.get_by_role("link", name="Download the list of dry run").count() == 1
