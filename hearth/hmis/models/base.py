"""What every HUD record has: its source, its HUD identifier, and soft deletion."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from hearth.hmis.models.source import Source


class HudQuerySet(models.QuerySet):
    def live(self) -> HudQuerySet:
        """Records not deleted in their source (DateDeleted empty)."""
        return self.filter(date_deleted__isnull=True)

    def from_source(self, source: Source) -> HudQuerySet:
        return self.filter(source=source)


class HudRecord(models.Model):
    """Base of the 23 HUD record types that carry DateDeleted (every one but Export)."""

    # The HMIS CSV record type this model holds ("Client" for Client.csv).
    HUD_RECORD: ClassVar[str]
    # Client-level records (Client and everything that hangs off it) are written in bulk by imports; the
    # importer and the actions check their references, so the database does not repeat the check row by row
    # (docs/adr/0003-keys-and-references.md).
    CLIENT_LEVEL: ClassVar[bool] = False

    # Declared by each model (tools/gen_models.py): client-level tables skip the row-by-row database check.
    source: models.ForeignKey[Source, Source]

    objects = HudQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.HUD_RECORD} {self.hud_id}"  # type: ignore[attr-defined]
