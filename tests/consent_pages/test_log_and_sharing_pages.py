"""The disclosure log page and its printout; the HMIS Lead's sharing policy and sharing group pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.consent.models import ContinuumSharing, Disclosure, SharingGroup
from tests.consent_pages.conftest import browser_for
from tests.consent_pages.pdftext import pdf_text
from tests.consent_pages.test_release_pages import a_release
from tests.web.personas import World


def disclose(world: World, client: str, *, days_ago: int, what: str = "profile", release_id: int | None = None) -> None:
    at = timezone.now() - timedelta(days=days_ago)
    Disclosure.objects.create(
        client_id=world.clients[client].pk,
        user_id=world.users["admin_a"].pk,
        user_name="worker_b",
        organization_id=world.orgs["b"].pk,
        release_id=release_id,
        what=what,
        at=at,
    )


def test_disclosure_log_lists_the_period_newest_first(world: World) -> None:
    release = a_release(world)
    disclose(world, "at_a", days_ago=2, what="services", release_id=release.pk)
    disclose(world, "at_a", days_ago=5)
    disclose(world, "at_a", days_ago=400)
    disclose(world, "at_b", days_ago=1)
    page = browser_for(world, "manager_a").get(f"/clients/{world.clients['at_a'].pk}/disclosures/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<th scope="row" data-label="When">') == 2
    assert html.index("Services") < html.index("Profile")
    assert f"Consent C-{release.pk}" in html
    assert "No consent needed (CoC policy or sharing group)" in html
    assert "Bridge Services" in html
    wide = browser_for(world, "manager_a").get(
        f"/clients/{world.clients['at_a'].pk}/disclosures/",
        {"start": (timezone.localdate() - timedelta(days=500)).isoformat()},
    )
    assert wide.content.decode().count('<th scope="row" data-label="When">') == 3


def test_disclosure_log_printed_in_spanish(world: World) -> None:
    disclose(world, "at_a", days_ago=2, what="file")
    browser = browser_for(world, "manager_a")
    answer = browser.get(f"/clients/{world.clients['at_a'].pk}/disclosures/pdf/es/")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == f'attachment; filename="disclosure-log-H{world.clients["at_a"].pk}-es.pdf"'
    assert answer["Cache-Control"] == "no-store"
    text = pdf_text(answer.content)
    assert "Registro de divulgaciones" in text
    assert "Nombre Maria Lopez" in text
    assert "worker_b Bridge Services Documento No requiere autorización" in text
    event = AuditEvent.objects.get(action="disclosure_log.printed")
    assert event.details["rows"] == 1
    assert event.details["lang"] == "es"


@pytest.mark.parametrize("persona", ["nobody", "lead_b", "admin_v", "analyst_a"])
def test_disclosure_log_is_not_found_for_who_cannot_see_the_client(world: World, persona: str) -> None:
    disclose(world, "at_a", days_ago=1)
    browser = browser_for(world, persona)
    client_id = world.clients["at_a"].pk
    assert browser.get(f"/clients/{client_id}/disclosures/").status_code == 404
    assert browser.get(f"/clients/{client_id}/disclosures/pdf/en/").status_code == 404
    assert not AuditEvent.objects.filter(action="disclosure_log.printed").exists()


def test_hmis_lead_sets_the_sharing_policy(world: World) -> None:
    browser = browser_for(world, "lead_a")
    continuum = world.continuums["a"]
    index = browser.get("/sharing/")
    assert index.status_code == 200
    assert f'href="/sharing/cocs/{continuum.pk}/"' in index.content.decode()
    assert f"/sharing/cocs/{world.continuums['b'].pk}/" not in index.content.decode()
    page = browser.get(f"/sharing/cocs/{continuum.pk}/")
    assert page.status_code == 200
    answer = browser.post(
        f"/sharing/cocs/{continuum.pk}/",
        {"policy": "open", "deidentify_on_revocation": "on", "privacy_notice_version": "2026-2"},
    )
    assert answer.status_code == 302
    sharing = ContinuumSharing.objects.get(continuum=continuum)
    assert (sharing.policy, sharing.deidentify_on_revocation, sharing.privacy_notice_version) == (
        "open",
        True,
        "2026-2",
    )
    assert AuditEvent.objects.filter(action="sharing_policy.set", object_id=str(continuum.pk)).count() == 1
    refused = browser.post(f"/sharing/cocs/{continuum.pk}/", {"policy": "everyone"})
    assert refused.status_code == 400
    sharing.refresh_from_db()
    assert sharing.policy == "open"


def test_privacy_notice_version_reaches_the_release_page(world: World) -> None:
    ContinuumSharing.objects.create(continuum=world.continuums["a"], privacy_notice_version="2026-7")
    html = browser_for(world, "manager_a").get(f"/clients/{world.clients['at_a'].pk}/consent/new/").content.decode()
    assert "version <strong>2026-7</strong>" in html


def test_hmis_lead_creates_and_edits_a_sharing_group(world: World) -> None:
    browser = browser_for(world, "lead_a")
    continuum = world.continuums["a"]
    page = browser.get(f"/sharing/cocs/{continuum.pk}/groups/new/").content.decode()
    assert "Harbor House" in page
    assert "Safe Harbor DV" not in page  # victim service providers are not offered
    answer = browser.post(
        f"/sharing/cocs/{continuum.pk}/groups/new/",
        {"name": "Downtown intake", "organizations": [str(world.orgs["a"].pk), str(world.orgs["b"].pk)]},
    )
    assert answer.status_code == 302
    group = SharingGroup.objects.get()
    assert (group.name, group.continuum_id) == ("Downtown intake", continuum.pk)
    assert sorted(group.organizations.values_list("pk", flat=True)) == sorted([world.orgs["a"].pk, world.orgs["b"].pk])
    changed = browser.post(
        f"/sharing/groups/{group.pk}/", {"name": "Downtown", "organizations": [str(world.orgs["b"].pk)]}
    )
    assert changed.status_code == 302
    group.refresh_from_db()
    assert group.name == "Downtown"
    assert list(group.organizations.values_list("pk", flat=True)) == [world.orgs["b"].pk]
    vsp = browser.post(f"/sharing/groups/{group.pk}/", {"name": "Downtown", "organizations": [str(world.orgs["v"].pk)]})
    assert vsp.status_code == 400
    assert list(group.organizations.values_list("pk", flat=True)) == [world.orgs["b"].pk]


@pytest.mark.parametrize("persona", ["admin_a", "manager_a", "analyst_a", "auditor_a", "lead_b", "nobody", "superuser"])
def test_only_the_cocs_hmis_lead_reaches_its_sharing_pages(world: World, persona: str) -> None:
    continuum = world.continuums["a"]
    group = SharingGroup.objects.create(continuum=continuum, name="Intake")
    browser = browser_for(world, persona)
    for path in (
        f"/sharing/cocs/{continuum.pk}/",
        f"/sharing/cocs/{continuum.pk}/groups/new/",
        f"/sharing/groups/{group.pk}/",
    ):
        assert browser.get(path).status_code == 404
    assert browser.post(f"/sharing/cocs/{continuum.pk}/", {"policy": "open"}).status_code == 404
    assert browser.post(f"/sharing/groups/{group.pk}/", {"name": "Taken"}).status_code == 404
    assert not ContinuumSharing.objects.exists()
    group.refresh_from_db()
    assert group.name == "Intake"
    expected = 200 if persona == "lead_b" else 404
    assert browser.get("/sharing/").status_code == expected


def test_sharing_appears_in_the_navigation_for_the_hmis_lead_only(world: World) -> None:
    assert 'href="/sharing/"' in browser_for(world, "lead_a").get("/").content.decode()
    assert 'href="/sharing/"' not in browser_for(world, "manager_a").get("/").content.decode()
