"""CSRF everywhere: no view of Hearth is exempt, and a POST without the token is refused (403) on every route,
signed in or not, before the view runs."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client as Browser
from django.urls import URLPattern, URLResolver, get_resolver

from hearth.audit.models import AuditEvent
from tests.web.personas import World


def every_pattern(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += every_pattern(entry, prefix + str(entry.pattern))
        else:
            found.append((prefix + str(entry.pattern), entry))
    return found


def _exempt(view: Any) -> bool:
    """csrf_exempt marks the view function; decorators above it copy the mark (functools.wraps), below it the
    __wrapped__ chain leads there."""
    while view is not None:
        if getattr(view, "csrf_exempt", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


def test_no_view_is_csrf_exempt() -> None:
    patterns = every_pattern()
    assert len(patterns) > 100  # hearth.web and the admin, all of them
    assert [route for route, pattern in patterns if _exempt(pattern.callback)] == []


def _sample_path(route: str) -> str:
    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<(?:str|slug|path):[^>]+>|<[^>]+>", "x", path)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "")
    return "/" + path


def test_a_post_without_the_token_is_refused_on_every_route(world: World) -> None:
    signed_in = Browser(enforce_csrf_checks=True)
    signed_in.force_login(world.users["lead_a"])
    anonymous = Browser(enforce_csrf_checks=True)
    before = AuditEvent.objects.count()
    answers = {}
    for route, _ in every_pattern():
        if "(?P<" in route or route.startswith("static/"):
            continue  # regular-expression routes of the admin: covered by the same middleware
        path = _sample_path(route)
        for browser in (signed_in, anonymous):
            answers[(path, browser is signed_in)] = browser.post(path, {"anything": "1"}).status_code
    assert len(answers) > 200
    assert {key: code for key, code in answers.items() if code != 403} == {}
    assert AuditEvent.objects.count() == before  # nothing ran


def test_the_sign_in_form_needs_its_token_too(world: World) -> None:
    browser = Browser(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "manager_a", "password": "correct horse battery staple"})
    assert response.status_code == 403
    assert "_auth_user_id" not in browser.session
    page = browser.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    answer = browser.post(
        "/accounts/login/",
        {"username": "manager_a", "password": "correct horse battery staple", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302
