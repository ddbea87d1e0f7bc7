"""Who does something, and from where: passed to every action, written to every audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hearth.audit.log import command_line_actor
from hearth.audit.models import AuditEvent


@dataclass(frozen=True)
class Actor:
    user: Any  # the Django account, or None for command-line work
    name: str
    ip: str | None = None

    @property
    def user_id(self) -> int | None:
        return None if self.user is None else int(self.user.pk)

    @classmethod
    def from_request(cls, request: Any) -> Actor:
        # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it, and the
        # deployment guide puts Hearth behind one that sets REMOTE_ADDR correctly.
        return cls(user=request.user, name=request.user.get_username(), ip=request.META.get("REMOTE_ADDR") or None)

    @classmethod
    def command_line(cls) -> Actor:
        return cls(user=None, name=command_line_actor())

    def record(self, action: str, *, object_type: str = "", object_id: str | int = "", **details: Any) -> AuditEvent:
        from hearth.audit.log import record

        return record(
            action,
            actor=self.name,
            actor_id=self.user_id,
            object_type=object_type,
            object_id=object_id,
            source_ip=self.ip,
            details=details,
            user=self.user,
        )
