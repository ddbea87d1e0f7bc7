"""Who sees a client through sharing: the CoC's policy, sharing groups and active releases, as query
conditions the one read path (hearth/access/lookups.py) adds to direct service (issue 4 §2).

A client is visible to an agency that served them directly (enrolled in one of its projects, or registered by
it). Beyond that, and never for a client a victim service provider served (HMIS Data Standards Manual,
"Victim Service Providers": their clients' data stays within the provider):

- open policy (inferred consent with a posted notice, HUD Privacy and Security Standards 4.1.3): the clients
  any agency of the CoC served, for identity, enrollment history and services;
- sharing group: the clients any agency of the group served, for the same categories (not in a closed CoC);
- consent-based or open policy: the clients whose ACTIVE release (started, not ended, not revoked; an expired
  release acts as revoked) names the agency, one of its projects, or the whole CoC, for the categories the
  release lists. Case notes, documents and health/DV data are shared only this way.
- closed policy: direct service only; releases and groups do not apply.

What the agency's staff reach through sharing is read-only: enrollments of other agencies are shown, never
changed; writes keep to the agency's own projects (hearth/access/lookups.py ``enrollments_for``).

Each rule is one EXISTS subquery on indexed columns. The viewer's side (its CoCs' policies, group peers, the
projects of open CoCs) is read once per request and kept beside the reach cache (ids, as the reach is: see
hearth/access/client_search.py on ids against subqueries in PostgreSQL plans). Nothing is kept across
requests, so a revocation takes effect at the next request.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from hearth.access.models import ClientOrigin
from hearth.access.roles import Permission
from hearth.access.scope import VSP_YES, Reach
from hearth.consent.models import (
    CATEGORY_BITS,
    Category,
    ContinuumSharing,
    Policy,
    Release,
    ReleaseMember,
    SharingGroup,
)
from hearth.hmis.models import Enrollment, Organization, Project

# Permissions sharing widens: reading a shared client, and acting on them in one's own projects (enrolling
# a client found through sharing). Audit history, imports and administration stay with direct service.
SHARED_PERMISSIONS = frozenset(
    {
        Permission.VIEW_CLIENTS,
        Permission.EDIT_CLIENTS,
        Permission.ENROLL,
        Permission.RECORD_SERVICES,
        Permission.VIEW_CASE_NOTES,
        Permission.WRITE_CASE_NOTES,
    }
)
# What an open policy or a sharing group shares without a release.
BY_POLICY = frozenset({Category.IDENTITY, Category.ENROLLMENT_HISTORY, Category.SERVICES})


@dataclass(frozen=True)
class Sharing:
    """The viewer's side of sharing, for one reach."""

    # The viewer's organizations that take part in sharing (not victim service providers, not in a closed
    # CoC), their projects in reach, and their CoCs.
    organizations: frozenset[int]
    projects: frozenset[int]
    continuums: frozenset[int]
    # Organizations (and their projects) whose clients the viewer sees by policy: group peers and, under an
    # open policy, every agency of the CoC (victim service providers excepted).
    policy_organizations: frozenset[int]
    policy_projects: frozenset[int]

    @property
    def none(self) -> bool:
        return not self.organizations


NO_SHARING = Sharing(frozenset(), frozenset(), frozenset(), frozenset(), frozenset())


def sharing_for(user: Any, scope: Reach) -> Sharing:
    """The viewer's side of sharing for ``scope``, read once per request (two or three small queries)."""
    if scope.empty or user is None:
        return NO_SHARING
    cache: dict[Reach, Sharing] = user.__dict__.setdefault("_hearth_sharing", {})
    if scope not in cache:
        cache[scope] = _compute(scope)
    return cache[scope]


def _compute(scope: Reach) -> Sharing:
    rows = Organization.objects.filter(
        pk__in=scope.origin_organizations, date_deleted__isnull=True, continuum__isnull=False
    ).values_list("pk", "continuum_id", "victim_service_provider", "continuum__sharing__policy")
    organizations: set[int] = set()
    continuums: set[int] = set()
    open_continuums: set[int] = set()
    for pk, continuum_id, vsp, policy in rows:
        policy = policy or Policy.CONSENT
        if vsp == VSP_YES or policy == Policy.CLOSED:
            continue
        organizations.add(pk)
        continuums.add(continuum_id)
        if policy == Policy.OPEN:
            open_continuums.add(continuum_id)
    if not organizations:
        return NO_SHARING
    membership = SharingGroup.organizations.through.objects
    groups = membership.filter(organization_id__in=organizations, sharinggroup__continuum_id__in=continuums)
    by_policy = Q(
        pk__in=membership.filter(sharinggroup_id__in=groups.values("sharinggroup_id")).values("organization_id")
    )
    if open_continuums:
        by_policy |= Q(continuum_id__in=open_continuums)
    policy_organizations = frozenset(
        Organization.objects.filter(by_policy, date_deleted__isnull=True)
        .exclude(victim_service_provider=VSP_YES)
        .values_list("pk", flat=True)
    )
    policy_projects = (
        frozenset(
            Project.objects.filter(organization_id__in=policy_organizations, date_deleted__isnull=True).values_list(
                "pk", flat=True
            )
        )
        if policy_organizations
        else frozenset()
    )
    return Sharing(
        organizations=frozenset(organizations),
        projects=frozenset(
            Project.objects.filter(pk__in=scope.projects, organization_id__in=organizations).values_list(
                "pk", flat=True
            )
        )
        if scope.projects
        else frozenset(),
        continuums=frozenset(continuums),
        policy_organizations=policy_organizations,
        policy_projects=policy_projects,
    )


def forget(user: Any) -> None:
    user.__dict__.pop("_hearth_sharing", None)


# --- Releases ---------------------------------------------------------------------------------------------


def _active(on: date) -> Q:
    """Releases in force on ``on``: started, not ended, not revoked (an expired release acts as revoked)."""
    return Q(release__revoked_at__isnull=True, release__starts_on__lte=on) & (
        Q(release__ends_on__isnull=True) | Q(release__ends_on__gte=on)
    )


def _closed_continuums() -> QuerySet[ContinuumSharing, Any]:
    return ContinuumSharing.objects.filter(policy=Policy.CLOSED).values("continuum_id")


def _with_category(members: QuerySet[ReleaseMember], category: str) -> QuerySet[ReleaseMember]:
    bit = CATEGORY_BITS[category]
    return members.annotate(_category=F("release__category_mask").bitand(bit)).filter(_category=bit)


def covering_members(sharing: Sharing, category: str, on: date | None = None) -> QuerySet[ReleaseMember]:
    """Release memberships in force that share ``category`` with the viewer (its agency, one of its projects,
    or its whole CoC), in a CoC whose policy lets releases apply."""
    on = on or timezone.localdate()
    covers = Q(release__coc_wide=True, release__continuum_id__in=sharing.continuums) | Q(
        release_id__in=Release.organizations.through.objects.filter(organization_id__in=sharing.organizations).values(
            "release_id"
        )
    )
    if sharing.projects:
        covers |= Q(
            release_id__in=Release.projects.through.objects.filter(project_id__in=sharing.projects).values("release_id")
        )
    members = (
        ReleaseMember.objects.filter(_active(on)).filter(covers).exclude(release__continuum_id__in=_closed_continuums())
    )
    return _with_category(members, category)


def active_releases(
    client_ids: list[int] | set[int] | tuple[int, ...], on: date | None = None
) -> dict[int, list[Release]]:
    """The releases in force on ``on`` (today) covering each client, newest first; clients without one map to
    an empty list."""
    on = on or timezone.localdate()
    found: dict[int, list[Release]] = defaultdict(list)
    for client_id in client_ids:
        found[int(client_id)] = []
    members = (
        ReleaseMember.objects.filter(_active(on), client_id__in=list(found))
        .select_related("release")
        .order_by("-release__starts_on", "-release_id")
    )
    for member in members:
        found[member.client_id].append(member.release)
    return dict(found)


# --- Conditions for the read path -------------------------------------------------------------------------


def _served_by_vsp(client: str) -> Q:
    enrolled = Enrollment.objects.filter(
        client_id=OuterRef(client), project__organization__victim_service_provider=VSP_YES
    )
    registered = ClientOrigin.objects.filter(client_id=OuterRef(client), organization__victim_service_provider=VSP_YES)
    return Q(Exists(enrolled)) | Q(Exists(registered))


def shared_q(sharing: Sharing, category: str = Category.IDENTITY, *, client: str = "pk") -> Q | None:
    """Clients (``client`` names the client id column of the outer query) visible through sharing for
    ``category``, or None when sharing reaches nobody."""
    if sharing.none:
        return None
    parts: list[Q] = []
    if category in BY_POLICY:
        if sharing.policy_projects:
            parts.append(
                Q(
                    Exists(
                        Enrollment.objects.filter(
                            client_id=OuterRef(client),
                            project_id__in=sharing.policy_projects,
                            date_deleted__isnull=True,
                        )
                    )
                )
            )
        if sharing.policy_organizations:
            parts.append(
                Q(
                    Exists(
                        ClientOrigin.objects.filter(
                            client_id=OuterRef(client), organization_id__in=sharing.policy_organizations
                        )
                    )
                )
            )
    parts.append(Q(Exists(covering_members(sharing, category).filter(client_id=OuterRef(client)))))
    return reduce(or_, parts) & ~_served_by_vsp(client)


def sharing_q(scope: Reach, permission: Permission, *, user: Any = None, category: str = Category.IDENTITY) -> Q | None:
    """The widening of ``lookups._visible`` for ``permission`` (None: direct service only)."""
    if permission not in SHARED_PERMISSIONS:
        return None
    return shared_q(sharing_for(user, scope), category)
