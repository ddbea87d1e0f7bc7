"""Confidential project addresses: the rule, who reads them, and the action that sets the flag.

A project's address (HMIS Data Standards FY2026 2.03.3 Address1, 2.03.4 Address2, 2.03.5 City, 2.03.6 State,
2.03.7 ZIP) is confidential when

- the project belongs to a victim service provider (2.01.3 VictimServiceProvider = 1): always, since a DV
  shelter's location is what keeps its residents safe (VAWA 34 U.S.C. 12291(b)(2)); or
- the HMIS Lead or the agency's administrator flagged it (``ConfidentialAddress``), e.g. a DV shelter run by
  an agency that is not a VSP.

A confidential address is read only by accounts holding a role at the project's own organization or at the
project itself; everyone else (the HMIS Lead included) sees it masked in every page, report and export. The
geocode (2.03.2) and geography type (2.03.8) are not an address: they name the area HUD funds by and stay.
HMIS CSV FY2026 allows this: ProjectCoC.Address1, Address2, City, State and ZIP may be null, Geocode may not
(hearth/spec/data/fy2026/columns.csv). See docs/adr/0013-victim-service-and-dv.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from hearth.access.models import RoleAssignment
from hearth.access.scope import VSP_YES
from hearth.audit.actor import Actor
from hearth.audit.log import record_changes
from hearth.hmis.models import Project
from hearth.structure.authority import may_manage_project, require
from hearth.structure.models import ConfidentialAddress

# ProjectCoC's address columns (HMIS CSV FY2026) and their model fields.
ADDRESS_COLUMNS = ("Address1", "Address2", "City", "State", "ZIP")
ADDRESS_FIELDS = ("address1", "address2", "city", "state", "zip")


def confidential_project_ids(project_ids: Iterable[int] | None = None) -> frozenset[int]:
    """The confidential projects among ``project_ids`` (all projects when None): two indexed queries."""
    vsp = Project.objects.filter(organization__victim_service_provider=VSP_YES)
    flagged = ConfidentialAddress.objects.all()
    if project_ids is not None:
        ids = list(project_ids)
        vsp, flagged = vsp.filter(pk__in=ids), flagged.filter(project_id__in=ids)
    return frozenset(vsp.values_list("pk", flat=True)) | frozenset(flagged.values_list("project_id", flat=True))


def is_confidential(project: Project) -> bool:
    return bool(confidential_project_ids([project.pk]))


def flagged(project: Project) -> bool:
    """Whether the Hearth-side flag is set (a VSP's projects are confidential without it)."""
    return ConfidentialAddress.objects.filter(project_id=project.pk).exists()


def own_projects(user: Any) -> frozenset[int]:
    """Projects of the organizations where the user holds a role, and projects granted to the user: the
    project's own agency, which alone reads a confidential address (one query)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    grants = RoleAssignment.objects.filter(user_id=user.pk)
    organizations = grants.filter(organization__isnull=False).values("organization_id")
    granted = grants.filter(project__isnull=False).values("project_id")
    return frozenset(
        Project.objects.filter(Q(organization_id__in=organizations) | Q(pk__in=granted)).values_list("pk", flat=True)
    )


def may_read_address(user: Any, project: Project) -> bool:
    return not is_confidential(project) or project.pk in own_projects(user)


def masked_projects(user: Any, project_ids: Iterable[int]) -> frozenset[int]:
    """The projects among ``project_ids`` whose address ``user`` must not see."""
    return confidential_project_ids(project_ids) - own_projects(user)


def mask_address(row: Any) -> Any:
    """Blank a ProjectCoC row's address fields in memory (never saved): templates then show nothing."""
    for name in ADDRESS_FIELDS:
        setattr(row, name, None)
    row.address_masked = True
    return row


@transaction.atomic
def set_address_confidential(*, project: Project, confidential: bool, by: Actor) -> bool:
    """Set or clear the Hearth-side flag; returns whether anything changed. The HMIS Lead (over the CoC) and
    the agency's administrator (over the organization) may, as for the project's other descriptor data."""
    require(may_manage_project(by.user, project), "project")
    current = ConfidentialAddress.objects.select_for_update().filter(project_id=project.pk).first()
    if (current is not None) == confidential:
        return False
    if confidential:
        ConfidentialAddress.objects.create(project_id=project.pk, set_by_id=by.user_id, set_by=by.name)
    else:
        assert current is not None
        current.delete()
    event = by.record("project.address_confidential", object_type="Project", object_id=project.pk)
    record_changes(event, {"address_confidential": (not confidential, confidential)})
    return True
