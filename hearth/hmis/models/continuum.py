"""Continuums of Care: the top of Hearth's structure (a statewide deployment hosts several).

A CoC is identified by its HUD CoC code (two-letter state + three digits, e.g. "XX-501"; HMIS Data Standards
2.03.1, HMIS CSV ProjectCoC.CoCCode). Organizations belong to one CoC in Hearth; their projects may still
report several CoC codes through ProjectCoC, as HUD allows for projects that operate across CoCs.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

COC_CODE = RegexValidator(r"^[A-Z]{2}-[0-9]{3}$", "A CoC code is two capital letters, a hyphen and three digits.")


class Continuum(models.Model):
    code = models.CharField("CoC code", max_length=6, unique=True, validators=[COC_CODE])
    name = models.CharField(max_length=200)

    class Meta:
        db_table = "hmis_continuum"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
