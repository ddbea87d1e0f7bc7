"""Organizations (HMIS Data Standards FY2026 2.01 Organization Information) within a CoC."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction

from hearth.audit.actor import Actor
from hearth.hmis.models import Continuum, Organization
from hearth.structure.authority import may_manage_continuum, may_manage_organization, require
from hearth.structure.records import apply, check, new_local, save_changes, save_new


@dataclass(frozen=True)
class OrganizationData:
    organization_name: str  # 2.01.2
    organization_common_name: str | None
    victim_service_provider: int  # 2.01.3 (list 1.10 No/Yes)


def organization_problems(data: OrganizationData) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not data.organization_name.strip():
        problems["organization_name"] = "Enter the organization's name."
    if data.victim_service_provider not in (0, 1):
        problems["victim_service_provider"] = "Answer whether the organization is a victim service provider."
    return problems


@transaction.atomic
def create_organization(*, continuum: Continuum, data: OrganizationData, by: Actor) -> Organization:
    """A new organization of the CoC (the HMIS Lead's decision, as is its victim service provider flag)."""
    require(may_manage_continuum(by.user, continuum), "CoC")
    check(organization_problems(data))
    organization = new_local(Organization, by=by, continuum=continuum, **asdict(data))
    save_new(organization, action="organization.created", by=by, continuum=continuum.pk)
    return organization


@transaction.atomic
def update_organization(*, organization: Organization, data: OrganizationData, by: Actor) -> list[str]:
    """Correct the organization's information; returns the fields changed.

    2.01.3: whether it is a victim service provider decides whether CoC-wide roles reach its clients, so only
    the HMIS Lead of its CoC (or the deployment) changes it.
    """
    require(may_manage_organization(by.user, organization), "organization")
    locked = Organization.objects.select_for_update(of=("self",)).select_related("continuum").get(pk=organization.pk)
    check(organization_problems(data))
    if data.victim_service_provider != locked.victim_service_provider:
        require(may_manage_continuum(by.user, locked.continuum), "organization")
    changed = apply(locked, asdict(data))
    save_changes(locked, changed, action="organization.updated", by=by)
    return list(changed)
