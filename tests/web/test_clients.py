"""Finding and registering clients through the pages: duplicate warning first, nothing written until confirmed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as Browser

from hearth.access.models import ClientOrigin
from hearth.audit.models import AuditEvent
from hearth.hmis.models import Client
from hearth.search.index import rebuild
from tests.web.personas import World


@pytest.fixture
def indexed(world: World) -> World:
    rebuild()
    return world


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


def intake_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "first_name": "Maria",
        "last_name": "Lopez",
        "name_data_quality": 1,
        "ssn": "",
        "ssn_data_quality": 99,
        "dob": "1987-03-14",
        "dob_data_quality": 1,
        "races": ["hispanic_latinao"],
        "sex": 0,
        "veteran_status": 0,
    }
    form.update(overrides)
    return form


def test_register_shows_likely_matches_before_creating(indexed: World) -> None:
    browser = browser_for(indexed, "intake_a")
    clients_before = Client.objects.count()
    warned = browser.post("/clients/new/", intake_form(first_name="Mary"))
    assert warned.status_code == 200
    assert b"Is this the same person?" in warned.content
    assert f'href="/clients/{indexed.clients["at_a"].pk}/"'.encode() in warned.content
    assert Client.objects.count() == clients_before
    assert not AuditEvent.objects.filter(action="client.created").exists()

    created = browser.post("/clients/new/", intake_form(first_name="Mary", confirmed="new"))
    assert created.status_code == 302
    client = Client.objects.get(first_name="Mary")
    assert created["Location"] == f"/clients/{client.pk}/"
    assert ClientOrigin.objects.get(client=client).organization == indexed.orgs["a"]
    assert (client.name_data_quality, client.dob_data_quality, client.hispanic_latinao, client.white) == (1, 1, 1, 0)
    assert client.race_none is None
    assert client.user_id == f"H{indexed.users['intake_a'].pk}"
    event = AuditEvent.objects.get(action="client.created")
    assert (event.object_id, event.details) == (str(client.pk), {"organization": indexed.orgs["a"].pk})
    assert browser.get(created["Location"]).status_code == 200


def test_matches_outside_the_users_reach_are_not_shown(indexed: World) -> None:
    # Ana Reyes is enrolled with Bridge Services only: Harbor House's intake worker must not learn of her.
    browser = browser_for(indexed, "intake_a")
    response = browser.post("/clients/new/", intake_form(first_name="Ana", last_name="Reyes", dob="1990-11-30"))
    assert response.status_code == 302
    assert Client.objects.filter(first_name="Ana", last_name="Reyes").count() == 2


def test_invalid_intake_writes_nothing(indexed: World) -> None:
    browser = browser_for(indexed, "intake_a")
    before = (Client.objects.count(), AuditEvent.objects.count())
    response = browser.post("/clients/new/", intake_form(last_name="", ssn="12345", dob="2999-01-01"))
    assert response.status_code == 400
    content = response.content.decode()
    assert "“Full name reported” needs both a first and a last name." in content
    assert "Enter 9 digits, with x for any digit the client does not know." in content
    assert "Date of birth cannot be in the future." in content
    assert (Client.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("persona", ["analyst_a", "auditor_a", "nobody", "superuser"])
def test_register_needs_edit_permission(indexed: World, persona: str) -> None:
    browser = browser_for(indexed, persona)
    assert browser.get("/clients/new/").status_code == 404
    assert browser.post("/clients/new/", intake_form(confirmed="new")).status_code == 404
    assert Client.objects.filter(first_name="Maria").count() == 1


@pytest.mark.parametrize(
    ("persona", "query", "expected"),
    [
        ("manager_a", "Maria Lopez", ["at_a"]),
        ("manager_a", "Lopez, Maria", ["at_a"]),
        ("manager_a", "Ana Reyes", []),
        ("lead_a", "Ana Reyes", ["at_b"]),
        ("lead_a", "Dana Hill", []),  # the victim service provider's client
        ("admin_v", "Dana Hill", ["at_v"]),
        ("manager_a", "Jim Carter 06/02/1975", ["at_a_outreach"]),
        ("outreach_worker", "Maria Lopez", []),
        ("manager_a", "Sam Ortiz", []),  # deleted
    ],
)
def test_search_page(indexed: World, persona: str, query: str, expected: list[str]) -> None:
    response = browser_for(indexed, persona).post("/clients/", {"q": query}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    found = [
        name for name, client in indexed.clients.items() if f'href="/clients/{client.pk}/"'.encode() in response.content
    ]
    assert found == expected
    event = AuditEvent.objects.get(action="client.searched")
    assert event.details == {"results": len(expected)}
    assert query.encode() not in str(event.details).encode()


def test_search_is_never_a_get_with_names(indexed: World) -> None:
    response = browser_for(indexed, "manager_a").get("/clients/", {"q": "Maria Lopez"})
    assert response.status_code == 200
    assert f'href="/clients/{indexed.clients["at_a"].pk}/"'.encode() not in response.content


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/enrollments/7/household/", "/enrollments/7/household/"),
        ("https://elsewhere.example/steal", None),
        ("//elsewhere.example/steal", None),
        ("javascript:alert(1)", None),
    ],
)
def test_register_returns_to_the_page_it_came_from_on_this_site_only(
    indexed: World, given: str, expected: str | None
) -> None:
    browser = browser_for(indexed, "intake_a")
    page = browser.get("/clients/new/", {"next": given})
    assert (f'name="next" value="{given}"' in page.content.decode()) == (expected is not None)
    created = browser.post("/clients/new/", intake_form(first_name="Zed", last_name="Quill", next=given))
    client = Client.objects.get(first_name="Zed")
    assert created["Location"] == (expected or f"/clients/{client.pk}/")
