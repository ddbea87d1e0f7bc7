"""An agency administrator adds a colleague, grants a role and makes the setup link; the colleague signs in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world() -> World:
    return build_world()


def test_add_a_colleague(page: Any, world: World) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("admin_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="People").click()
    check_accessibility(page, "10-people")

    page.get_by_role("link", name="Add an account").click()
    page.get_by_label("Username").fill("robin.avery")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Avery")
    page.get_by_label("Work email").fill("robin@example.org")
    page.get_by_label(re.compile(r"^Role")).select_option(label="Intake worker")
    page.get_by_label(re.compile(r"^Where")).select_option(label="Harbor Street Outreach (Harbor House)")
    check_accessibility(page, "11-add-account")
    page.get_by_role("button", name="Add the account").click()
    page.get_by_role("heading", name="Robin Avery").wait_for()

    page.get_by_role("button", name="Make a setup link").click()
    link = page.locator(".hearth-link code").inner_text()
    check_accessibility(page, "12-setup-link")
    page.get_by_role("button", name="Sign out admin_a").click()

    page.goto(link)
    new_password = "a long and unusual passphrase 42"
    page.get_by_label("New password", exact=False).first.fill(new_password)
    page.get_by_label("New password confirmation").fill(new_password)
    check_accessibility(page, "13-choose-password")
    page.get_by_role("button", name="Save and sign in").click()
    page.get_by_label("Username").fill("robin.avery")
    page.get_by_label("Password").fill(new_password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Robin").wait_for()
    assert get_user_model().objects.get(username="robin.avery").last_login is not None
