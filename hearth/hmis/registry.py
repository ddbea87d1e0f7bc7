"""The one map between HUD's HMIS CSV columns and Hearth's models and database columns.

Built from the spec and the models (by the naming rules in hearth.hmis.naming), checked at start-up
against each other: every spec column has exactly one model field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

from hearth.hmis.models.base import HudRecord
from hearth.hmis.naming import CLASS_NAMES, field_name, reference_target
from hearth.spec import current
from hearth.spec.model import Column


@dataclass(frozen=True)
class FieldMap:
    column: Column
    field: str  # model field name ("client", "hud_id", "entry_date")
    db_column: str  # database column ("client_id", "hud_id", "entry_date")
    target: str | None  # referenced record type for foreign keys ("Client"), else None

    @property
    def is_reference(self) -> bool:
        return self.target is not None and self.target != "Export"

    @property
    def is_export(self) -> bool:
        return self.target == "Export"


@dataclass(frozen=True)
class RecordMap:
    record: str
    model: type[models.Model]
    fields: tuple[FieldMap, ...]

    @property
    def table(self) -> str:
        return str(self.model._meta.db_table)

    @property
    def client_level(self) -> bool:
        return bool(getattr(self.model, "CLIENT_LEVEL", False))

    def by_column(self, name: str) -> FieldMap:
        for fm in self.fields:
            if fm.column.name == name:
                return fm
        raise KeyError(name)

    @property
    def has_legacy(self) -> bool:
        return any(f.name == "legacy" for f in self.model._meta.get_fields())


@cache
def record_map(record: str) -> RecordMap:
    spec = current()
    rt = spec.record(record)
    model = apps.get_model("hmis", CLASS_NAMES[record])
    fields = []
    for column in rt.columns:
        name = field_name(record, column.name, column.position)
        field = model._meta.get_field(name)
        assert isinstance(field, models.Field)
        fields.append(FieldMap(column, name, str(field.column), reference_target(record, column.name, column.position)))
    return RecordMap(record, model, tuple(fields))


def all_maps() -> list[RecordMap]:
    return [record_map(name) for name in current().record_types]


def model_for(record: str) -> type[models.Model]:
    return record_map(record).model


def hud_models() -> list[type[HudRecord]]:
    return [m.model for m in all_maps() if issubclass(m.model, HudRecord)]
