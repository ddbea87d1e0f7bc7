"""The queue's write path: enqueue and cancel (actions, audited), claim and take back (the worker's side).

Claiming follows healthchecks' ``sendalerts``: pick a candidate, then one conditional
``UPDATE … SET state='running' WHERE id=? AND state='queued'``; exactly one worker's UPDATE changes a row,
whatever the database. On PostgreSQL the candidate is read with ``FOR UPDATE SKIP LOCKED`` so concurrent
workers pick different jobs instead of racing for the same one.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.jobs import conf
from hearth.jobs.models import Job, JobState
from hearth.jobs.registry import get_kind

logger = logging.getLogger(__name__)

# Workers running in this process (the demo's thread) wait on this; an enqueue wakes them once it commits.
wake = threading.Event()


@transaction.atomic
def enqueue(
    kind: str,
    *,
    parameters: dict[str, Any] | None = None,
    files: dict[str, str] | None = None,
    by: Actor,
) -> Job:
    """Queue a job. The row becomes visible to workers when the caller's transaction commits."""
    spec = get_kind(kind)
    job = Job.objects.create(
        kind=kind,
        parameters=parameters or {},
        files=files or {},
        requested_by=by.user,
        requested_by_name=by.name[:150],
        max_attempts=spec.max_attempts,
        stage="Waiting for a worker",
    )
    by.record("job.enqueued", object_type="Job", object_id=job.pk, kind=kind)
    transaction.on_commit(wake.set)
    return job


@transaction.atomic
def cancel(*, job: Job, by: Actor) -> bool:
    """Cancel a queued job at once, or ask a running one to stop at its next progress report."""
    now = timezone.now()
    stopped = Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
        state=JobState.CANCELLED, finished_at=now, stage="Cancelled", message="Cancelled before it started."
    )
    if not stopped:
        stopped = Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(cancel_requested=True)
    if stopped:
        by.record("job.cancelled", object_type="Job", object_id=job.pk, kind=job.kind)
    job.refresh_from_db()
    return bool(stopped)


def claim(worker: str, *, lease: int | None = None) -> Job | None:
    """Take the oldest queued job for ``worker``, or None when the queue is empty."""
    lease_for = dt.timedelta(seconds=lease or conf.lease_seconds())
    for _ in range(10):  # another worker may win each race; the queue moves on every lost race
        with transaction.atomic():
            candidates = Job.objects.filter(state=JobState.QUEUED).order_by("created_at", "id")
            if connection.vendor == "postgresql":
                candidates = candidates.select_for_update(skip_locked=True)
            pk = candidates.values_list("pk", flat=True).first()
            if pk is None:
                return None
            now = timezone.now()
            won = Job.objects.filter(pk=pk, state=JobState.QUEUED).update(
                state=JobState.RUNNING,
                worker=worker[:120],
                started_at=now,
                heartbeat_at=now,
                lease_expires_at=now + lease_for,
                attempts=F("attempts") + 1,
                stage="Starting",
            )
        if won:
            return Job.objects.get(pk=pk)
    return None


def heartbeat(job_id: int, worker: str, *, lease: int | None = None, **progress: Any) -> tuple[bool, bool]:
    """Renew the lease (and store progress); returns (still held, cancel requested)."""
    now = timezone.now()
    lease_for = dt.timedelta(seconds=lease or conf.lease_seconds())
    held = Job.objects.filter(pk=job_id, worker=worker, state=JobState.RUNNING).update(
        heartbeat_at=now, lease_expires_at=now + lease_for, **progress
    )
    if not held:
        return False, True
    cancel_requested = Job.objects.filter(pk=job_id, cancel_requested=True).exists()
    return True, cancel_requested


def finish(job_id: int, worker: str, state: JobState, *, message: str, **fields: Any) -> bool:
    """Record the outcome, only if this worker still holds the job (a lost lease means another run owns it)."""
    done = Job.objects.filter(pk=job_id, worker=worker, state=JobState.RUNNING).update(
        state=state, message=message, finished_at=timezone.now(), lease_expires_at=None, **fields
    )
    return bool(done)


def take_back_stale(now: dt.datetime | None = None) -> tuple[int, int]:
    """Jobs whose worker stopped renewing its lease: back to the queue, or failed after their last attempt.

    Returns (requeued, failed). Safe to run from every worker at once: each UPDATE is conditional.
    """
    now = now or timezone.now()
    stale = Q(state=JobState.RUNNING, lease_expires_at__lt=now)
    failed = Job.objects.filter(stale, attempts__gte=F("max_attempts")).update(
        state=JobState.FAILED,
        finished_at=now,
        lease_expires_at=None,
        stage="Stopped",
        message="The job stopped without finishing on every attempt; nothing was left half-done. "
        "Start it again, or ask the system administrator to check the worker's log.",
    )
    requeued = Job.objects.filter(stale, attempts__lt=F("max_attempts")).update(
        state=JobState.QUEUED,
        worker="",
        lease_expires_at=None,
        stage="Waiting for a worker (retrying after an interruption)",
    )
    if requeued or failed:
        logger.warning("took back %d stale jobs (%d failed after their last attempt)", requeued + failed, failed)
    return requeued, failed
