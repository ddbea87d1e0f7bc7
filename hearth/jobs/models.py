"""A job: one piece of long work (an import, an export, later a report), its state, progress and outcome.

The table is the queue. A worker claims a queued job with one conditional UPDATE, holds it with a lease it
renews while it works (the heartbeat), and records the outcome; a job whose lease ran out (its worker died)
is put back in the queue or, after ``max_attempts``, failed. Parameters and results never hold personal
data: options, ids, counts and file names only. Files (an upload, a report, an export) live in the job's own
folder under HEARTH_WORK_DIR and are named in ``files`` relative to it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Did not finish"
    CANCELLED = "cancelled", "Cancelled"


# A tuple, not a set: the check constraint below must list them in one order (migrations compare it).
FINISHED = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)


class Job(models.Model):
    kind = models.CharField(max_length=40)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    parameters = models.JSONField(default=dict, blank=True)
    # What the page shows when the job ends: one readable sentence, and a summary (counts, issue kinds).
    message = models.TextField(blank=True, default="")
    result = models.JSONField(default=dict, blank=True)
    # Files by role ("upload", "report", "export"): paths relative to HEARTH_WORK_DIR.
    files = models.JSONField(default=dict, blank=True)

    progress_done = models.BigIntegerField(default=0)
    progress_total = models.BigIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True, default="")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="jobs"
    )
    requested_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # The lease: which worker holds the job and until when, renewed by its heartbeat.
    worker = models.CharField(max_length=120, blank=True, default="")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    cancel_requested = models.BooleanField(default=False)

    class Meta:
        db_table = "jobs_job"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The claim reads the oldest queued job; the lease sweep reads running jobs by expiry.
            models.Index(fields=["state", "created_at"], name="jobs_state_created"),
            models.Index(fields=["requested_by", "created_at"], name="jobs_requester_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in JobState]),
                name="jobs_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress_done__gte=0) & Q(progress_total__gte=0),
                name="jobs_progress_not_negative",
            ),
            # A running job is always held by a worker under a lease.
            models.CheckConstraint(
                condition=~Q(state=JobState.RUNNING) | (Q(lease_expires_at__isnull=False) & ~Q(worker="")),
                name="jobs_running_has_lease",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(state__in=[s.value for s in FINISHED]),
                name="jobs_finished_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"Job {self.pk} ({self.kind}, {self.state})"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return max(0, min(100, int(100 * self.progress_done / self.progress_total)))

    def folder(self) -> Path:
        """The job's own folder for its files (created on first use)."""
        return Path(settings.HEARTH_WORK_DIR) / "jobs" / str(self.pk)

    def file_path(self, role: str) -> Path | None:
        name = self.files.get(role)
        if not name:
            return None
        path = (Path(settings.HEARTH_WORK_DIR) / name).resolve()
        # A stored name never leaves the work folder, whatever the row says.
        if not path.is_relative_to(Path(settings.HEARTH_WORK_DIR).resolve()):
            return None
        return path


def relative_to_work(path: Path) -> str:
    return str(path.resolve().relative_to(Path(settings.HEARTH_WORK_DIR).resolve()))
