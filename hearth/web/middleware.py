"""Request guards that apply to every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from hearth.access.agreements import needs_agreement

# Pages an account may open before accepting the user agreement.
_OPEN = ("/accounts/", "/agreement/", "/static/", "/admin/")


class AgreementMiddleware:
    """First login (and each new version) requires accepting the CoC's HMIS user agreement."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if user.is_authenticated and not request.path.startswith(_OPEN) and needs_agreement(user) is not None:
            return redirect("web:agreement")
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Client data must not be stored by browsers or proxies (shared computers in drop-in centres)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.setdefault("Cache-Control", "no-store")
        return response
