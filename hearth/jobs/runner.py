"""Run one claimed job: call its kind's function, keep its lease alive, record a readable outcome.

Progress and the heartbeat go to the database from a second thread with its own connection: the job's own
connection may sit inside a long write transaction (an import), where an update would be invisible to the
page until commit and lost on rollback. Users see a readable message only; a crash's traceback goes to the
server log with the exception's type but never its text (a database error can quote a row's values).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from typing import Any

from django.db import DatabaseError, connection

from hearth.jobs import conf, queue
from hearth.jobs.models import Job, JobState
from hearth.jobs.registry import KINDS, Cancelled, Outcome, Refused

logger = logging.getLogger(__name__)

UNEXPECTED = (
    "The job stopped because of an unexpected problem, and nothing was left half-done. Try again; if it "
    "happens again, give the system administrator this job's number ({job}): the details are in the server log."
)


class Heartbeat:
    """Holds the latest progress and writes it, with a renewed lease, every ``interval`` seconds.

    With ``threaded`` (the worker's default) a thread with its own connection does the writing; without, the
    progress callback writes in the job's own thread (tests that run inside one transaction use this).
    """

    def __init__(self, job: Job, worker: str, *, threaded: bool = True, interval: float | None = None) -> None:
        self.job_id = job.pk
        self.worker = worker
        self.threaded = threaded
        self.interval = interval if interval is not None else min(1.0, conf.lease_seconds() / 4)
        self.stop_requested = False  # cancelled by the requester, or the lease was lost
        self._latest: dict[str, Any] | None = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._last_write = 0.0
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        if self.threaded:
            self._thread = threading.Thread(target=self._loop, name=f"hearth-job-{self.job_id}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def progress(self, stage: str, done: int, total: int) -> None:
        """The callback a job function receives; raises Cancelled once a stop was requested."""
        with self._lock:
            self._latest = {
                "stage": stage[:200],
                "progress_done": max(0, int(done)),
                "progress_total": max(0, int(total)),
            }
        if not self.threaded and time.monotonic() - self._last_write >= self.interval:
            self.beat()
        if self.stop_requested:
            raise Cancelled

    def beat(self) -> None:
        with self._lock:
            fields, self._latest = self._latest, None
        self._last_write = time.monotonic()
        try:
            held, cancel = queue.heartbeat(self.job_id, self.worker, **(fields or {}))
        except DatabaseError as exc:
            # SQLite: the job's own write transaction holds the lock; the lease outlasts it (conf.py).
            logger.info("job %s heartbeat deferred: %s", self.job_id, type(exc).__name__)
            if fields is not None:
                with self._lock:
                    self._latest = self._latest or fields
            return
        if cancel:
            self.stop_requested = True
        if not held:
            logger.warning("job %s: lease lost by %s; stopping", self.job_id, self.worker)

    def _loop(self) -> None:
        try:
            while not self._stopped.wait(self.interval):
                self.beat()
        finally:
            connection.close()


def run_job(job: Job, worker: str, *, threaded: bool = True) -> JobState:
    """Run a job this worker has claimed; returns the state it ended in."""
    kind = KINDS.get(job.kind)
    if kind is None:
        queue.finish(job.pk, worker, JobState.FAILED, message="Hearth no longer knows this kind of job.")
        return JobState.FAILED
    started = time.monotonic()
    with Heartbeat(job, worker, threaded=threaded) as beat:
        try:
            outcome = kind.function(job, beat.progress)
        except Cancelled:
            state, message, fields = JobState.CANCELLED, "Cancelled while it ran; nothing was written.", {}
        except Refused as refused:
            state, message, fields = JobState.FAILED, refused.message, {"result": refused.summary}
        except Exception as exc:
            # The type and the frames, never the message: it can quote the data being processed.
            logger.error(
                "job %s (%s) failed with %s after %.1fs\n%s",
                job.pk,
                job.kind,
                type(exc).__name__,
                time.monotonic() - started,
                _frames(exc),
            )
            state, message, fields = JobState.FAILED, UNEXPECTED.format(job=job.pk), {}
        else:
            state, message, fields = _outcome_fields(outcome)
    done = queue.finish(job.pk, worker, state, message=message, **fields)
    if not done:
        logger.warning("job %s finished after its lease was lost; its outcome was discarded", job.pk)
    logger.info("job %s (%s) %s in %.1fs", job.pk, job.kind, state, time.monotonic() - started)
    return state


def _frames(exc: BaseException) -> str:
    """Where it happened: file, line and function of each frame; no source text, no locals, no message."""
    return "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(exc.__traceback__)
    )


def _outcome_fields(outcome: Outcome) -> tuple[JobState, str, dict[str, Any]]:
    fields: dict[str, Any] = {"result": outcome.summary, "stage": "Done" if outcome.ok else "Stopped"}
    if outcome.files:
        fields["files"] = outcome.files
    if outcome.ok:
        fields["progress_done"] = fields["progress_total"] = 1
    return (JobState.SUCCEEDED if outcome.ok else JobState.FAILED), outcome.message, fields
