"""Correction requests, retention runs and the clients they de-identified.

No foreign key to the client's HUD records is enforced in the database (as for case-work records, ADR 0008):
imported records are replaced by source and HUD ID, and these rows must outlive any of them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Outcome(models.TextChoices):
    PENDING = "pending", "Not decided yet"
    ACCEPTED = "accepted", "Accepted: the change was made"
    PARTLY = "partly", "Partly accepted"
    DENIED = "denied", "Denied"


class Element(models.TextChoices):
    """What a client may ask to correct, by HUD data element (HMIS Data Standards FY2026)."""

    NAME = "name", "Name (3.01)"
    SSN = "ssn", "Social Security number (3.02)"
    DOB = "dob", "Date of birth (3.03)"
    RACE = "race", "Race and ethnicity (3.04)"
    SEX = "sex", "Sex (4.21)"
    VETERAN = "veteran", "Veteran status (3.07)"
    ENROLLMENT = "enrollment", "Enrollment, exit or assessment data"
    SERVICES = "services", "Services or bed nights"
    OTHER = "other", "Something else"


class CorrectionRequest(models.Model):
    """A client's request to correct their record and what came of it (HMIS Data and Technical Standards,
    69 FR 45888, 4.2.5 "Access and correction": a client may ask to see and to correct their information; the
    organization may deny with a reason)."""

    client = models.ForeignKey("hmis.Client", models.PROTECT, related_name="+", db_constraint=False)
    # The agency that took the request and answers it (its staff see it in the agency's list).
    organization = models.ForeignKey("hmis.Organization", models.PROTECT, related_name="+")
    requested_on = models.DateField()
    elements = models.JSONField(default=list)  # Element values
    # What the client asked to change, in the worker's words: personal data, shown only on guarded pages.
    request = models.TextField()
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    taken_by_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.TextField(blank=True, default="")
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    decided_by_name = models.CharField(max_length=150, blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    # Audit event ids of the changes made through the normal actions (client.updated, assessments…) between
    # the request and its decision: the record of what was actually changed.
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "rights_correction_request"
        indexes = [
            models.Index(fields=["client", "requested_on"], name="rights_correction_client"),
            models.Index(fields=["organization", "outcome"], name="rights_correction_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[o.value for o in Outcome]), name="rights_correction_outcome"
            ),
            # Decided exactly when an outcome other than pending is recorded, with who and when.
            models.CheckConstraint(
                condition=(
                    Q(
                        outcome=Outcome.PENDING,
                        decided_at__isnull=True,
                        decided_by__isnull=True,
                        decided_on__isnull=True,
                    )
                    | (
                        ~Q(outcome=Outcome.PENDING)
                        & Q(decided_at__isnull=False, decided_by__isnull=False, decided_on__isnull=False)
                    )
                ),
                name="rights_correction_decided",
            ),
            # A denial, whole or in part, always says why (4.2.5: the client is told the reason).
            models.CheckConstraint(
                condition=~Q(outcome__in=[Outcome.DENIED, Outcome.PARTLY]) | ~Q(reason=""),
                name="rights_correction_reason",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("requested_on")),
                name="rights_correction_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Correction request {self.pk}"


class RunMode(models.TextChoices):
    DRY_RUN = "dry_run", "Dry run"
    APPLY = "apply", "De-identification"


class RetentionRun(models.Model):
    """One run of the retention job: a dry run lists who would be de-identified; an apply de-identifies the
    clients of one dry run that are still eligible."""

    mode = models.CharField(max_length=10, choices=RunMode.choices)
    years = models.PositiveSmallIntegerField()
    cutoff = models.DateField()  # no activity on or after this date
    # Continuums whose HMIS Lead ran it (their clients only); empty = the whole deployment (the command line).
    continuums = models.JSONField(default=list, blank=True)
    based_on = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="applied_by")
    job_id = models.BigIntegerField(null=True, blank=True)
    requested_by_id = models.BigIntegerField(null=True, blank=True)
    requested_by_name = models.CharField(max_length=150)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "rights_retention_run"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=[m.value for m in RunMode]), name="rights_run_mode"),
            models.CheckConstraint(
                condition=Q(mode=RunMode.DRY_RUN, based_on__isnull=True)
                | Q(mode=RunMode.APPLY, based_on__isnull=False),
                name="rights_run_apply_needs_dry_run",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention {self.mode} {self.pk}"


class RetentionCandidate(models.Model):
    """A client a dry run found inactive since before the cutoff (by id only: the downloadable list)."""

    run = models.ForeignKey(RetentionRun, models.CASCADE, related_name="candidates")
    client_id = models.BigIntegerField()
    personal_id = models.CharField(max_length=32)
    last_activity = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "rights_retention_candidate"
        constraints = [models.UniqueConstraint(fields=["run", "client_id"], name="rights_candidate_uniq")]

    def __str__(self) -> str:
        return f"Candidate {self.client_id} of run {self.run_id}"


class Deidentified(models.Model):
    """A client whose identifying data the retention job removed: never listed again."""

    client_id = models.BigIntegerField(unique=True)
    run = models.ForeignKey(RetentionRun, models.PROTECT, related_name="deidentified")
    at = models.DateTimeField()

    class Meta:
        db_table = "rights_deidentified"

    def __str__(self) -> str:
        return f"Client {self.client_id} de-identified"
