"""Accounts unused for HEARTH_INACTIVE_DAYS are disabled (OWASP ASVS 5.0 V6.2; HUD's HMIS Security Standards
4.3.1: access ends when it is no longer needed). "Unused" is no sign-in since the cutoff, or never signed in
and created before it. The deployment's superusers are left alone: they are the way back in.

Run by ``hearth accounts disable-inactive`` and daily by the worker's housekeeping; each account disabled is
audited and its sessions end at once. An administrator re-enables an account from the person's page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.signin import conf
from hearth.signin.sessions import INACTIVE, end_sessions


def inactive_accounts(*, days: int, now: dt.datetime | None = None) -> Any:
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .order_by("pk")
    )


def disable_inactive(
    *, by: Actor, days: int | None = None, now: dt.datetime | None = None, dry_run: bool = False
) -> list[Any]:
    """Disable the accounts unused for ``days`` (HEARTH_INACTIVE_DAYS; 0: none). Returns them."""
    days = conf.inactive_days() if days is None else days
    if days <= 0:
        return []
    accounts = list(inactive_accounts(days=days, now=now))
    if dry_run:
        return accounts
    for account in accounts:
        with transaction.atomic():
            changed = get_user_model().objects.filter(pk=account.pk, is_active=True).update(is_active=False)
            if not changed:
                continue
            last = account.last_login.date().isoformat() if account.last_login else None
            by.record(
                "account.disabled_inactive", object_type="User", object_id=account.pk, days=days, last_sign_in=last
            )
            end_sessions(account, reason=INACTIVE, by=by)
    return accounts
