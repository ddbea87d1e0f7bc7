"""De-identification on revocation (issue 4 §2; docs/adr/0012-consent-and-sharing.md).

In a CoC whose policy says so, revoking a release detaches the client's name, date of birth and SSN from the
shared client row: the values move to a ``DetachedIdentity`` held for the agency that took the release and
the agency that registered the client, and the shared row keeps only "data not collected" (HMIS Data
Standards 3.01.5, 3.02.2, 3.03.2: 99). Every other agency that served the client keeps its enrollments and
services, counted in reports by the same PersonalID, but no longer sees who the person is; search no longer
finds the client by name. A new release restores the identity to the shared row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.access.models import ClientOrigin
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.consent.models import DetachedIdentity, Release, ReleaseMember
from hearth.hmis.models import Client

# HMIS Data Standards FY2026 3.01.5 / 3.02.2 / 3.03.2: 99 = Data not collected.
NOT_COLLECTED = 99
IDENTITY_FIELDS = (
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "name_data_quality",
    "ssn",
    "ssn_data_quality",
    "dob",
    "dob_data_quality",
)
_BLANK: dict[str, Any] = {
    "first_name": None,
    "middle_name": None,
    "last_name": None,
    "name_suffix": None,
    "name_data_quality": NOT_COLLECTED,
    "ssn": None,
    "ssn_data_quality": NOT_COLLECTED,
    "dob": None,
    "dob_data_quality": NOT_COLLECTED,
}


def _reindex(client_ids: list[int]) -> None:
    from hearth.search.index import index_clients

    index_clients(client_ids)


def detach(*, release: Release, by: Actor) -> list[int]:
    """Detach the identities of the people ``release`` covered (inside the revoking transaction); returns the
    clients detached. A person still covered by another active release keeps a shared identity."""
    from hearth.consent.rules import active_releases

    members = list(ReleaseMember.objects.filter(release=release).values_list("client_id", flat=True))
    still_covered = {client_id for client_id, releases in active_releases(members).items() if releases}
    already = set(
        DetachedIdentity.objects.filter(client_id__in=members, restored_at__isnull=True).values_list(
            "client_id", flat=True
        )
    )
    targets = [pk for pk in members if pk not in still_covered and pk not in already]
    now = timezone.now()
    detached: list[int] = []
    for client in Client.objects.select_for_update().filter(pk__in=targets, date_deleted__isnull=True):
        held = DetachedIdentity.objects.create(
            client_id=client.pk,
            release=release,
            detached_at=now,
            **{name: getattr(client, name) for name in IDENTITY_FIELDS},
        )
        holders = {release.organization_id}
        holders |= set(ClientOrigin.objects.filter(client_id=client.pk).values_list("organization_id", flat=True))
        held.holders.set(sorted(holders))
        for name, value in _BLANK.items():
            setattr(client, name, value)
        client.date_updated = now
        client.user_id = hmis_user_id(by.user)
        client.save(update_fields=[*IDENTITY_FIELDS, "date_updated", "user_id"])
        by.record(
            "client.identity_detached",
            object_type="Client",
            object_id=client.pk,
            release=release.pk,
            holders=sorted(holders),
        )
        detached.append(client.pk)
    if detached:
        _reindex(detached)
    return detached


def restore(*, client_ids: list[int], by: Actor) -> list[int]:
    """Put detached identities back on the shared rows (a new release was signed); returns those restored."""
    now = timezone.now()
    restored: list[int] = []
    for held in DetachedIdentity.objects.select_for_update().filter(client_id__in=client_ids, restored_at__isnull=True):
        client = Client.objects.select_for_update().filter(pk=held.client_id).first()
        if client is not None:
            for name in IDENTITY_FIELDS:
                setattr(client, name, getattr(held, name))
            client.date_updated = now
            client.user_id = hmis_user_id(by.user)
            client.save(update_fields=[*IDENTITY_FIELDS, "date_updated", "user_id"])
            restored.append(client.pk)
        held.restored_at = now
        held.save(update_fields=["restored_at"])
        by.record("client.identity_restored", object_type="Client", object_id=held.client_id)
    if restored:
        _reindex(restored)
    return restored


def held_identity_for(user: Any, client_id: int) -> DetachedIdentity | None:
    """The detached identity of a client, for a user of an agency that holds it (the profile shows it in place
    of the de-identified shared row); None for everyone else and for clients not de-identified."""
    scope = reach(user, Permission.VIEW_CLIENTS)
    if scope.empty:
        return None
    return (
        DetachedIdentity.objects.filter(client_id=client_id, restored_at__isnull=True)
        .filter(Q(holders__in=scope.origin_organizations))
        .first()
    )


def is_detached(client_id: int) -> bool:
    return DetachedIdentity.objects.filter(client_id=client_id, restored_at__isnull=True).exists()
