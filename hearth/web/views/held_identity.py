"""The identity an agency holds for a client whose shared record was de-identified when they revoked consent
(hearth.consent.identity, docs/adr/0012-consent-and-sharing.md): a profile section for the holders only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hearth.consent.identity import held_identity_for
from hearth.hmis.models import Client
from hearth.web.panels import panel


@panel("held-identity", template="web/consent/_held_identity.html", order=5)
def held_identity_panel(request: HttpRequest, client: Client) -> dict[str, Any] | None:
    # get_client_for tells whether the record is de-identified, so other profiles read nothing more.
    if not getattr(client, "_identity_detached", False):
        return None
    held = held_identity_for(request.user, client.pk)
    if held is None:
        return {"held": None}
    return {
        "held": held,
        "name": " ".join(p for p in (held.first_name, held.middle_name, held.last_name, held.name_suffix) if p),
        "ssn_last4": (held.ssn or "")[-4:],
    }
