"""Append-only audit events.

No foreign keys, on purpose: an event must outlive the user, client or import it describes. Details never hold
personal data (names, dates of birth, SSNs): identifiers and counts only.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The acting Hearth account (auth user id) if any, and a readable name kept even if the account goes.
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "audit_event"
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_event_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type} {self.object_id}"


class FieldChange(models.Model):
    """Old and new value of one field changed by an audited action (the change history the HMIS Lead reads).

    Unlike event details these hold record values, so they are shown only through the guarded history page
    (permission VIEW_AUDIT over the record). SSNs are kept masked to their last four digits. No foreign key,
    like the events they belong to.
    """

    event_id = models.BigIntegerField(db_index=True)
    field = models.CharField(max_length=64)
    old = models.TextField(null=True, blank=True)
    new = models.TextField(null=True, blank=True)

    class Meta:
        db_table = "audit_field_change"

    def __str__(self) -> str:
        return f"event {self.event_id}: {self.field}"
