"""Client rights leave no personal data behind (issue 4 §4, §7): a person with unmistakable identifiers has their
record exported (PDF and JSON, in the request and by a job), asks for a correction quoting their name, and is
later de-identified by the retention job — while every log record is captured. Their data may appear only in
the record handed to them: never in a log line, a URL or redirect, a file name, a job's parameters or message,
the retention list, a command's output, or an audit event."""

from __future__ import annotations

import datetime as dt
import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client as Browser

from hearth.audit.models import AuditEvent
from hearth.hmis.models import Client, Enrollment, Exit
from hearth.jobs import queue
from hearth.jobs.models import Job
from hearth.jobs.runner import run_job
from hearth.rights.models import CorrectionRequest
from tests import factories as make
from tests.audit.test_no_pii_leaks import PEOPLE, captured, leaks  # noqa: F401 - captured is a fixture
from tests.web.personas import World

OLD = dt.datetime(2015, 2, 1, 12, 0, tzinfo=dt.UTC)


def _person(world: World, which: int) -> Client:
    first, last, dob, ssn = PEOPLE[which]
    client = make.client(first, last, dob=dob, ssn=ssn, ssn_data_quality=1)
    enrollment = make.enrollment(client, world.projects["a_shelter"], entry=date(2015, 3, 1))
    gone = make.exit_(enrollment, on=date(2016, 1, 10))
    Client.objects.filter(pk=client.pk).update(date_created=OLD, date_updated=OLD)
    Enrollment.objects.filter(pk=enrollment.pk).update(date_created=OLD, date_updated=OLD)
    Exit.objects.filter(pk=gone.pk).update(date_created=OLD, date_updated=OLD)
    return client


def _run_jobs() -> None:
    while (claimed := queue.claim("test")) is not None:
        run_job(claimed, "test", threaded=False)


@pytest.mark.slow
def test_client_rights_leave_no_personal_data_behind(world: World, captured: Any, settings: Any) -> None:  # noqa: F811
    first, last, dob, _ = PEOPLE[0]
    person = _person(world, 0)
    # Another, untouched since 2016: the retention job's.
    inactive = _person(world, 1)
    seen: list[tuple[str, str]] = []  # (where, text) to search
    record_texts: list[bytes] = []  # the copies handed to the client: the only place their data belongs

    manager = Browser()
    manager.force_login(world.users["manager_a"])
    # Exports in the request, then by a job.
    for fmt in ("json", "pdf"):
        answer = manager.post(f"/clients/{person.pk}/record/", {"format": fmt})
        assert answer.status_code == 200
        seen.append((f"{fmt} file name", answer["Content-Disposition"]))
        record_texts.append(answer.content)
    settings.HEARTH_CLIENT_RECORD_INLINE_ROWS = 1
    queued = manager.post(f"/clients/{person.pk}/record/", {"format": "json"})
    seen.append(("redirect", queued["Location"]))
    _run_jobs()
    job = Job.objects.get(kind="client_record")
    page = manager.get(queued["Location"])
    seen.append(("job page", page.content.decode()))
    download = manager.get(f"/rights/jobs/{job.pk}/file/")
    seen.append(("job file name", download["Content-Disposition"]))
    record_texts.append(download.getvalue())

    # A correction request quoting the person's name and date of birth.
    asked = manager.post(
        f"/clients/{person.pk}/corrections/new/",
        {
            "requested_on": "2026-01-10",
            "elements": ["name", "dob"],
            "request": f"Spell it {first} {last}, born {dob:%m/%d/%Y}.",
        },
    )
    seen.append(("redirect", asked["Location"]))
    correction = CorrectionRequest.objects.get()
    decided = manager.post(
        f"/corrections/{correction.pk}/",
        {"outcome": "denied", "decided_on": "2026-01-11", "reason": f"ID on file says {last}."},
    )
    seen.append(("redirect", decided["Location"]))

    # The retention job, from the page and from the command line.
    lead = Browser()
    lead.force_login(world.users["lead_a"])
    started = lead.post("/retention/")
    seen.append(("redirect", started["Location"]))
    _run_jobs()
    dry_run = Job.objects.filter(kind="retention").latest("pk").result["run"]
    listing = lead.get(f"/retention/runs/{dry_run}/list/")
    seen.append(("retention list", listing.getvalue().decode()))
    assert str(inactive.pk) in seen[-1][1]
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    applied = lead.post(f"/retention/runs/{dry_run}/apply/", {"confirm": "yes"})
    seen.append(("redirect", applied["Location"]))
    _run_jobs()
    seen.append(("command output", out.getvalue()))
    assert Client.objects.get(pk=inactive.pk).last_name is None

    # The copies hold the person's data (they are theirs); nothing else does.
    assert last.encode() in record_texts[0]
    for job_row in Job.objects.all():
        seen.append((f"job {job_row.kind}", json.dumps([job_row.parameters, job_row.result, job_row.message])))
    for event in AuditEvent.objects.all():
        seen.append((f"audit {event.action}", json.dumps([event.object_id, event.details], default=str)))
    seen.append(("log", "\n".join(captured.lines)))
    problems = [p for where, text in seen for p in leaks(where, text)]
    assert problems == []
    assert AuditEvent.objects.filter(action="client.deidentified", object_id=str(inactive.pk)).count() == 1


def test_htmx_keeps_no_copy_of_pages_in_browser_storage(world: World) -> None:
    """htmx can keep snapshots of pages in localStorage for its history; on a shared computer that would be
    client data left behind after sign-out (ASVS 14.3.3), so its cache is off."""
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    page = browser.get(f"/clients/{world.clients['at_a'].pk}/").content.decode()
    config = page.split('<meta name="htmx-config" content=\'', 1)[1].split("'>", 1)[0]
    assert json.loads(config) == {"includeIndicatorStyles": False, "allowEval": False, "historyCacheSize": 0}
