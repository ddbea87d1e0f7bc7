"""The structure pages over the persona matrix: exact status for each role × own organization / other
organization / victim service provider / other CoC / no role; a refused write changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from hearth.audit.models import AuditEvent, FieldChange
from hearth.hmis.models import Continuum, Funder, Inventory, Organization, Project, ProjectCoC
from hearth.structure import descriptors
from hearth.structure.organizations import OrganizationData, create_organization
from hearth.structure.projects import create_project
from tests.structure.helpers import FUNDER, INVENTORY, PROJECT_COC, SHELTER, changed, form_values
from tests.structure.test_actions import actor
from tests.web.personas import PERSONAS, World

# Who manages what (hearth.structure.authority), written out by hand.
LEADS_A = {"lead_a", "superuser"}
MANAGES_ORG: dict[str, set[str]] = {
    "a": {"lead_a", "admin_a", "superuser"},
    "b": {"lead_a", "superuser"},
    "v": {"lead_a", "admin_v", "superuser"},  # descriptors are not client data: the Lead manages the VSP's too
    "z": {"lead_b", "superuser"},
}
MANAGES_CONTINUUM = {"a": LEADS_A, "b": {"lead_b", "superuser"}}
PROJECT_ORG = {"a_shelter": "a", "a_outreach": "a", "b_rrh": "b", "v_shelter": "v", "z_shelter": "z"}
STRUCTURE_USERS = {"lead_a", "admin_a", "admin_v", "lead_b", "superuser"}


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


def snapshot() -> tuple[int, ...]:
    models = (Continuum, Organization, Project, Funder, ProjectCoC, Inventory)
    return (*(m.objects.count() for m in models), AuditEvent.objects.count(), FieldChange.objects.count())


@pytest.mark.parametrize("persona", PERSONAS)
def test_index_and_nav(world: World, persona: str) -> None:
    browser = browser_for(world, persona)
    response = browser.get("/structure/")
    assert response.status_code == (200 if persona in STRUCTURE_USERS else 404)
    home = browser.get("/").content.decode()
    assert ('href="/structure/"' in home) is (persona in STRUCTURE_USERS)
    assert browser.get("/structure/cocs/new/").status_code == (200 if persona == "superuser" else 404)


def test_index_lists_what_each_user_manages(world: World) -> None:
    lead = browser_for(world, "lead_a").get("/structure/")
    assert [c.code for c in lead.context["continuums"]] == ["XX-500"]
    assert list(lead.context["organizations"]) == []
    admin = browser_for(world, "admin_a").get("/structure/")
    assert (list(admin.context["continuums"]), list(admin.context["organizations"])) == ([], [world.orgs["a"]])
    assert admin.context["organizations"][0].project_count == 2


@pytest.mark.parametrize("continuum", ["a", "b"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_continuum_pages(world: World, persona: str, continuum: str) -> None:
    pk = world.continuums[continuum].pk
    browser = browser_for(world, persona)
    allowed = persona in MANAGES_CONTINUUM[continuum]
    assert browser.get(f"/structure/cocs/{pk}/").status_code == (200 if allowed else 404)
    assert browser.get(f"/structure/cocs/{pk}/organizations/new/").status_code == (200 if allowed else 404)


@pytest.mark.parametrize("org", ["a", "b", "v", "z"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_organization_pages(world: World, persona: str, org: str) -> None:
    pk = world.orgs[org].pk
    browser = browser_for(world, persona)
    allowed = persona in MANAGES_ORG[org]
    assert browser.get(f"/structure/organizations/{pk}/").status_code == (200 if allowed else 404)
    assert browser.get(f"/structure/organizations/{pk}/projects/new/").status_code == (200 if allowed else 404)


@pytest.mark.parametrize("project", list(PROJECT_ORG))
@pytest.mark.parametrize("persona", PERSONAS)
def test_project_pages(world: World, persona: str, project: str) -> None:
    pk = world.projects[project].pk
    browser = browser_for(world, persona)
    allowed = persona in MANAGES_ORG[PROJECT_ORG[project]]
    expected = 200 if allowed else 404
    for path in (
        "",
        "edit/",
        "funders/new/",
        "cocs/new/",
        "inventory/new/",
        "hmis-participation/new/",
        "ce-participation/new/",
    ):
        assert browser.get(f"/structure/projects/{pk}/{path}").status_code == expected, path


def test_missing_and_not_allowed_look_the_same(world: World) -> None:
    browser = browser_for(world, "admin_a")
    other = browser.get(f"/structure/projects/{world.projects['z_shelter'].pk}/")
    missing = browser.get("/structure/projects/999999/")
    assert (other.status_code, missing.status_code) == (404, 404)
    assert other.content == missing.content
    assert browser.get(f"/structure/projects/{world.projects['a_shelter'].pk}/nonsense/new/").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_a_project_matrix(world: World, persona: str) -> None:
    before = snapshot()
    response = browser_for(world, persona).post(
        f"/structure/organizations/{world.orgs['a'].pk}/projects/new/", form_values(SHELTER)
    )
    if persona in MANAGES_ORG["a"]:
        project = Project.objects.get(project_name="Harbor Family Shelter")
        assert (response.status_code, response["Location"]) == (302, f"/structure/projects/{project.pk}/")
        assert AuditEvent.objects.filter(action="project.created", actor_id=world.users[persona].pk).count() == 1
    else:
        assert response.status_code == 404
        assert snapshot() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_a_funder_to_another_agencys_project_writes_nothing(world: World, persona: str) -> None:
    project = world.projects["z_shelter"]
    before = snapshot()
    response = browser_for(world, persona).post(f"/structure/projects/{project.pk}/funders/new/", form_values(FUNDER))
    if persona in MANAGES_ORG["z"]:
        assert response.status_code == 302
        assert Funder.objects.get(project=project).grant_id == "ESG-24-001"
    else:
        assert response.status_code == 404
        assert snapshot() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_an_organization_matrix(world: World, persona: str) -> None:
    before = snapshot()
    response = browser_for(world, persona).post(
        f"/structure/cocs/{world.continuums['a'].pk}/organizations/new/",
        {"organization_name": "Lighthouse Youth", "organization_common_name": "", "victim_service_provider": "0"},
    )
    if persona in LEADS_A:
        organization = Organization.objects.get(organization_name="Lighthouse Youth")
        assert response["Location"] == f"/structure/organizations/{organization.pk}/"
        assert organization.continuum == world.continuums["a"]
    else:
        assert response.status_code == 404
        assert snapshot() == before


def test_superuser_adds_a_continuum(world: World) -> None:
    response = browser_for(world, "superuser").post("/structure/cocs/new/", {"code": "zz-101", "name": "Lake CoC"})
    continuum = Continuum.objects.get(code="ZZ-101")
    assert response["Location"] == f"/structure/cocs/{continuum.pk}/"
    duplicate = browser_for(world, "superuser").post("/structure/cocs/new/", {"code": "ZZ-101", "name": "Again"})
    assert duplicate.status_code == 400
    assert "Hearth already has CoC ZZ-101." in duplicate.content.decode()


def test_agency_admin_sees_but_cannot_change_the_vsp_flag(world: World) -> None:
    org = world.orgs["a"]
    browser = browser_for(world, "admin_a")
    page = browser.get(f"/structure/organizations/{org.pk}/").content.decode()
    assert 'name="victim_service_provider"' not in page
    assert "set by the HMIS Lead" in page
    response = browser.post(
        f"/structure/organizations/{org.pk}/",
        {"organization_name": "Harbor House", "organization_common_name": "", "victim_service_provider": "1"},
    )
    assert response.status_code == 302
    assert Organization.objects.get(pk=org.pk).victim_service_provider == 0
    assert not AuditEvent.objects.filter(action="organization.updated").exists()
    lead = browser_for(world, "lead_a")
    assert 'name="victim_service_provider"' in lead.get(f"/structure/organizations/{org.pk}/").content.decode()
    lead.post(
        f"/structure/organizations/{org.pk}/",
        {"organization_name": "Harbor House", "organization_common_name": "", "victim_service_provider": "1"},
    )
    assert Organization.objects.get(pk=org.pk).victim_service_provider == 1


def test_bad_input_is_named_kept_and_nothing_written(world: World) -> None:
    before = snapshot()
    values = {**form_values(SHELTER), "project_type": "13", "project_name": "Typed by hand", "pit_count": "-3"}
    response = browser_for(world, "admin_a").post(
        f"/structure/organizations/{world.orgs['a'].pk}/projects/new/", values
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "rrh_sub_type": ["Choose the RRH subtype: it is required for PH – Rapid Re-Housing."],
        "pit_count": ["Ensure this value is greater than or equal to 0."],
    }
    page = response.content.decode()
    assert 'value="Typed by hand"' in page
    assert 'aria-describedby="id_rrh_sub_type-hint id_rrh_sub_type-feedback" aria-invalid="true"' in page
    assert snapshot() == before


def test_inline_validation_returns_messages_only(world: World) -> None:
    project = world.projects["a_shelter"]
    before = snapshot()
    response = browser_for(world, "admin_a").post(
        f"/structure/projects/{project.pk}/funders/new/",
        {"funder": "46", "grant_id": "", "start_date": "2024-01-01"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_VALIDATE="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<form" not in page
    assert 'id="id_other_funder-feedback" aria-live="polite" hx-swap-oob="true"><span class="usa-error-message"' in page
    assert "Name the funding source" in page
    # "Required" waits for the real submit: the grant ID was not reached yet.
    assert "This field is required" not in page
    assert snapshot() == before


def test_inventory_form_offers_the_projects_coc_codes(world: World) -> None:
    project = world.projects["a_shelter"]
    by = actor(world, "admin_a")
    descriptors.create_project_coc(project=project, data=PROJECT_COC, by=by)
    browser = browser_for(world, "admin_a")
    form = browser.get(f"/structure/projects/{project.pk}/inventory/new/").context["form"]
    assert list(form.fields["coc_code"].choices) == [("", "— Choose —"), ("XX-500", "XX-500")]
    response = browser.post(f"/structure/projects/{project.pk}/inventory/new/", form_values(INVENTORY))
    assert response["Location"] == f"/structure/projects/{project.pk}/#inventory"
    assert Inventory.objects.get(project=project).bed_inventory == 30
    bad = browser.post(
        f"/structure/projects/{project.pk}/inventory/new/", {**form_values(INVENTORY), "bed_inventory": "31"}
    )
    assert bad.context["form"].errors == {
        "bed_inventory": ["Total beds (31) must equal the beds by population added together (30)."]
    }


def test_editing_and_removing_a_descriptor(world: World) -> None:
    project = world.projects["a_shelter"]
    funder = descriptors.create_funder(project=project, data=FUNDER, by=actor(world, "admin_a"))
    browser = browser_for(world, "admin_a")
    url = f"/structure/projects/{project.pk}/funders/{funder.pk}/"
    page = browser.get(url)
    assert page.context["form"]["grant_id"].value() == "ESG-24-001"
    browser.post(url, {**form_values(FUNDER), "end_date": "2025-06-30"})
    funder.refresh_from_db()
    assert funder.end_date == date(2025, 6, 30)
    # Another agency's administrator can neither edit nor remove it.
    before = snapshot()
    other = browser_for(world, "admin_v")
    assert other.post(url, {**form_values(FUNDER), "grant_id": "X"}).status_code == 404
    assert other.post(f"{url}remove/").status_code == 404
    assert snapshot() == before
    browser.post(f"{url}remove/")
    funder.refresh_from_db()
    assert funder.date_deleted is not None
    assert browser.get(url).status_code == 404


def test_affiliations_on_the_page(world: World) -> None:
    by = actor(world, "lead_a")
    sso = create_project(
        organization=world.orgs["a"],
        data=changed(
            SHELTER, project_name="Harbor Case Management", project_type=6, housing_type=None, residential_affiliation=1
        ),
        by=by,
    )
    browser = browser_for(world, "admin_a")
    page = browser.get(f"/structure/projects/{sso.pk}/")
    candidates = [label for _, label in page.context["affiliation_form"].fields["res_project"].choices]
    # Residential projects of the CoC, any organization's; not outreach, not RRH without a housing subtype.
    assert candidates == [
        "— Choose —",
        "Harbor Night Shelter (Harbor House)",
        "Safe Harbor Shelter (Safe Harbor DV)",
    ]
    browser.post(f"/structure/projects/{sso.pk}/affiliations/", {"res_project": world.projects["v_shelter"].pk})
    affiliation = sso.affiliations.get()
    assert affiliation.res_project == world.projects["v_shelter"]
    browser.post(f"/structure/projects/{sso.pk}/affiliations/{affiliation.pk}/remove/")
    affiliation.refresh_from_db()
    assert affiliation.date_deleted is not None


def queries(browser: Browser, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    return len(captured), response


# Pages read a fixed number of queries whatever the number of rows. The bound includes the navigation's
# (about 15 for an HMIS Lead: each menu entry computes its permission's reach).
LIMIT = 30


def test_project_page_query_count_is_constant(world: World) -> None:
    project = world.projects["a_shelter"]
    by = actor(world, "admin_a")
    descriptors.create_project_coc(project=project, data=PROJECT_COC, by=by)
    browser = browser_for(world, "admin_a")
    url = f"/structure/projects/{project.pk}/"
    browser.get(url)  # session warmed up like a real visit
    few, _ = queries(browser, url)
    for n in range(10):
        descriptors.create_funder(project=project, data=changed(FUNDER, start_date=date(2010 + n, 1, 1)), by=by)
        descriptors.create_inventory(
            project=project, data=changed(INVENTORY, inventory_start_date=date(2024 + n, 1, 1)), by=by
        )
    many, response = queries(browser, url)
    assert (len(response.context["funders"]), len(response.context["inventories"])) == (10, 10)
    assert many == few
    assert many <= LIMIT


def test_list_pages_query_counts_are_constant(world: World) -> None:
    lead = browser_for(world, "lead_a")
    admin = browser_for(world, "admin_a")
    urls = {
        lead: ["/structure/", f"/structure/cocs/{world.continuums['a'].pk}/"],
        admin: ["/structure/", f"/structure/organizations/{world.orgs['a'].pk}/"],
    }
    for browser, paths in urls.items():
        browser.get(paths[0])
    few = {(id(b), path): queries(b, path)[0] for b, paths in urls.items() for path in paths}
    for n in range(15):
        org = create_organization(
            continuum=world.continuums["a"],
            data=OrganizationData(f"Extra {n}", None, 0),
            by=actor(world, "lead_a"),
        )
        create_project(organization=org, data=SHELTER, by=actor(world, "lead_a"))
        create_project(
            organization=world.orgs["a"], data=changed(SHELTER, project_name=f"More {n}"), by=actor(world, "admin_a")
        )
    many = {(id(b), path): queries(b, path)[0] for b, paths in urls.items() for path in paths}
    assert many == few
    assert max(many.values()) <= LIMIT
    _, coc_page = queries(lead, f"/structure/cocs/{world.continuums['a'].pk}/")
    assert len(coc_page.context["organizations"]) == 18


@pytest.mark.parametrize("persona", PERSONAS)
def test_inline_checks_and_affiliations_answer_only_managers(world: World, persona: str) -> None:
    sso = create_project(
        organization=world.orgs["a"],
        data=changed(
            SHELTER, project_name="Harbor Case Management", project_type=6, housing_type=None, residential_affiliation=1
        ),
        by=actor(world, "lead_a"),
    )
    browser = browser_for(world, persona)
    before = snapshot()
    check = browser.post(
        f"/structure/projects/{sso.pk}/funders/new/", {"funder": "46"}, HTTP_HX_REQUEST="true", HTTP_HX_VALIDATE="true"
    )
    added = browser.post(f"/structure/projects/{sso.pk}/affiliations/", {"res_project": world.projects["a_shelter"].pk})
    if persona in MANAGES_ORG["a"]:
        assert (check.status_code, added.status_code) == (200, 302)
        assert sso.affiliations.get().res_project == world.projects["a_shelter"]
    else:
        assert (check.status_code, added.status_code) == (404, 404)
        assert snapshot() == before
        assert not sso.affiliations.exists()
