"""Unusual-access alerts: many distinct clients in an hour, bulk exports, a client with the user's own name; who
reads them (VIEW_AUDIT CoC-wide, per CoC) and acknowledging them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as Browser
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.alerts import same_person_name
from hearth.audit.log import record
from hearth.audit.models import AccessAlert, AuditEvent
from tests import factories as make
from tests.web.personas import PERSONAS, World


def view(world: World, persona: str, client_id: int) -> AuditEvent:
    return Actor(user=world.users[persona], name=persona).record(
        "client.viewed", object_type="Client", object_id=client_id
    )


@pytest.mark.parametrize(
    ("account", "client", "same"),
    [
        (("Maria", "Lopez"), ("maria", "LOPEZ"), True),
        (("José", "Núñez"), ("Jose", "Nunez"), True),  # accents
        (("Bob", "Smith"), ("Robert", "Smith"), True),  # a nickname and its formal name
        (("Maria", "Lopez"), ("Maria", "Lopes"), False),
        (("Maria", "Lopez"), ("Mario", "Lopez"), False),
        (("Maria", ""), ("Maria", ""), False),  # empty names never match
        (("Maria", "Lopez"), (None, "Lopez"), False),
    ],
)
def test_same_person_name(account: tuple[str, str], client: tuple[str | None, str], same: bool) -> None:
    assert same_person_name(account, client) is same


def test_many_distinct_clients_in_an_hour_raise_one_alert(world: World, settings: pytest.FixtureRequest) -> None:
    settings.HEARTH_ALERT_CLIENTS_PER_HOUR = 3  # type: ignore[attr-defined]
    a, b, c = (world.clients[k].pk for k in ("at_a", "at_a_outreach", "registered_a"))
    view(world, "manager_a", a)
    view(world, "manager_a", a)
    view(world, "manager_a", b)
    assert not AccessAlert.objects.exists()  # two distinct clients, however many views
    third = view(world, "manager_a", c)
    alert = AccessAlert.objects.get()
    assert (alert.kind, alert.actor_id, alert.actor, alert.event_id, alert.continuum_id) == (
        "many_clients",
        world.users["manager_a"].pk,
        "manager_a",
        third.pk,
        world.continuums["a"].pk,
    )
    assert alert.details == {"clients": 3, "threshold": 3, "minutes": 60}
    view(world, "manager_a", world.clients["at_b"].pk)  # still within the hour: no second alert
    assert AccessAlert.objects.count() == 1


def test_views_older_than_an_hour_do_not_count(
    world: World, settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.HEARTH_ALERT_CLIENTS_PER_HOUR = 2  # type: ignore[attr-defined]
    now = timezone.now()
    with monkeypatch.context() as earlier:  # audit rows cannot be changed afterwards: write this one in the past
        earlier.setattr(timezone, "now", lambda: now - timedelta(minutes=61))
        view(world, "manager_a", world.clients["at_a"].pk)
    view(world, "manager_a", world.clients["at_b"].pk)
    assert not AccessAlert.objects.exists()
    view(world, "manager_a", world.clients["at_a_outreach"].pk)  # two within the hour: now it counts
    assert AccessAlert.objects.get().details == {"clients": 2, "threshold": 2, "minutes": 60}


def test_viewing_a_client_with_the_users_name_raises_an_alert_without_any_name(world: World) -> None:
    user = world.users["manager_a"]
    user.first_name, user.last_name = "Bobby", "Carter"
    user.save()
    jim = world.clients["at_a_outreach"]  # James Carter: not the same first name
    view(world, "manager_a", jim.pk)
    assert not AccessAlert.objects.exists()
    namesake = make.client("Robert", "Carter")
    event = view(world, "manager_a", namesake.pk)
    alert = AccessAlert.objects.get()
    assert (alert.kind, alert.object_type, alert.object_id, alert.event_id, alert.details) == (
        "own_name",
        "Client",
        str(namesake.pk),
        event.pk,
        {},
    )
    view(world, "manager_a", namesake.pk)  # once a day per account and client
    assert AccessAlert.objects.count() == 1
    stored = str(list(AccessAlert.objects.values()))
    assert "Carter" not in stored
    assert "Robert" not in stored


def test_bulk_export_raises_an_alert_at_the_threshold(settings: pytest.FixtureRequest, db: None) -> None:
    settings.HEARTH_ALERT_EXPORT_CLIENTS = 10  # type: ignore[attr-defined]
    record("hmis.export", actor="cli:root", object_type="ExportRun", object_id=1, details={"counts": {"Client": 9}})
    assert not AccessAlert.objects.exists()
    event = record(
        "hmis.export", actor="cli:root", object_type="ExportRun", object_id=2, details={"counts": {"Client": 10}}
    )
    # Any other export states its count of clients the same way.
    record("report.exported", actor="cli:root", details={"exported_clients": 25})
    record("report.exported", actor="cli:root", details={"exported_clients": 3})
    record("report.exported", actor="cli:root", details={"exported_clients": "many"})  # malformed: no alert, no error
    alerts = list(AccessAlert.objects.order_by("pk").values_list("kind", "event_id", "details", "continuum_id"))
    assert alerts == [
        ("bulk_export", event.pk, {"clients": 10, "threshold": 10}, None),
        ("bulk_export", event.pk + 1, {"clients": 25, "threshold": 10}, None),
    ]


def _browser(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


# Who reads the alerts page: VIEW_AUDIT held CoC-wide.
READERS = {"lead_a", "auditor_a", "lead_b"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_alerts_page_matrix(world: World, persona: str, settings: pytest.FixtureRequest) -> None:
    settings.HEARTH_ALERT_CLIENTS_PER_HOUR = 1  # type: ignore[attr-defined]
    view(world, "manager_a", world.clients["at_a"].pk)  # an alert in CoC a
    alert = AccessAlert.objects.get()
    before = AuditEvent.objects.count()
    browser = _browser(world, persona)
    page = browser.get("/alerts/")
    summary = browser.get("/alerts/summary/")
    if persona not in READERS:
        assert (page.status_code, summary.status_code) == (404, 404)
        assert browser.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 404
        assert AccessAlert.objects.get().acknowledged_at is None
        assert AuditEvent.objects.count() == before
        return
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("private") or "no-store" in page["Cache-Control"]
    text = page.content.decode()
    if persona == "lead_b":  # another CoC's alert is not theirs
        assert "No open alerts." in text
        assert "1 unusual-access alert" not in summary.content.decode()
        assert browser.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 404
        assert AccessAlert.objects.get().acknowledged_at is None
        return
    assert "Many distinct clients opened in an hour · 1 clients (threshold 1)" in text
    assert f'href="/clients/{world.clients["at_a"].pk}/history/"' not in text  # a many-clients alert names no client
    assert "1 unusual-access alert to look at" in summary.content.decode()
    response = browser.post(f"/alerts/{alert.pk}/acknowledge/")
    assert (response.status_code, response["Location"]) == (302, "/alerts/")
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert (alert.acknowledged_by_id, alert.acknowledged_by) == (world.users[persona].pk, persona)
    event = AuditEvent.objects.get(action="alert.acknowledged")
    assert (event.object_type, event.object_id, event.details) == (
        "AccessAlert",
        str(alert.pk),
        {"kind": "many_clients"},
    )
    acknowledged_at = alert.acknowledged_at
    browser.post(f"/alerts/{alert.pk}/acknowledge/")  # twice: nothing changes
    alert.refresh_from_db()
    assert alert.acknowledged_at == acknowledged_at
    assert AuditEvent.objects.filter(action="alert.acknowledged").count() == 1
    assert "No open alerts." in browser.get("/alerts/summary/").content.decode()


def test_home_page_shows_the_alerts_part_to_readers_only(world: World) -> None:
    assert 'hx-get="/alerts/summary/"' in _browser(world, "lead_a").get("/").content.decode()
    assert 'hx-get="/alerts/summary/"' not in _browser(world, "manager_a").get("/").content.decode()
