"""The audit pages: who viewed a client, what an account did, and the change history with old and new values."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from hearth.audit.models import AuditEvent, FieldChange
from tests.web.personas import CLIENTS, PERSONAS, World

_A = {"at_a", "at_a_outreach", "registered_a"}
CAN_AUDIT: dict[str, set[str]] = {
    "lead_a": _A | {"at_b"},
    "admin_a": _A,
    "auditor_a": _A | {"at_b"},
    "admin_v": {"at_v"},
    "lead_b": {"at_z"},
}


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_client_history_matrix(world: World, persona: str, client: str) -> None:
    target = world.clients[client]
    before = AuditEvent.objects.count()
    response = browser_for(world, persona).get(f"/clients/{target.pk}/history/")
    if client in CAN_AUDIT.get(persona, set()):
        assert response.status_code == 200
        event = AuditEvent.objects.get(action="client.history_viewed")
        assert (event.actor_id, event.object_id) == (world.users[persona].pk, str(target.pk))
    else:
        assert response.status_code == 404
        assert AuditEvent.objects.count() == before


def test_history_shows_views_and_changes_with_old_and_new_values(world: World) -> None:
    target = world.clients["at_a"]
    manager = browser_for(world, "manager_a")
    manager.get(f"/clients/{target.pk}/")
    form = {
        "first_name": "Mariana",
        "last_name": "Lopez",
        "name_data_quality": 1,
        "ssn": "123456789",
        "ssn_data_quality": 1,
        "dob": "1987-03-14",
        "dob_data_quality": 1,
        "races": ["hispanic_latinao"],
        "sex": 0,
        "veteran_status": 0,
    }
    assert manager.post(f"/clients/{target.pk}/edit/", form).status_code == 302
    changes = sorted(FieldChange.objects.values_list("field", "old", "new"))
    assert changes == [
        ("first_name", "Maria", "Mariana"),
        ("ssn", None, "•••-••-6789"),
        ("ssn_data_quality", "99", "1"),
    ]
    assert "123456789" not in str(list(AuditEvent.objects.values_list("details", flat=True)))

    page = browser_for(world, "admin_a").get(f"/clients/{target.pk}/history/").content.decode()
    assert "FirstName (DE 3.01.1): Maria → Mariana" in page
    assert "SSN (DE 3.02.1): (empty) → •••-••-6789" in page
    assert "123456789" not in page
    assert page.count("client.viewed") == 1
    assert page.count("manager_a") == 2


@pytest.mark.parametrize(
    ("viewer", "account", "status"),
    [
        ("lead_a", "manager_a", 200),
        ("admin_a", "manager_a", 200),
        ("auditor_a", "manager_a", 404),  # audits records, does not manage accounts
        ("admin_a", "lead_a", 404),
        ("manager_a", "intake_a", 404),
        ("lead_b", "manager_a", 404),
        ("superuser", "manager_a", 200),
    ],
)
def test_account_activity(world: World, viewer: str, account: str, status: int) -> None:
    browser_for(world, account).get(f"/clients/{world.clients['registered_a'].pk}/")
    before = AuditEvent.objects.count()
    response = browser_for(world, viewer).get(f"/people/{world.users[account].pk}/activity/")
    assert response.status_code == status
    if status == 200:
        assert response.content.decode().count("client.viewed") == 1
        assert AuditEvent.objects.filter(action="account.activity_viewed").count() == 1
    else:
        assert AuditEvent.objects.count() == before
