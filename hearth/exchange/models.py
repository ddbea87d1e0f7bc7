"""Runs of the exchange actions: one row per import or export, with status, progress and outcome.

These are the handles a background job updates and a page polls (progress bar), and the history an HMIS
Lead reads ("what came in from the old vendor, when, with which problems").
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    REJECTED = "rejected", "Rejected (problems in the file; nothing written)"
    FAILED = "failed", "Failed"


class Run(models.Model):
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # Only the file's name: a path can reveal a client's name (exports are sometimes filed per client).
    filename = models.CharField(max_length=255, blank=True, default="")
    actor = models.CharField(max_length=150)
    actor_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.FloatField(default=0.0)
    stage = models.CharField(max_length=200, blank=True, default="")
    counts = models.JSONField(default=dict, blank=True)
    errors = models.IntegerField(default=0)
    warnings = models.IntegerField(default=0)
    report_path = models.CharField(max_length=500, blank=True, default="")
    message = models.TextField(blank=True, default="")

    class Meta:
        abstract = True


class ImportRun(Run):
    source = models.ForeignKey("hmis.Source", models.PROTECT, null=True, blank=True, related_name="imports")
    export = models.ForeignKey("hmis.Export", models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "exchange_import_run"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.status})"


class ExportRun(Run):
    options = models.JSONField(default=dict, blank=True)
    export = models.ForeignKey("hmis.Export", models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "exchange_export_run"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.status})"
