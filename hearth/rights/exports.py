"""Export a client's full record on request (PDF or JSON): made in the request when small, else a job.

Who may: staff who may correct the client's record (EDIT_CLIENTS over the client: the agencies serving the
client, who answer the client's request); what is in it: what the user may read (hearth.rights.record). Every
export is audited with its format and size (never its content); the file's name carries the Hearth ID and
the date only, never a name; the response is ``no-store``. A large record (more rows than
``HEARTH_CLIENT_RECORD_INLINE_ROWS``) is written by a background job into the job's folder, downloaded by its
requester only while they still may export the client.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hearth.access import lookups
from hearth.access.roles import Permission
from hearth.audit.actor import Actor
from hearth.consent.disclosures import EXPORT, record_disclosures
from hearth.hmis.models import Client
from hearth.jobs.models import Job, relative_to_work
from hearth.jobs.queue import enqueue
from hearth.jobs.registry import Outcome, Progress, Refused, job_kind
from hearth.rights import pdf
from hearth.rights.record import client_record, size

KIND = "client_record"
FORMATS = {"pdf": "application/pdf", "json": "application/json"}
EXPORT_PERMISSION = Permission.EDIT_CLIENTS


@dataclass(frozen=True)
class RecordFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


def keep_hours() -> int:
    """How long a record made by a job stays downloadable before its file is removed (it is a whole client
    record: shorter than other jobs' files, HEARTH_JOB_FILES_DAYS)."""
    return int(getattr(settings, "HEARTH_CLIENT_RECORD_HOURS", 24))


def available_until(job: Job) -> dt.datetime | None:
    return None if job.finished_at is None else job.finished_at + dt.timedelta(hours=keep_hours())


def remove_if_expired(job: Job, now: dt.datetime | None = None) -> bool:
    """Remove the record file of a job past its time (returns whether it is gone)."""
    until = available_until(job)
    if until is None or (now or timezone.now()) < until:
        return False
    shutil.rmtree(job.folder(), ignore_errors=True)
    Job.objects.filter(pk=job.pk).update(files={})
    job.files = {}
    return True


def inline_rows() -> int:
    return int(getattr(settings, "HEARTH_CLIENT_RECORD_INLINE_ROWS", 2000))


def estimate(user: Any, client: Client) -> int:
    """The record's size in rows, counted cheaply (services dominate: bed nights add one a night)."""
    enrollments = lookups.enrollments_for(user).filter(client_id=client.pk)
    return 1 + enrollments.count() + lookups.services_for(user).filter(client_id=client.pk).count()


def filename(client_id: int, fmt: str) -> str:
    """``client-123-record-2026-11-27.pdf``: the Hearth ID (already in every client page's address), no name."""
    return f"client-{client_id}-record-{timezone.localdate().isoformat()}.{fmt}"


def build(user: Any, client: Client, fmt: str) -> RecordFile:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    record = client_record(user, client)
    content = json.dumps(record, ensure_ascii=False, indent=2).encode() if fmt == "json" else pdf.render(record)
    return RecordFile(content=content, filename=filename(client.pk, fmt), content_type=FORMATS[fmt], rows=size(record))


def _disclose(user: Any, client: Client) -> None:
    """A copy made by an agency that reaches the client only through sharing goes in the client's disclosure
    log (hearth.consent.disclosures; direct service is the agency's own use, kept by the audit trail)."""
    record_disclosures(
        user, [client.pk], EXPORT, object_type="Client", object_id=client.pk, permission=EXPORT_PERMISSION
    )


@transaction.atomic
def export_record(*, client: Client, fmt: str, by: Actor) -> RecordFile:
    """Make the export now (a small record), audit it and, when shared, log the disclosure."""
    made = build(by.user, client, fmt)
    by.record("client.record_exported", object_type="Client", object_id=client.pk, format=fmt, rows=made.rows)
    _disclose(by.user, client)
    return made


@transaction.atomic
def request_record_export(*, client: Client, fmt: str, by: Actor) -> Job:
    """Queue the export of a large record; the job runs as the requester, through the same lookups."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    job = enqueue(KIND, parameters={"client": client.pk, "format": fmt}, by=by)
    by.record("client.record_export_requested", object_type="Client", object_id=client.pk, format=fmt, job=job.pk)
    return job


@job_kind(KIND, label="Client record export")
def run_record_export(job: Job, progress: Progress) -> Outcome:
    user = job.requested_by
    if user is None or not user.is_active:
        raise Refused("The account that asked for this export no longer exists or is disabled.")
    client_id = int(job.parameters["client"])
    fmt = str(job.parameters["format"])
    if not lookups.may_for_client(user, client_id, EXPORT_PERMISSION):
        raise Refused("You may no longer export this client's record.")
    client = lookups.get_client_for(user, client_id)
    progress("Gathering the record", 0, 2)
    made = build(user, client, fmt)
    progress("Writing the file", 1, 2)
    folder = job.folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"record.{fmt}"
    partial = folder / f"record.{fmt}.partial"
    partial.write_bytes(made.content)
    partial.replace(target)
    with transaction.atomic():
        Actor(user=user, name=job.requested_by_name or user.get_username()).record(
            "client.record_exported", object_type="Client", object_id=client.pk, format=fmt, rows=made.rows, job=job.pk
        )
        _disclose(user, client)
    return Outcome(
        message=f"The client's record is ready ({made.rows} rows).",
        summary={"client": client.pk, "format": fmt, "rows": made.rows, "filename": made.filename},
        files={"record": relative_to_work(target)},
    )
