"""What a user's role grants reach, for one permission: the projects, organizations and CoCs in scope.

Answered once per user and permission, then kept on the user object for the rest of the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    cache: _Cache = user.__dict__.setdefault("_hearth_reach", _Cache())
    if permission not in cache.reaches:
        cache.reaches[permission] = _compute(user.pk, permission, cache)
    return cache.reaches[permission]


def continuum_grants_only(user: Any) -> bool:
    """Whether every role the user holds is granted CoC-wide, read from the grants ``reach`` has loaded for this
    request (False when none are loaded yet): such a user's reach already covers every agency of its CoCs."""
    cache: _Cache | None = user.__dict__.get("_hearth_reach")
    if cache is None or not cache.grants:
        return False
    return all(grant.continuum_id is not None for grant in cache.grants)


def forget(user: Any) -> None:
    """Drop the cached reach (after a role change within the same request)."""
    user.__dict__.pop("_hearth_reach", None)
    user.__dict__.pop("_hearth_client_answers", None)
    user.__dict__.pop("_hearth_sharing", None)  # hearth.consent.rules.sharing_for


@dataclass
class _Cache:
    """One request's answers: a page asks about several permissions, and most share their grants and scopes,
    so the grants are read once and each distinct scope is resolved once."""

    reaches: dict[Permission, Reach] = field(default_factory=dict)
    grants: list[RoleAssignment] | None = None
    organizations: dict[tuple[frozenset[int], bool], frozenset[int]] = field(default_factory=dict)
    projects: dict[frozenset[int], frozenset[int]] = field(default_factory=dict)
    granted_projects: dict[frozenset[int], dict[int, int]] = field(default_factory=dict)


def _compute(user_id: int, permission: Permission, cache: _Cache) -> Reach:
    if cache.grants is None:
        cache.grants = list(
            RoleAssignment.objects.filter(user_id=user_id).only("role", "continuum_id", "organization_id", "project_id")
        )
    grants = [a for a in cache.grants if permission in ROLES[a.role].permissions]
    if not grants:
        return NOWHERE
    continuums = frozenset(a.continuum_id for a in grants if a.continuum_id is not None)
    organizations = {a.organization_id for a in grants if a.organization_id is not None}
    project_grants = frozenset(a.project_id for a in grants if a.project_id is not None)
    if continuums:
        # A CoC-wide role never reaches a victim service provider's client data.
        key = (continuums, permission in CLIENT_DATA)
        if key not in cache.organizations:
            in_continuums = Organization.objects.filter(continuum_id__in=continuums, date_deleted__isnull=True)
            if key[1]:
                in_continuums = in_continuums.exclude(victim_service_provider=VSP_YES)
            cache.organizations[key] = frozenset(in_continuums.values_list("pk", flat=True))
        organizations |= cache.organizations[key]
    wholly = frozenset(organizations)
    if wholly not in cache.projects:
        cache.projects[wholly] = frozenset(
            Project.objects.filter(organization_id__in=wholly, date_deleted__isnull=True).values_list("pk", flat=True)
        )
    if project_grants not in cache.granted_projects:
        cache.granted_projects[project_grants] = (
            dict(
                Project.objects.filter(pk__in=project_grants, date_deleted__isnull=True).values_list(
                    "pk", "organization_id"
                )
            )
            if project_grants
            else {}
        )
    granted_projects = cache.granted_projects[project_grants]
    projects = set(cache.projects[wholly]) | set(granted_projects)
    return Reach(
        continuums=frozenset(c for c in continuums if c is not None),
        organizations=frozenset(organizations),
        projects=frozenset(projects),
        origin_organizations=frozenset(organizations | set(granted_projects.values())),
    )
