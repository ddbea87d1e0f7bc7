"""The disclosure log (issue 4 §2): who saw a client's data, under which release, when they reached the client
only through sharing. Written by the guarded read path (hearth/access/lookups.py) and by exports and report
drill-downs, one INSERT per page view or file (a list of clients is written in one statement).

Direct service, the HMIS Lead's CoC-wide reach and a user's own agency's records are not disclosures: they
are the agency's own use of its data, kept by the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.consent.models import Category, Disclosure
from hearth.consent.rules import covering_members, sharing_for

# What a disclosure carried, beside the data categories (hearth.consent.models.Category).
PROFILE = "profile"
EXPORT = "export"
REFERRAL = "referral"
REPORT_DRILLDOWN = "report_drilldown"
FILE = "file"


def _user(user: Any) -> tuple[int | None, str]:
    return (int(user.pk) if getattr(user, "pk", None) is not None else None), user.get_username()


def record_disclosure(
    user: Any,
    client_id: int,
    what: str,
    *,
    category: str = Category.IDENTITY,
    object_type: str = "",
    object_id: str | int = "",
    permission: Permission = Permission.VIEW_CLIENTS,
) -> Disclosure:
    """Log that ``user`` read ``client_id``'s data (``what``) through sharing: the release in force that covers
    the user's agency for ``category`` is named when there is one (none: open policy or sharing group)."""
    sharing = sharing_for(user, reach(user, permission))
    release_id = (
        covering_members(sharing, category)
        .filter(client_id=client_id)
        .order_by("-release__starts_on", "-release_id")
        .values_list("release_id", flat=True)
        .first()
    )
    user_id, name = _user(user)
    return Disclosure.objects.create(
        client_id=client_id,
        user_id=user_id,
        user_name=name,
        organization_id=min(sharing.organizations) if sharing.organizations else None,
        release_id=release_id,
        what=what,
        object_type=object_type,
        object_id=str(object_id),
        at=timezone.now(),
    )


def record_disclosures(
    user: Any,
    client_ids: Iterable[int],
    what: str,
    *,
    category: str = Category.IDENTITY,
    object_type: str = "",
    object_id: str | int = "",
    permission: Permission = Permission.VIEW_CLIENTS,
) -> int:
    """Log a disclosure of many clients at once (an export, a report drill-down): one row per client reached
    only through sharing, written in one statement; returns how many. Clients the user serves directly are
    left out here, so callers pass every client they disclosed."""
    from hearth.access.lookups import reached_only_by_sharing

    ids = reached_only_by_sharing(user, client_ids, permission)
    if not ids:
        return 0
    sharing = sharing_for(user, reach(user, permission))
    releases: dict[int, int] = {}
    for client_id, release_id in (
        covering_members(sharing, category)
        .filter(client_id__in=ids)
        .order_by("client_id", "release__starts_on", "release_id")
        .values_list("client_id", "release_id")
    ):
        releases[client_id] = release_id  # the newest wins
    user_id, name = _user(user)
    organization_id = min(sharing.organizations) if sharing.organizations else None
    now = timezone.now()
    Disclosure.objects.bulk_create(
        Disclosure(
            client_id=client_id,
            user_id=user_id,
            user_name=name,
            organization_id=organization_id,
            release_id=releases.get(client_id),
            what=what,
            object_type=object_type,
            object_id=str(object_id),
            at=now,
        )
        for client_id in sorted(ids)
    )
    return len(ids)


def disclosures_for(client: Any) -> QuerySet[Disclosure]:
    """A client's disclosure log, newest first, with the release each was made under (the caller has checked
    the user's access to the client; the log is printed on the client's request)."""
    client_id = client if isinstance(client, int) else client.pk
    return Disclosure.objects.filter(client_id=client_id).select_related("release").order_by("-at", "-pk")
