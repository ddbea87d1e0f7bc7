"""Failed sign-ins: an account locked after too many in a row, an address refused after too many in a window
(OWASP ASVS 5.0 V6.3.1: controls against credential stuffing and brute force).

Both are logged to the audit trail. The same message answers a wrong password, an unknown account and a locked
one, so a sign-in page tells nobody which accounts exist. A lock lasts HEARTH_LOCKOUT_MINUTES (0: until an
administrator unlocks it); an agency administrator or the HMIS Lead unlocks from the person's page, the
deployment with ``hearth accounts unlock``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.signin import conf
from hearth.signin.models import Throttle

UNKNOWN_ACCOUNT = "(unknown account)"


def account_key(username: str) -> str:
    """A keyed hash of the name as typed (lower-cased): what was typed is never stored."""
    return hmac.new(settings.SECRET_KEY.encode(), username.strip().lower().encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Refusal:
    reason: str  # "account" (locked) or "address" (too many failures from it)
    until: dt.datetime | None  # None: until an administrator unlocks


def refusal(*, username: str, ip: str | None, now: dt.datetime | None = None) -> Refusal | None:
    """Why a sign-in must be refused before its password is even checked, or None."""
    now = now or timezone.now()
    if ip:
        address = Throttle.objects.filter(kind=Throttle.ADDRESS, key=ip).first()
        if address is not None and address.failures >= conf.ip_failures():
            until = address.window_started_at + conf.ip_window()
            if until > now:
                return Refusal("address", until)
    account = Throttle.objects.filter(kind=Throttle.ACCOUNT, key=account_key(username)).first()
    if account is not None and _locked(account, now):
        return Refusal("account", account.locked_until)
    return None


def _locked(row: Throttle, now: dt.datetime) -> bool:
    return row.locked_at is not None and (row.locked_until is None or row.locked_until > now)


def record_failure(*, username: str, ip: str | None, account: Any, stage: str, now: dt.datetime | None = None) -> None:
    """Count a failed sign-in (a wrong password or a wrong second factor) against the name and the address;
    lock or refuse on reaching the limits. ``account`` is the account the name belongs to, if any."""
    now = now or timezone.now()
    actor = Actor(user=account, name=account.get_username() if account else UNKNOWN_ACCOUNT, ip=ip)
    object_id = account.pk if account else ""
    with transaction.atomic():
        actor.record("signin.failed", object_type="User", object_id=object_id, stage=stage)
        if ip:
            row = _row(Throttle.ADDRESS, ip)
            if row.window_started_at + conf.ip_window() <= now:
                row.failures, row.window_started_at = 0, now
            row.failures += 1
            row.save(update_fields=["failures", "window_started_at"])
            if row.failures == conf.ip_failures():
                actor.record("signin.address_refused", failures=row.failures, minutes=_minutes(conf.ip_window()))
        row = _row(Throttle.ACCOUNT, account_key(username))
        if row.locked_at is not None and not _locked(row, now):
            row.failures, row.locked_at, row.locked_until = 0, None, None  # a lock that ran out starts afresh
        if row.locked_at is None:
            row.failures += 1
            if row.failures >= conf.lockout_failures():
                duration = conf.lockout_duration()
                row.locked_at, row.locked_until = now, (now + duration if duration else None)
                actor.record(
                    "account.locked",
                    object_type="User",
                    object_id=object_id,
                    failures=row.failures,
                    minutes=_minutes(duration) if duration else None,
                )
        row.save(update_fields=["failures", "locked_at", "locked_until"])


def record_success(*, username: str) -> None:
    """A right password and second factor: the run of failures of that name ends."""
    Throttle.objects.filter(kind=Throttle.ACCOUNT, key=account_key(username)).delete()


def lock_of(account: Any, now: dt.datetime | None = None) -> Throttle | None:
    """The account's lock in force, if any."""
    row = Throttle.objects.filter(kind=Throttle.ACCOUNT, key=account_key(account.get_username())).first()
    return row if row is not None and _locked(row, now or timezone.now()) else None


@transaction.atomic
def unlock(*, account: Any, by: Actor) -> bool:
    """Lift the account's lock (and its count of failures); audited. False when it was not locked."""
    was_locked = lock_of(account) is not None
    Throttle.objects.filter(kind=Throttle.ACCOUNT, key=account_key(account.get_username())).delete()
    if was_locked:
        by.record("account.unlocked", object_type="User", object_id=account.pk)
    return was_locked


@transaction.atomic
def unlock_address(*, ip: str, by: Actor) -> bool:
    deleted, _ = Throttle.objects.filter(kind=Throttle.ADDRESS, key=ip).delete()
    if deleted:
        by.record("signin.address_cleared", address=ip)
    return bool(deleted)


def _row(kind: str, key: str) -> Throttle:
    Throttle.objects.get_or_create(kind=kind, key=key)
    return Throttle.objects.select_for_update().get(kind=kind, key=key)


def _minutes(duration: dt.timedelta) -> int:
    return int(duration.total_seconds() // 60)
