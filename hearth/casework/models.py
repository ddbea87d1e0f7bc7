"""Hearth's own case-work records: what HUD's HMIS CSV has no file for.

CoC-defined service types and the services recorded under them, case notes, and uploaded documents belong to
the Hearth that holds them. They are never part of an HMIS CSV export (docs/adr/0008-local-case-work-records.md):
HUD's services are the ``hmis.Services`` rows, whose RecordType comes from HUD list 1.4.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ServiceType(models.Model):
    """A kind of service a CoC tracks for itself (meals, showers, laundry, bus passes…), beside HUD's."""

    continuum = models.ForeignKey("hmis.Continuum", models.PROTECT, related_name="service_types")
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=250, blank=True, default="")
    # A retired type stays on the services recorded under it but is no longer offered.
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "casework_service_type"
        constraints = [models.UniqueConstraint(fields=["continuum", "name"], name="casework_service_type_name_uniq")]

    def __str__(self) -> str:
        return self.name


class LocalService(models.Model):
    """A CoC-defined service given to a client during an enrollment (not exported to HUD)."""

    enrollment = models.ForeignKey("hmis.Enrollment", models.PROTECT, related_name="+", db_constraint=False)
    client = models.ForeignKey("hmis.Client", models.PROTECT, related_name="+", db_constraint=False)
    service_type = models.ForeignKey(ServiceType, models.PROTECT, related_name="+")
    date_provided = models.DateField()
    quantity = models.PositiveIntegerField(default=1)
    date_created = models.DateTimeField()
    date_updated = models.DateTimeField()
    user_id = models.CharField(max_length=32)
    date_deleted = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "casework_local_service"
        indexes = [models.Index(fields=["enrollment", "date_provided"], name="casework_local_service_enr")]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="casework_local_service_qty")]

    def __str__(self) -> str:
        return f"Service {self.pk}"


class CaseNote(models.Model):
    """A case worker's note about a client, kept within the writing organization's reach (ADR 0008)."""

    client = models.ForeignKey("hmis.Client", models.PROTECT, related_name="+", db_constraint=False)
    organization = models.ForeignKey("hmis.Organization", models.PROTECT, related_name="+")
    # The enrollment the note is about, when there is one (its project then shows on the note).
    enrollment = models.ForeignKey(
        "hmis.Enrollment", models.PROTECT, null=True, blank=True, related_name="+", db_constraint=False
    )
    contact_date = models.DateField()
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "casework_case_note"
        indexes = [models.Index(fields=["client", "contact_date"], name="casework_case_note_client")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True, deleted_by__isnull=True)
                | models.Q(deleted_at__isnull=False, deleted_by__isnull=False),
                name="casework_case_note_deleted_pair",
            )
        ]

    def __str__(self) -> str:
        return f"Case note {self.pk}"


class FileKind(models.TextChoices):
    CONSENT = "consent", "Consent form (release of information)"
    IDENTIFICATION = "identification", "Identification (ID card, birth certificate, Social Security card)"
    INCOME = "income", "Income or benefits verification"
    DISABILITY = "disability", "Disability verification"
    HOMELESSNESS = "homelessness", "Homelessness verification"
    OTHER = "other", "Other document"


class ClientFile(models.Model):
    """An uploaded document about a client. The bytes live under the data folder with a random name; the
    name the user gave is kept only here (it may identify the person) and shown only through guarded pages."""

    client = models.ForeignKey("hmis.Client", models.PROTECT, related_name="+", db_constraint=False)
    organization = models.ForeignKey("hmis.Organization", models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=FileKind.choices)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "casework_client_file"
        indexes = [models.Index(fields=["client", "uploaded_at"], name="casework_client_file_client")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True, deleted_by__isnull=True)
                | models.Q(deleted_at__isnull=False, deleted_by__isnull=False),
                name="casework_client_file_deleted_pair",
            )
        ]

    def __str__(self) -> str:
        return f"File {self.pk}"
