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
from hearth.access.scope import VSP_YES, Reach, continuum_grants_only
from hearth.consent.models import (
    CATEGORY_BITS,
    Category,
    Policy,
    Release,
    ReleaseMember,
    SharingGroup,
)
from hearth.hmis.models import Enrollment, Organization

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
class _Agencies:
    """The viewer's organizations as sharing sees them (one query per request and set of organizations)."""

    # Those that take part in sharing (not victim service providers, not in a closed CoC), and their CoCs.
    organizations: frozenset[int]
    continuums: frozenset[int]
    open_continuums: frozenset[int]  # of those CoCs, the ones with an open policy
    grouped: bool  # some of the organizations are in a sharing group


@dataclass(frozen=True)
class Sharing:
    """The viewer's side of sharing, for one reach."""

    organizations: frozenset[int]
    continuums: frozenset[int]
    open_continuums: frozenset[int]
    grouped: bool
    projects: frozenset[int]  # the projects in reach (a release naming one of them covers the viewer)

    @property
    def none(self) -> bool:
        return not self.organizations

    @property
    def by_policy(self) -> bool:
        """Whether an open policy or a sharing group shares anything with the viewer."""
        return bool(self.open_continuums) or self.grouped

    def peers(self) -> QuerySet[Any, Any]:
        """The organizations of the viewer's sharing groups (a subquery), victim service providers excepted."""
        membership = SharingGroup.organizations.through.objects
        groups = membership.filter(
            organization_id__in=self.organizations, sharinggroup__continuum_id__in=self.continuums
        )
        return (
            membership.filter(sharinggroup_id__in=groups.values("sharinggroup_id"))
            .exclude(organization__victim_service_provider=VSP_YES)
            .values("organization_id")
        )

    def by_policy_q(self, organization: str) -> Q:
        """Records whose organization (the path ``organization``, e.g. "project__organization") the viewer sees
        by policy: a group peer's, or, under an open policy, any agency's of the CoC but a victim service
        provider's. Only meaningful when ``by_policy``."""
        parts: list[Q] = []
        if self.grouped:
            parts.append(Q(**{f"{organization}_id__in": self.peers()}))
        if self.open_continuums:
            parts.append(
                Q(**{f"{organization}__continuum_id__in": self.open_continuums})
                & ~Q(**{f"{organization}__victim_service_provider": VSP_YES})
            )
        return reduce(or_, parts)


NO_SHARING = Sharing(frozenset(), frozenset(), frozenset(), False, frozenset())


def sharing_for(user: Any, scope: Reach) -> Sharing:
    """The viewer's side of sharing for ``scope``; its organizations are read once per request (one query)."""
    if scope.empty or user is None or continuum_grants_only(user):
        # A CoC-wide grant (the HMIS Lead, a CoC auditor) already reaches every client its CoC's agencies
        # served, victim service providers' excepted, which sharing never adds: nothing to widen or read.
        return NO_SHARING
    cache: dict[frozenset[int], _Agencies] = user.__dict__.setdefault("_hearth_sharing", {})
    if scope.origin_organizations not in cache:
        cache[scope.origin_organizations] = _agencies(scope.origin_organizations)
    agencies = cache[scope.origin_organizations]
    if not agencies.organizations or agencies.continuums <= scope.continuums:
        return NO_SHARING  # nothing shared, or CoC-wide grants over all of the agencies' CoCs (as above)
    return Sharing(
        agencies.organizations, agencies.continuums, agencies.open_continuums, agencies.grouped, scope.projects
    )


def _agencies(organization_ids: frozenset[int]) -> _Agencies:
    in_group = SharingGroup.organizations.through.objects.filter(
        organization_id=OuterRef("pk"), sharinggroup__continuum_id=OuterRef("continuum_id")
    )
    rows = (
        Organization.objects.filter(pk__in=organization_ids, date_deleted__isnull=True, continuum__isnull=False)
        .annotate(grouped=Exists(in_group))
        .values_list("pk", "continuum_id", "victim_service_provider", "continuum__sharing__policy", "grouped")
    )
    organizations: set[int] = set()
    continuums: set[int] = set()
    open_continuums: set[int] = set()
    grouped = False
    for pk, continuum_id, vsp, policy, member in rows:
        policy = policy or Policy.CONSENT
        if vsp == VSP_YES or policy == Policy.CLOSED:
            continue
        organizations.add(pk)
        continuums.add(continuum_id)
        grouped = grouped or bool(member)
        if policy == Policy.OPEN:
            open_continuums.add(continuum_id)
    return _Agencies(frozenset(organizations), frozenset(continuums), frozenset(open_continuums), grouped)


def forget(user: Any) -> None:
    user.__dict__.pop("_hearth_sharing", None)


# --- Releases ---------------------------------------------------------------------------------------------


def _active(on: date) -> Q:
    """Releases in force on ``on``: started, not ended, not revoked (an expired release acts as revoked)."""
    return Q(release__revoked_at__isnull=True, release__starts_on__lte=on) & (
        Q(release__ends_on__isnull=True) | Q(release__ends_on__gte=on)
    )


def _with_category(members: QuerySet[ReleaseMember], category: str) -> QuerySet[ReleaseMember]:
    bit = CATEGORY_BITS[category]
    return members.annotate(_category=F("release__category_mask").bitand(bit)).filter(_category=bit)


def covering_members(sharing: Sharing, category: str, on: date | None = None) -> QuerySet[ReleaseMember]:
    """Release memberships in force that share ``category`` with the viewer: releases taken in one of the
    viewer's CoCs (a release shares within the CoC whose agency took it, and only where its policy is not
    closed) naming the whole CoC, the viewer's agency, or one of its projects."""
    on = on or timezone.localdate()
    named = Q(release__coc_wide=True) | Q(
        release_id__in=Release.organizations.through.objects.filter(organization_id__in=sharing.organizations).values(
            "release_id"
        )
    )
    if sharing.projects:
        named |= Q(
            release_id__in=Release.projects.through.objects.filter(
                project_id__in=sharing.projects, project__organization_id__in=sharing.organizations
            ).values("release_id")
        )
    members = ReleaseMember.objects.filter(_active(on), release__continuum_id__in=sharing.continuums).filter(named)
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
    if category in BY_POLICY and sharing.by_policy:
        enrolled = Enrollment.objects.filter(
            sharing.by_policy_q("project__organization"), client_id=OuterRef(client), date_deleted__isnull=True
        )
        registered = ClientOrigin.objects.filter(sharing.by_policy_q("organization"), client_id=OuterRef(client))
        parts += [Q(Exists(enrolled)), Q(Exists(registered))]
    parts.append(Q(Exists(covering_members(sharing, category).filter(client_id=OuterRef(client)))))
    return reduce(or_, parts) & ~_served_by_vsp(client)


def sharing_q(scope: Reach, permission: Permission, *, user: Any = None, category: str = Category.IDENTITY) -> Q | None:
    """The widening of ``lookups._visible`` for ``permission`` (None: direct service only)."""
    if permission not in SHARED_PERMISSIONS:
        return None
    return shared_q(sharing_for(user, scope), category)


def _covered(sharing: Sharing, category: str, client: str) -> Q:
    """Enrollments whose ``category`` sharing shows the viewer: an active release of the client sharing it, or,
    for what an open policy or a sharing group shares (``BY_POLICY``), the enrollment's agency."""
    covered = Q(Exists(covering_members(sharing, category).filter(client_id=OuterRef(client))))
    if category in BY_POLICY and sharing.by_policy:
        covered |= sharing.by_policy_q("project__organization")
    return covered


def shared_enrollments_q(sharing: Sharing, category: str = Category.ENROLLMENT_HISTORY) -> Q | None:
    """Other agencies' enrollments readable through sharing: for enrollment history (the enrollments
    themselves) those in a project of a group peer or of an open CoC, and every enrollment of a client whose
    active release shares enrollment history with the viewer; never a victim service provider's, nor any of a
    client a VSP served.

    For the records kept under an enrollment (``category`` services, or health and disabilities), the
    enrollment must be shared and so must that category: a release that shares enrollment history but not
    health shows where the client stayed, not their disabilities. Health is never shared by policy."""
    if sharing.none:
        return None
    client = "client_id"
    covered = _covered(sharing, Category.ENROLLMENT_HISTORY, client)
    if category != Category.ENROLLMENT_HISTORY:
        covered &= _covered(sharing, category, client)
    return covered & ~Q(project__organization__victim_service_provider=VSP_YES) & ~_served_by_vsp(client)


def shared_records_q(sharing: Sharing, category: str) -> Q | None:
    """Other agencies' case notes or documents (``category``) readable through sharing: only under a release
    in force that shares that category with the viewer; never a victim service provider's records, nor any of
    a client a VSP served."""
    if sharing.none:
        return None
    client = "client_id"
    covered = Q(Exists(covering_members(sharing, category).filter(client_id=OuterRef(client))))
    return covered & ~Q(organization__victim_service_provider=VSP_YES) & ~_served_by_vsp(client)
