"""The data-exchange pages: who may use them (the whole persona matrix), uploads, exports, results, downloads."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as Browser

from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.exchange.exporter import ExportOptions
from hearth.hmis.models import Project
from hearth.jobs.exchange import request_export, request_import
from hearth.jobs.models import Job, JobState
from hearth.jobs.worker import Worker
from tests.builders import ExportBuilder
from tests.web.personas import PERSONAS, World

# IMPORT_EXPORT is the HMIS Lead's (granted at a CoC); the deployment's superuser holds no role, so no client data.
MAY_EXCHANGE = {"lead_a", "lead_b"}
PAGES = ["/exchange/", "/exchange/import/", "/exchange/export/"]


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


def zip_upload(builder: ExportBuilder, tmp_path: Path, name: str = "vendor.zip") -> SimpleUploadedFile:
    path = builder.write_zip(tmp_path / name)
    return SimpleUploadedFile(name, path.read_bytes(), content_type="application/zip")


def run_all() -> int:
    return Worker("page-test-worker", threaded=False).run(burst=True)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", PAGES)
def test_pages_open_only_to_import_export(world: World, persona: str, url: str) -> None:
    response = browser_for(world, persona).get(url)
    assert response.status_code == (200 if persona in MAY_EXCHANGE else 404)
    nav = browser_for(world, persona).get("/")
    assert (b"Data exchange</span>" in nav.content) == (persona in MAY_EXCHANGE)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MAY_EXCHANGE))
def test_a_denied_upload_queues_nothing_and_keeps_no_file(
    world: World, persona: str, tmp_path: Path, minimal: ExportBuilder, settings: Any
) -> None:
    before = AuditEvent.objects.count()
    response = browser_for(world, persona).post("/exchange/import/", {"export": zip_upload(minimal, tmp_path)})
    assert response.status_code == 404
    assert Job.objects.count() == 0
    assert AuditEvent.objects.count() == before
    assert not (Path(settings.HEARTH_WORK_DIR) / "jobs").exists()


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MAY_EXCHANGE))
def test_a_denied_export_queues_nothing(world: World, persona: str) -> None:
    response = browser_for(world, persona).post(
        "/exchange/export/", {"period": "other", "directive": "full", "acknowledge": "on"}
    )
    assert response.status_code == 404
    assert Job.objects.count() == 0


def test_upload_queues_an_import_and_the_job_page_shows_the_result(
    world: World, tmp_path: Path, minimal: ExportBuilder
) -> None:
    browser = browser_for(world, "lead_a")
    response = browser.post("/exchange/import/", {"export": zip_upload(minimal, tmp_path), "source": "Old vendor"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exchange/jobs/{job.pk}/"
    assert (job.kind, job.state, job.requested_by, job.parameters) == (
        "import",
        JobState.QUEUED,
        world.users["lead_a"],
        {"filename": "vendor.zip", "source": "Old vendor"},
    )
    queued = browser.get(f"/exchange/jobs/{job.pk}/")
    assert b'role="progressbar"' in queued.content
    assert b'aria-valuenow="0"' in queued.content
    assert f'hx-get="/exchange/jobs/{job.pk}/status/"'.encode() in queued.content
    assert b'aria-live="polite"' in queued.content
    run_all()
    status = browser.get(f"/exchange/jobs/{job.pk}/status/", headers={"HX-Request": "true"})
    assert b"hx-trigger" not in status.content  # finished: polling stops
    assert b"Imported" in status.content
    assert b'hx-swap-oob="innerHTML"' in status.content
    page = browser.get(f"/exchange/jobs/{job.pk}/")
    text = page.content.decode()
    assert "Imported into source “Old vendor”" in text
    assert '<th scope="row" data-label="File">Client.csv</th>' in text
    assert "/files/" not in text  # a clean import has no problem report to offer, and no export


def test_a_rejected_import_shows_each_problem_with_row_and_column(
    world: World, tmp_path: Path, minimal: ExportBuilder
) -> None:
    broken = minimal.copy()
    broken.set("Client", "C2", Sex=7)
    browser = browser_for(world, "lead_a")
    browser.post("/exchange/import/", {"export": zip_upload(broken, tmp_path)})
    run_all()
    job = Job.objects.get()
    text = browser.get(f"/exchange/jobs/{job.pk}/").content.decode()
    assert "Nothing was imported: 1 error in the export." in text
    assert "Sex is not a value of HUD list 4.21. [Eva 50]" in text
    assert f'href="/exchange/jobs/{job.pk}/files/report/"' in text
    assert (
        '<td data-label="File">Client.csv</td>\n      <td data-label="Row">3</td>\n      '
        '<td data-label="Column">Sex</td>\n      <td data-label="Value">7</td>'
    ) in text


def test_problems_are_paged(world: World, tmp_path: Path, minimal: ExportBuilder) -> None:
    broken = minimal.copy()
    for n in range(150):
        values: dict[str, str | int | None] = {**broken.row("Client", "C1"), "PersonalID": f"X{n}", "Sex": 7}
        broken.add("Client", **values)
    browser = browser_for(world, "lead_a")
    browser.post("/exchange/import/", {"export": zip_upload(broken, tmp_path)})
    run_all()
    job = Job.objects.get()
    first = browser.get(f"/exchange/jobs/{job.pk}/").content.decode()
    assert "Problems 1 to 100 of 150" in first
    assert "Page 1 of 2" in first
    second = browser.get(f"/exchange/jobs/{job.pk}/?page=2").content.decode()
    assert "Problems 101 to 150 of 150" in second
    assert '<td data-label="Row">152</td>' in second


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "Choose the HMIS CSV export to upload"),
        ([("notes.xlsx", b"PK-not-really")], "“notes.xlsx” is neither a .zip nor a .csv file."),
        ([("export.zip", b"this is not a zip")], "“export.zip” is not a readable zip file."),
        ([("export.zip", b"")], "The file you chose is empty."),
        ([("Client.csv", b"a"), ("client.CSV", b"b")], "Two of the CSV files have the same name"),
    ],
)
def test_bad_uploads_are_explained_and_queue_nothing(
    world: World, files: list[tuple[str, bytes]], message: str
) -> None:
    browser = browser_for(world, "lead_a")
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    response = browser.post("/exchange/import/", {"export": uploads, "source": "Kept value"})
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert 'aria-describedby="id_export-hint id_export-error"' in text
    assert 'value="Kept value"' in text  # what the user typed is not lost
    assert Job.objects.count() == 0


def test_an_oversize_upload_is_refused_with_the_limit(
    world: World, tmp_path: Path, minimal: ExportBuilder, settings: Any
) -> None:
    settings.HEARTH_UPLOAD_MAX_BYTES = 1024
    response = browser_for(world, "lead_a").post("/exchange/import/", {"export": zip_upload(minimal, tmp_path)})
    assert "the largest Hearth accepts here is 1.0\xa0KB" in response.content.decode()
    assert Job.objects.count() == 0


def test_the_export_page_warns_and_requires_an_acknowledgement(world: World) -> None:
    browser = browser_for(world, "lead_a")
    page = browser.get("/exchange/export/").content.decode()
    assert "This file holds client data" in page
    response = browser.post("/exchange/export/", {"period": "other", "directive": "full"})
    assert "Confirm how you will keep the file: it holds client data." in response.content.decode()
    assert Job.objects.count() == 0


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"period": "reporting"}, "start", "Enter the period&#x27;s start date."),
        ({"period": "updated", "start": "2025-01-01"}, "end", "Enter the period&#x27;s end date."),
        (
            {"period": "reporting", "start": "2025-02-01", "end": "2025-01-01"},
            "end",
            "The period ends before it starts",
        ),
        ({"period": "other", "directive": "delta"}, "directive", "A delta refresh needs a period of changes"),
    ],
)
def test_export_options_are_checked(world: World, form: dict[str, str], field: str, message: str) -> None:
    data = {"directive": "full", "acknowledge": "on", **form}
    response = browser_for(world, "lead_a").post("/exchange/export/", data)
    text = response.content.decode()
    assert message in text
    assert f'id="id_{field}-error"' in text
    assert Job.objects.count() == 0


def test_an_export_is_limited_to_the_leads_own_coc(world: World) -> None:
    """lead_b's CoC holds one project; CoC A's projects and the victim service provider's never leave."""
    browser = browser_for(world, "lead_b")
    page = browser.get("/exchange/export/").content.decode()
    assert "Far County Shelter" in page
    assert "Harbor Night Shelter" not in page
    response = browser.post("/exchange/export/", {"period": "other", "directive": "full", "acknowledge": "on"})
    job = Job.objects.get()
    assert response["Location"] == f"/exchange/jobs/{job.pk}/"
    assert job.parameters["options"]["project_keys"] == [world.projects["z_shelter"].pk]
    assert (job.parameters["options"]["projects"], job.parameters["options"]["sources"]) == ([], [])


def test_a_project_sharing_a_hud_id_with_another_source_is_not_exported(
    world: World, tmp_path: Path, minimal: ExportBuilder
) -> None:
    """HUD IDs are unique within a source only: CoC B's shelter and a vendor's project may both be "P1"."""
    request_import(uploads=[zip_upload(minimal, tmp_path)], source_name="Vendor", by=_actor(world, "lead_a"))
    run_all()
    Project.objects.filter(pk=world.projects["z_shelter"].pk).update(hud_id="P1")
    browser_for(world, "lead_b").post(
        "/exchange/export/", {"period": "other", "directive": "full", "acknowledge": "on"}
    )
    job = Job.objects.get(kind="export")
    assert job.parameters["options"]["project_keys"] == [world.projects["z_shelter"].pk]
    run_all()
    job.refresh_from_db()
    path = job.file_path("export")
    assert path is not None
    with zipfile.ZipFile(path) as archive:
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open("Project.csv"), encoding="utf-8")))
        clients = list(csv.DictReader(io.TextIOWrapper(archive.open("Client.csv"), encoding="utf-8")))
    assert [r["ProjectName"] for r in rows] == ["Far County Shelter"]
    assert len(clients) == 1  # Tom Baker, enrolled there; none of the vendor's clients


def test_a_lead_cannot_choose_a_project_outside_their_reach(world: World) -> None:
    response = browser_for(world, "lead_a").post(
        "/exchange/export/",
        {"period": "other", "directive": "full", "acknowledge": "on", "projects": [world.projects["v_shelter"].pk]},
    )
    assert "Select a valid choice." in response.content.decode()
    assert Job.objects.count() == 0


def test_lead_a_exports_their_projects_but_never_the_victim_service_providers(world: World) -> None:
    browser_for(world, "lead_a").post(
        "/exchange/export/",
        {
            "period": "reporting",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "directive": "full",
            "hashed": "on",
            "acknowledge": "on",
        },
    )
    options = Job.objects.get().parameters["options"]
    expected = sorted(world.projects[p].pk for p in ("a_shelter", "a_outreach", "b_rrh"))
    assert options == {
        "start": "2025-01-01",
        "end": "2025-12-31",
        "period_type": 3,
        "directive": 2,
        "hashed": True,
        "organizations": [],
        "projects": [],
        "sources": [],
        "project_keys": expected,
    }


def test_jobs_are_seen_only_by_their_requester(world: World, tmp_path: Path, minimal: ExportBuilder) -> None:
    job = request_import(uploads=[zip_upload(minimal, tmp_path)], by=Actor.from_request(_request(world, "lead_a")))
    run_all()
    for persona in PERSONAS:
        browser = browser_for(world, persona)
        expected = 200 if persona == "lead_a" else 404
        for url in (f"/exchange/jobs/{job.pk}/", f"/exchange/jobs/{job.pk}/status/"):
            assert browser.get(url).status_code == expected, (persona, url)
        before = AuditEvent.objects.count()
        download = browser.get(f"/exchange/jobs/{job.pk}/files/report/")
        assert download.status_code == expected
        assert AuditEvent.objects.count() == before + (1 if persona == "lead_a" else 0)
        cancel = browser.post(f"/exchange/jobs/{job.pk}/cancel/")
        assert cancel.status_code == (302 if persona == "lead_a" else 404)
    listing = browser_for(world, "lead_b").get("/exchange/").content.decode()
    assert f"Job {job.pk}" not in listing


def _actor(world: World, persona: str) -> Actor:
    return Actor.from_request(_request(world, persona))


def _request(world: World, persona: str) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.users[persona]
    return request


def test_export_download_is_audited_with_the_export_id(world: World, tmp_path: Path, minimal: ExportBuilder) -> None:
    job = request_export(options=ExportOptions(), by=Actor.from_request(_request(world, "lead_a")))
    run_all()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.message
    browser = browser_for(world, "lead_a")
    page = browser.get(f"/exchange/jobs/{job.pk}/").content.decode()
    assert "holds client data; your download is recorded" in page
    response = browser.get(f"/exchange/jobs/{job.pk}/files/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="hmis-csv-export-{job.pk}.zip"'
    assert response["Cache-Control"] == "no-store"
    archive = tmp_path / "downloaded.zip"
    archive.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    with zipfile.ZipFile(archive) as opened:
        assert "Export.csv" in opened.namelist()
    event = AuditEvent.objects.get(action="job.file_downloaded")
    assert (event.actor_id, event.object_type, event.object_id, event.source_ip) == (
        world.users["lead_a"].pk,
        "Job",
        str(job.pk),
        "127.0.0.1",
    )
    assert event.details == {"kind": "export", "file": "export", "export_id": job.result["export_id"], "hashed": False}


def test_unknown_file_roles_and_unfinished_jobs_give_nothing(
    world: World, tmp_path: Path, minimal: ExportBuilder
) -> None:
    job = request_import(uploads=[zip_upload(minimal, tmp_path)], by=Actor.from_request(_request(world, "lead_a")))
    browser = browser_for(world, "lead_a")
    assert browser.get(f"/exchange/jobs/{job.pk}/files/upload/").status_code == 404  # never handed back
    assert browser.get(f"/exchange/jobs/{job.pk}/files/report/").status_code == 404  # not finished
    assert not AuditEvent.objects.filter(action="job.file_downloaded").exists()


def test_cancelling_a_queued_job_from_its_page(world: World, tmp_path: Path, minimal: ExportBuilder) -> None:
    browser = browser_for(world, "lead_a")
    browser.post("/exchange/import/", {"export": zip_upload(minimal, tmp_path)})
    job = Job.objects.get()
    response = browser.post(f"/exchange/jobs/{job.pk}/cancel/", follow=True)
    assert "Cancelled." in response.content.decode()
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert run_all() == 0


def test_the_job_list_costs_the_same_for_1_or_25_jobs(world: World, django_assert_max_num_queries: Any) -> None:
    browser = browser_for(world, "lead_a")
    actor = Actor.from_request(_request(world, "lead_a"))
    request_export(options=ExportOptions(), by=actor)
    browser.get("/exchange/")  # warm the session
    # Most of these are the navigation's reach checks (one per area), the same on every page.
    with django_assert_max_num_queries(40) as one:
        assert browser.get("/exchange/").status_code == 200
    for _ in range(24):
        request_export(options=ExportOptions(), by=actor)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = browser.get("/exchange/")
    assert response.content.decode().count("HMIS CSV export</td>") == 25


def test_the_exchange_pages_show_imports_and_exports_only(world: World, test_kinds: Any) -> None:
    from hearth.jobs.queue import enqueue

    other = enqueue("test.count", by=_actor(world, "lead_a"))
    browser = browser_for(world, "lead_a")
    assert f"Job {other.pk}" not in browser.get("/exchange/").content.decode()
    assert browser.get(f"/exchange/jobs/{other.pk}/").status_code == 404
