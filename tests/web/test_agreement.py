"""First login, and each new version, require accepting the CoC's HMIS user agreement."""

from __future__ import annotations

from django.test import Client as Browser

from hearth.access.models import AgreementAcceptance, UserAgreement
from hearth.audit.models import AuditEvent
from tests.web.personas import World


def test_agreement_required_then_recorded(world: World) -> None:
    agreement = UserAgreement.objects.create(continuum=world.continuums["a"], version="2026.1", text="Keep it safe.")
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    response = browser.get("/")
    assert (response.status_code, response["Location"]) == (302, "/agreement/")
    assert browser.get(f"/clients/{world.clients['at_a'].pk}/").status_code == 302
    assert AuditEvent.objects.filter(action="client.viewed").count() == 0

    page = browser.get("/agreement/")
    assert page.status_code == 200
    assert b"Keep it safe." in page.content
    assert b"version 2026.1" in page.content

    refused = browser.post("/agreement/", {})
    assert refused.status_code == 400
    assert not AgreementAcceptance.objects.exists()

    accepted = browser.post("/agreement/", {"accept": "yes"})
    assert (accepted.status_code, accepted["Location"]) == (302, "/")
    acceptance = AgreementAcceptance.objects.get()
    assert (acceptance.user, acceptance.agreement) == (world.users["manager_a"], agreement)
    event = AuditEvent.objects.get(action="agreement.accepted")
    assert (event.actor_id, event.details) == (world.users["manager_a"].pk, {"version": "2026.1"})
    assert browser.get("/").status_code == 200


def test_a_new_version_asks_again_and_other_cocs_do_not(world: World) -> None:
    first = UserAgreement.objects.create(continuum=world.continuums["a"], version="1", text="One.")
    AgreementAcceptance.objects.create(user=world.users["manager_a"], agreement=first)
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    assert browser.get("/").status_code == 200
    UserAgreement.objects.create(continuum=world.continuums["b"], version="9", text="Other CoC.")
    assert browser.get("/").status_code == 200
    UserAgreement.objects.create(continuum=world.continuums["a"], version="2", text="Two.")
    assert browser.get("/")["Location"] == "/agreement/"


def test_accounts_without_a_role_have_nothing_to_accept(world: World) -> None:
    UserAgreement.objects.create(continuum=world.continuums["a"], version="1", text="One.")
    browser = Browser()
    browser.force_login(world.users["nobody"])
    assert browser.get("/").status_code == 200
    assert browser.get("/agreement/")["Location"] == "/"
