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
