"""Retention (issue 4 §7c): a dry run lists clients with no activity for seven years; applying it de-identifies
them while keeping what HUD reports count."""

from __future__ import annotations

import datetime as dt
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as Browser
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.log import record
from hearth.hmis.models import Client, Enrollment, Exit, Project, Services, Source
from hearth.jobs import queue
from hearth.jobs.models import Job, JobState
from hearth.jobs.runner import run_job
from hearth.rights import retention
from hearth.rights.models import Deidentified, RetentionCandidate, RetentionRun
from hearth.search.index import rebuild
from hearth.search.models import ClientSearchKey
from tests import factories as make
from tests.web.personas import World

TODAY = date(2026, 11, 27)
OLD = dt.datetime(2015, 2, 1, 12, 0, tzinfo=dt.UTC)


def _old_client(
    first: str, last: str, project: Project, *, dob: date = date(1987, 3, 14), exited: bool = True
) -> Client:
    client = make.client(first, last, dob=dob, ssn="123456789", ssn_data_quality=1, veteran_status=1)
    Client.objects.filter(pk=client.pk).update(date_created=OLD, date_updated=OLD)
    enrollment = make.enrollment(client, project, entry=date(2015, 3, 1))
    Enrollment.objects.filter(pk=enrollment.pk).update(date_created=OLD, date_updated=OLD)
    if exited:
        gone = make.exit_(enrollment, on=date(2016, 1, 10))
        Exit.objects.filter(pk=gone.pk).update(date_created=OLD, date_updated=OLD)
    client.refresh_from_db()
    return client


def _service(client: Client, on: date) -> None:
    enrollment = Enrollment.objects.get(client=client)
    Services.objects.create(
        source=Source.local(),
        hud_id=f"S{client.pk}",
        enrollment=enrollment,
        client=client,
        date_provided=on,
        record_type=144,
        type_provided=3,
        date_created=OLD,
        date_updated=OLD,
        user_id="T1",
    )


@pytest.fixture
def old(world: World) -> dict[str, Client]:
    shelter = world.projects["a_shelter"]
    people = {
        "exited": _old_client("Ada", "Quill", shelter),
        "elderly": _old_client("Bea", "Rowe", shelter, dob=date(1930, 5, 5)),
        "open": _old_client("Cal", "Stone", shelter, exited=False),
        "viewed": _old_client("Dee", "Tran", shelter),
        "served": _old_client("Eli", "Upton", shelter),
        "far": _old_client("Fay", "Vance", world.projects["z_shelter"]),
        "vsp": _old_client("Gus", "Webb", world.projects["v_shelter"]),
    }
    # A view (today) and a service in 2020: both are activity within seven years of TODAY.
    record("client.viewed", actor="manager_a", object_type="Client", object_id=people["viewed"].pk)
    _service(people["served"], date(2020, 6, 1))
    return people


def _ids(run: RetentionRun) -> list[int]:
    return list(RetentionCandidate.objects.filter(run=run).order_by("client_id").values_list("client_id", flat=True))


def test_cutoff() -> None:
    assert retention.cutoff_for(date(2026, 11, 27), 7) == date(2019, 11, 27)
    assert retention.cutoff_for(date(2028, 2, 29), 7) == date(2021, 2, 28)


def test_a_dry_run_lists_inactive_clients_by_id_and_changes_nothing(old: dict[str, Client]) -> None:
    run = retention.dry_run(by=Actor.command_line(), today=TODAY)
    expected = sorted(old[k].pk for k in ("exited", "elderly", "far", "vsp"))
    assert _ids(run) == expected
    assert (run.mode, run.years, run.cutoff, run.continuums) == ("dry_run", 7, date(2019, 11, 27), [])
    assert run.counts == {"clients": 4, "enrollments": 4, "services": 0}
    first = RetentionCandidate.objects.get(run=run, client_id=old["exited"].pk)
    assert (first.personal_id, first.last_activity) == (old["exited"].hud_id, date(2016, 1, 10))
    lines = "".join(retention.candidates_csv(run)).splitlines()
    assert lines[0] == "hearth_id,personal_id,last_activity"
    listed = sorted((old[k] for k in ("exited", "elderly", "far", "vsp")), key=lambda c: c.pk)
    assert lines[1:] == [f"{c.pk},{c.hud_id},2016-01-10" for c in listed]
    assert "Quill" not in "".join(lines)
    assert Client.objects.get(pk=old["exited"].pk).last_name == "Quill"
    assert not Deidentified.objects.exists()


def test_applying_de_identifies_and_keeps_what_reports_count(old: dict[str, Client], world: World) -> None:
    rebuild()
    keys_before = set(ClientSearchKey.objects.filter(client_id=old["exited"].pk).values_list("key", flat=True))
    run = retention.dry_run(by=Actor.command_line(), today=TODAY)
    # Seen after the dry run: kept as is when the run is applied.
    record("client.viewed", actor="manager_a", object_type="Client", object_id=old["far"].pk)
    applied = retention.apply(dry_run_id=run.pk, by=Actor.command_line(), today=TODAY)
    assert applied.counts == {"clients": 3, "enrollments": 3, "services": 0, "skipped": 1}
    assert sorted(Deidentified.objects.values_list("client_id", flat=True)) == sorted(
        old[k].pk for k in ("exited", "elderly", "vsp")
    )

    exited = Client.objects.get(pk=old["exited"].pk)
    assert (exited.first_name, exited.middle_name, exited.last_name, exited.name_suffix) == (None, None, None, None)
    assert (exited.name_data_quality, exited.ssn, exited.ssn_data_quality) == (99, None, 99)
    assert (exited.dob, exited.dob_data_quality) == (date(1987, 1, 1), 2)
    # Kept: the Personal ID, race and ethnicity, sex, veteran status, the enrollment and its exit.
    assert exited.hud_id == old["exited"].hud_id
    assert (exited.hispanic_latinao, exited.sex, exited.veteran_status) == (1, 0, 1)
    assert Enrollment.objects.filter(client=exited, date_deleted__isnull=True).count() == 1
    assert Exit.objects.filter(client=exited, exit_date=date(2016, 1, 10)).count() == 1

    elderly = Client.objects.get(pk=old["elderly"].pk)
    assert (elderly.dob, elderly.dob_data_quality) == (None, 99)  # over 89: not even the year
    far = Client.objects.get(pk=old["far"].pk)
    assert (far.last_name, far.dob, far.ssn) == ("Vance", date(1987, 3, 14), "123456789")

    # The search keys are rebuilt from what remains: only the approximate date of birth.
    assert len(keys_before) > 1
    assert set(ClientSearchKey.objects.filter(client_id=exited.pk).values_list("key", flat=True)) == {"d:19870101"}
    events = {e.object_id: e.details for e in type_events("client.deidentified")}
    assert events[str(exited.pk)] == {
        "run": applied.pk,
        "fields": [
            "dob",
            "dob_data_quality",
            "first_name",
            "last_name",
            "name_data_quality",
            "ssn",
            "ssn_data_quality",
        ],
    }
    (summary,) = type_events("retention.applied")
    assert summary.details == {"dry_run": run.pk, "clients": 3, "enrollments": 3, "services": 0, "skipped": 1}
    # Done clients are never listed again.
    again = retention.dry_run(by=Actor.command_line(), today=TODAY)
    assert _ids(again) == []


def type_events(action: str) -> list[Any]:
    from hearth.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_an_apply_needs_a_finished_dry_run(old: dict[str, Client]) -> None:
    with pytest.raises(retention.RetentionError) as raised:
        retention.apply(dry_run_id=999, by=Actor.command_line(), today=TODAY)
    assert str(raised.value) == "No finished dry run 999: run a dry run first and review its list."
    assert Client.objects.get(pk=old["exited"].pk).last_name == "Quill"


def test_an_hmis_lead_reaches_only_their_cocs_clients(old: dict[str, Client], world: World) -> None:
    """Never another CoC's client, never a victim service provider's, never one another CoC still serves."""
    both = _old_client("Hal", "Xu", world.projects["a_shelter"])
    second = make.enrollment(both, world.projects["z_shelter"], entry=date(2015, 4, 1))
    Enrollment.objects.filter(pk=second.pk).update(date_created=OLD, date_updated=OLD)
    Exit.objects.filter(pk=make.exit_(second, on=date(2015, 5, 1)).pk).update(date_created=OLD, date_updated=OLD)
    lead = world.users["lead_a"]
    run = retention.dry_run(by=Actor(user=lead, name="lead_a"), user=lead, today=TODAY)
    assert _ids(run) == sorted([old["exited"].pk, old["elderly"].pk])
    assert run.continuums == [world.continuums["a"].pk]
    # Another CoC's Lead cannot apply it, and nothing changes.
    other = world.users["lead_b"]
    with pytest.raises(retention.RetentionError):
        retention.apply(dry_run_id=run.pk, by=Actor(user=other, name="lead_b"), user=other, today=TODAY)
    assert not Deidentified.objects.exists()
    with pytest.raises(retention.RetentionError) as refused:
        retention.dry_run(by=Actor(user=world.users["manager_a"], name="m"), user=world.users["manager_a"], today=TODAY)
    assert str(refused.value) == "Only an HMIS Lead may run the retention job."


def _run_next_job() -> Job:
    claimed = queue.claim("test")
    assert claimed is not None
    run_job(claimed, "test", threaded=False)
    claimed.refresh_from_db()
    return claimed


def test_the_retention_page(old: dict[str, Client], world: World) -> None:
    browser = Browser()
    browser.force_login(world.users["lead_a"])
    page = browser.get("/retention/")
    assert page.status_code == 200
    assert page.context["years"] == 7
    assert page.context["cutoff"] == retention.cutoff_for(timezone.localdate(), 7)
    started = browser.post("/retention/")
    job = Job.objects.get(kind="retention")
    assert started["Location"] == f"/rights/jobs/{job.pk}/"
    assert job.parameters == {"mode": "dry_run"}
    done = _run_next_job()
    assert done.state == JobState.SUCCEEDED
    run = RetentionRun.objects.get(mode="dry_run")
    cutoff = retention.cutoff_for(timezone.localdate(), 7)
    assert done.message == (
        f"2 clients have had no activity since {cutoff:%m/%d/%Y}. Nothing was changed: review the list, then apply."
    )
    listing = browser.get(f"/retention/runs/{run.pk}/list/")
    assert listing.status_code == 200
    assert listing["Cache-Control"] == "no-store"
    assert listing["Content-Disposition"] == f'attachment; filename="retention-dry-run-{run.pk}.csv"'
    body = listing.getvalue().decode()
    first, second = sorted([old["exited"], old["elderly"]], key=lambda c: c.pk)
    assert body == (
        "hearth_id,personal_id,last_activity\n"
        f"{first.pk},{first.hud_id},2016-01-10\n{second.pk},{second.hud_id},2016-01-10\n"
    )
    # Not confirmed: nothing queued.
    assert browser.post(f"/retention/runs/{run.pk}/apply/").status_code == 302
    assert Job.objects.filter(kind="retention").count() == 1
    browser.post(f"/retention/runs/{run.pk}/apply/", {"confirm": "yes"})
    applied = _run_next_job()
    assert applied.state == JobState.SUCCEEDED
    assert applied.message == "De-identified 2 clients; their 2 enrollments and 0 services are kept for HUD reports."
    assert Client.objects.get(pk=old["exited"].pk).last_name is None
    # Other people: not found, and nothing downloaded.
    for persona in ("lead_b", "manager_a", "admin_a", "auditor_a", "nobody"):
        other = Browser()
        other.force_login(world.users[persona])
        # Another CoC's Lead has the page, for their own CoC's runs only.
        assert other.get("/retention/").status_code == (200 if persona == "lead_b" else 404)
        assert other.get(f"/retention/runs/{run.pk}/list/").status_code == 404
        assert other.post(f"/retention/runs/{run.pk}/apply/", {"confirm": "yes"}).status_code == 404
        assert other.get(f"/rights/jobs/{job.pk}/").status_code == 404
    downloads = type_events("retention.list_downloaded")
    assert [(e.actor, e.object_id) for e in downloads] == [("lead_a", str(run.pk))]


def test_the_command(old: dict[str, Client], tmp_path: Path) -> None:
    out = io.StringIO()
    listing = tmp_path / "list.csv"
    call_command("retention", "--dry-run", "--out", str(listing), stdout=out)
    run = RetentionRun.objects.get()
    cutoff = retention.cutoff_for(timezone.localdate(), 7)
    assert out.getvalue() == (
        f"Dry run {run.pk}: 4 clients with no activity since {cutoff.isoformat()} (7 years); kept for HUD reports: "
        "4 enrollments, 0 services. Nothing was changed.\n"
        f"List: {listing}\n"
        f"To de-identify them: hearth retention --apply (or --apply --run {run.pk})\n"
    )
    assert listing.read_text().splitlines()[0] == "hearth_id,personal_id,last_activity"
    assert len(listing.read_text().splitlines()) == 5
    # A list more than a week old is not applied without naming it.
    RetentionRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - dt.timedelta(days=8))
    with pytest.raises(CommandError) as stale:
        call_command("retention", "--apply")
    assert str(stale.value) == (
        f"The latest dry run ({run.pk}) is more than 7 days old: run `hearth retention --dry-run` again, or name it "
        f"with --run {run.pk}."
    )
    assert Client.objects.get(pk=old["exited"].pk).last_name == "Quill"
    RetentionRun.objects.filter(pk=run.pk).update(started_at=timezone.now())
    out = io.StringIO()
    call_command("retention", "--apply", stdout=out)
    applied = RetentionRun.objects.get(mode="apply")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"Applying dry run {run.pk} of ")
    assert lines[1:] == [
        f"Run {applied.pk}: de-identified 4 clients (kept: 4 enrollments, 0 services); "
        "0 had activity since the dry run and were kept as is."
    ]
    assert Client.objects.get(pk=old["exited"].pk).last_name is None
    # Applied once: nothing left to apply.
    with pytest.raises(CommandError) as done:
        call_command("retention", "--apply")
    assert str(done.value) == "No dry run to apply: run `hearth retention --dry-run` first and review its list."


def test_an_identity_detached_on_revocation_is_de_identified_too(world: World) -> None:
    """A release revoked in a CoC that de-identifies on revocation keeps the identity apart for the agency the
    client trusted (hearth.consent): when the client has been inactive for the retention period, that held
    identity goes the same way as the record's."""
    from hearth.consent.actions import record_release, revoke_release, set_sharing_policy
    from hearth.consent.models import DetachedIdentity, Policy

    manager = Actor(user=world.users["manager_a"], name="manager_a")
    person = make.client("Ada", "Quill", dob=date(1987, 3, 14), ssn="123456789", ssn_data_quality=1)
    stay = make.enrollment(person, world.projects["a_shelter"], entry=date(2025, 1, 6))
    make.exit_(stay, on=date(2025, 6, 1))
    set_sharing_policy(
        continuum=world.continuums["a"],
        policy=Policy.CONSENT,
        deidentify_on_revocation=True,
        privacy_notice_version="",
        by=Actor(user=world.users["lead_a"], name="lead_a"),
    )
    release = record_release(
        client=person,
        organization=world.orgs["a"],
        categories=["identity"],
        starts_on=timezone.localdate(),
        method="written",
        coc_wide=True,
        by=manager,
    )
    revoke_release(release=release, reason="", by=manager)
    held = DetachedIdentity.objects.get(client_id=person.pk)
    assert (held.first_name, held.last_name, held.ssn) == ("Ada", "Quill", "123456789")
    # Seven years on, nothing has happened to this person since.
    later = date(timezone.localdate().year + 8, 1, 1)
    run = retention.dry_run(by=Actor.command_line(), today=later)
    assert person.pk in _ids(run)
    retention.apply(dry_run_id=run.pk, by=Actor.command_line(), today=later)
    held.refresh_from_db()
    assert (held.first_name, held.middle_name, held.last_name, held.name_data_quality) == (None, None, None, 99)
    assert (held.ssn, held.ssn_data_quality) == (None, 99)
    assert (held.dob, held.dob_data_quality) == (date(1987, 1, 1), 2)
