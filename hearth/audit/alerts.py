"""Unusual access, raised for the HMIS Lead as the audit events that show it are written (HMIS Privacy and
Security Standards, 69 FR 45888 §4.3: "monitor ... for unauthorized access").

- **Many clients**: one account opened ``HEARTH_ALERT_CLIENTS_PER_HOUR`` distinct clients within an hour (one
  alert per account per hour).
- **Bulk export**: an HMIS CSV export (``hmis.export``), or any event whose details say how many clients it
  carried out (``exported_clients``), of at least ``HEARTH_ALERT_EXPORT_CLIENTS`` clients.
- **Own name**: an account viewed a client whose normalized first and last names are its user's (a nickname
  and its formal name count as the same first name); at most one alert per account and client a day.

Each check costs at most two indexed queries per client view, in the transaction that records the view, so an
alert exists exactly when its event does. Names are compared in memory and never written anywhere: the alert
keeps the client's Hearth ID and the account, nothing else (docs/adr/0015-audit-integrity-and-data-protection.md).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hearth.audit.models import AccessAlert, AuditEvent

WINDOW = timedelta(hours=1)
OWN_NAME_QUIET = timedelta(days=1)
VIEWED = "client.viewed"
BULK_EXPORT_ACTIONS = frozenset({"hmis.export"})
EXPORTED_CLIENTS = "exported_clients"  # the details key other exports state their client count in

DEFAULT_CLIENTS_PER_HOUR = 50
DEFAULT_EXPORT_CLIENTS = 100


def clients_per_hour() -> int:
    return int(getattr(settings, "HEARTH_ALERT_CLIENTS_PER_HOUR", DEFAULT_CLIENTS_PER_HOUR))


def export_clients() -> int:
    return int(getattr(settings, "HEARTH_ALERT_EXPORT_CLIENTS", DEFAULT_EXPORT_CLIENTS))


def on_event(event: AuditEvent, *, user: Any = None) -> None:
    """Look at one event just written (inside its transaction) and raise the alerts it calls for."""
    if event.action == VIEWED and event.object_type == "Client" and event.actor_id is not None:
        _many_clients(event)
        _own_name(event, user)
        return
    exported = _exported_clients(event)
    if exported is not None and exported >= export_clients():
        _raise(event, AccessAlert.Kind.BULK_EXPORT, clients=exported, threshold=export_clients())


def _exported_clients(event: AuditEvent) -> int | None:
    """How many clients an export event says it carried (None for any other event). A malformed count is no
    count: an alert must never make the audited action fail."""
    details = event.details if isinstance(event.details, dict) else {}
    try:
        if EXPORTED_CLIENTS in details:
            return int(details[EXPORTED_CLIENTS])
        if event.action in BULK_EXPORT_ACTIONS:
            counts = details.get("counts") or {}
            return int(counts.get("Client", 0)) if isinstance(counts, dict) else 0
    except (TypeError, ValueError):
        return None
    return None


def _many_clients(event: AuditEvent) -> None:
    threshold = clients_per_hour()
    since = event.at - WINDOW
    opened = (
        AuditEvent.objects.filter(actor_id=event.actor_id, action=VIEWED, object_type="Client", at__gt=since)
        .values("object_id")
        .distinct()
        .count()
    )
    if opened < threshold:
        return
    if AccessAlert.objects.filter(kind=AccessAlert.Kind.MANY_CLIENTS, actor_id=event.actor_id, at__gt=since).exists():
        return
    # About the account, not the client that crossed the threshold: the alert names no client.
    _raise(event, AccessAlert.Kind.MANY_CLIENTS, about_record=False, clients=opened, threshold=threshold, minutes=60)


def _own_name(event: AuditEvent, user: Any) -> None:
    from hearth.hmis.models import Client

    if event.actor_id is None:
        return
    if user is None or getattr(user, "pk", None) != event.actor_id:
        user = get_user_model().objects.filter(pk=event.actor_id).only("first_name", "last_name").first()
    if user is None or not (user.first_name and user.last_name) or not event.object_id.isdigit():
        return
    client = Client.objects.filter(pk=int(event.object_id)).values_list("first_name", "last_name").first()
    if client is None or not same_person_name((user.first_name, user.last_name), client):
        return
    recent = AccessAlert.objects.filter(
        kind=AccessAlert.Kind.OWN_NAME,
        actor_id=event.actor_id,
        object_id=event.object_id,
        at__gt=event.at - OWN_NAME_QUIET,
    )
    if not recent.exists():
        _raise(event, AccessAlert.Kind.OWN_NAME)


def same_person_name(account: tuple[str | None, str | None], client: tuple[str | None, str | None]) -> bool:
    """Whether two (first, last) names are the same once normalized (case, accents, punctuation; a nickname
    matches its formal name: Bob and Robert). Empty names never match."""
    from hearth.search.normalize import canonical_given_names, normalize_name

    first_a, last_a = (normalize_name(n) for n in account)
    first_c, last_c = (normalize_name(n) for n in client)
    if not (first_a and last_a and first_c and last_c) or last_a != last_c:
        return False
    if first_a == first_c:
        return True
    return bool({first_a, *canonical_given_names(first_a)} & {first_c, *canonical_given_names(first_c)})


def _raise(
    event: AuditEvent, kind: AccessAlert.Kind, *, about_record: bool = True, **details: Any
) -> list[AccessAlert]:
    """One alert per CoC the account works in (each CoC's HMIS Lead acknowledges their own), or one with no CoC."""
    continuums: list[int | None] = list(continuums_of(event.actor_id)) or [None]
    return [
        AccessAlert.objects.create(
            kind=kind,
            at=event.at,
            actor_id=event.actor_id,
            actor=event.actor,
            object_type=event.object_type if about_record else "",
            object_id=event.object_id if about_record else "",
            event_id=event.pk,
            details=details,
            continuum_id=continuum,
        )
        for continuum in continuums
    ]


def continuums_of(account_id: int | None) -> list[int]:
    """The CoCs an account works in: of its CoC grants, its organizations' and its projects' organizations'."""
    from hearth.access.models import RoleAssignment

    if account_id is None:
        return []
    found: set[int] = set()
    for continuum, org_continuum, project_continuum in RoleAssignment.objects.filter(user_id=account_id).values_list(
        "continuum_id", "organization__continuum_id", "project__organization__continuum_id"
    ):
        found |= {c for c in (continuum, org_continuum, project_continuum) if c is not None}
    return sorted(found)


# -- reading and acknowledging ---------------------------------------------------------------------------------


def alerts_for(user: Any) -> Any:
    """The alerts a user may read: those of the CoCs where they hold VIEW_AUDIT CoC-wide (the HMIS Lead, a
    CoC auditor), plus alerts about accounts with no CoC (command-line work). None for anyone else."""
    from hearth.access.roles import Permission
    from hearth.access.scope import reach

    continuums = reach(user, Permission.VIEW_AUDIT).continuums
    if not continuums:
        return AccessAlert.objects.none()
    return AccessAlert.objects.filter(Q(continuum_id__in=continuums) | Q(continuum_id__isnull=True))


def open_count(user: Any) -> int:
    return int(alerts_for(user).filter(acknowledged_at__isnull=True).count())


def acknowledge(*, alert: AccessAlert, by: Any) -> bool:
    """Mark an open alert as seen (an action: audited). Acknowledging twice changes nothing."""
    with transaction.atomic():
        changed = AccessAlert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=timezone.now(), acknowledged_by_id=by.user_id, acknowledged_by=by.name
        )
        if changed:
            by.record("alert.acknowledged", object_type="AccessAlert", object_id=alert.pk, kind=alert.kind)
    return bool(changed)
