"""Every persona against every client, for every client page: exact outcome, and nothing written on denial."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from hearth.access.lookups import clients_for
from hearth.access.roles import Permission
from hearth.audit.models import AuditEvent
from hearth.hmis.models import Client
from tests.web.personas import CAN_EDIT, CAN_VIEW, CLIENTS, PERSONAS, World

MATRIX = [(persona, client) for persona in PERSONAS for client in CLIENTS]


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


@pytest.mark.parametrize("persona", PERSONAS)
def test_guarded_queryset_is_exactly_the_expected_reach(world: World, persona: str) -> None:
    names = {pk: name for name, c in world.clients.items() for pk in [c.pk]}
    seen = {names[pk] for pk in clients_for(world.users[persona]).values_list("pk", flat=True)}
    assert seen == CAN_VIEW[persona]
    editable = {
        names[pk] for pk in clients_for(world.users[persona], Permission.EDIT_CLIENTS).values_list("pk", flat=True)
    }
    assert editable == CAN_EDIT[persona]


@pytest.mark.parametrize(("persona", "client"), MATRIX)
def test_profile(world: World, persona: str, client: str) -> None:
    target = world.clients[client]
    before = AuditEvent.objects.count()
    response = browser_for(world, persona).get(f"/clients/{target.pk}/")
    if client in CAN_VIEW[persona]:
        assert response.status_code == 200
        event = AuditEvent.objects.get(action="client.viewed")
        assert (event.actor_id, event.object_type, event.object_id) == (
            world.users[persona].pk,
            "Client",
            str(target.pk),
        )
        assert event.source_ip == "127.0.0.1"
        assert response["Cache-Control"] == "no-store"
    else:
        assert response.status_code == 404
        assert AuditEvent.objects.count() == before
        # "Not allowed" looks exactly like "no such client".
        assert browser_for(world, persona).get("/clients/999999/").content == response.content


@pytest.mark.parametrize(("persona", "client"), MATRIX)
def test_edit(world: World, persona: str, client: str) -> None:
    target = world.clients[client]
    browser = browser_for(world, persona)
    form = {
        "first_name": "Changed",
        "last_name": target.last_name,
        "name_data_quality": 1,
        "ssn": "",
        "ssn_data_quality": 99,
        "dob": target.dob.isoformat(),
        "dob_data_quality": 1,
        "races": ["hispanic_latinao"],
        "sex": 0,
        "veteran_status": 0,
    }
    before = AuditEvent.objects.count()
    response = browser.post(f"/clients/{target.pk}/edit/", form)
    stored = Client.objects.get(pk=target.pk)
    if client in CAN_EDIT[persona]:
        assert response.status_code == 302
        assert stored.first_name == "Changed"
        event = AuditEvent.objects.get(action="client.updated")
        assert event.details == {"fields": ["first_name"]}
    else:
        assert response.status_code == 404
        assert stored.first_name == target.first_name
        assert stored.date_updated == target.date_updated
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_anonymous_and_no_role_pages(world: World, persona: str) -> None:
    response = browser_for(world, persona).get("/")
    assert response.status_code == 200
    anonymous = Browser().get(f"/clients/{world.clients['at_a'].pk}/")
    assert (anonymous.status_code, anonymous["Location"]) == (
        302,
        f"/accounts/login/?next=/clients/{world.clients['at_a'].pk}/",
    )
