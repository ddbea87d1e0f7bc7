"""Drafts of stage assessments: what a worker has typed and not yet saved, so nothing entered is lost.

A draft belongs to one account, one enrollment and one stage. It holds the raw answers exactly as typed —
client data before it is in the HMIS — so they are encrypted at rest with the field key (hearth.crypto, AES-SIV
with the draft's owner, enrollment and stage as associated data), never logged, shown only to their author,
and deleted when the assessment is saved.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models

from hearth.crypto.rotation import EncryptedColumn, register
from hearth.crypto.siv import FieldCryptoError, decrypt, encrypt

# Drafts are re-encrypted by `hearth fieldkey rotate` with the rest (hearth.crypto.rotation): the associated data
# comes from the row, as Draft._context builds it.
SEALED = register(
    EncryptedColumn("collection_draft", "sealed", ("user_id", "enrollment_id", "stage"), "draft:{}:{}:{}")
)


class Draft(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    # The enrollment's database id: HUD records are never removed (DateDeleted), so no foreign key is needed
    # to keep it valid, and a draft must not block an import's reconciliation.
    enrollment_id = models.BigIntegerField()
    stage = models.CharField(max_length=16)
    sealed = models.TextField(default="")
    saved_at = models.DateTimeField()
    # The browser's edit clock (milliseconds) of the autosave this draft holds: autosaves can reach the server out
    # of order (a debounced save overtaken by the next change), and an older one must not overwrite a newer one.
    revision = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "enrollment_id", "stage"], name="collection_draft_one_per_stage")
        ]

    def __str__(self) -> str:
        return f"Draft {self.stage} of enrollment {self.enrollment_id}"

    def _context(self) -> str:
        # Binds the ciphertext to its row: a sealed draft copied to another user or enrollment does not open.
        return f"draft:{self.user_id}:{self.enrollment_id}:{self.stage}"

    @property
    def answers(self) -> dict[str, str]:
        if not self.sealed:
            return {}
        try:
            return dict(json.loads(decrypt(self.sealed, context=self._context())))
        except FieldCryptoError:
            # A draft sealed with a key since retired cannot be read: it is treated as no draft at all.
            return {}

    @answers.setter
    def answers(self, value: dict[str, str]) -> None:
        self.sealed = encrypt(json.dumps(value, sort_keys=True), context=self._context())
