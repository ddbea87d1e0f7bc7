"""Hearth's own settings about a project that HUD's descriptor data does not hold."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ConfidentialAddress(models.Model):
    """The project's address (HMIS Data Standards 2.03.3-2.03.7: Address1, Address2, City, State, ZIP) is
    confidential: shown only to the project's own organization, blank in every other view, report and export.

    A victim service provider's projects are always confidential (hearth.structure.confidential); this flag
    covers the others, e.g. a DV shelter run by an agency that is not a VSP. It is Hearth's, not HUD's: HMIS
    CSV has no column for it. One row per project while the flag is set; clearing it deletes the row (the audit
    trail keeps who set and cleared it).
    """

    project = models.OneToOneField("hmis.Project", models.CASCADE, primary_key=True, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    set_by_id = models.BigIntegerField(null=True, blank=True)
    set_by = models.CharField(max_length=150)

    class Meta:
        db_table = "structure_confidential_address"

    def __str__(self) -> str:
        return f"confidential address of project {self.project_id}"
