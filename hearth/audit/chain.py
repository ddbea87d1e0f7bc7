"""The audit trail's hash chain: each row stores the previous row's hash and its own, over its canonical content.

Two chains, one per append-only table: ``audit_event`` (who did what) and ``audit_field_change`` (old and new
values). A row's hash is SHA-256 over the previous row's hash and the row's canonical content (``canonical_*``:
sorted-key JSON of its columns, with the values as the database gives them back), so altering a row changes its
hash, and removing or reordering one breaks the next row's link. ``hearth audit verify`` (hearth.audit.verify)
recomputes both chains and names the first broken link (docs/adr/0015-audit-integrity-and-data-protection.md).

Appending is serialized so that two writers never fork the chain: on PostgreSQL a transaction-scoped advisory
lock, taken before reading the last hash and held until the row is committed (so id order is chain order); on
SQLite the write transaction itself (Hearth opens them IMMEDIATE: one writer at a time).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.db import connection

GENESIS = "0" * 64
# pg_advisory_xact_lock's key for the audit chains: any fixed 64-bit number no other lock in Hearth uses.
LOCK_KEY = 0x4845415254480A01


def lock() -> None:
    """Hold the chains until the current transaction ends (the caller is inside ``transaction.atomic``)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def last_hash(table: str) -> str:
    """The hash of the table's last row (GENESIS for an empty table)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT row_hash FROM {connection.ops.quote_name(table)} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] else GENESIS


def digest(previous: str, content: str) -> str:
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def _number(value: Any) -> Any:
    """JSON numbers as PostgreSQL's jsonb gives them back: a float with no fraction reads back as an integer."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _number(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_number(v) for v in value]
    return value


def _json(value: Any) -> str:
    return json.dumps(_number(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_event(
    *,
    at: datetime,
    actor_id: int | None,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    source_ip: str | None,
    details: Any,
) -> str:
    return _json(
        {
            "at": _instant(at),
            "actor_id": actor_id,
            "actor": actor,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "source_ip": source_ip,
            # Through JSON and back first: what the database returns (tuples become lists, keys become text).
            "details": json.loads(json.dumps(details or {})),
        }
    )


def canonical_change(*, event_id: int, field: str, old: str | None, new: str | None) -> str:
    return _json({"event_id": event_id, "field": field, "old": old, "new": new})
