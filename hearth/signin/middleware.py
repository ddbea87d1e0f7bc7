"""Middleware of the sign-in area: security headers on every response; the session guard on every signed-in
request (absolute lifetime, the session's record, second-factor enrolment when the account's role needs it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from hearth.signin import sessions
from hearth.signin.headers import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY

# Pages an account that must enrol a second factor may still open (enrolment itself is under /accounts/).
_ENROL_OPEN = ("/accounts/", "/static/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class SessionGuardMiddleware:
    """Ends a session past its absolute lifetime; keeps each signed-in session on record (so the oldest can be
    ended and a disabled account's ended at once); walks an account through second-factor enrolment when its
    role requires one and it has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if user.is_authenticated:
            ended = sessions.guard(request)
            if ended is not None:
                return ended
            if sessions.must_enrol(request) and not request.path.startswith(_ENROL_OPEN):
                if request.headers.get("HX-Request"):
                    answer = HttpResponse(status=204)
                    answer["HX-Redirect"] = reverse("web:security")
                    return answer
                return redirect("web:security")
        return self.get_response(request)
