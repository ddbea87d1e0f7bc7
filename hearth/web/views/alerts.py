"""Unusual-access alerts for the HMIS Lead (hearth.audit.alerts): the list with acknowledge, and the summary on
the home page. Only for accounts holding VIEW_AUDIT CoC-wide (the HMIS Lead, a CoC auditor); anyone else gets
the same "not found" as for a missing page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hearth.access.lookups import NotFound, clients_for
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.audit.alerts import acknowledge, alerts_for
from hearth.audit.models import AccessAlert
from hearth.web.views.sensitive import may_choose

SHOWN = 200


def may_read_alerts(user: Any) -> bool:
    return bool(reach(user, Permission.VIEW_AUDIT).continuums)


def _alerts(request: HttpRequest) -> Any:
    if not may_read_alerts(request.user):
        raise NotFound("page")
    return alerts_for(request.user)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    mine = _alerts(request)
    open_alerts = list(mine.filter(acknowledged_at__isnull=True).order_by("-at", "-pk")[:SHOWN])
    done = list(mine.filter(acknowledged_at__isnull=False).order_by("-acknowledged_at", "-pk")[:50])
    client_ids = {
        int(a.object_id) for a in [*open_alerts, *done] if a.object_type == "Client" and a.object_id.isdigit()
    }
    # A client's history is linked only where the reader may open it (never a victim service provider's client).
    linkable = set(
        clients_for(request.user, Permission.VIEW_AUDIT).filter(pk__in=client_ids).values_list("pk", flat=True)
    )
    Actor.from_request(request).record("alert.list_viewed", open=len(open_alerts))
    context = {
        "open_alerts": [(a, _linkable(a, linkable)) for a in open_alerts],
        "done": [(a, _linkable(a, linkable)) for a in done],
        "shown": SHOWN,
        "may_choose_sensitive": may_choose(request.user),
    }
    return render(request, "web/audit/alerts.html", context)


def _linkable(alert: AccessAlert, linkable: set[int]) -> bool:
    return alert.object_type == "Client" and alert.object_id.isdigit() and int(alert.object_id) in linkable


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = _alerts(request).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("alert")
    acknowledge(alert=alert, by=Actor.from_request(request))
    return redirect("web:alerts")


@login_required
def alerts_summary(request: HttpRequest) -> HttpResponse:
    """The home page's part (loaded by htmx): how many alerts are open."""
    count = _alerts(request).filter(acknowledged_at__isnull=True).count()
    return render(request, "web/audit/_alerts_summary.html", {"count": count})
