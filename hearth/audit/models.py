"""Append-only audit events.

No foreign keys, on purpose: an event must outlive the user, client or import it describes. Details never hold
personal data (names, dates of birth, SSNs): identifiers and counts only. Rows are never changed or removed:
on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0004), and a hash chain makes any change made
past it detectable (hearth.audit.chain, ``hearth audit verify``; docs/adr/0015).
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
    # The hash chain (hearth.audit.chain): the previous event's hash and this event's, over its content.
    prev_hash = models.CharField(max_length=64, default="", editable=False)
    row_hash = models.CharField(max_length=64, default="", editable=False)

    class Meta:
        db_table = "audit_event"
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_event_object"),
            # An account's recent events: the unusual-access alerts count them as views are recorded.
            models.Index(fields=["actor_id", "at"], name="audit_event_actor_at"),
        ]

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
    # The changes' own hash chain (hearth.audit.chain), like the events'.
    prev_hash = models.CharField(max_length=64, default="", editable=False)
    row_hash = models.CharField(max_length=64, default="", editable=False)

    class Meta:
        db_table = "audit_field_change"

    def __str__(self) -> str:
        return f"event {self.event_id}: {self.field}"


class AccessAlert(models.Model):
    """Unusual access the HMIS Lead should look at (hearth.audit.alerts): one account opening many distinct
    clients in an hour, a bulk export, an account viewing a client with the same name as its user.

    Like events, alerts hold identifiers and counts, never a name. An alert belongs to one CoC of the acting
    account's grants (one alert per CoC when it works in several), whose HMIS Lead reads and acknowledges it;
    with no CoC (command-line work) every CoC-wide auditor sees it. Acknowledging is the one change it takes.
    """

    class Kind(models.TextChoices):
        MANY_CLIENTS = "many_clients", "Many distinct clients opened in an hour"
        BULK_EXPORT = "bulk_export", "Bulk export"
        OWN_NAME = "own_name", "Viewed a client who shares the user's name"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor = models.CharField(max_length=150)
    object_type = models.CharField(max_length=64, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    event_id = models.BigIntegerField()  # the audit event that raised it
    details = models.JSONField(default=dict, blank=True)
    continuum_id = models.BigIntegerField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by_id = models.BigIntegerField(null=True, blank=True)
    acknowledged_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        db_table = "audit_access_alert"
        indexes = [models.Index(fields=["continuum_id", "acknowledged_at", "at"], name="audit_alert_open")]
        constraints = [
            # Acknowledged together: when and by whom (paired fields).
            models.CheckConstraint(
                name="audit_access_alert_acknowledged_pair",
                condition=models.Q(acknowledged_at__isnull=True, acknowledged_by="")
                | models.Q(acknowledged_at__isnull=False) & ~models.Q(acknowledged_by=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.actor}"
