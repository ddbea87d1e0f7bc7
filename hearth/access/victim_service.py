"""Victim service providers work in comparable-database mode: their clients' records never leave them.

HUD prohibits victim service providers from entering client-level data into an HMIS; they keep it in a
comparable database and share aggregates only (HMIS Data Standards Manual FY2026, "Victim Service Providers";
VAWA 34 U.S.C. 12291(b)(2); HMIS Data Standards 2.01.3 VictimServiceProvider). Hearth can host such an
agency only if, for everyone outside it, Hearth behaves as that separate database would: its clients,
enrollments and everything hanging off them are absent from search, profiles, exports and hashed identifiers.

The guarded lookups already keep a CoC-wide role away from a VSP's client data (hearth.access.scope). This
module holds what the other paths need to ask (docs/adr/0013-victim-service-and-dv.md):

- which organizations are VSPs (``vsp_organization_ids``, ``is_vsp_project``);
- whose clients belong to a VSP only (``vsp_only_clients_q``; the exporter's SQL states the same rule);
- a VSP keeps its own client records: it may not attach its enrollment to a person another agency serves
  (``check_comparable_database``), or that person's shared record would carry the VSP's data;
- whose audit events reveal a VSP's work (``vsp_staff_ids``), for the change history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from hearth.access.models import ClientOrigin, RoleAssignment
from hearth.access.scope import VSP_YES
from hearth.hmis.models import Enrollment, Organization, Project


def vsp_organization_ids() -> frozenset[int]:
    """Organizations flagged as victim service providers (2.01.3 = 1, "Yes"), deleted ones included: a
    deletion does not make their past clients anyone else's."""
    return frozenset(Organization.objects.filter(victim_service_provider=VSP_YES).values_list("pk", flat=True))


def is_vsp_project(project: Project) -> bool:
    return bool(Organization.objects.filter(pk=project.organization_id, victim_service_provider=VSP_YES).exists())


def served_outside_vsp_q() -> Q:
    """Clients (as ``Client`` rows) that an agency other than a VSP serves or registered: a live enrollment
    in a non-VSP project, or a ClientOrigin at a non-VSP organization."""
    elsewhere = Enrollment.objects.filter(client_id=OuterRef("pk"), date_deleted__isnull=True).exclude(
        project__organization__victim_service_provider=VSP_YES
    )
    registered = ClientOrigin.objects.filter(client_id=OuterRef("pk")).exclude(
        organization__victim_service_provider=VSP_YES
    )
    return Q(Exists(elsewhere)) | Q(Exists(registered))


def vsp_client_q() -> Q:
    """Clients (as ``Client`` rows) a VSP served (any enrollment in a VSP project) or registered."""
    at_vsp = Enrollment.objects.filter(client_id=OuterRef("pk"), project__organization__victim_service_provider=VSP_YES)
    registered = ClientOrigin.objects.filter(client_id=OuterRef("pk"), organization__victim_service_provider=VSP_YES)
    return Q(Exists(at_vsp)) | Q(Exists(registered))


def vsp_only_clients_q() -> Q:
    """Clients whose only agency is a VSP: their record is the VSP's alone and never leaves it."""
    return vsp_client_q() & ~served_outside_vsp_q()


class ComparableDatabaseError(ValueError):
    """A VSP tried to attach its work to a client record another agency shares."""

    field = "client"
    message = (
        "A victim service provider keeps its own client records (a comparable database): this person is "
        "already a client of another agency. Register them as a new client of your agency instead."
    )

    def __init__(self) -> None:
        super().__init__(self.message)


def check_comparable_database(project: Project, client_ids: Iterable[int]) -> None:
    """Refuse to enroll into a VSP's project a client that an agency other than a VSP serves or registered
    (HMIS Data Standards Manual, "Victim Service Providers": the VSP's client-level data stays in its own
    database). Linking the two would let the VSP's corrections to name, date of birth or SSN reach the other
    agency's profile, and its hashed identifiers match across agencies."""
    from hearth.hmis.models import Client

    ids = list(client_ids)
    if not ids or not is_vsp_project(project):
        return
    if Client.objects.filter(pk__in=ids).filter(served_outside_vsp_q()).exists():
        raise ComparableDatabaseError()


def vsp_staff_ids(except_organizations: Iterable[int] = ()) -> frozenset[int]:
    """Accounts holding any role at a VSP organization or one of its projects (other than ``except_
    organizations``, the VSPs the reader is inside): the audit events they write about a client reveal that
    a VSP serves that client, so a reader outside the VSP does not see them."""
    excluded = set(except_organizations)
    vsps = vsp_organization_ids() - excluded
    if not vsps:
        return frozenset()
    rows = RoleAssignment.objects.filter(
        Q(organization_id__in=vsps) | Q(project__organization_id__in=vsps)
    ).values_list("user_id", flat=True)
    return frozenset(rows)


def hidden_actors(user: Any) -> frozenset[int]:
    """Accounts whose audit events about a client ``user`` does not see on a history page: the staff of the
    VSPs outside the user's VIEW_AUDIT reach (a VSP's own administrator still sees its staff's events)."""
    from hearth.access.roles import Permission
    from hearth.access.scope import reach

    return vsp_staff_ids(except_organizations=reach(user, Permission.VIEW_AUDIT).organizations)
