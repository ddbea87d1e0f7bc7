"""The SSN shows as its last four digits; a user holding REVEAL_SSN over the client may reveal it whole, one
response at a time (no-store), each reveal audited. The correction form never carries the number."""

from __future__ import annotations

import pytest
from django.test import Client as Browser

from hearth.audit.models import AuditEvent
from hearth.hmis.models import Client
from tests.web.personas import CLIENTS, PERSONAS, World

SSN = "900123456"
_A = {"at_a", "at_a_outreach", "registered_a"}
# Who may reveal each client's SSN: the HMIS Lead CoC-wide (never a victim service provider's client), agency
# administrators and case managers in their scope; intake workers, auditors and analysts see the last four only.
CAN_REVEAL: dict[str, set[str]] = {
    "lead_a": _A | {"at_b"},
    "admin_a": _A,
    "manager_a": _A,
    "outreach_worker": {"at_a_outreach", "registered_a"},
    "admin_v": {"at_v"},
    "lead_b": {"at_z"},
}


@pytest.fixture
def with_ssns(world: World) -> World:
    Client.objects.filter(pk__in=[c.pk for c in world.clients.values()]).update(ssn=SSN, ssn_data_quality=1)
    return world


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_reveal_matrix(with_ssns: World, persona: str, client: str) -> None:
    target = with_ssns.clients[client]
    browser = browser_for(with_ssns, persona)
    before = AuditEvent.objects.count()
    response = browser.post(f"/clients/{target.pk}/ssn/", {"show": "1"}, HTTP_HX_REQUEST="true")
    if client not in CAN_REVEAL.get(persona, set()):
        assert response.status_code == 404
        assert SSN not in response.content.decode()
        assert AuditEvent.objects.count() == before
        return
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert '<span class="text-bold">900-12-3456</span>' in text
    assert ">Hide<" in text
    event = AuditEvent.objects.get(action="client.ssn_revealed")
    assert (event.actor_id, event.object_type, event.object_id, event.details) == (
        with_ssns.users[persona].pk,
        "Client",
        str(target.pk),
        {},
    )
    # Hiding it again answers the last four and records nothing.
    hidden = browser.post(f"/clients/{target.pk}/ssn/", {"show": "0"}, HTTP_HX_REQUEST="true")
    assert hidden.status_code == 200
    assert "•••-••-3456" in hidden.content.decode()
    assert SSN[:5] not in hidden.content.decode()
    assert AuditEvent.objects.filter(action="client.ssn_revealed").count() == 1


def test_reveal_takes_post_only_and_needs_a_number(with_ssns: World) -> None:
    browser = browser_for(with_ssns, "manager_a")
    target = with_ssns.clients["at_a"]
    assert browser.get(f"/clients/{target.pk}/ssn/").status_code == 405
    Client.objects.filter(pk=target.pk).update(ssn=None)
    assert browser.post(f"/clients/{target.pk}/ssn/", {"show": "1"}).status_code == 404
    assert not AuditEvent.objects.filter(action="client.ssn_revealed").exists()


@pytest.mark.parametrize(("persona", "button"), [("manager_a", True), ("intake_a", False), ("auditor_a", False)])
def test_profile_shows_the_last_four_and_the_reveal_button_to_who_may(
    with_ssns: World, persona: str, button: bool
) -> None:
    target = with_ssns.clients["at_a"]
    text = browser_for(with_ssns, persona).get(f"/clients/{target.pk}/").content.decode()
    assert "•••-••-3456" in text
    assert SSN[:5] not in text
    assert (f'hx-post="/clients/{target.pk}/ssn/"' in text) is button


def test_correction_form_never_carries_the_number_and_keeps_it_when_left_empty(with_ssns: World) -> None:
    from tests.web.test_clients import intake_form

    target = with_ssns.clients["at_a"]
    browser = browser_for(with_ssns, "intake_a")
    page = browser.get(f"/clients/{target.pk}/edit/").content.decode()
    assert SSN not in page
    assert "On record: •••-••-3456. Leave empty to keep it" in page
    form = intake_form(first_name="Maria", last_name="Lopez", dob="1987-03-14", ssn="", ssn_data_quality=1)
    response = browser.post(f"/clients/{target.pk}/edit/", form)
    assert response.status_code == 302
    assert Client.objects.get(pk=target.pk).ssn == SSN
    form["ssn"] = "900-65-4321"
    browser.post(f"/clients/{target.pk}/edit/", form)
    assert Client.objects.get(pk=target.pk).ssn == "900654321"
    form.update(ssn="", ssn_data_quality=99)  # no number any more: "Data not collected"
    browser.post(f"/clients/{target.pk}/edit/", form)
    assert Client.objects.get(pk=target.pk).ssn is None
