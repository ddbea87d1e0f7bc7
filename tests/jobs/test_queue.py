"""The queue: enqueue on commit, exclusive claims, leases taken back, readable failures, cancelling."""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.jobs import queue
from hearth.jobs.models import Job, JobState
from hearth.jobs.runner import UNEXPECTED, run_job
from hearth.jobs.worker import Worker

pytestmark = pytest.mark.django_db


def test_enqueue_records_who_and_what_without_running(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", parameters={"n": 3}, by=actor)
    job.refresh_from_db()
    assert (job.kind, job.state, job.parameters, job.attempts) == ("test.count", JobState.QUEUED, {"n": 3}, 0)
    assert (job.requested_by, job.requested_by_name) == (actor.user, "lead")
    event = AuditEvent.objects.get(action="job.enqueued")
    assert (event.actor, event.object_type, event.object_id, event.details) == (
        "lead",
        "Job",
        str(job.pk),
        {"kind": "test.count"},
    )


def test_an_unknown_kind_is_refused_at_enqueue(actor: Any) -> None:
    with pytest.raises(LookupError):
        queue.enqueue("no.such.kind", by=actor)
    assert Job.objects.count() == 0


def test_enqueue_wakes_workers_only_when_the_transaction_commits(
    actor: Any, test_kinds: Any, django_capture_on_commit_callbacks: Any
) -> None:
    queue.wake.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue.enqueue("test.count", by=actor)
    assert not queue.wake.is_set()
    assert callbacks == [queue.wake.set]
    callbacks[0]()
    assert queue.wake.is_set()


def test_a_job_is_claimed_by_one_worker_only(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", by=actor)
    first = queue.claim("worker-1")
    second = queue.claim("worker-2")
    assert first is not None
    assert first.pk == job.pk
    assert second is None
    job.refresh_from_db()
    assert (job.state, job.worker, job.attempts) == (JobState.RUNNING, "worker-1", 1)
    assert job.lease_expires_at is not None
    assert job.lease_expires_at > timezone.now()


def test_the_conditional_update_decides_a_race(actor: Any, test_kinds: Any, monkeypatch: Any) -> None:
    """Worker 2 reads the same candidate as worker 1 but claims second: its UPDATE changes no row."""
    job = queue.enqueue("test.count", by=actor)
    original_update = type(Job.objects.all()).update
    raced: list[bool] = []

    def update(self: Any, **fields: Any) -> int:
        if fields.get("worker") == "worker-2" and not raced:
            raced.append(True)
            assert queue.claim("worker-1") is not None  # worker 1 gets in first
        return original_update(self, **fields)

    monkeypatch.setattr(type(Job.objects.all()), "update", update)
    assert queue.claim("worker-2") is None
    job.refresh_from_db()
    assert (job.worker, job.attempts) == ("worker-1", 1)


def test_jobs_are_claimed_oldest_first(actor: Any, test_kinds: Any) -> None:
    older = queue.enqueue("test.count", by=actor)
    Job.objects.filter(pk=older.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    queue.enqueue("test.count", by=actor)
    claimed = queue.claim("w")
    assert claimed is not None
    assert claimed.pk == older.pk


def test_a_stale_lease_is_taken_back_and_retried(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", by=actor)
    assert queue.claim("dead-worker") is not None
    later = timezone.now() + dt.timedelta(seconds=3600)
    assert queue.take_back_stale(later) == (1, 0)
    job.refresh_from_db()
    assert (job.state, job.worker, job.attempts) == (JobState.QUEUED, "", 1)
    assert job.stage == "Waiting for a worker (retrying after an interruption)"
    assert Worker("new-worker", threaded=False).run(once=True) == 1
    job.refresh_from_db()
    assert (job.state, job.worker, job.attempts, job.message) == (
        JobState.SUCCEEDED,
        "new-worker",
        2,
        "Counted to 3.",
    )
    # The dead worker coming back cannot overwrite the outcome.
    assert not queue.finish(job.pk, "dead-worker", JobState.FAILED, message="late")
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED


def test_a_live_lease_is_not_taken_back(actor: Any, test_kinds: Any) -> None:
    queue.enqueue("test.count", by=actor)
    queue.claim("busy-worker")
    assert queue.take_back_stale() == (0, 0)
    assert Job.objects.get().state == JobState.RUNNING


def test_a_job_that_keeps_dying_fails_after_its_last_attempt(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", by=actor)
    later = timezone.now() + dt.timedelta(seconds=3600)
    for attempt in range(1, job.max_attempts + 1):
        assert queue.claim(f"worker-{attempt}") is not None
        later += dt.timedelta(seconds=3600)
        requeued, failed = queue.take_back_stale(later)
        assert (requeued, failed) == ((1, 0) if attempt < job.max_attempts else (0, 1))
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.FAILED, 3)
    assert job.message.startswith("The job stopped without finishing on every attempt")
    assert job.finished_at is not None


def test_heartbeat_renews_the_lease_and_stores_progress(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", by=actor)
    queue.claim("w", lease=5)
    before = Job.objects.get().lease_expires_at
    assert queue.heartbeat(job.pk, "w", lease=600, stage="Checking Client.csv", progress_done=4, progress_total=8) == (
        True,
        False,
    )
    job.refresh_from_db()
    assert job.lease_expires_at is not None
    assert before is not None
    assert job.lease_expires_at > before
    assert (job.stage, job.progress_done, job.progress_total, job.percent) == ("Checking Client.csv", 4, 8, 50)
    assert queue.heartbeat(job.pk, "another-worker") == (False, True)


def test_success_is_recorded_with_summary(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", by=actor)
    assert Worker("w", threaded=False).run(burst=True) == 1
    job.refresh_from_db()
    assert (job.state, job.message, job.result, job.stage, job.percent) == (
        JobState.SUCCEEDED,
        "Counted to 3.",
        {"counted": 3},
        "Done",
        100,
    )
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.lease_expires_at is None
    assert test_kinds["count"] == [job.pk]


def test_a_refusal_is_a_readable_failure(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.refuse", by=actor)
    Worker("w", threaded=False).run(once=True)
    job.refresh_from_db()
    assert (job.state, job.message, job.result) == (JobState.FAILED, "The file has 2 errors.", {"errors": 2})


def test_a_crash_shows_a_readable_message_and_logs_no_personal_data(
    actor: Any, test_kinds: Any, caplog: pytest.LogCaptureFixture
) -> None:
    job = queue.enqueue("test.crash", by=actor)
    with caplog.at_level(logging.INFO, logger="hearth.jobs"):
        Worker("w", threaded=False).run(once=True)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == UNEXPECTED.format(job=job.pk)
    assert "Traceback" not in job.message
    assert "Maria" not in job.message
    logged = caplog.text
    assert f"job {job.pk} (test.crash) failed with ValueError" in logged
    assert re.search(r"tests/jobs/conftest\.py:\d+ in crash", logged)  # the frames, for the administrator
    assert "Maria" not in logged
    assert "1987" not in logged


def test_a_queued_job_is_cancelled_at_once(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", by=actor)
    assert queue.cancel(job=job, by=actor)
    job.refresh_from_db()
    assert (job.state, job.message) == (JobState.CANCELLED, "Cancelled before it started.")
    assert Worker("w", threaded=False).run(burst=True) == 0
    assert test_kinds["count"] == []
    assert AuditEvent.objects.filter(action="job.cancelled", object_id=str(job.pk)).count() == 1


def test_a_running_job_stops_at_its_next_progress_report(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.wait", by=actor)
    claimed = queue.claim("w")
    assert claimed is not None
    assert run_job(claimed, "w", threaded=False) == JobState.CANCELLED
    job.refresh_from_db()
    assert (job.state, job.message) == (JobState.CANCELLED, "Cancelled while it ran; nothing was written.")


def test_a_finished_job_cannot_be_cancelled(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", by=actor)
    Worker("w", threaded=False).run(once=True)
    assert not queue.cancel(job=job, by=actor)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert not AuditEvent.objects.filter(action="job.cancelled").exists()


def test_a_kind_no_longer_known_fails_readably(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", by=actor)
    Job.objects.filter(pk=job.pk).update(kind="retired.kind")
    Worker("w", threaded=False).run(once=True)
    job.refresh_from_db()
    assert (job.state, job.message) == (JobState.FAILED, "Hearth no longer knows this kind of job.")


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_run_each_job_exactly_once(actor: Any, test_kinds: Any) -> None:
    """Real threads, each with its own connection, against committed rows."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        # Shared-cache in-memory SQLite reports a concurrent writer as an error instead of waiting.
        pytest.skip("needs a database that lets concurrent writers wait (PostgreSQL or an SQLite file)")
    jobs = [queue.enqueue("test.count", by=actor).pk for _ in range(12)]
    workers = [Worker(f"w{n}", threaded=False, poll=0) for n in range(4)]
    threads = [threading.Thread(target=w.run, kwargs={"burst": True}) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(test_kinds["count"]) == jobs
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.SUCCEEDED}
    assert set(Job.objects.values_list("attempts", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
def test_the_threaded_heartbeat_writes_progress_from_its_own_connection(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", by=actor)
    with transaction.atomic():
        pass
    worker = Worker("w", threaded=True)
    assert worker.run(once=True) == 1
    job.refresh_from_db()
    assert (job.state, job.worker) == (JobState.SUCCEEDED, "w")
