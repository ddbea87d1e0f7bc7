"""Sign-in records removed once they have served their purpose, so the tables stay small and hold no more about
staff than needed (OWASP ASVS 5.0 V7.4: a session that ended is invalidated on the server; data minimisation).

- Sessions past their expiry are deleted from the session store (what Django's ``clearsessions`` does).
- A session record (``UserSession``) still open whose session has left the store is closed as "expired", as
  ``sessions.open_sessions`` does for one account; closed records are deleted after
  HEARTH_SESSION_RECORD_DAYS (default 180). The audit trail keeps the sign-ins and sign-outs themselves.
- Failed-sign-in counters (``Throttle``): an address's once its window has passed (the next failure would
  start afresh anyway); an account's once no lock holds it and its run of failures began more than a day ago
  (``FAILURE_MEMORY``: a run of failures is "in a row" within a day). A lock that lasts until an administrator
  lifts it is never removed. Without this, every mistyped or invented account name would leave a row.

Run hourly by the job worker's housekeeping and by ``hearth accounts prune``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from hearth.signin import conf
from hearth.signin.models import Throttle, UserSession
from hearth.signin.sessions import EXPIRED, alive_keys, close_records

FAILURE_MEMORY = dt.timedelta(days=1)
_BATCH = 1000


@dataclass(frozen=True)
class Pruned:
    sessions_closed: int
    session_records_deleted: int
    throttles_deleted: int


def session_record_days() -> int:
    return int(getattr(settings, "HEARTH_SESSION_RECORD_DAYS", 180))


def prune(now: dt.datetime | None = None) -> Pruned:
    now = now or timezone.now()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    closed = 0
    open_records = UserSession.objects.filter(ended_at__isnull=True, started_at__lte=now - conf.idle_timeout())
    last = 0
    while True:
        batch = list(open_records.filter(pk__gt=last).order_by("pk").values_list("pk", "session_key")[:_BATCH])
        if not batch:
            break
        last = batch[-1][0]
        alive = alive_keys([key for _, key in batch])
        gone = [pk for pk, key in batch if key not in alive]
        closed += close_records(UserSession.objects.filter(pk__in=gone), EXPIRED)
    deleted, _ = UserSession.objects.filter(
        ended_at__isnull=False, ended_at__lt=now - dt.timedelta(days=session_record_days())
    ).delete()
    lock_ran_out = Q(locked_at__isnull=True) | Q(locked_until__isnull=False, locked_until__lte=now)
    stale = Q(kind=Throttle.ADDRESS, window_started_at__lte=now - conf.ip_window()) | (
        Q(kind=Throttle.ACCOUNT, window_started_at__lte=now - FAILURE_MEMORY) & lock_ran_out
    )
    throttles, _ = Throttle.objects.filter(stale).delete()
    return Pruned(sessions_closed=closed, session_records_deleted=deleted, throttles_deleted=throttles)
