"""The HMIS user agreement each account must accept, per version (HMIS Lead's policies and procedures)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hearth.access.models import AgreementAcceptance, RoleAssignment, UserAgreement
from hearth.audit.actor import Actor


def _continuums(user: Any) -> set[int]:
    """The CoCs an account works in, through any of its role grants."""
    found: set[int] = set()
    for continuum, org_continuum, project_continuum in RoleAssignment.objects.filter(user=user).values_list(
        "continuum_id", "organization__continuum_id", "project__organization__continuum_id"
    ):
        chosen = continuum or org_continuum or project_continuum
        if chosen is not None:
            found.add(chosen)
    return found


def needs_agreement(user: Any) -> UserAgreement | None:
    """The current agreement of one of the user's CoCs that the user has not accepted yet, if any."""
    cached = user.__dict__.get("_hearth_agreement", False)
    if cached is not False:
        return cached
    pending = None
    for continuum in sorted(_continuums(user)):
        current = UserAgreement.objects.filter(continuum_id=continuum).order_by("-effective_at").first()
        if current is not None and not AgreementAcceptance.objects.filter(user=user, agreement=current).exists():
            pending = current
            break
    user.__dict__["_hearth_agreement"] = pending
    return pending


@transaction.atomic
def accept_agreement(*, agreement: UserAgreement, by: Actor) -> None:
    AgreementAcceptance.objects.get_or_create(user=by.user, agreement=agreement)
    by.user.__dict__.pop("_hearth_agreement", None)
    by.record("agreement.accepted", object_type="UserAgreement", object_id=agreement.pk, version=agreement.version)
