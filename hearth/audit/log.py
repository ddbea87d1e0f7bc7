"""Write audit events. Actions call ``record`` inside their own transaction, so an event exists exactly when
the change it describes was committed.

Each event and field change is appended to its hash chain (hearth.audit.chain), and each event is looked at by
the unusual-access alerts (hearth.audit.alerts) in the same transaction.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.db import transaction
from django.utils import timezone

from hearth.audit import chain
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
    user: Any = None,
) -> AuditEvent:
    """Append one event. ``user`` (the acting account, when the caller has it) spares the alerts a query."""
    event = AuditEvent(
        at=timezone.now(),
        action=action,
        actor=actor,
        actor_id=actor_id,
        object_type=object_type,
        object_id=str(object_id),
        # As the database will return it (IPv6 normalized), so the hash is computed over the stored value.
        source_ip=AuditEvent._meta.get_field("source_ip").get_prep_value(source_ip),
        details=details or {},
    )
    # No savepoint of its own: an error here fails the caller's transaction, as the event belongs to its change.
    with transaction.atomic(savepoint=False):
        chain.lock()
        event.prev_hash = chain.last_hash(AuditEvent._meta.db_table)
        event.row_hash = chain.digest(event.prev_hash, event_content(event))
        event.save(force_insert=True)
        from hearth.audit.alerts import on_event

        on_event(event, user=user)
    return event


def event_content(event: AuditEvent) -> str:
    return chain.canonical_event(
        at=event.at,
        actor_id=event.actor_id,
        actor=event.actor,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        source_ip=event.source_ip,
        details=event.details,
    )


def record_changes(event: AuditEvent, changes: dict[str, tuple[Any, Any]]) -> None:
    """Keep the old and new values of the fields an audited action changed (see FieldChange)."""
    from hearth.audit.models import FieldChange

    if not changes:
        return
    with transaction.atomic(savepoint=False):
        chain.lock()
        previous = chain.last_hash(FieldChange._meta.db_table)
        rows = []
        for name, (old, new) in changes.items():
            row = FieldChange(event_id=event.pk, field=name, old=_text(name, old), new=_text(name, new))
            row.prev_hash = previous
            row.row_hash = previous = chain.digest(previous, change_content(row))
            rows.append(row)
        # One row per INSERT, in chain order: the ids (the order verify walks) follow the chain's.
        for row in rows:
            row.save(force_insert=True)


def change_content(change: Any) -> str:
    return chain.canonical_change(event_id=change.event_id, field=change.field, old=change.old, new=change.new)


def _text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # An SSN never enters the audit trail whole (HMIS Data Standards 3.02 is the most sensitive element).
    return f"•••-••-{text[-4:]}" if field == "ssn" else text
