"""Accounts unused for HEARTH_INACTIVE_DAYS are disabled by ``hearth accounts disable-inactive`` and by the
worker's housekeeping: audited, their sessions ended; superusers and recent accounts kept."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.jobs.worker import Worker
from hearth.signin.models import UserSession
from tests.signin.conftest import sign_in
from tests.web.personas import World


def age(world: World, persona: str, *, last_login_days: int | None, joined_days: int = 400) -> None:
    now = timezone.now()
    get_user_model().objects.filter(pk=world.users[persona].pk).update(
        last_login=None if last_login_days is None else now - timedelta(days=last_login_days),
        date_joined=now - timedelta(days=joined_days),
    )


def active(world: World) -> set[str]:
    ids = {u.pk: name for name, u in world.users.items()}
    return {ids[pk] for pk in get_user_model().objects.filter(is_active=True, pk__in=ids).values_list("pk", flat=True)}


def test_the_command_disables_accounts_unused_for_the_days_given(world: World) -> None:
    age(world, "manager_a", last_login_days=91)
    age(world, "intake_a", last_login_days=89)
    age(world, "auditor_a", last_login_days=None, joined_days=120)  # never signed in
    age(world, "admin_a", last_login_days=None, joined_days=10)  # new, not set up yet
    age(world, "superuser", last_login_days=500)
    browser, _ = sign_in("manager_a")  # a session open right now (it ends with the account)
    get_user_model().objects.filter(pk=world.users["manager_a"].pk).update(
        last_login=timezone.now() - timedelta(days=91)
    )
    out = StringIO()
    call_command("accounts", "disable-inactive", stdout=out)
    assert out.getvalue().splitlines()[-1] == "2 accounts unused for 90 days disabled."
    assert active(world) == set(world.users) - {"manager_a", "auditor_a"}
    events = AuditEvent.objects.filter(action="account.disabled_inactive").order_by("object_id")
    assert sorted((e.object_id, e.details["days"]) for e in events) == sorted(
        [(str(world.users["manager_a"].pk), 90), (str(world.users["auditor_a"].pk), 90)]
    )
    assert all(e.actor.startswith("cli:") for e in events)
    assert UserSession.objects.get(user=world.users["manager_a"]).end_reason == "inactive"
    assert browser.get("/clients/").status_code == 302


def test_a_dry_run_lists_and_changes_nothing(world: World) -> None:
    age(world, "manager_a", last_login_days=200)
    out = StringIO()
    call_command("accounts", "disable-inactive", "--dry-run", "--days", "30", stdout=out)
    assert out.getvalue().splitlines() == [
        "manager_a (last sign-in: " + (timezone.now() - timedelta(days=200)).strftime("%Y-%m-%d") + ")",
        "1 account unused for 30 days would be disabled.",
    ]
    assert "manager_a" in active(world)
    assert not AuditEvent.objects.filter(action="account.disabled_inactive").exists()


def test_zero_days_keeps_every_account(world: World, settings: object) -> None:
    settings.HEARTH_INACTIVE_DAYS = 0  # type: ignore[attr-defined]
    age(world, "manager_a", last_login_days=5000)
    out = StringIO()
    call_command("accounts", "disable-inactive", stdout=out)
    assert out.getvalue().strip() == "Inactive accounts are kept (HEARTH_INACTIVE_DAYS is 0)."
    assert active(world) == set(world.users)


def test_the_worker_housekeeping_disables_them_too(world: World) -> None:
    age(world, "intake_a", last_login_days=365)
    worker = Worker("housekeeper", poll=0, threaded=False)
    worker.run(burst=True)
    assert "intake_a" not in active(world)
    event = AuditEvent.objects.get(action="account.disabled_inactive")
    assert event.actor == "worker:housekeeper"
