"""Which of the candidate sensitive fields the HMIS Lead has switched on (hearth.crypto.sensitive)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SealedField(models.Model):
    """One candidate column (``table.column``) and whether its values are encrypted at rest. A row exists once
    the field was first switched; no row means off. Changes are audited (``crypto.field_sealed``)."""

    column = models.CharField(max_length=128, primary_key=True)
    sealed = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        db_table = "crypto_sealed_field"

    def __str__(self) -> str:
        return f"{self.column}: {'encrypted' if self.sealed else 'plain'}"
