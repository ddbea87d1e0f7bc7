"""The worker loop: take back stale jobs, claim one, run it, repeat; stop cleanly when asked.

``hearth worker`` runs it as a service in production; the demo (``python3 dev.py start``) runs one in a thread
next to the web server so uploads work with no second command.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import shutil
import socket
import threading
import time

from django.db import DatabaseError, connection
from django.utils import timezone

from hearth.jobs import conf, queue
from hearth.jobs.models import FINISHED, Job, JobState
from hearth.jobs.runner import run_job

logger = logging.getLogger(__name__)

_HOUSEKEEPING_SECONDS = 3600


def worker_name() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    def __init__(self, name: str | None = None, *, poll: float | None = None, threaded: bool = True) -> None:
        self.name = name or worker_name()
        self.poll = conf.poll_seconds() if poll is None else poll
        self.threaded = threaded
        self.stopping = threading.Event()
        self._housekeeping_at: float | None = None  # first loop: at once (monotonic may start near 0)

    def stop(self) -> None:
        """Finish the job in hand, then return (SIGTERM, Ctrl+C, the demo server stopping)."""
        self.stopping.set()
        queue.wake.set()

    def run_one(self) -> JobState | None:
        """Take back stale jobs, then claim and run one; None when the queue was empty."""
        queue.take_back_stale()
        job = queue.claim(self.name)
        if job is None:
            return None
        logger.info("job %s (%s) claimed by %s, attempt %d", job.pk, job.kind, self.name, job.attempts)
        return run_job(job, self.name, threaded=self.threaded)

    def run(self, *, once: bool = False, burst: bool = False) -> int:
        """Loop until stopped; ``once``: at most one job; ``burst``: until the queue is empty. Returns jobs run."""
        ran = 0
        try:
            while not self.stopping.is_set():
                try:
                    self._housekeeping()
                    state = self.run_one()
                except DatabaseError as exc:
                    # The database restarting or unreachable: wait and try again; never lose the loop.
                    logger.error("worker %s: database error %s; retrying", self.name, type(exc).__name__)
                    _release_connection()
                    state = None
                    if once or burst:
                        raise
                    self.stopping.wait(self.poll)
                    continue
                if state is not None:
                    ran += 1
                if once or (burst and state is None):
                    break
                if state is None:
                    queue.wake.wait(self.poll)
                    queue.wake.clear()
        finally:
            _release_connection()
        return ran

    def _housekeeping(self) -> None:
        now = time.monotonic()
        if self._housekeeping_at is not None and now - self._housekeeping_at < _HOUSEKEEPING_SECONDS:
            return
        self._housekeeping_at = now
        remove_expired_files()
        # Report runs past HEARTH_REPORT_RUN_DAYS (hearth.reports.runs).
        from hearth.reports.runs import remove_expired_runs

        remove_expired_runs()
        # Accounts unused for HEARTH_INACTIVE_DAYS are disabled, audited as this worker (hearth.signin.inactive).
        from hearth.audit.actor import Actor
        from hearth.signin.inactive import disable_inactive

        disabled = disable_inactive(by=Actor(user=None, name=f"worker:{self.name}"[:150]))
        if disabled:
            logger.info("disabled %d accounts unused for %d days", len(disabled), conf_inactive_days())
        # Expired sessions, old session records, spent failed-sign-in counters (hearth.signin.housekeeping).
        from hearth.signin.housekeeping import prune

        pruned = prune()
        logger.info(
            "sign-in housekeeping: %d session records closed, %d deleted, %d counters deleted",
            pruned.sessions_closed,
            pruned.session_records_deleted,
            pruned.throttles_deleted,
        )


def conf_inactive_days() -> int:
    from hearth.signin.conf import inactive_days

    return inactive_days()


def _release_connection() -> None:
    """Close this thread's connection (a broken one reconnects), unless a caller's transaction holds it (tests)."""
    if not connection.in_atomic_block:
        connection.close()


def remove_expired_files(now: dt.datetime | None = None) -> int:
    """Delete the folders of jobs finished over HEARTH_JOB_FILES_DAYS ago (uploads and exports hold client data)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=conf.files_keep_days())
    expired = Job.objects.filter(state__in=list(FINISHED), finished_at__lt=cutoff).exclude(files={})
    removed = 0
    for job in expired.only("pk", "files"):
        shutil.rmtree(job.folder(), ignore_errors=True)
        Job.objects.filter(pk=job.pk).update(files={})
        removed += 1
    if removed:
        logger.info("removed the files of %d jobs older than %d days", removed, conf.files_keep_days())
    return removed


def start_in_thread(name: str | None = None) -> tuple[Worker, threading.Thread]:
    """A worker in a daemon thread of this process (the demo server; end-to-end tests)."""
    worker = Worker(name)
    thread = threading.Thread(target=worker.run, name="hearth-worker", daemon=True)
    thread.start()
    return worker, thread
