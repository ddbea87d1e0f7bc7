"""Sessions end after 30 idle minutes: every request renews the session, so only idleness ends it (the absolute
lifetime and the other limits: tests/signin/test_sessions.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client as Browser
from django.utils import timezone

from tests.web.personas import World


def test_every_request_renews_the_idle_timeout(world: World) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    key = browser.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=2))
    response = browser.get("/")
    assert response.status_code == 200
    assert "sessionid" in response.cookies  # re-sent: the browser keeps the renewed session
    left = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
