"""Signed-in sessions: begun only after every factor was checked, renewed by each request (the idle timeout is
Django's SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST), ended after an absolute lifetime however active,
the oldest ended when an account holds more than its limit, all ended when the account is disabled.

Each session's record (``UserSession``) names its session key, so ending one deletes it from the session store
at once: the next request of that browser is signed out, whatever it was doing.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.signin import conf
from hearth.signin.models import UserSession

# What the session holds about its own sign-in: {"id": UserSession pk, "key": session key, "at": ISO start}.
SIGNED_IN = "hearth.signin"
# Set when the account's role requires a second factor it has not enrolled yet.
MUST_ENROL = "hearth.must_enrol"

LIFETIME, CONCURRENT, DISABLED, SIGNED_OUT, INACTIVE = "lifetime", "concurrent", "disabled", "signed_out", "inactive"
# Ended by idleness or the browser closing: found gone from the session store.
EXPIRED = "expired"


def begin(request: HttpRequest, user: Any, *, method: str, must_enrol: bool = False) -> UserSession:
    """Sign ``user`` in on this request (a new session key: no fixation), record the session, and end the
    account's oldest sessions beyond the limit."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    record = _record(request, user, method=method)
    if must_enrol:
        request.session[MUST_ENROL] = True
    Actor(user=user, name=user.get_username(), ip=_ip(request)).record(
        "signin.succeeded", object_type="User", object_id=user.pk, method=method
    )
    return record


def _record(request: HttpRequest, user: Any, *, method: str) -> UserSession:
    if request.session.session_key is None:
        request.session.save()
    key = str(request.session.session_key)
    now = timezone.now()
    with transaction.atomic():
        UserSession.objects.filter(session_key=key).delete()  # a key is never reused; stale rows of tests only
        record = UserSession.objects.create(user=user, session_key=key, started_at=now, ip=_ip(request), method=method)
        _enforce_limit(user, keep=record)
    request.session[SIGNED_IN] = {"id": record.pk, "key": key, "at": now.isoformat()}
    return record


def guard(request: HttpRequest) -> HttpResponse | None:
    """On each signed-in request: the answer that ends a session past its lifetime, else None."""
    info = request.session.get(SIGNED_IN)
    if info is None:
        # Signed in some other way (Django's test client): recorded now, so the limits apply to it too.
        _record(request, request.user, method="session")
        return None
    started = dt.datetime.fromisoformat(info["at"])
    if timezone.now() - started >= conf.session_lifetime():
        end_current(request, reason=LIFETIME)
        hours = conf.session_lifetime() / dt.timedelta(hours=1)
        messages.info(request, f"Sessions last at most {hours:g} hours. Sign in again to go on.")
        if request.headers.get("HX-Request"):
            # An htmx request would swap the sign-in page into a fragment: the whole page goes there instead.
            answer = HttpResponse(status=204)
            answer["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return answer
        return redirect_to_login(request.get_full_path())
    if info["key"] != request.session.session_key:
        # Django gave the session a new key (a password change): the record follows it.
        UserSession.objects.filter(pk=info["id"]).update(session_key=str(request.session.session_key))
        request.session[SIGNED_IN] = {**info, "key": request.session.session_key}
    return None


def must_enrol(request: HttpRequest) -> bool:
    return bool(request.session.get(MUST_ENROL))


def enrolled(request: HttpRequest) -> None:
    """The account now has a second factor: its pages open again."""
    request.session.pop(MUST_ENROL, None)


def end_current(request: HttpRequest, *, reason: str) -> None:
    """Sign this browser out (signing out, or the lifetime reached) and close the session's record."""
    user: Any = request.user
    info = request.session.get(SIGNED_IN)
    if info is not None and user.is_authenticated:
        close_records(UserSession.objects.filter(pk=info["id"], ended_at__isnull=True), reason)
        Actor(user=user, name=user.get_username(), ip=_ip(request)).record(
            "session.ended", object_type="User", object_id=user.pk, reason=reason
        )
    logout(request)


def end_sessions(user: Any, *, reason: str, by: Actor | None = None) -> int:
    """End every session ``user`` holds, at once (the account disabled). Returns how many were open."""
    records = list(UserSession.objects.filter(user=user, ended_at__isnull=True))
    _delete_from_store([r.session_key for r in records])
    close_records(UserSession.objects.filter(pk__in=[r.pk for r in records]), reason)
    if records and by is not None:
        by.record("session.ended", object_type="User", object_id=user.pk, reason=reason, sessions=len(records))
    return len(records)


def end_other_sessions(user: Any, *, keep: int | None, reason: str, by: Actor) -> int:
    """End the account's sessions but the one recorded as ``keep`` (a password change)."""
    records = [r for r in UserSession.objects.filter(user=user, ended_at__isnull=True) if r.pk != keep]
    _delete_from_store([r.session_key for r in records])
    close_records(UserSession.objects.filter(pk__in=[r.pk for r in records]), reason)
    if records:
        by.record("session.ended", object_type="User", object_id=user.pk, reason=reason, sessions=len(records))
    return len(records)


def open_sessions(user: Any) -> list[UserSession]:
    """The account's sessions still alive in the session store, oldest first (records of sessions that ended
    by idleness or the browser closing are closed on the way)."""
    records = list(UserSession.objects.filter(user=user, ended_at__isnull=True).order_by("started_at", "pk"))
    alive = alive_keys([r.session_key for r in records])
    gone = [r.pk for r in records if r.session_key not in alive]
    if gone:
        close_records(UserSession.objects.filter(pk__in=gone), EXPIRED)
    return [r for r in records if r.session_key in alive]


def _enforce_limit(user: Any, *, keep: UserSession) -> None:
    limit = conf.max_sessions()
    if limit <= 0:
        return
    others = [r for r in open_sessions(user) if r.pk != keep.pk]
    excess = len(others) + 1 - limit
    if excess <= 0:
        return
    oldest = others[:excess]
    _delete_from_store([r.session_key for r in oldest])
    close_records(UserSession.objects.filter(pk__in=[r.pk for r in oldest]), CONCURRENT)
    Actor(user=user, name=user.get_username(), ip=keep.ip).record(
        "session.ended", object_type="User", object_id=user.pk, reason=CONCURRENT, sessions=len(oldest)
    )


def close_records(records: Any, reason: str) -> int:
    """Close the still-open session records among ``records``; returns how many."""
    return int(records.filter(ended_at__isnull=True).update(ended_at=timezone.now(), end_reason=reason))


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def alive_keys(keys: list[str]) -> set[str]:
    """Of these session keys, those whose session is still in the store (not expired)."""
    if not keys:
        return set()
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        found = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now())
        return set(found.values_list("session_key", flat=True))
    store = _store()
    return {key for key in keys if store().exists(key)}


def _delete_from_store(keys: list[str]) -> None:
    store = _store()
    for key in keys:
        store(session_key=key).delete()


def _ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only, as hearth.audit.actor (a trusted proxy sets it).
    return request.META.get("REMOTE_ADDR") or None
