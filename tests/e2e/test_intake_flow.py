"""A case worker's first evening, as a new user would do it: sign in, accept the agreement, search, register a
client through the duplicate warning, open the profile, correct a detail."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hearth.access.models import AgreementAcceptance, UserAgreement
from hearth.audit.models import AuditEvent
from hearth.hmis.models import Client
from hearth.search.index import rebuild
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world() -> World:
    built = build_world()
    UserAgreement.objects.create(continuum=built.continuums["a"], version="2026.1", text="Keep client data safe.")
    rebuild()
    return built


def test_intake_through_the_duplicate_warning(page: Any, world: World) -> None:
    page.goto("/")
    check_accessibility(page, "01-sign-in")
    page.get_by_label("Username").fill("intake_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/agreement/")
    check_accessibility(page, "02-user-agreement")
    # USWDS draws its own checkbox: a person clicks the label.
    page.get_by_text("I have read and accept this agreement").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert AgreementAcceptance.objects.filter(user=world.users["intake_a"]).count() == 1
    check_accessibility(page, "03-home")

    page.get_by_role("link", name="Clients").click()
    page.get_by_label("Name, date of birth, last 4 of SSN or Hearth ID").fill("Lopes, Mary 1987-03-14")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Lopez, Maria").wait_for()
    assert "Mary" not in page.url
    check_accessibility(page, "04-search-results")

    page.get_by_role("link", name="Register a new client").first.click()
    page.get_by_label("First name").fill("Mary")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Date of birth", exact=True).fill("1987-03-14")
    page.get_by_label("Date of birth data quality").select_option(label="Full DOB reported")
    page.get_by_text("Hispanic/Latina/e/o").click()
    page.get_by_label(re.compile(r"^Sex\b")).select_option(label="Female")
    page.get_by_role("button", name="Check for matches and register").click()
    page.get_by_role("heading", name="Is this the same person?").wait_for()
    assert Client.objects.filter(first_name="Mary").count() == 0
    check_accessibility(page, "05-duplicate-warning")

    page.get_by_role("button", name="None of these: register a new client").click()
    page.get_by_role("heading", name="Mary Lopez").wait_for()
    client = Client.objects.get(first_name="Mary")
    assert page.url.endswith(f"/clients/{client.pk}/")
    check_accessibility(page, "06-client-profile")

    page.get_by_role("link", name="Correct details").click()
    page.get_by_label("Veteran status").select_option(label="No")
    check_accessibility(page, "07-correct-details")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Mary Lopez").wait_for()
    client.refresh_from_db()
    assert client.veteran_status == 0
    actions = list(
        AuditEvent.objects.filter(actor_id=world.users["intake_a"].pk).order_by("pk").values_list("action", flat=True)
    )
    # Typing searches as well as the button (htmx), so the number of searches depends on typing speed.
    assert "client.searched" in actions
    assert [a for a in actions if a != "client.searched"] == [
        "signin.succeeded",
        "agreement.accepted",
        "client.created",
        "client.viewed",
        "client.viewed",
        "client.updated",
        "client.viewed",
    ]
