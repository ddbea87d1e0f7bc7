"""The audit trail for the HMIS Lead and auditors: who viewed a client, what an account viewed, and the change
history of a record with old and new values."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hearth.access.actions import manages_account
from hearth.access.lookups import NotFound, can, clients_for, get_client_for
from hearth.access.roles import Permission
from hearth.access.victim_service import hidden_actors
from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent, FieldChange
from hearth.hmis.models import Client

SHOWN = 500


def _label(field: str) -> str:
    try:
        model_field = Client._meta.get_field(field)
    except LookupError:
        return field
    name = str(getattr(model_field, "verbose_name", field))
    element = getattr(model_field, "help_text", "") or ""
    return f"{name} ({element})" if element else name


@login_required
def client_history(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id, Permission.VIEW_AUDIT)
    events = list(
        AuditEvent.objects.filter(object_type="Client", object_id=str(client.pk))
        .exclude(actor_id__in=hidden_actors(request.user))
        .order_by("-at", "-pk")[:SHOWN]
    )
    changes: dict[int, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    for change in FieldChange.objects.filter(event_id__in=[e.pk for e in events]).order_by("pk"):
        changes[change.event_id].append((_label(change.field), change.old, change.new))
    Actor.from_request(request).record("client.history_viewed", object_type="Client", object_id=client.pk)
    rows = [(event, changes.get(event.pk, [])) for event in events]
    return render(request, "web/audit/client_history.html", {"client": client, "rows": rows, "shown": SHOWN})


@login_required
def account_activity(request: HttpRequest, account_id: int) -> HttpResponse:
    user: Any = request.user
    account = get_user_model().objects.filter(pk=account_id).first()
    if (
        account is None
        or not (user.is_superuser or can(user, Permission.VIEW_AUDIT))
        or not manages_account(user, account)
    ):
        raise NotFound("account")
    events = list(AuditEvent.objects.filter(actor_id=account.pk).order_by("-at", "-pk")[:SHOWN])
    client_ids = {int(e.object_id) for e in events if e.object_type == "Client" and e.object_id.isdigit()}
    linkable = set(clients_for(user, Permission.VIEW_AUDIT).filter(pk__in=client_ids).values_list("pk", flat=True))
    Actor.from_request(request).record("account.activity_viewed", object_type="User", object_id=account.pk)
    rows = [(e, e.object_type == "Client" and e.object_id.isdigit() and int(e.object_id) in linkable) for e in events]
    return render(request, "web/audit/account_activity.html", {"account": account, "rows": rows, "shown": SHOWN})
