"""Write audit events. Actions call ``record`` inside their own transaction, so an event exists exactly when
the change it describes was committed."""

from __future__ import annotations

import getpass
from typing import Any

from hearth.audit.models import AuditEvent


def command_line_actor() -> str:
    """Who runs a management command: the operating-system account, as the HMIS Lead's servers log it."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def record(
    action: str,
    *,
    actor: str,
    actor_id: int | None = None,
    object_type: str = "",
    object_id: str | int = "",
    source_ip: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_id=actor_id,
        object_type=object_type,
        object_id=str(object_id),
        source_ip=source_ip,
        details=details or {},
    )


def record_changes(event: AuditEvent, changes: dict[str, tuple[Any, Any]]) -> None:
    """Keep the old and new values of the fields an audited action changed (see FieldChange)."""
    from hearth.audit.models import FieldChange

    FieldChange.objects.bulk_create(
        FieldChange(event_id=event.pk, field=name, old=_text(name, old), new=_text(name, new))
        for name, (old, new) in changes.items()
    )


def _text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # An SSN never enters the audit trail whole (HMIS Data Standards 3.02 is the most sensitive element).
    return f"•••-••-{text[-4:]}" if field == "ssn" else text
