"""Correction requests: what a client asked to change, who took the request, and its outcome.

HMIS Data and Technical Standards (69 FR 45888), 4.2.5 "Access and correction": a client may ask to correct
their information; the organization may deny the request, with a reason. Hearth records the request and the
decision; the change itself is made through the normal actions (the client's edit page, the assessments), and
the decision keeps the audit events of the changes made for it, so "accepted" always points at what changed.

Who: staff who may correct the client's data (EDIT_CLIENTS over the client) record and decide requests for an
organization that serves the client; the agency's list shows its own requests about clients its staff reach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from hearth.access import lookups
from hearth.access.lookups import NotFound
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.hmis.models import Client, Enrollment, Organization
from hearth.rights.models import CorrectionRequest, Element, Outcome

REQUEST_MAX = 4000


class CorrectionError(ValueError):
    """Bad input, naming the field: shown next to it, nothing written."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# -- guarded reads ----------------------------------------------------------------------------------------


def corrections_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[CorrectionRequest]:
    """Requests taken by an organization the user's ``permission`` reaches, about clients it reaches."""
    scope = reach(user, permission)
    if scope.empty:
        return CorrectionRequest.objects.none()
    return CorrectionRequest.objects.filter(
        organization_id__in=scope.origin_organizations, client__in=lookups.clients_for(user, permission)
    )


def get_correction_for(
    user: Any, correction_id: Any, permission: Permission = Permission.EDIT_CLIENTS
) -> CorrectionRequest:
    try:
        pk = int(correction_id)
    except (TypeError, ValueError):
        raise NotFound("correction request") from None
    found = corrections_for(user, permission).select_related("client", "organization").filter(pk=pk).first()
    if found is None:
        raise NotFound("correction request")
    return found


def answering_organizations(user: Any, client: Client) -> list[Organization]:
    """The organizations a request about this client may be taken for: those serving the client that the
    user's EDIT_CLIENTS reaches (the rule case notes follow)."""
    return lookups.organizations_serving(user, client.pk, Permission.EDIT_CLIENTS)


# -- actions ----------------------------------------------------------------------------------------------


@transaction.atomic
def record_correction_request(
    *,
    client: Client,
    organization: Organization,
    requested_on: dt.date,
    elements: Sequence[str],
    request: str,
    by: Actor,
) -> CorrectionRequest:
    text = (request or "").strip()
    if not text:
        raise CorrectionError("request", "Say what the client asked to change.")
    if len(text) > REQUEST_MAX:
        raise CorrectionError("request", f"Keep the request under {REQUEST_MAX} characters.")
    chosen = list(dict.fromkeys(elements))
    if not chosen:
        raise CorrectionError("elements", "Choose at least one part of the record the client asked about.")
    unknown = [e for e in chosen if e not in Element.values]
    if unknown:
        raise CorrectionError("elements", "Choose parts of the record from the list.")
    if requested_on > timezone.localdate():
        raise CorrectionError("requested_on", "The request date cannot be in the future.")
    correction = CorrectionRequest.objects.create(
        client=client,
        organization=organization,
        requested_on=requested_on,
        elements=chosen,
        request=text,
        taken_by=by.user,
        taken_by_name=by.name[:150],
        recorded_at=timezone.now(),
    )
    # The request's text is personal data: the audit keeps which parts of the record, never the words.
    by.record(
        "correction.requested",
        object_type="CorrectionRequest",
        object_id=correction.pk,
        client=client.pk,
        organization=organization.pk,
        elements=chosen,
    )
    return correction


def changes_since(correction: CorrectionRequest) -> list[int]:
    """Audit events of changes to the client's record made since the request was taken: the client's universal
    data elements (client.updated) and anything written to one of the client's enrollments (assessments,
    exits, households…), views excluded."""
    enrollment_ids = [
        str(pk) for pk in Enrollment.objects.filter(client_id=correction.client_id).values_list("pk", flat=True)
    ]
    events = AuditEvent.objects.filter(at__gte=correction.recorded_at).filter(
        Q(object_type="Client", object_id=str(correction.client_id), action="client.updated")
        | (Q(object_type="Enrollment", object_id__in=enrollment_ids) & ~Q(action__endswith=".viewed"))
    )
    return list(events.order_by("at", "pk").values_list("pk", flat=True))


@transaction.atomic
def decide_correction_request(
    *,
    correction: CorrectionRequest,
    outcome: str,
    reason: str,
    decided_on: dt.date,
    by: Actor,
) -> CorrectionRequest:
    locked = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if locked.outcome != Outcome.PENDING:
        raise CorrectionError("outcome", "This request already has an outcome.")
    if outcome not in {Outcome.ACCEPTED, Outcome.PARTLY, Outcome.DENIED}:
        raise CorrectionError("outcome", "Choose accepted, partly accepted or denied.")
    why = (reason or "").strip()
    if outcome in {Outcome.DENIED, Outcome.PARTLY} and not why:
        raise CorrectionError("reason", "Say why the request was denied (the client is told the reason).")
    if len(why) > REQUEST_MAX:
        raise CorrectionError("reason", f"Keep the reason under {REQUEST_MAX} characters.")
    if decided_on < locked.requested_on:
        raise CorrectionError("decided_on", "The decision cannot be dated before the request.")
    if decided_on > timezone.localdate():
        raise CorrectionError("decided_on", "The decision date cannot be in the future.")
    changes = changes_since(locked) if outcome != Outcome.DENIED else []
    if outcome in {Outcome.ACCEPTED, Outcome.PARTLY} and not changes:
        raise CorrectionError(
            "outcome",
            "No change to the client's record was made since the request was taken. Make the change first "
            "(Edit client, or the enrollment's assessments), then record the outcome.",
        )
    locked.outcome = outcome
    locked.reason = why
    locked.decided_on = decided_on
    locked.decided_by = by.user
    locked.decided_by_name = by.name[:150]
    locked.decided_at = timezone.now()
    locked.changes = changes
    locked.save(
        update_fields=["outcome", "reason", "decided_on", "decided_by", "decided_by_name", "decided_at", "changes"]
    )
    by.record(
        "correction.decided",
        object_type="CorrectionRequest",
        object_id=locked.pk,
        client=locked.client_id,
        outcome=outcome,
        changes=changes,
    )
    return locked
