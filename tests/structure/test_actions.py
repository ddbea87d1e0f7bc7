"""Structure actions: exact values written, HUD's stamps, audit events with old and new values; refusals
write nothing."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.access.actions import NotPermitted
from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent, FieldChange
from hearth.hmis.models import (
    Affiliation,
    CEParticipation,
    Continuum,
    Funder,
    HMISParticipation,
    HmisUser,
    Inventory,
    Organization,
    Project,
    ProjectCoC,
    Source,
)
from hearth.structure import descriptors
from hearth.structure.continuums import create_continuum, update_continuum
from hearth.structure.organizations import OrganizationData, create_organization, update_organization
from hearth.structure.projects import add_affiliation, create_project, remove_affiliation, update_project
from hearth.structure.records import RuleError
from tests.structure.helpers import (
    CE_PARTICIPATION,
    FUNDER,
    HMIS_PARTICIPATION,
    INVENTORY,
    PROJECT_COC,
    SHELTER,
    changed,
)
from tests.web.personas import World


def actor(world: World, persona: str) -> Actor:
    user = world.users[persona]
    return Actor(user=user, name=user.username, ip="203.0.113.9")


def changes(event: AuditEvent) -> dict[str, tuple[str | None, str | None]]:
    return {c.field: (c.old, c.new) for c in FieldChange.objects.filter(event_id=event.pk)}


def counts() -> tuple[int, ...]:
    models = (Continuum, Organization, Project, Funder, ProjectCoC, Inventory, HMISParticipation, CEParticipation)
    return (*(m.objects.count() for m in models), AuditEvent.objects.count(), FieldChange.objects.count())


def test_superuser_creates_a_continuum(world: World) -> None:
    continuum = create_continuum(code=" zz-101 ", name="Lake County CoC", by=actor(world, "superuser"))
    assert (continuum.code, continuum.name) == ("ZZ-101", "Lake County CoC")
    event = AuditEvent.objects.get(action="continuum.created")
    assert (event.object_type, event.object_id, event.actor_id, event.source_ip) == (
        "Continuum",
        str(continuum.pk),
        world.users["superuser"].pk,
        "203.0.113.9",
    )
    assert changes(event) == {"code": (None, "ZZ-101"), "name": (None, "Lake County CoC")}


@pytest.mark.parametrize("persona", ["lead_a", "admin_a", "nobody"])
def test_only_the_deployment_creates_continuums(world: World, persona: str) -> None:
    before = counts()
    with pytest.raises(NotPermitted):
        create_continuum(code="ZZ-101", name="Lake County CoC", by=actor(world, persona))
    assert counts() == before


def test_continuum_codes_are_hud_codes_and_unique(world: World) -> None:
    with pytest.raises(RuleError) as error:
        create_continuum(code="XX-500", name="Again", by=Actor.command_line())
    assert error.value.problems == {"code": "Hearth already has CoC XX-500."}
    with pytest.raises(RuleError) as error:
        create_continuum(code="X500", name="", by=Actor.command_line())
    assert set(error.value.problems) == {"code", "name"}


def test_lead_renames_their_continuum_only(world: World) -> None:
    assert update_continuum(
        continuum=world.continuums["a"], code="XX-500", name="Harbor Region CoC", by=actor(world, "lead_a")
    ) == ["name"]
    event = AuditEvent.objects.get(action="continuum.updated")
    assert changes(event) == {"name": ("Harbor City CoC", "Harbor Region CoC")}
    before = counts()
    with pytest.raises(NotPermitted):
        update_continuum(continuum=world.continuums["b"], code="YY-600", name="Mine", by=actor(world, "lead_a"))
    assert counts() == before
    assert Continuum.objects.get(pk=world.continuums["b"].pk).name == "Far County CoC"


def test_lead_adds_an_organization_with_hud_stamps(world: World) -> None:
    data = OrganizationData(
        organization_name="Lighthouse Youth", organization_common_name=None, victim_service_provider=0
    )
    organization = create_organization(continuum=world.continuums["a"], data=data, by=actor(world, "lead_a"))
    organization.refresh_from_db()
    lead = world.users["lead_a"]
    assert organization.source == Source.local()
    assert len(organization.hud_id) == 32
    assert (organization.continuum, organization.user_id, organization.date_created) == (
        world.continuums["a"],
        f"H{lead.pk}",
        organization.date_updated,
    )
    assert HmisUser.objects.filter(source=Source.local(), hud_id=f"H{lead.pk}").exists()
    event = AuditEvent.objects.get(action="organization.created")
    assert (event.object_type, event.object_id, event.details) == (
        "Organization",
        str(organization.pk),
        {"continuum": world.continuums["a"].pk},
    )
    assert changes(event) == {
        "organization_name": (None, "Lighthouse Youth"),
        "victim_service_provider": (None, "0"),
        "continuum": (None, str(world.continuums["a"].pk)),
    }


def test_agency_admin_cannot_add_organizations(world: World) -> None:
    data = OrganizationData(organization_name="Mine", organization_common_name=None, victim_service_provider=0)
    before = counts()
    with pytest.raises(NotPermitted):
        create_organization(continuum=world.continuums["a"], data=data, by=actor(world, "admin_a"))
    assert counts() == before


def test_agency_admin_renames_but_never_flips_the_vsp_flag(world: World) -> None:
    org = world.orgs["a"]
    renamed = OrganizationData(
        organization_name="Harbor House Inc.", organization_common_name="Harbor", victim_service_provider=0
    )
    assert update_organization(organization=org, data=renamed, by=actor(world, "admin_a")) == [
        "organization_name",
        "organization_common_name",
    ]
    event = AuditEvent.objects.get(action="organization.updated")
    assert changes(event) == {
        "organization_name": ("Harbor House", "Harbor House Inc."),
        "organization_common_name": (None, "Harbor"),
    }
    before = counts()
    with pytest.raises(NotPermitted):
        update_organization(
            organization=org, data=changed(renamed, victim_service_provider=1), by=actor(world, "admin_a")
        )
    assert counts() == before
    assert Organization.objects.get(pk=org.pk).victim_service_provider == 0
    # The HMIS Lead of the CoC decides it.
    update_organization(organization=org, data=changed(renamed, victim_service_provider=1), by=actor(world, "lead_a"))
    assert Organization.objects.get(pk=org.pk).victim_service_provider == 1


def test_agency_admin_creates_and_corrects_a_project(world: World) -> None:
    project = create_project(organization=world.orgs["a"], data=SHELTER, by=actor(world, "admin_a"))
    project.refresh_from_db()
    assert (project.project_name, project.project_type, project.housing_type, project.organization) == (
        "Harbor Family Shelter",
        0,
        1,
        world.orgs["a"],
    )
    created = AuditEvent.objects.get(action="project.created")
    assert created.details == {"organization": world.orgs["a"].pk}
    assert changes(created)["operating_start_date"] == (None, "2024-01-01")
    fields = update_project(
        project=project,
        data=changed(SHELTER, operating_end_date=SHELTER.operating_start_date),
        by=actor(world, "admin_a"),
    )
    assert fields == ["operating_end_date"]
    updated = AuditEvent.objects.get(action="project.updated")
    assert (updated.details, changes(updated)) == (
        {"fields": ["operating_end_date"]},
        {"operating_end_date": (None, "2024-01-01")},
    )


def test_project_rules_refuse_before_writing(world: World) -> None:
    before = counts()
    with pytest.raises(RuleError) as error:
        create_project(organization=world.orgs["a"], data=changed(SHELTER, project_type=13), by=actor(world, "admin_a"))
    assert error.value.problems == {"rrh_sub_type": "Choose the RRH subtype: it is required for PH – Rapid Re-Housing."}
    assert counts() == before


@pytest.mark.parametrize("persona", ["admin_v", "lead_b", "manager_a", "analyst_a", "nobody"])
def test_projects_outside_reach_are_refused(world: World, persona: str) -> None:
    before = counts()
    with pytest.raises(NotPermitted):
        create_project(organization=world.orgs["a"], data=SHELTER, by=actor(world, persona))
    with pytest.raises(NotPermitted):
        descriptors.create_funder(project=world.projects["a_shelter"], data=FUNDER, by=actor(world, persona))
    assert counts() == before


def test_descriptor_records_of_a_new_shelter(world: World) -> None:
    by = actor(world, "admin_a")
    project = world.projects["a_shelter"]
    funder = descriptors.create_funder(project=project, data=FUNDER, by=by)
    coc = descriptors.create_project_coc(project=project, data=PROJECT_COC, by=by)
    inventory = descriptors.create_inventory(project=project, data=INVENTORY, by=by)
    hmis = descriptors.create_hmis_participation(project=project, data=HMIS_PARTICIPATION, by=by)
    ce = descriptors.create_ce_participation(project=project, data=CE_PARTICIPATION, by=by)
    assert (funder.funder, funder.grant_id, coc.geocode, inventory.bed_inventory, hmis.hmis_participation_type) == (
        8,
        "ESG-24-001",
        "531234",
        30,
        1,
    )
    assert (ce.access_point, ce.crisis_assessment, ce.prevention_assessment) == (1, 1, 0)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "object_type", "details"))
    assert actions == [
        ("funder.created", "Funder", {"project": project.pk}),
        ("project_coc.created", "ProjectCoC", {"project": project.pk}),
        ("inventory.created", "Inventory", {"project": project.pk}),
        ("hmis_participation.created", "HMISParticipation", {"project": project.pk}),
        ("ce_participation.created", "CEParticipation", {"project": project.pk}),
    ]
    for record in (funder, coc, inventory, hmis, ce):
        assert (record.source, record.user_id, len(record.hud_id)) == (Source.local(), f"H{by.user.pk}", 32)


def test_ending_a_grant_keeps_history(world: World) -> None:
    by = actor(world, "lead_a")
    funder = descriptors.create_funder(project=world.projects["a_shelter"], data=FUNDER, by=by)
    ended = changed(FUNDER, end_date=FUNDER.start_date.replace(year=2025))
    assert descriptors.update_funder(funder=funder, data=ended, by=by) == ["end_date"]
    event = AuditEvent.objects.get(action="funder.updated")
    assert changes(event) == {"end_date": (None, "2025-01-01")}
    funder.refresh_from_db()
    assert (funder.end_date, funder.date_deleted) == (date(2025, 1, 1), None)


def test_inventory_needs_the_projects_coc(world: World) -> None:
    by = actor(world, "admin_a")
    project = world.projects["a_shelter"]
    with pytest.raises(RuleError) as error:
        descriptors.create_inventory(project=project, data=INVENTORY, by=by)
    assert error.value.problems == {
        "coc_code": "Add the project's Continuum of Care information first: inventory is recorded per CoC."
    }
    coc = descriptors.create_project_coc(project=project, data=PROJECT_COC, by=by)
    descriptors.create_inventory(project=project, data=INVENTORY, by=by)
    # A CoC code that inventory uses stays until the inventory moves.
    with pytest.raises(RuleError):
        descriptors.remove_descriptor(record=coc, by=by)
    with pytest.raises(RuleError) as error:
        descriptors.update_project_coc(project_coc=coc, data=changed(PROJECT_COC, coc_code="XX-501"), by=by)
    assert error.value.problems == {
        "coc_code": "Inventory of this project is recorded for XX-500: change that inventory first."
    }
    assert ProjectCoC.objects.get(pk=coc.pk).date_deleted is None


def test_participation_periods_do_not_overlap(world: World) -> None:
    by = actor(world, "admin_a")
    project = world.projects["a_shelter"]
    first = descriptors.create_hmis_participation(project=project, data=HMIS_PARTICIPATION, by=by)
    later = changed(HMIS_PARTICIPATION, hmis_participation_status_start_date=date(2025, 1, 1))
    with pytest.raises(RuleError):
        descriptors.create_hmis_participation(project=project, data=later, by=by)
    descriptors.update_hmis_participation(
        participation=first,
        data=changed(
            HMIS_PARTICIPATION,
            hmis_participation_status_end_date=date(2024, 12, 31),
        ),
        by=by,
    )
    second = descriptors.create_hmis_participation(
        project=project, data=changed(later, hmis_participation_type=2), by=by
    )
    assert list(HMISParticipation.objects.filter(project=project).order_by("pk").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]


def test_removing_a_record_entered_in_error_soft_deletes_it(world: World) -> None:
    by = actor(world, "admin_a")
    funder = descriptors.create_funder(project=world.projects["a_shelter"], data=FUNDER, by=by)
    descriptors.remove_descriptor(record=funder, by=by)
    funder.refresh_from_db()
    assert funder.date_deleted is not None
    event = AuditEvent.objects.get(action="funder.deleted")
    assert (event.object_type, event.object_id) == ("Funder", str(funder.pk))


def test_services_only_project_affiliations(world: World) -> None:
    by = actor(world, "lead_a")
    sso = create_project(
        organization=world.orgs["b"],
        data=changed(
            SHELTER, project_name="Bridge Case Management", project_type=6, housing_type=None, residential_affiliation=1
        ),
        by=by,
    )
    affiliation = add_affiliation(project=sso, res_project=world.projects["a_shelter"], by=by)
    assert (affiliation.project, affiliation.res_project) == (sso, world.projects["a_shelter"])
    with pytest.raises(RuleError):
        add_affiliation(project=sso, res_project=world.projects["a_outreach"], by=by)
    # No longer affiliated: its affiliations go with the answer.
    update_project(
        project=sso,
        data=changed(
            SHELTER, project_name="Bridge Case Management", project_type=6, housing_type=None, residential_affiliation=0
        ),
        by=by,
    )
    assert Affiliation.objects.get(pk=affiliation.pk).date_deleted is not None
    assert AuditEvent.objects.filter(action="affiliation.deleted", details__reason="not affiliated").count() == 1


def test_removing_an_affiliation(world: World) -> None:
    by = actor(world, "lead_a")
    sso = create_project(
        organization=world.orgs["b"],
        data=changed(SHELTER, project_type=6, housing_type=None, residential_affiliation=1),
        by=by,
    )
    affiliation = add_affiliation(project=sso, res_project=world.projects["a_shelter"], by=by)
    remove_affiliation(affiliation=affiliation, by=by)
    assert Affiliation.objects.get(pk=affiliation.pk).date_deleted is not None
    event = AuditEvent.objects.get(action="affiliation.deleted")
    assert (event.object_id, event.details) == (str(affiliation.pk), {"project": sso.pk})


def test_operating_dates_hold_the_projects_inventory(world: World) -> None:
    by = actor(world, "admin_a")
    project = create_project(organization=world.orgs["a"], data=SHELTER, by=by)  # operating from 2024-01-01
    descriptors.create_project_coc(project=project, data=PROJECT_COC, by=by)
    descriptors.create_inventory(project=project, data=INVENTORY, by=by)  # beds from 2024-01-01, still open
    before = counts()
    with pytest.raises(RuleError) as error:
        update_project(
            project=project,
            data=changed(SHELTER, operating_start_date=date(2024, 6, 1), operating_end_date=date(2025, 6, 30)),
            by=by,
        )
    assert error.value.problems == {
        "operating_start_date": "The project has inventory from 01/01/2024: the operating start date cannot be later.",
        "operating_end_date": "The project has inventory still available after this date: enter its inventory end "
        "dates first.",
    }
    assert counts() == before
    inventory = Inventory.objects.get(project=project)
    descriptors.update_inventory(
        inventory=inventory, data=changed(INVENTORY, inventory_end_date=date(2025, 6, 30)), by=by
    )
    assert update_project(project=project, data=changed(SHELTER, operating_end_date=date(2025, 6, 30)), by=by) == [
        "operating_end_date"
    ]
