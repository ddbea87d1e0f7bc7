"""The jobs system's settings, with defaults read from the environment (settings.py may override any)."""

from __future__ import annotations

from django.conf import settings

from hearth.env import env_int

# A worker renews its lease every LEASE/4 seconds; a job whose lease ran out is taken back. On SQLite a long
# import holds the write lock and the heartbeat waits, so the lease must outlast the longest write.
_LEASE_SECONDS = env_int("HEARTH_JOB_LEASE_SECONDS", 600)
# Seconds a worker waits between looks at the queue when it is empty (an in-process enqueue wakes it sooner).
_POLL_SECONDS = env_int("HEARTH_JOB_POLL_SECONDS", 2)
# The largest HMIS CSV export a page accepts (a CLI import has no limit).
_UPLOAD_MAX_BYTES = env_int("HEARTH_UPLOAD_MAX_BYTES", 2 * 1024**3)
# Days a finished job's files (uploads, reports, exports: client data) are kept before the worker deletes them.
_FILES_KEEP_DAYS = env_int("HEARTH_JOB_FILES_DAYS", 30)


def lease_seconds() -> int:
    return int(getattr(settings, "HEARTH_JOB_LEASE_SECONDS", _LEASE_SECONDS))


def poll_seconds() -> float:
    return float(getattr(settings, "HEARTH_JOB_POLL_SECONDS", _POLL_SECONDS))


def upload_max_bytes() -> int:
    return int(getattr(settings, "HEARTH_UPLOAD_MAX_BYTES", _UPLOAD_MAX_BYTES))


def files_keep_days() -> int:
    return int(getattr(settings, "HEARTH_JOB_FILES_DAYS", _FILES_KEEP_DAYS))
