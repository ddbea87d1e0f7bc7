"""The disclosure log stays with the agencies serving the client, even for one that reaches them by sharing."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from hearth.access.models import RoleAssignment
from tests.consent_pages.conftest import browser_for
from tests.consent_pages.test_release_pages import a_release
from tests.web.personas import World


def test_an_agency_reaching_the_client_only_through_sharing_cannot_read_the_log(world: World) -> None:
    # Bridge Services sees Maria through her CoC-wide release, but does not serve her: the log stays with
    # the agencies that do (and whoever audits her record).
    a_release(world)
    worker = get_user_model().objects.create_user("worker_b", "worker_b@example.org", "x" * 16)
    RoleAssignment.objects.create(user=worker, role="case_manager", organization=world.orgs["b"])
    browser = browser_for(world, "manager_a")
    browser.force_login(worker)
    client_id = world.clients["at_a"].pk
    assert browser.get(f"/clients/{client_id}/").status_code == 200
    assert browser.get(f"/clients/{client_id}/disclosures/").status_code == 404


def test_printing_a_release_form_through_sharing_is_a_disclosure(world: World) -> None:
    from hearth.consent.models import Disclosure

    release = a_release(world)
    worker = get_user_model().objects.create_user("worker_b", "worker_b@example.org", "x" * 16)
    RoleAssignment.objects.create(user=worker, role="case_manager", organization=world.orgs["b"])
    browser = browser_for(world, "manager_a")
    browser.force_login(worker)
    assert browser.get(f"/consent/{release.pk}/form/en/").status_code == 200
    logged = Disclosure.objects.get()
    assert (logged.client_id, logged.user_name, logged.organization_id, logged.release_id) == (
        world.clients["at_a"].pk,
        "worker_b",
        world.orgs["b"].pk,
        release.pk,
    )
    # The agency that serves the client directly reads it without a disclosure.
    browser_for(world, "manager_a").get(f"/consent/{release.pk}/form/en/")
    assert Disclosure.objects.count() == 1
