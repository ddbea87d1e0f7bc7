"""The HUD User record behind each Hearth account: every record an account writes carries its UserID
(HMIS CSV User.csv; DateCreated/DateUpdated/UserID on every record)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from hearth.hmis.models import HmisUser, Source


def hmis_user_id(user: Any) -> str:
    """The account's HUD UserID in the local source, made on first use ("H" + account number)."""
    if user is None:
        return "SYSTEM"
    hud_id = f"H{user.pk}"
    now = timezone.now()
    HmisUser.objects.get_or_create(
        source=Source.local(),
        hud_id=hud_id,
        defaults={
            "user_first_name": user.first_name or None,
            "user_last_name": user.last_name or None,
            "user_email": user.email or None,
            "date_created": now,
            "date_updated": now,
        },
    )
    return hud_id
