"""What every structure action does the same way: stamp a new local HUD record, apply and compare values,
and write the audit event with each field's old and new value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.audit.actor import Actor
from hearth.audit.log import record_changes
from hearth.casework.stamps import stamp

Changes = dict[str, tuple[Any, Any]]
M = TypeVar("M", bound=models.Model)


class RuleError(ValueError):
    """A HUD rule is broken: ``problems`` maps each field to a message naming what to fix."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems.items()))
        self.problems = dict(problems)


def check(problems: Mapping[str, str]) -> None:
    if problems:
        raise RuleError(problems)


def new_local(model: type[M], *, by: Actor, **values: Any) -> M:
    """A record entered in Hearth: the local source, a fresh HUD ID (as register_client), HUD's timestamps and
    the account's HUD UserID."""
    return model(**stamp(by), **values)


def apply(instance: models.Model, values: Mapping[str, Any]) -> Changes:
    """Set the fields that differ; returns each with its old and new value."""
    changed: Changes = {}
    for name, value in values.items():
        old = getattr(instance, name)
        if old != value:
            changed[name] = (old, value)
            setattr(instance, name, value)
    return changed


def save_new(instance: models.Model, *, action: str, by: Actor, **details: Any) -> None:
    instance.full_clean(exclude=["source", "export"])
    instance.save()
    values = {
        field.name: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.name not in {"id", "source", "export", "date_created", "date_updated", "user_id", "hud_id"}
    }
    event = by.record(action, object_type=_record_type(instance), object_id=instance.pk, **details)
    record_changes(event, {name: (None, value) for name, value in values.items() if value is not None})


def save_changes(instance: models.Model, changed: Changes, *, action: str, by: Actor, **details: Any) -> None:
    """Save the changed fields with HUD's DateUpdated and UserID, and audit them (nothing when unchanged)."""
    if not changed:
        return
    fields = list(changed)
    if hasattr(instance, "date_updated"):
        setattr(instance, "date_updated", timezone.now())  # noqa: B010 - any HUD record
        setattr(instance, "user_id", hmis_user_id(by.user))  # noqa: B010
        fields += ["date_updated", "user_id"]
    instance.full_clean(exclude=["source", "export"])
    instance.save(update_fields=fields)
    event = by.record(
        action, object_type=_record_type(instance), object_id=instance.pk, fields=list(changed), **details
    )
    record_changes(event, changed)


def soft_delete(instance: models.Model, *, action: str, by: Actor, **details: Any) -> None:
    """HMIS CSV DateDeleted: the record stays (exports carry the deletion), but is no longer live."""
    now = timezone.now()
    instance.date_deleted = now  # type: ignore[attr-defined]
    instance.date_updated = now  # type: ignore[attr-defined]
    instance.user_id = hmis_user_id(by.user)  # type: ignore[attr-defined]
    instance.save(update_fields=["date_deleted", "date_updated", "user_id"])
    by.record(action, object_type=_record_type(instance), object_id=instance.pk, **details)


def _record_type(instance: models.Model) -> str:
    return str(getattr(instance, "HUD_RECORD", type(instance).__name__))
