"""The client's SSN: shown as its last four digits, and whole only to a user holding REVEAL_SSN over the client
who asks for it — an htmx POST answered with the number for that one response (``Cache-Control: no-store``),
each reveal audited (``client.ssn_revealed``). Hiding it again costs nothing and is not audited
(docs/adr/0015-audit-integrity-and-data-protection.md)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from hearth.access.lookups import NotFound, get_client_for
from hearth.access.roles import Permission
from hearth.audit.actor import Actor


def formatted(ssn: str) -> str:
    """Nine characters as HUD's 3.02 writes them (x for unknown digits) in the familiar 3-2-4 groups."""
    return f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}" if len(ssn) == 9 else ssn


@login_required
@require_POST
def reveal(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id, Permission.REVEAL_SSN)
    if not client.ssn:
        raise NotFound("SSN")
    show = request.POST.get("show") == "1"
    if show:
        Actor.from_request(request).record("client.ssn_revealed", object_type="Client", object_id=client.pk)
    response = render(
        request,
        "web/clients/_ssn.html",
        {"client": client, "can_reveal": True, "revealed": show, "whole": formatted(client.ssn) if show else ""},
    )
    # The number is in this response only: never kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response
