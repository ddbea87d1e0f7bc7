"""Model fields for HUD coded data elements.

A coded field takes its values and labels from the current spec version (hearth.spec), so the model code
does not change when HUD's lists do. Columns whose list depends on another column (DisabilityResponse,
TypeProvided, SubTypeProvided) are validated per record by ``hearth.hmis.codes``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import models

from hearth.spec import Code, current


def hud_choices(record: str, column: str) -> list[tuple[Code, str]]:
    spec = current()
    return spec.static_choices(spec.record(record).column(column))


def _has_static_list(record: str, column: str) -> bool:
    spec = current()
    return not any(rule.kind != "exclude" for rule in spec.rules_for(record, column))


class _HudCoded:
    hud_record: str
    hud_column: str

    def _init_hud(self, record: str, column: str, kwargs: dict[str, Any]) -> None:
        self.hud_record = record
        self.hud_column = column
        if _has_static_list(record, column):
            kwargs["choices"] = partial(hud_choices, record, column)

    def _deconstruct_hud(self, kwargs: dict[str, Any]) -> None:
        # Values live in the spec data, not in migrations: a new HUD list version needs no migration.
        kwargs.pop("choices", None)
        kwargs["record"] = self.hud_record
        kwargs["column"] = self.hud_column


class HudCodeField(_HudCoded, models.SmallIntegerField):
    """An integer from a HUD code list (every HUD list value fits in a smallint)."""

    description = "HUD coded value"

    def __init__(self, *args: Any, record: str, column: str, **kwargs: Any) -> None:
        self._init_hud(record, column, kwargs)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        self._deconstruct_hud(kwargs)
        return name, path, args, kwargs


class HudCodeCharField(_HudCoded, models.CharField):
    """A HUD list whose values are not all numbers (V6.1 VAMC station numbers such as 528A5)."""

    description = "HUD coded text value"

    def __init__(self, *args: Any, record: str, column: str, **kwargs: Any) -> None:
        self._init_hud(record, column, kwargs)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        self._deconstruct_hud(kwargs)
        return name, path, args, kwargs


class HudIdField(models.CharField):
    """A record's HUD identifier (PersonalID, EnrollmentID…): an opaque string, compared byte by byte.

    On PostgreSQL the column uses the "C" collation: identifiers have no linguistic order, and byte order
    makes the (source, hud_id) key's index faster to build and search (docs/adr/0003-keys-and-references.md).
    """

    description = "HUD identifier"

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters
