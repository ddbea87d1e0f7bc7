"""Accounts and role grants: who may create and grant what, where; exact outcomes, nothing written on denial."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as Browser

from hearth.access.actions import Target, may_grant
from hearth.access.lookups import clients_for
from hearth.access.models import RoleAssignment
from hearth.audit.models import AuditEvent
from tests.web.personas import PERSONAS, World

# (role, scope kind, scope name) → which personas may grant it there.
GRANTS: dict[tuple[str, str, str], set[str]] = {
    ("case_manager", "organization", "a"): {"lead_a", "admin_a", "superuser"},
    ("intake_worker", "project", "a_outreach"): {"lead_a", "admin_a", "superuser"},
    ("agency_admin", "organization", "b"): {"lead_a", "superuser"},
    ("agency_admin", "organization", "v"): {"lead_a", "admin_v", "superuser"},
    ("hmis_lead", "continuum", "a"): {"lead_a", "superuser"},
    ("coc_analyst", "continuum", "b"): {"lead_b", "superuser"},
    ("case_manager", "organization", "z"): {"lead_b", "superuser"},
    ("hmis_lead", "organization", "a"): set(),  # an HMIS Lead is CoC-wide only
    ("coc_analyst", "project", "a_shelter"): set(),
}


def target(world: World, kind: str, name: str) -> Target:
    if kind == "continuum":
        return Target(continuum=world.continuums[name])
    if kind == "organization":
        return Target(organization=world.orgs[name])
    return Target(project=world.projects[name])


@pytest.mark.parametrize("grant", list(GRANTS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_may_grant_matrix(world: World, persona: str, grant: tuple[str, str, str]) -> None:
    role, kind, name = grant
    assert may_grant(world.users[persona], role, target(world, kind, name)) is (persona in GRANTS[grant])


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


def new_account(world: World, scope: str, **overrides: Any) -> dict[str, Any]:
    form = {
        "username": "new.worker",
        "first_name": "Robin",
        "last_name": "Avery",
        "email": "robin@example.org",
        "role": "case_manager",
        "scope": scope,
    }
    form.update(overrides)
    return form


@pytest.mark.parametrize("persona", PERSONAS)
def test_people_pages_only_for_managers(world: World, persona: str) -> None:
    managers = {"lead_a", "admin_a", "admin_v", "lead_b", "superuser"}
    browser = browser_for(world, persona)
    expected = 200 if persona in managers else 404
    assert browser.get("/people/").status_code == expected
    assert browser.get("/people/new/").status_code == expected


def test_agency_admin_creates_an_account_in_their_organization(world: World) -> None:
    browser = browser_for(world, "admin_a")
    response = browser.post("/people/new/", new_account(world, f"organization:{world.orgs['a'].pk}"))
    account = get_user_model().objects.get(username="new.worker")
    assert response["Location"] == f"/people/{account.pk}/"
    assert not account.has_usable_password()
    grant = RoleAssignment.objects.get(user=account)
    assert (grant.role, grant.organization, grant.granted_by) == (
        "case_manager",
        world.orgs["a"],
        world.users["admin_a"],
    )
    event = AuditEvent.objects.get(action="account.created")
    assert (event.object_id, event.details) == (str(account.pk), {"role": "case_manager", "scope": "organization"})

    # The setup link lets the colleague choose a password, once.
    page = browser.post(f"/people/{account.pk}/setup-link/")
    link = re.search(r"http://testserver(/accounts/setup/[^<\s]+)", page.content.decode())
    assert link is not None
    newcomer = Browser()
    form_page = newcomer.get(link.group(1), follow=True)
    assert b"Choose your password" in form_page.content
    password = "a long and unusual passphrase 42"
    done = newcomer.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert (done.status_code, done["Location"]) == (302, "/accounts/login/")
    assert newcomer.login(username="new.worker", password=password)
    assert Browser().get(link.group(1), follow=True).content.count(b"has been used or has expired") == 1


@pytest.mark.parametrize(
    ("persona", "scope"),
    [
        ("admin_a", "organization:b"),
        ("admin_a", "continuum:a"),
        ("lead_a", "organization:z"),
        ("admin_v", "organization:a"),
    ],
)
def test_creating_outside_ones_reach_writes_nothing(world: World, persona: str, scope: str) -> None:
    kind, name = scope.split(":")
    pk = {"organization": world.orgs, "continuum": world.continuums}[kind][name].pk
    before = (get_user_model().objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count())
    response = browser_for(world, persona).post("/people/new/", new_account(world, f"{kind}:{pk}"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert (get_user_model().objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count()) == before


def test_accounts_outside_ones_reach_are_not_found(world: World) -> None:
    browser = browser_for(world, "admin_a")
    lead = world.users["lead_a"]
    grant = RoleAssignment.objects.get(user=lead)
    assert browser.get(f"/people/{lead.pk}/").status_code == 404
    assert browser.post(f"/people/{lead.pk}/grants/{grant.pk}/revoke/").status_code == 404
    assert browser.post(f"/people/{lead.pk}/activation/", {"active": "no"}).status_code == 404
    lead.refresh_from_db()
    assert lead.is_active
    assert RoleAssignment.objects.filter(pk=grant.pk).exists()


def test_revoke_and_deactivate_take_effect_at_once(world: World) -> None:
    browser = browser_for(world, "admin_a")
    manager = world.users["manager_a"]
    assert clients_for(manager).count() == 3
    grant = RoleAssignment.objects.get(user=manager)
    assert browser.post(f"/people/{manager.pk}/grants/{grant.pk}/revoke/").status_code == 302
    assert not RoleAssignment.objects.filter(user=manager).exists()
    assert AuditEvent.objects.get(action="role.revoked").details == {"role": "case_manager", "scope": "organization"}
    fresh = get_user_model().objects.get(pk=manager.pk)
    assert clients_for(fresh).count() == 0

    intake = world.users["intake_a"]
    assert browser.post(f"/people/{intake.pk}/activation/", {"active": "no"}).status_code == 302
    intake.refresh_from_db()
    assert not intake.is_active
    assert clients_for(intake).count() == 0
    assert AuditEvent.objects.filter(action="account.deactivated", object_id=str(intake.pk)).count() == 1


@pytest.mark.parametrize(
    ("persona", "offered"),
    [
        ("admin_a", ["Agency administrator", "Case manager", "Intake worker", "Read-only auditor"]),
        (
            "lead_a",
            [
                "HMIS Lead administrator",
                "CoC analyst",
                "Agency administrator",
                "Case manager",
                "Intake worker",
                "Read-only auditor",
            ],
        ),
    ],
)
def test_only_grantable_roles_are_offered(world: World, persona: str, offered: list[str]) -> None:
    content = browser_for(world, persona).get("/people/new/").content.decode()
    roles = re.search(r'<select[^>]*name="role"[^>]*>(.*?)</select>', content, re.S)
    assert roles is not None
    assert re.findall(r">([^<]+)</option>", roles.group(1)) == offered
