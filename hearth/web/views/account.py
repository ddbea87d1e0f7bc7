"""Signing in and the HMIS user agreement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hearth.access.agreements import accept_agreement, needs_agreement
from hearth.audit.actor import Actor


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest) -> HttpResponse:
    pending = needs_agreement(request.user)
    if pending is None:
        return redirect("web:home")
    if request.method == "POST":
        if request.POST.get("accept") == "yes":
            accept_agreement(agreement=pending, by=Actor.from_request(request))
            return redirect("web:home")
        return render(request, "web/agreement.html", {"agreement": pending, "error": True}, status=400)
    return render(request, "web/agreement.html", {"agreement": pending})
