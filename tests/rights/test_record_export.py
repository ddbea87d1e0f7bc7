"""A client's full record exported on request: who may, what is in it, how it leaves (issue 4 §7a)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client as Browser
from django.utils import timezone

from hearth.access.roles import Permission
from hearth.audit.models import AuditEvent
from hearth.casework.models import CaseNote
from hearth.hmis.models import Client, Enrollment, Services, Source
from hearth.jobs import queue
from hearth.jobs.models import Job, JobState
from hearth.jobs.runner import run_job
from hearth.rights import exports
from hearth.rights.record import client_record
from tests import factories as make
from tests.web.personas import CAN_EDIT, CLIENTS, PERSONAS, World


def _browser(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


@pytest.fixture
def signed(world: World) -> World:
    return world


def _exported() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="client.record_exported").order_by("pk"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_export_a_record(signed: World, persona: str) -> None:
    """The whole matrix, every client for each persona: staff who may correct the client (EDIT_CLIENTS over
    them) export; everyone else gets "not found", with nothing recorded and nothing sent."""
    browser = _browser(signed, persona)
    answers = {}
    for who in CLIENTS:
        client = signed.clients[who]
        response = browser.post(f"/clients/{client.pk}/record/", {"format": "json"})
        answers[who] = response.status_code
        if response.status_code != 200:
            assert client.last_name.encode() not in response.content
    assert answers == {who: 200 if who in CAN_EDIT[persona] else 404 for who in CLIENTS}
    expected = sorted(str(signed.clients[who].pk) for who in CAN_EDIT[persona])
    assert sorted(e.object_id for e in _exported()) == expected


def test_json_export_holds_the_record_and_leaves_no_trace_of_the_name(signed: World) -> None:
    client = signed.clients["at_a"]
    client.ssn = "123456789"
    client.ssn_data_quality = 1
    client.save()
    response = _browser(signed, "manager_a").post(f"/clients/{client.pk}/record/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="client-{client.pk}-record-{today}.json"'
    record = json.loads(response.content)
    assert record["format"] == "hearth-client-record"
    assert record["client"]["hearth_id"] == client.pk
    values = record["client"]["values"]
    assert values["FirstName"] == "Maria"
    assert values["LastName"] == "Lopez"
    assert values["DOB"] == "1987-03-14"
    assert values["SSN"] == "•••-••-6789"
    assert record["client"]["labels"]["NameDataQuality"] == "Full name reported"
    assert b"123456789" not in response.content
    assert [e["project"] for e in record["enrollments"]] == ["Harbor Night Shelter"]
    assert record["case_notes"] == []
    assert record["files"] == []
    assert record["correction_requests"] == []
    event = _exported()[0]
    assert (event.actor, event.object_type, event.details) == ("manager_a", "Client", {"format": "json", "rows": 2})


def test_pdf_export_is_a_pdf(signed: World) -> None:
    client = signed.clients["at_a"]
    response = _browser(signed, "manager_a").post(f"/clients/{client.pk}/record/", {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    assert "Lopez" not in response["Content-Disposition"]
    assert _exported()[0].details == {"format": "pdf", "rows": 2}


def test_an_unknown_format_is_not_found_and_a_get_is_refused(signed: World) -> None:
    client = signed.clients["at_a"]
    browser = _browser(signed, "manager_a")
    assert browser.post(f"/clients/{client.pk}/record/", {"format": "xml"}).status_code == 404
    assert browser.get(f"/clients/{client.pk}/record/?format=json").status_code == 405
    assert _exported() == []


def test_the_record_holds_only_what_the_user_may_see(signed: World) -> None:
    """Another agency's enrollment of the same client, and case notes for a user without the permission."""
    client = signed.clients["at_a"]
    make.enrollment(client, signed.projects["b_rrh"], entry=date(2025, 6, 1))
    CaseNote.objects.create(
        client=client,
        organization=signed.orgs["a"],
        contact_date=date(2026, 1, 6),
        text="Talked about housing.",
        author=signed.users["manager_a"],
        created_at=timezone.now(),
    )
    manager = client_record(signed.users["manager_a"], client)
    lead = client_record(signed.users["lead_a"], client)
    intake = client_record(signed.users["intake_a"], client)
    assert [e["project"] for e in manager["enrollments"]] == ["Harbor Night Shelter"]
    assert [e["project"] for e in lead["enrollments"]] == ["Bridge Rapid Rehousing", "Harbor Night Shelter"]
    assert [n["text"] for n in manager["case_notes"]] == ["Talked about housing."]
    assert intake["case_notes"] is None  # intake workers do not read case notes


def test_services_and_bed_nights_are_listed_apart(signed: World) -> None:
    client = signed.clients["at_a"]
    enrollment = Enrollment.objects.get(client=client)
    now = timezone.now()
    for hud_id, record_type, type_provided, day in (
        ("S1", 200, 200, date(2026, 1, 5)),
        ("S2", 200, 200, date(2026, 1, 6)),
        ("S3", 144, 3, date(2026, 1, 7)),
    ):
        Services.objects.create(
            source=Source.local(),
            hud_id=hud_id,
            enrollment=enrollment,
            client=client,
            date_provided=day,
            record_type=record_type,
            type_provided=type_provided,
            date_created=now,
            date_updated=now,
            user_id="T1",
        )
    record = client_record(signed.users["manager_a"], client)
    (only,) = record["enrollments"]
    assert only["bed_nights"] == ["2026-01-05", "2026-01-06"]
    assert [s["values"]["DateProvided"] for s in only["services"]] == ["2026-01-07"]
    assert only["services"][0]["values"]["RecordType"] == 144


def test_a_large_record_is_made_by_a_background_job(signed: World, settings: pytest.FixtureRequest) -> None:
    settings.HEARTH_CLIENT_RECORD_INLINE_ROWS = 1  # type: ignore[attr-defined]
    client = signed.clients["at_a"]
    browser = _browser(signed, "manager_a")
    response = browser.post(f"/clients/{client.pk}/record/", {"format": "json"})
    job = Job.objects.get(kind=exports.KIND)
    assert response.status_code == 302
    assert response["Location"] == f"/rights/jobs/{job.pk}/"
    assert job.parameters == {"client": client.pk, "format": "json"}
    assert _exported() == []  # not yet made
    claimed = queue.claim("test")
    assert claimed is not None
    assert claimed.pk == job.pk
    assert run_job(claimed, "test", threaded=False) == JobState.SUCCEEDED
    page = browser.get(f"/rights/jobs/{job.pk}/")
    assert page.status_code == 200
    assert b"The client&#x27;s record is ready (2 rows)." in page.content
    download = browser.get(f"/rights/jobs/{job.pk}/file/")
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"
    today = timezone.localdate().isoformat()
    assert download["Content-Disposition"] == f'attachment; filename="client-{client.pk}-record-{today}.json"'
    assert json.loads(download.getvalue())["client"]["values"]["LastName"] == "Lopez"
    assert [(e.object_id, e.details["job"]) for e in _exported()] == [(str(client.pk), job.pk)]
    # Another user, even one who may see the client, never sees the job or its file.
    other = _browser(signed, "admin_a")
    assert other.get(f"/rights/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/rights/jobs/{job.pk}/file/").status_code == 404


def test_the_job_refuses_when_the_requester_lost_access(signed: World, settings: pytest.FixtureRequest) -> None:
    from hearth.access.models import RoleAssignment

    settings.HEARTH_CLIENT_RECORD_INLINE_ROWS = 1  # type: ignore[attr-defined]
    client = signed.clients["at_a"]
    _browser(signed, "manager_a").post(f"/clients/{client.pk}/record/", {"format": "pdf"})
    RoleAssignment.objects.filter(user=signed.users["manager_a"]).delete()
    claimed = queue.claim("test")
    assert claimed is not None
    assert run_job(claimed, "test", threaded=False) == JobState.FAILED
    claimed.refresh_from_db()
    assert claimed.message == "You may no longer export this client's record."
    assert claimed.files == {}
    assert _exported() == []


def test_export_permission_is_edit_clients() -> None:
    assert exports.EXPORT_PERMISSION == Permission.EDIT_CLIENTS


def _health(client: Client, enrollment: Enrollment) -> None:
    from hearth.hmis.models import HealthAndDV

    now = timezone.now()
    HealthAndDV.objects.create(
        source=Source.local(),
        hud_id="HD1",
        enrollment=enrollment,
        client=client,
        information_date=date(2026, 1, 5),
        data_collection_stage=1,
        domestic_violence_survivor=1,
        when_occurred=4,
        currently_fleeing=0,
        general_health_status=3,
        date_created=now,
        date_updated=now,
        user_id="T1",
    )


def test_assessments_are_listed_with_hud_labels_and_dv_answers_stay_with_their_agency(
    signed: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed.clients["at_a"]
    _health(client, Enrollment.objects.get(client=client))
    (own,) = client_record(signed.users["manager_a"], client)["enrollments"]
    (row,) = own["assessments"]
    assert row["record"] == "HealthAndDV"
    assert row["values"] == {
        "HealthAndDVID": "HD1",
        "InformationDate": "2026-01-05",
        "DomesticViolenceSurvivor": 1,
        "WhenOccurred": 4,
        "CurrentlyFleeing": 0,
        "GeneralHealthStatus": 3,
        "DataCollectionStage": 1,
        "DateCreated": row["values"]["DateCreated"],
        "DateUpdated": row["values"]["DateUpdated"],
    }
    assert row["labels"]["DataCollectionStage"] == "Project entry"
    assert row["labels"]["DomesticViolenceSurvivor"] == "Yes"
    # A user who reaches the enrollment but not through the recording agency's grants (consent to share): the
    # 4.11 answers are left out, the rest of the record stays.
    from hearth.access import dv

    monkeypatch.setattr(dv, "readable_projects", lambda user: frozenset())
    (shared,) = client_record(signed.users["manager_a"], client)["enrollments"]
    (masked,) = shared["assessments"]
    assert set(masked["values"]) == {
        "HealthAndDVID",
        "InformationDate",
        "GeneralHealthStatus",
        "DataCollectionStage",
        "DateCreated",
        "DateUpdated",
    }
    assert "DomesticViolenceSurvivor" not in masked["labels"]


def test_a_record_made_by_a_job_is_removed_after_a_day(signed: World, settings: pytest.FixtureRequest) -> None:
    settings.HEARTH_CLIENT_RECORD_INLINE_ROWS = 1  # type: ignore[attr-defined]
    client = signed.clients["at_a"]
    browser = _browser(signed, "manager_a")
    browser.post(f"/clients/{client.pk}/record/", {"format": "pdf"})
    claimed = queue.claim("test")
    assert claimed is not None
    run_job(claimed, "test", threaded=False)
    claimed.refresh_from_db()
    folder = claimed.folder()
    assert (folder / "record.pdf").exists()
    finished = claimed.finished_at
    assert finished is not None
    assert exports.available_until(claimed) == finished + timedelta(hours=24)
    assert exports.remove_if_expired(claimed, now=finished + timedelta(hours=23)) is False
    Job.objects.filter(pk=claimed.pk).update(finished_at=timezone.now() - timedelta(hours=25))
    assert browser.get(f"/rights/jobs/{claimed.pk}/file/").status_code == 404
    assert not folder.exists()
    assert Job.objects.get(pk=claimed.pk).files == {}
    page = browser.get(f"/rights/jobs/{claimed.pk}/")
    assert b"The file was removed" in page.content


def test_releases_and_the_disclosure_log_are_in_the_record(signed: World) -> None:
    from hearth.audit.actor import Actor
    from hearth.consent.actions import record_release
    from hearth.consent.models import Disclosure

    client = signed.clients["at_a"]
    release = record_release(
        client=client,
        organization=signed.orgs["a"],
        categories=["services", "identity"],
        starts_on=date(2026, 1, 5),
        method="written",
        coc_wide=True,
        by=Actor(user=signed.users["manager_a"], name="manager_a"),
    )
    Disclosure.objects.create(
        client_id=client.pk,
        user_id=signed.users["admin_a"].pk,
        user_name="worker_b",
        organization_id=signed.orgs["b"].pk,
        release=release,
        what="profile",
        at=timezone.now(),
    )
    record = client_record(signed.users["manager_a"], client)
    (shown,) = record["releases"]
    assert (shown["client"], shown["coc_wide"], shown["method"]) == (client.pk, True, "written")
    assert shown["categories"] == ["identity", "services"]
    assert shown["starts_on"] == "2026-01-05"
    (logged,) = record["disclosures"]
    assert (logged["user_name"], logged["what"], logged["release"]) == ("worker_b", "profile", release.pk)


def test_the_pdf_holds_the_record_and_falls_back_to_latin_letters_without_a_unicode_font(
    signed: World, settings: pytest.FixtureRequest
) -> None:
    from hearth.rights import pdf
    from tests.consent_pages.pdftext import pdf_text

    settings.HEARTH_PDF_FONT = "/nonexistent/font.ttf"  # type: ignore[attr-defined]
    client = signed.clients["at_a"]
    client.first_name = "Zoë"
    client.save()
    text = pdf_text(pdf.render(client_record(signed.users["manager_a"], client)))
    assert f"Hearth ID {client.pk}" in text
    assert "FirstName: Zoe LastName: Lopez NameDataQuality: 1 (Full name reported)" in text
    assert "DOB: 1987-03-14 DOBDataQuality: 1 (Full DOB reported)" in text
    assert "Harbor Night Shelter (Harbor House)" in text
    assert "Correction requests (0)" in text


def test_making_a_pdf_logs_nothing_of_its_letters(signed: World, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from hearth.rights import pdf

    caplog.set_level(logging.DEBUG)
    pdf.render(client_record(signed.users["manager_a"], signed.clients["at_a"]))
    assert [r.name for r in caplog.records if r.name.startswith("fontTools")] == []


def test_a_copy_made_through_sharing_goes_in_the_disclosure_log(signed: World) -> None:
    """An agency that reaches the client only through a release records a disclosure of the export, naming the
    release; the client's own agency does not (direct service is its own use, kept by the audit trail)."""
    from django.contrib.auth import get_user_model

    from hearth.access.models import RoleAssignment
    from hearth.audit.actor import Actor
    from hearth.consent.actions import record_release
    from hearth.consent.models import Disclosure

    client = signed.clients["at_a"]
    release = record_release(
        client=client,
        organization=signed.orgs["a"],
        categories=["identity", "enrollment_history", "services"],
        starts_on=date(2026, 1, 5),
        method="written",
        coc_wide=True,
        by=Actor(user=signed.users["manager_a"], name="manager_a"),
    )
    worker_b = get_user_model().objects.create_user("worker_b", "worker_b@example.org", "x")
    RoleAssignment.objects.create(user=worker_b, role="case_manager", organization=signed.orgs["b"])
    shared = Browser()
    shared.force_login(worker_b)
    assert shared.post(f"/clients/{client.pk}/record/", {"format": "json"}).status_code == 200
    exported = Disclosure.objects.filter(client_id=client.pk, what="export")
    assert [(d.user_name, d.release_id, d.organization_id) for d in exported] == [
        ("worker_b", release.pk, signed.orgs["b"].pk)
    ]
    _browser(signed, "manager_a").post(f"/clients/{client.pk}/record/", {"format": "json"})
    assert Disclosure.objects.filter(client_id=client.pk, what="export").count() == 1
