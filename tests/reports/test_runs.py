"""Report runs in the application: who may run and read them, the job that computes and freezes them, the
people behind a number through the guarded lookups, and downloads."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.http import FileResponse
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.hmis.models import Enrollment
from hearth.jobs.models import Job
from hearth.jobs.registry import get_kind
from hearth.reports.models import ReportRun
from hearth.reports.runs import RunRequestError, compute, remove_expired_runs, request_run, result_of, runs_for
from tests.web.personas import PASSWORD, PERSONAS, World, build_world

START, END = dt.date(2025, 10, 1), dt.date(2026, 9, 30)


@pytest.fixture
def world(db: None) -> World:
    built = build_world()
    # The world's deleted client keeps a live enrollment; Hearth deletes a client's records with it.
    Enrollment.objects.filter(client=built.clients["deleted_a"]).update(date_deleted=timezone.now())
    return built


def _by(user: Any) -> Actor:
    return Actor(user=user, name=user.username, ip="10.0.0.9")


def _run(world: World, who: str, *projects: str, report: str = "dq") -> ReportRun:
    user = world.users[who]
    run = request_run(
        report=report,
        start=START,
        end=END,
        projects=[world.projects[p] for p in projects],
        by=_by(user),
        user=user,
    )
    assert run.job is not None
    outcome = get_kind("report").function(run.job, lambda stage, done, total: None)
    assert outcome.ok
    # As the worker records it when the job function returns (hearth.jobs.worker).
    Job.objects.filter(pk=run.job.pk).update(state="succeeded", finished_at=timezone.now())
    run.refresh_from_db()
    return run


def _browser(world: World, who: str) -> Browser:
    browser = Browser()
    assert browser.login(username=world.users[who].username, password=PASSWORD)
    return browser


def test_a_run_is_queued_computed_and_frozen(world: World) -> None:
    run = _run(world, "admin_a", "a_shelter", "a_outreach")
    assert run.job is not None
    assert run.job.kind == "report"
    assert run.stored
    assert run.finished_at is not None
    result = result_of(run)
    assert result is not None
    # Q1 (APR Q5a) C2, total persons: Maria Lopez (shelter) and James Carter (outreach).
    assert result.table("Q1")["C2"] == run.people == 2
    members = set(result.cell_members("Q1", "C2")["PersonalID"].to_list())
    assert members == {str(world.clients["at_a"].pk), str(world.clients["at_a_outreach"].pk)}
    assert (run.folder() / "sage.zip").exists()
    # Recomputing is not how a run is read: the stored result stays as it was when more people are enrolled.
    events = AuditEvent.objects.filter(action="report.requested", object_id=str(run.pk))
    assert [(e.actor, e.details["report"], e.details["projects"]) for e in events] == [("admin_a", "dq", 2)]


def test_projects_out_of_reach_are_refused_and_nothing_is_queued(world: World) -> None:
    user = world.users["admin_a"]
    with pytest.raises(RunRequestError, match="not one you may report on"):
        request_run(
            report="dq",
            start=START,
            end=END,
            projects=[world.projects["a_shelter"], world.projects["b_rrh"]],
            by=_by(user),
            user=user,
        )
    with pytest.raises(RunRequestError, match="Choose a report"):
        request_run(
            report="nope", start=START, end=END, projects=[world.projects["a_shelter"]], by=_by(user), user=user
        )
    with pytest.raises(RunRequestError, match="at least one project"):
        request_run(report="dq", start=START, end=END, projects=[], by=_by(user), user=user)
    assert ReportRun.objects.count() == 0
    assert Job.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=["report.requested", "job.enqueued"]).exists()


def test_who_reads_a_run(world: World) -> None:
    mine = _run(world, "admin_a", "a_shelter")
    wide = _run(world, "lead_a", "a_shelter", "b_rrh")
    readers = {name: set(runs_for(world.users[name]).values_list("pk", flat=True)) for name in world.users}
    assert readers == {
        "lead_a": {mine.pk, wide.pk},
        "analyst_a": {mine.pk, wide.pk},
        "admin_a": {mine.pk},  # the CoC-wide run reaches agency B's project
        "manager_a": set(),  # case managers hold no VIEW_REPORTS
        "outreach_worker": set(),
        "intake_a": set(),
        "auditor_a": {mine.pk, wide.pk},
        "admin_v": set(),
        "lead_b": set(),
        "nobody": set(),
        "superuser": set(),
    }
    browser = _browser(world, "admin_a")
    assert browser.get(reverse("web:report-run", args=[wide.pk])).status_code == 404
    assert browser.get(reverse("web:report-sage", args=[wide.pk])).status_code == 404
    assert browser.get(reverse("web:report-cell", args=[wide.pk, "Q1", "C2"])).status_code == 404
    assert not AuditEvent.objects.filter(action__in=["report.downloaded", "report.cell_viewed"]).exists()


def test_the_page_starts_a_run_and_shows_its_tables(world: World) -> None:
    browser = _browser(world, "admin_a")
    page = browser.get(reverse("web:reports"))
    assert page.status_code == 200
    assert b"Harbor Night Shelter" in page.content
    assert b"Bridge Rapid Rehousing" not in page.content
    posted = browser.post(
        reverse("web:reports"),
        {"report": "dq", "start": "2025-10-01", "end": "2026-09-30", "projects": [world.projects["a_shelter"].pk]},
    )
    run = ReportRun.objects.get()
    assert posted.status_code == 302
    assert posted["Location"] == reverse("web:report-run", args=[run.pk])
    waiting = browser.get(reverse("web:report-run", args=[run.pk]))
    status = reverse("web:report-run-status", args=[run.pk])
    assert waiting.status_code == 200
    assert status.encode() in waiting.content
    assert b"Queued" in waiting.content
    assert "HX-Refresh" not in browser.get(status)
    assert run.job is not None
    get_kind("report").function(run.job, lambda stage, done, total: None)
    assert browser.get(status)["HX-Refresh"] == "true"
    shown = browser.get(reverse("web:report-run", args=[run.pk]))
    assert shown.status_code == 200
    cell = reverse("web:report-cell", args=[run.pk, "Q1", "C2"])
    assert cell.encode() in shown.content
    assert "no-store" in shown["Cache-Control"]


def test_bad_dates_are_named_and_nothing_is_queued(world: World) -> None:
    browser = _browser(world, "admin_a")
    page = browser.post(
        reverse("web:reports"),
        {"report": "dq", "start": "2026-09-30", "end": "2025-10-01", "projects": [world.projects["a_shelter"].pk]},
    )
    assert page.status_code == 200
    assert b"The end date must be on or after the start date." in page.content
    assert ReportRun.objects.count() == 0
    assert Job.objects.count() == 0


def test_drill_down_lists_whom_the_reader_may_see(world: World) -> None:
    run = _run(world, "lead_a", "a_shelter", "v_shelter")
    cell = reverse("web:report-cell", args=[run.pk, "Q1", "C2"])
    lead = _browser(world, "lead_a").get(cell)
    assert lead.status_code == 200
    # Maria Lopez is listed; Dana Hill, served by the victim service provider, is counted but never named.
    assert b"Lopez, Maria" in lead.content
    assert b"Hill" not in lead.content
    assert b"Dana" not in lead.content
    assert b"1 of the 2 people on this page are counted but not listed" in lead.content
    analyst = _browser(world, "analyst_a").get(cell)
    assert analyst.status_code == 200
    assert b"Lopez" not in analyst.content
    assert b"counts only" in analyst.content
    viewed = AuditEvent.objects.filter(action="report.cell_viewed").order_by("pk")
    assert [(e.actor, e.details["listed"], e.details["withheld"]) for e in viewed] == [
        ("lead_a", 1, 1),
        ("analyst_a", 0, 2),
    ]
    assert _browser(world, "lead_a").get(reverse("web:report-cell", args=[run.pk, "Q1", "Z99"])).status_code == 404
    assert _browser(world, "lead_a").get(reverse("web:report-cell", args=[run.pk, "Nope", "B2"])).status_code == 404


def test_downloads_are_recorded(world: World) -> None:
    run = _run(world, "admin_a", "a_shelter")
    browser = _browser(world, "admin_a")
    # The stubs type every test-client response as a non-streaming one; this view answers with a FileResponse.
    sage = cast(FileResponse, browser.get(reverse("web:report-sage", args=[run.pk])))
    assert sage.status_code == 200
    assert sage["Cache-Control"] == "no-store"
    chunks = sage.streaming_content
    assert isinstance(chunks, Iterator)  # synchronous under WSGI (the stubs also allow an async iterator)
    names = zipfile.ZipFile(io.BytesIO(b"".join(chunks))).namelist()
    assert sorted(names) == sorted(f"{t}.csv" for t in run.tables)
    table = browser.get(reverse("web:report-table-file", args=[run.pk, "Q1"]))
    assert table.status_code == 200
    assert table["Content-Type"].startswith("text/csv")
    assert browser.get(reverse("web:report-table-file", args=[run.pk, "Q99"])).status_code == 404
    files = [e.details["file"] for e in AuditEvent.objects.filter(action="report.downloaded").order_by("pk")]
    assert files == ["sage.zip", "Q1.csv"]


def test_compute_again_gives_the_same_frozen_numbers(world: World) -> None:
    run = _run(world, "admin_a", "a_shelter")
    first = result_of(run)
    compute(run, lambda stage, done, total: None)
    again = result_of(run)
    assert first is not None
    assert again is not None
    assert {n: t.values for n, t in first.tables.items()} == {n: t.values for n, t in again.tables.items()}


def test_a_dv_cell_names_only_people_whose_answers_the_reader_may_read(db: None) -> None:
    """Q14a counts DV answers (4.11): another agency's client, visible through the CoC's open sharing, is
    counted but not named there, while the same reader's own client is (docs/adr/0013)."""
    import polars as pl

    from hearth.access.models import RoleAssignment
    from hearth.consent.actions import set_sharing_policy
    from tests.vsp.world import build_vsp_world

    vw = build_vsp_world()
    w = vw.w
    lead = w.users["lead_a"]
    set_sharing_policy(
        continuum=w.continuums["a"],
        policy="open",
        deidentify_on_revocation=False,
        privacy_notice_version="1",
        by=_by(lead),
    )
    # Agency A's administrator also reads the CoC's reports.
    RoleAssignment.objects.create(user=w.users["admin_a"], role="coc_analyst", continuum=w.continuums["a"])
    run = _run(w, "lead_a", "a_shelter", "b_rrh", report="apr")
    result = result_of(run)
    assert result is not None
    maria, ana = str(w.clients["at_a"].pk), str(w.clients["at_b"].pk)
    q14a = result.member_ids().filter(pl.col("table") == "Q14a")
    both = (
        q14a.group_by("column", "row")
        .agg(pl.col("PersonalID"))
        .filter(pl.col("PersonalID").list.contains(maria) & pl.col("PersonalID").list.contains(ana))
        .sort("row", "column")
    )
    assert both.height > 0
    column, row = both.row(0)[:2]
    page = _browser(w, "admin_a").get(reverse("web:report-cell", args=[run.pk, "Q14a", f"{column}{row}"]))
    assert page.status_code == 200
    assert b"Lopez, Maria" in page.content
    assert b"Reyes" not in page.content
    # Ana Reyes is listed elsewhere to the same reader (open sharing): only the DV cell withholds her.
    q1 = (
        result.member_ids()
        .filter((pl.col("table") == "Q5a") & (pl.col("PersonalID") == ana))
        .select("column", "row")
        .sort("row", "column")
    )
    q1_column, q1_row = q1.row(0)
    other = _browser(w, "admin_a").get(reverse("web:report-cell", args=[run.pk, "Q5a", f"{q1_column}{q1_row}"]))
    assert b"Reyes, Ana" in other.content


@pytest.mark.parametrize("who", PERSONAS)
def test_who_may_delete_a_run(world: World, who: str) -> None:
    """The requester and the HMIS Lead delete; a reader who may not, and anyone out of reach, get "not found"
    and change nothing (no row, file or audit event goes)."""
    run = _run(world, "admin_a", "a_shelter")
    folder = run.folder()
    assert (folder / "result.json").exists()
    before = AuditEvent.objects.count()
    response = _browser(world, who).post(reverse("web:report-run-delete", args=[run.pk]), {"confirm": "yes"})
    deletes = who in ("admin_a", "lead_a")
    assert response.status_code == (302 if deletes else 404)
    assert ReportRun.objects.filter(pk=run.pk).exists() is not deletes
    assert folder.exists() is not deletes
    events = AuditEvent.objects.filter(action="report.deleted", object_id=str(run.pk))
    assert [(e.actor, e.details) for e in events] == ([(who, {"report": "dq"})] if deletes else [])
    assert AuditEvent.objects.count() == before + (1 if deletes else 0)


def test_a_run_is_deleted_only_when_confirmed_and_finished(world: World) -> None:
    run = _run(world, "admin_a", "a_shelter")
    browser = _browser(world, "admin_a")
    page = browser.get(reverse("web:report-run", args=[run.pk])).content.decode()
    assert "Delete this run" in page
    response = browser.post(reverse("web:report-run-delete", args=[run.pk]), {})
    assert response.status_code == 302
    assert ReportRun.objects.filter(pk=run.pk).exists()
    assert run.job is not None
    Job.objects.filter(pk=run.job.pk).update(state="queued", finished_at=None)
    assert "Delete this run" not in browser.get(reverse("web:report-run", args=[run.pk])).content.decode()
    browser.post(reverse("web:report-run-delete", args=[run.pk]), {"confirm": "yes"})
    assert ReportRun.objects.filter(pk=run.pk).exists()
    assert (run.folder() / "result.json").exists()
    assert not AuditEvent.objects.filter(action="report.deleted").exists()


def test_runs_older_than_the_keeping_period_expire(world: World, settings: Any) -> None:
    old = _run(world, "admin_a", "a_shelter")
    recent = _run(world, "admin_a", "a_shelter")
    now = timezone.now()
    ReportRun.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=401))
    ReportRun.objects.filter(pk=recent.pk).update(created_at=now - dt.timedelta(days=399))
    settings.HEARTH_REPORT_RUN_DAYS = 0
    assert remove_expired_runs(now) == 0
    settings.HEARTH_REPORT_RUN_DAYS = 400
    assert remove_expired_runs(now) == 1
    assert list(ReportRun.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not old.folder().exists()
    assert recent.stored
    event = AuditEvent.objects.get(action="report.expired")
    assert (event.actor, event.details) == (
        "retention",
        {"runs": 1, "days": 400, "first": old.pk, "last": old.pk},
    )
    assert remove_expired_runs(now) == 0
