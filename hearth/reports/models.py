"""Report runs made in the application: who asked for which report on which projects and dates, the background
job that computes it, and where its frozen result lies.

A run's result (HUD's tables and the clients and enrollments behind every cell, ``ReportResult.save``) is
written once, by the job, to the run's own folder under HEARTH_WORK_DIR/reports/, and never recomputed: a
number read next month leads to the same people it counted (docs/adr/0019-reports-in-the-application.md).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReportRun(models.Model):
    report = models.CharField(max_length=40)  # hearth.reports.registry name: "dq", "apr", "caper", "ce_apr"
    start = models.DateField()
    end = models.DateField()
    projects = models.ManyToManyField("hmis.Project", through="ReportRunProject", related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="report_runs"
    )
    requested_by_name = models.CharField(max_length=150, blank=True, default="")
    job = models.OneToOneField("jobs.Job", models.SET_NULL, null=True, blank=True, related_name="report_run")
    created_at = models.DateTimeField(default=timezone.now)
    # Set by the job when the result is stored: the tables' names in HUD's order, and people counted at all.
    finished_at = models.DateTimeField(null=True, blank=True)
    tables = models.JSONField(default=list, blank=True)
    people = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        db_table = "reports_run"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="reports_run_requester")]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="reports_run_dates")]

    def __str__(self) -> str:
        return f"Report run {self.pk} ({self.report} {self.start}..{self.end})"

    def folder(self) -> Path:
        return Path(settings.HEARTH_WORK_DIR) / "reports" / str(self.pk)

    @property
    def stored(self) -> bool:
        return self.finished_at is not None and (self.folder() / "result.json").exists()


class ReportRunProject(models.Model):
    run = models.ForeignKey(ReportRun, models.CASCADE, related_name="run_projects")
    project = models.ForeignKey("hmis.Project", models.PROTECT, related_name="+")

    class Meta:
        db_table = "reports_run_project"
        constraints = [models.UniqueConstraint(fields=["run", "project"], name="reports_run_project_once")]

    def __str__(self) -> str:
        return f"run {self.run_id}: project {self.project_id}"
