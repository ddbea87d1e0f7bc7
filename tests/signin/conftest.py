from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as Browser

from tests.web.personas import PASSWORD, World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def sign_in(username: str, password: str = PASSWORD, *, ip: str = "10.0.0.1", browser: Browser | None = None) -> Any:
    """POST the sign-in form like a browser from ``ip``; returns (browser, response)."""
    browser = browser or Browser(REMOTE_ADDR=ip)
    response = browser.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return browser, response


def signed_in(browser: Browser) -> bool:
    return "_auth_user_id" in browser.session
