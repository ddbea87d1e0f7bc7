"""Guarded reads of releases and disclosure logs, built on the one read path for clients.

A release says whom a person shares their record with: it is client data. It is read only through a client
the user reaches (``hearth.access.lookups.clients_for``) — any person it covers — and a missing release and
one the user may not see give the same "not found".
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hearth.access.lookups import NotFound, clients_for, may_for_client, organizations_serving
from hearth.access.roles import Permission
from hearth.access.scope import VSP_YES, reach
from hearth.consent.models import Disclosure, Release, ReleaseMember
from hearth.hmis.models import Client, Organization


def releases_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[Release]:
    """Releases covering at least one client the user reaches with ``permission``."""
    if reach(user, permission).empty:
        return Release.objects.none()
    covered = ReleaseMember.objects.filter(client_id__in=clients_for(user, permission).values("pk"))
    return Release.objects.filter(pk__in=covered.values("release_id"))


def get_release_for(user: Any, release_id: Any, permission: Permission = Permission.VIEW_CLIENTS) -> Release:
    try:
        pk = int(release_id)
    except (TypeError, ValueError):
        raise NotFound("release") from None
    release = releases_for(user, permission).select_related("organization", "continuum", "client").filter(pk=pk).first()
    if release is None:
        raise NotFound("release")
    return release


def covered_people(user: Any, release: Release) -> list[tuple[Client, str]]:
    """The people a release covers that the user may see, each with how they are covered; the signer first."""
    members = {m.client_id: m.through for m in ReleaseMember.objects.filter(release=release)}
    visible = clients_for(user).filter(pk__in=list(members)).order_by("last_name", "first_name", "pk")
    people = [(c, members[c.pk]) for c in visible]
    people.sort(key=lambda item: item[0].pk != release.client_id)
    return people


def recording_organizations(user: Any, client: Client) -> list[Organization]:
    """The agencies the user may record a release for: those serving the client directly that the user's
    EDIT_CLIENTS reaches, victim service providers excepted (their clients are not shared)."""
    return [
        o
        for o in organizations_serving(user, client.pk, Permission.EDIT_CLIENTS)
        if o.victim_service_provider != VSP_YES and o.continuum_id is not None
    ]


def may_read_disclosures(user: Any, client: Client) -> bool:
    """The disclosure log is printed for the client by an agency that serves them, or read by whoever audits
    the client's record (VIEW_AUDIT); others who reach the client through sharing do not see who else did."""
    if organizations_serving(user, client.pk, Permission.VIEW_CLIENTS):
        return True
    return may_for_client(user, client.pk, Permission.VIEW_AUDIT)


def disclosures_for(user: Any, client: Client) -> QuerySet[Disclosure]:
    """The client's disclosure log (``client`` read through get_client_for), or nothing for a user who may
    not read it."""
    if not may_read_disclosures(user, client):
        return Disclosure.objects.none()
    return Disclosure.objects.filter(client_id=client.pk)
