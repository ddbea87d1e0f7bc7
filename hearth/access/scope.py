"""What a user's role grants reach, for one permission: the projects, organizations and CoCs in scope.

Answered once per user and permission, then kept on the user object for the rest of the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hearth.access.models import RoleAssignment
from hearth.access.roles import CLIENT_DATA, ROLES, Permission
from hearth.hmis.models import Organization, Project

# VictimServiceProvider is HUD's 1.8 No/Yes list (HMIS Data Standards 2.01.3): 1 means Yes.
VSP_YES = 1


@dataclass(frozen=True)
class Reach:
    continuums: frozenset[int]
    organizations: frozenset[int]  # organizations wholly in scope
    projects: frozenset[int]  # projects in scope (all projects of those organizations, plus project grants)
    # Organizations whose registered clients are in scope: the above plus the organization of each project
    # grant, so a project's intake worker keeps seeing a client they registered before enrolling them.
    origin_organizations: frozenset[int]

    @property
    def empty(self) -> bool:
        return not (self.continuums or self.organizations or self.projects)


NOWHERE = Reach(frozenset(), frozenset(), frozenset(), frozenset())


def reach(user: Any, permission: Permission) -> Reach:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOWHERE
    cache: dict[Permission, Reach] = user.__dict__.setdefault("_hearth_reach", {})
    if permission not in cache:
        cache[permission] = _compute(user.pk, permission)
    return cache[permission]


def forget(user: Any) -> None:
    """Drop the cached reach (after a role change within the same request)."""
    user.__dict__.pop("_hearth_reach", None)


def _compute(user_id: int, permission: Permission) -> Reach:
    grants = [
        a
        for a in RoleAssignment.objects.filter(user_id=user_id).only(
            "role", "continuum_id", "organization_id", "project_id"
        )
        if permission in ROLES[a.role].permissions
    ]
    if not grants:
        return NOWHERE
    continuums = {a.continuum_id for a in grants if a.continuum_id is not None}
    organizations = {a.organization_id for a in grants if a.organization_id is not None}
    project_grants = {a.project_id for a in grants if a.project_id is not None}
    if continuums:
        in_continuums = Organization.objects.filter(continuum_id__in=continuums, date_deleted__isnull=True)
        if permission in CLIENT_DATA:
            # A CoC-wide role never reaches a victim service provider's client data.
            in_continuums = in_continuums.exclude(victim_service_provider=VSP_YES)
        organizations |= set(in_continuums.values_list("pk", flat=True))
    projects = set(
        Project.objects.filter(organization_id__in=organizations, date_deleted__isnull=True).values_list(
            "pk", flat=True
        )
    )
    granted_projects = dict(
        Project.objects.filter(pk__in=project_grants, date_deleted__isnull=True).values_list("pk", "organization_id")
    )
    projects |= set(granted_projects)
    return Reach(
        continuums=frozenset(c for c in continuums if c is not None),
        organizations=frozenset(organizations),
        projects=frozenset(projects),
        origin_organizations=frozenset(organizations | set(granted_projects.values())),
    )
