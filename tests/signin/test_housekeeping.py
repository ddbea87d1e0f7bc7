"""Sign-in housekeeping (hearth.signin.housekeeping): expired sessions deleted, session records of sessions gone
from the store closed, old closed records deleted, spent failed-sign-in counters deleted — and nothing that still
counts (a live session, a lock in force, an address within its window, a run of failures begun today)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from hearth.signin.housekeeping import Pruned, prune
from hearth.signin.models import Throttle, UserSession
from tests.signin.conftest import sign_in
from tests.web.personas import World


def _record(user: Any, key: str, *, started: timedelta, ended: timedelta | None = None) -> UserSession:
    now = timezone.now()
    return UserSession.objects.create(
        user=user,
        session_key=key,
        started_at=now - started,
        ended_at=None if ended is None else now - ended,
        end_reason="" if ended is None else "signed_out",
    )


def test_prune_removes_only_what_no_longer_counts(world: World) -> None:
    browser, _ = sign_in("manager_a")
    live_key = browser.session.session_key
    UserSession.objects.filter(session_key=live_key).update(started_at=timezone.now() - timedelta(hours=2))
    user = get_user_model().objects.get(username="manager_a")
    now = timezone.now()
    # A session that expired in the store, its record still open.
    Session.objects.create(session_key="gone", session_data="", expire_date=now - timedelta(minutes=1))
    _record(user, "gone", started=timedelta(hours=3))
    _record(user, "young", started=timedelta(minutes=5))  # too young to have expired by idleness: left open
    _record(user, "old", started=timedelta(days=200), ended=timedelta(days=181))
    _record(user, "recent", started=timedelta(days=20), ended=timedelta(days=19))
    day = timedelta(days=1)
    Throttle.objects.bulk_create(
        [
            Throttle(kind=Throttle.ADDRESS, key="10.0.0.1", failures=30, window_started_at=now - timedelta(minutes=16)),
            Throttle(kind=Throttle.ADDRESS, key="10.0.0.2", failures=30, window_started_at=now - timedelta(minutes=5)),
            Throttle(kind=Throttle.ACCOUNT, key="run-old", failures=2, window_started_at=now - day * 2),
            Throttle(kind=Throttle.ACCOUNT, key="run-today", failures=2, window_started_at=now - timedelta(hours=2)),
            Throttle(
                kind=Throttle.ACCOUNT,
                key="lock-ran-out",
                failures=5,
                window_started_at=now - day * 2,
                locked_at=now - day,
                locked_until=now - day + timedelta(minutes=30),
            ),
            Throttle(
                kind=Throttle.ACCOUNT,
                key="lock-in-force",
                failures=5,
                window_started_at=now - day * 2,
                locked_at=now - timedelta(minutes=5),
                locked_until=now + timedelta(minutes=25),
            ),
            Throttle(
                kind=Throttle.ACCOUNT,
                key="lock-until-lifted",
                failures=5,
                window_started_at=now - day * 30,
                locked_at=now - day * 29,
                locked_until=None,
            ),
        ]
    )

    assert prune() == Pruned(sessions_closed=1, session_records_deleted=1, throttles_deleted=3)

    assert not Session.objects.filter(session_key="gone").exists()
    assert Session.objects.filter(session_key=live_key).exists()
    records = {r.session_key: r for r in UserSession.objects.all()}
    assert sorted(records) == sorted([live_key, "gone", "young", "recent"])
    assert (records["gone"].end_reason, records["gone"].ended_at is not None) == ("expired", True)
    assert records[live_key].ended_at is None
    assert records["young"].ended_at is None
    assert sorted(Throttle.objects.values_list("key", flat=True)) == [
        "10.0.0.2",
        "lock-in-force",
        "lock-until-lifted",
        "run-today",
    ]
    # The signed-in browser is still signed in.
    assert browser.get("/clients/").status_code == 200
    # A second run finds nothing more to do.
    assert prune() == Pruned(0, 0, 0)


@pytest.mark.django_db
def test_the_command_prunes_and_says_what_it_did(capsys: pytest.CaptureFixture[str]) -> None:
    Throttle.objects.create(
        kind=Throttle.ADDRESS, key="10.0.0.3", failures=1, window_started_at=timezone.now() - timedelta(hours=1)
    )
    call_command("accounts", "prune")
    assert capsys.readouterr().out.strip() == (
        "0 expired session records closed, 0 old session records deleted, 1 spent failed-sign-in counters deleted."
    )
    assert not Throttle.objects.exists()
