"""HMIS CSV metadata of a record entered in Hearth itself (not imported)."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.audit.actor import Actor
from hearth.hmis.models import Source


def stamp(by: Actor) -> dict[str, Any]:
    """The local source, a new HUD ID, DateCreated, DateUpdated and the account's HUD UserID (HMIS CSV FY2026:
    every record carries them)."""
    now = timezone.now()
    return {
        "source": Source.local(),
        "hud_id": uuid.uuid4().hex,
        "date_created": now,
        "date_updated": now,
        "user_id": hmis_user_id(by.user),
    }
