"""Where HUD records come from.

Several sources can feed one Hearth: Hearth's own data entry (the local source) and any number of other HMIS
databases whose exports are imported (a CoC moving from two former vendors). Every HUD record is keyed by
(source, hud_id), so two vendors' PersonalID "1001" are two different records.
"""

from __future__ import annotations

from django.db import models

UNHASHED = 1  # HMIS CSV list 1.5 HashStatus


class Source(models.Model):
    name = models.CharField(max_length=200, unique=True)
    # Export.ImplementationID of the source database: "unique to every source database" (HMIS CSV spec),
    # so it recognises the same source on the next import.
    implementation_id = models.CharField(max_length=200, blank=True, default="")
    is_local = models.BooleanField(default=False, help_text="Hearth's own data entry. Exactly one source is local.")
    # HashStatus (HMIS CSV list 1.5) of the names and SSNs this source's Client records hold: 1 unhashed, or the
    # hashing of the export(s) it was imported from (2 other, 3 SHA-1 RHY, 4 SHA-256). One value per source, so an
    # export never mixes digests and plain values under one Export.HashStatus (hearth.exchange.importer refuses an
    # export that would change it; hearth.exchange.exporter passes SHA-256 digests through and refuses the rest).
    hash_status = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "hmis_source"
        constraints = [
            models.UniqueConstraint(
                fields=["is_local"], condition=models.Q(is_local=True), name="hmis_source_one_local"
            ),
            models.UniqueConstraint(
                fields=["implementation_id"],
                condition=~models.Q(implementation_id=""),
                name="hmis_source_implementation_id_uniq",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hashed(self) -> bool:
        return self.hash_status != UNHASHED

    @classmethod
    def local(cls) -> Source:
        source, _ = cls.objects.get_or_create(is_local=True, defaults={"name": "Hearth"})
        return source
