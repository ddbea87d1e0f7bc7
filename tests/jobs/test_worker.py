"""The worker: the hearth worker command, graceful stop, and the removal of old jobs' files."""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from hearth.jobs import queue
from hearth.jobs.models import Job, JobState
from hearth.jobs.worker import Worker, remove_expired_files

pytestmark = pytest.mark.django_db


def test_the_command_runs_queued_jobs_in_burst_mode(actor: Any, test_kinds: Any) -> None:
    jobs = [queue.enqueue("test.count", by=actor).pk for _ in range(2)]
    out = StringIO()
    call_command("worker", "--burst", "--name", "cmd-worker", stdout=out)
    assert out.getvalue() == "Worker cmd-worker ran 2 jobs.\n"
    assert sorted(test_kinds["count"]) == jobs
    assert set(Job.objects.values_list("worker", "state")) == {("cmd-worker", JobState.SUCCEEDED)}


def test_the_command_runs_one_job_with_once(actor: Any, test_kinds: Any) -> None:
    for _ in range(2):
        queue.enqueue("test.count", by=actor)
    out = StringIO()
    call_command("worker", "--once", "--name", "w", stdout=out)
    assert out.getvalue() == "Worker w ran 1 job.\n"
    assert Job.objects.filter(state=JobState.QUEUED).count() == 1


def test_stop_ends_the_loop_after_the_job_in_hand(actor: Any, test_kinds: Any) -> None:
    worker = Worker("stopping", threaded=False, poll=0.05)
    thread = threading.Thread(target=worker.run)
    # An empty queue: the loop waits; stop() wakes it and it returns.
    thread.start()
    worker.stop()
    thread.join(timeout=10)
    assert not thread.is_alive()


def test_files_of_old_finished_jobs_are_removed(actor: Any, test_kinds: Any, settings: Any) -> None:
    settings.HEARTH_JOB_FILES_DAYS = 30
    old, recent, running = (queue.enqueue("test.count", by=actor) for _ in range(3))
    for job in (old, recent, running):
        folder = job.folder()
        folder.mkdir(parents=True)
        (folder / "upload.zip").write_bytes(b"client data")
        Job.objects.filter(pk=job.pk).update(files={"upload": f"jobs/{job.pk}/upload.zip"})
    now = timezone.now()
    Job.objects.filter(pk=old.pk).update(state=JobState.SUCCEEDED, finished_at=now - dt.timedelta(days=31))
    Job.objects.filter(pk=recent.pk).update(state=JobState.FAILED, finished_at=now - dt.timedelta(days=29))
    assert remove_expired_files(now) == 1
    assert not old.folder().exists()
    assert recent.folder().exists()
    assert running.folder().exists()
    old.refresh_from_db()
    assert old.files == {}
    assert remove_expired_files(now) == 0


def test_a_file_name_cannot_leave_the_work_folder(actor: Any, test_kinds: Any) -> None:
    job = queue.enqueue("test.count", files={"report": "../../etc/passwd"}, by=actor)
    assert job.file_path("report") is None
    assert job.file_path("missing") is None


def test_the_command_restores_the_signal_handlers_it_set(actor: Any, test_kinds: Any) -> None:
    import signal

    before = signal.getsignal(signal.SIGTERM)
    call_command("worker", "--burst", stdout=StringIO())
    assert signal.getsignal(signal.SIGTERM) is before


def test_sigterm_stops_the_command_cleanly(actor: Any, test_kinds: Any) -> None:
    import os
    import signal

    timer = threading.Timer(0.5, os.kill, args=(os.getpid(), signal.SIGTERM))
    timer.start()
    out, err = StringIO(), StringIO()
    call_command("worker", "--name", "w", "--poll", "0.1", stdout=out, stderr=err)
    timer.join()
    assert out.getvalue() == "Worker w waiting for jobs. Stop with Ctrl+C.\nWorker w ran 0 jobs.\n"
    assert err.getvalue() == "Stopping after the current job (SIGTERM).\n"
