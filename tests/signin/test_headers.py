"""Security headers on representative pages, no inline script or style in any template (the policy allows
none), no-store on signed-in pages, HSTS when configured."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as Browser

import hearth
from hearth.signin.headers import CONTENT_SECURITY_POLICY
from tests.web.personas import World

TEMPLATES = Path(hearth.__file__).resolve().parent / "web" / "templates"


def test_the_policy_allows_only_hearths_own_files() -> None:
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        (None, "/accounts/login/"),
        ("manager_a", "/"),
        ("manager_a", "/clients/"),
        ("manager_a", "/accounts/security/"),
        ("lead_a", "/structure/"),
        ("admin_a", "/people/"),
    ],
)
def test_representative_pages_carry_the_security_headers(world: World, persona: str | None, path: str) -> None:
    browser = Browser()
    if persona:
        browser.force_login(world.users[persona])
    response = browser.get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "publickey-credentials-get=(self)" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response  # development: HSTS only in production
    if persona:
        assert "no-store" in response["Cache-Control"].split(", ")


def test_client_pages_are_never_stored(world: World) -> None:
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    response = browser.get(f"/clients/{world.clients['at_a'].pk}/")
    assert (response.status_code, response["Cache-Control"]) == (200, "no-store")


def test_hsts_in_production_over_https(world: World, settings: object) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000  # type: ignore[attr-defined]
    response = Browser().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_https_behind_a_tls_proxy_is_known_from_its_header(world: World, settings: object) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000  # type: ignore[attr-defined]
    forwarded: dict[str, Any] = {"HTTP_X_FORWARDED_PROTO": "https"}  # WSGI environ extras: Client.get's **extra: Any
    assert "Strict-Transport-Security" not in Browser().get("/accounts/login/", **forwarded)
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # type: ignore[attr-defined]
    assert Browser().get("/accounts/login/", **forwarded)["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in Browser().get("/accounts/login/")


@pytest.mark.parametrize(("value", "expected"), [("", "None"), ("true", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_the_proxy_header_is_trusted_only_when_the_deployment_says_so(value: str, expected: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HEARTH_BEHIND_TLS_PROXY"}
    env.update({"HEARTH_BEHIND_TLS_PROXY": value, "DJANGO_SETTINGS_MODULE": "hearth.settings"})
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == expected


def test_the_session_cookie_is_not_readable_by_scripts(world: World) -> None:
    browser = Browser()
    response = browser.post("/accounts/login/", {"username": "manager_a", "password": "correct horse battery staple"})
    cookie = response.cookies["sessionid"]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_has_inline_script_style_or_event_handlers() -> None:
    problems = []
    for path in _templates():
        text = path.read_text()
        for pattern, what in (
            (r"<script(?![^>]*\bsrc=)[^>]*>", "inline <script>"),
            (r"<style\b", "<style> element"),
            (r"\sstyle=", "style attribute"),
            (r"\son[a-z]+=", "event handler attribute"),
            (r"\shx-on[:-]", "hx-on handler (evaluated script)"),
            (r"javascript:", "javascript: URL"),
        ):
            if re.search(pattern, text, re.IGNORECASE):
                problems.append(f"{path.relative_to(TEMPLATES)}: {what}")
    assert problems == []
    assert len(_templates()) > 40  # the scan saw the templates
