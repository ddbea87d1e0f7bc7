"""Drafts of stage assessments: what a worker has typed and not yet saved, so nothing entered is lost.

A draft belongs to one account, one enrollment and one stage. It holds the raw answers exactly as typed
(client data: never logged, never shown to anyone but its author, deleted when the assessment is saved).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Draft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    # The enrollment's database id: HUD records are never removed (DateDeleted), so no foreign key is needed
    # to keep it valid, and a draft must not block an import's reconciliation.
    enrollment_id = models.BigIntegerField()
    stage = models.CharField(max_length=16)
    answers = models.JSONField(default=dict)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "enrollment_id", "stage"], name="collection_draft_one_per_stage")
        ]

    def __str__(self) -> str:
        return f"Draft {self.stage} of enrollment {self.enrollment_id}"
