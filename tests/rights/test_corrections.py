"""Correction requests: recorded, decided with the changes made through the normal actions, listed for the
agency; every denial has no side effects (issue 4 §7b)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client as Browser
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.casework.clients import ClientData, update_client
from hearth.rights.corrections import CorrectionError, decide_correction_request, record_correction_request
from hearth.rights.models import CorrectionRequest, Outcome
from tests.web.personas import PERSONAS, World


def _browser(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


def _actor(world: World, persona: str) -> Actor:
    return Actor(user=world.users[persona], name=persona)


def _request(world: World, **overrides: object) -> CorrectionRequest:
    values: dict[str, object] = {
        "client": world.clients["at_a"],
        "organization": world.orgs["a"],
        "requested_on": date(2026, 1, 10),
        "elements": ["dob"],
        "request": "Date of birth should be 03/15/1987, not 03/14/1987.",
        "by": _actor(world, "manager_a"),
    }
    values.update(overrides)
    return record_correction_request(**values)  # type: ignore[arg-type]


def _data(client: object, **changes: object) -> ClientData:
    values: dict[str, object] = {
        "first_name": "Maria",
        "middle_name": None,
        "last_name": "Lopez",
        "name_suffix": None,
        "name_data_quality": 1,
        "ssn": None,
        "ssn_data_quality": 99,
        "dob": date(1987, 3, 14),
        "dob_data_quality": 1,
        "races": ["hispanic_latinao"],
        "sex": 0,
        "veteran_status": 0,
    }
    values.update(changes)
    return ClientData(**values)  # type: ignore[arg-type]


def test_recording_a_request_from_the_page(world: World) -> None:
    client = world.clients["at_a"]
    browser = _browser(world, "manager_a")
    assert browser.get(f"/clients/{client.pk}/corrections/new/").status_code == 200
    response = browser.post(
        f"/clients/{client.pk}/corrections/new/",
        {"requested_on": "2026-01-10", "elements": ["dob", "name"], "request": "DOB is 03/15/1987."},
    )
    found = CorrectionRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/corrections/{found.pk}/"
    assert (found.client_id, found.organization_id, found.requested_on) == (
        client.pk,
        world.orgs["a"].pk,
        date(2026, 1, 10),
    )
    assert found.elements == ["dob", "name"]
    assert found.request == "DOB is 03/15/1987."
    assert (found.taken_by_id, found.taken_by_name, found.outcome) == (
        world.users["manager_a"].pk,
        "manager_a",
        "pending",
    )
    event = AuditEvent.objects.get(action="correction.requested")
    # The request's words are personal data: never in the audit trail.
    assert event.details == {"client": client.pk, "organization": world.orgs["a"].pk, "elements": ["dob", "name"]}
    assert "03/15/1987" not in str(event.details)


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"requested_on": "2026-01-10", "elements": ["dob"], "request": "  "}, "request", "This field is required."),
        ({"requested_on": "2026-01-10", "request": "Wrong DOB."}, "elements", "This field is required."),
        (
            {"requested_on": "2026-01-10", "elements": ["shoe_size"], "request": "x"},
            "elements",
            "Select a valid choice.",
        ),
    ],
)
def test_bad_input_writes_nothing(world: World, form: dict[str, object], field: str, message: str) -> None:
    client = world.clients["at_a"]
    response = _browser(world, "manager_a").post(f"/clients/{client.pk}/corrections/new/", form)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert CorrectionRequest.objects.count() == 0
    assert not AuditEvent.objects.filter(action="correction.requested").exists()


def test_a_request_cannot_be_dated_in_the_future(world: World) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(CorrectionError) as raised:
        _request(world, requested_on=tomorrow)
    assert (raised.value.field, raised.value.message) == ("requested_on", "The request date cannot be in the future.")
    assert CorrectionRequest.objects.count() == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_record_a_request(world: World, persona: str) -> None:
    """Only staff who may correct the client, for an organization serving them (here: agency A's staff)."""
    client = world.clients["at_a"]
    browser = _browser(world, persona)
    form = {"requested_on": "2026-01-10", "elements": ["dob"], "request": "Wrong DOB."}
    allowed = persona in {"lead_a", "admin_a", "manager_a", "intake_a"}
    assert browser.get(f"/clients/{client.pk}/corrections/new/").status_code == (200 if allowed else 404)
    response = browser.post(f"/clients/{client.pk}/corrections/new/", form)
    assert response.status_code == (302 if allowed else 404)
    assert CorrectionRequest.objects.count() == (1 if allowed else 0)


def test_accepting_needs_the_change_made_first_and_keeps_its_audit_events(world: World) -> None:
    correction = _request(world)
    by = _actor(world, "manager_a")
    with pytest.raises(CorrectionError) as raised:
        decide_correction_request(
            correction=correction, outcome="accepted", reason="", decided_on=date(2026, 1, 11), by=by
        )
    assert raised.value.field == "outcome"
    correction.refresh_from_db()
    assert correction.outcome == Outcome.PENDING
    assert not AuditEvent.objects.filter(action="correction.decided").exists()

    update_client(client=world.clients["at_a"], data=_data(None, dob=date(1987, 3, 15)), by=by)
    change = AuditEvent.objects.get(action="client.updated")
    decided = decide_correction_request(
        correction=correction, outcome="accepted", reason="", decided_on=date(2026, 1, 11), by=by
    )
    assert (decided.outcome, decided.decided_on, decided.decided_by_name) == (
        "accepted",
        date(2026, 1, 11),
        "manager_a",
    )
    assert decided.changes == [change.pk]
    event = AuditEvent.objects.get(action="correction.decided")
    assert event.details == {"client": world.clients["at_a"].pk, "outcome": "accepted", "changes": [change.pk]}
    with pytest.raises(CorrectionError) as again:
        decide_correction_request(
            correction=correction, outcome="denied", reason="No.", decided_on=date(2026, 1, 12), by=by
        )
    assert again.value.message == "This request already has an outcome."


def test_a_denial_needs_a_reason(world: World) -> None:
    correction = _request(world)
    by = _actor(world, "manager_a")
    for outcome in ("denied", "partly"):
        with pytest.raises(CorrectionError) as raised:
            decide_correction_request(
                correction=correction, outcome=outcome, reason=" ", decided_on=date(2026, 1, 11), by=by
            )
        assert raised.value.field == "reason"
    with pytest.raises(CorrectionError) as early:
        decide_correction_request(
            correction=correction, outcome="denied", reason="x", decided_on=date(2026, 1, 9), by=by
        )
    assert early.value.message == "The decision cannot be dated before the request."
    decided = decide_correction_request(
        correction=correction,
        outcome="denied",
        reason="The birth certificate on file shows 03/14/1987.",
        decided_on=date(2026, 1, 11),
        by=by,
    )
    assert (decided.outcome, decided.reason, decided.changes) == (
        "denied",
        "The birth certificate on file shows 03/14/1987.",
        [],
    )


def test_deciding_from_the_page_and_who_may(world: World) -> None:
    correction = _request(world)
    form = {"outcome": "denied", "decided_on": "2026-01-11", "reason": "Matches the ID on file."}
    # The auditor reads the request, but may not decide it; agency B's and CoC B's staff do not see it at all.
    auditor = _browser(world, "auditor_a")
    page = auditor.get(f"/corrections/{correction.pk}/")
    assert page.status_code == 200
    assert page.context["form"] is None
    assert auditor.post(f"/corrections/{correction.pk}/", form).status_code == 404
    for persona in ("lead_b", "admin_v", "analyst_a", "nobody"):
        assert _browser(world, persona).get(f"/corrections/{correction.pk}/").status_code == 404
    correction.refresh_from_db()
    assert correction.outcome == Outcome.PENDING
    response = _browser(world, "manager_a").post(f"/corrections/{correction.pk}/", form)
    assert response.status_code == 302
    correction.refresh_from_db()
    assert (correction.outcome, correction.reason) == ("denied", "Matches the ID on file.")


def test_the_agency_list(world: World) -> None:
    mine = _request(world)
    done = _request(world, elements=["name"], request="Spell it Mariah.")
    decide_correction_request(
        correction=done,
        outcome="denied",
        reason="Spelling matches ID.",
        decided_on=date(2026, 1, 11),
        by=_actor(world, "manager_a"),
    )
    pending = _browser(world, "admin_a").get("/corrections/")
    assert pending.status_code == 200
    assert [c.pk for c in pending.context["page"].object_list] == [mine.pk]
    everything = _browser(world, "admin_a").get("/corrections/?outcome=all")
    assert [c.pk for c in everything.context["page"].object_list] == [mine.pk, done.pk]
    assert list(_browser(world, "lead_b").get("/corrections/?outcome=all").context["page"].object_list) == []
    assert _browser(world, "analyst_a").get("/corrections/").status_code == 404
    assert _browser(world, "nobody").get("/corrections/").status_code == 404


def test_the_profile_panel(world: World) -> None:
    correction = _request(world)
    client = world.clients["at_a"]
    page = _browser(world, "manager_a").get(f"/clients/{client.pk}/")
    shown = {p.name: p.context for p in page.context["panels"]}
    assert shown["rights"]["may_export"] is True
    assert shown["rights"]["may_request"] is True
    assert [c.pk for c in shown["rights"]["corrections"]] == [correction.pk]
    assert f"/corrections/{correction.pk}/".encode() in page.content
    auditor = _browser(world, "auditor_a").get(f"/clients/{client.pk}/")
    seen = {p.name: p.context for p in auditor.context["panels"]}
    assert seen["rights"]["may_export"] is False
    assert seen["rights"]["may_request"] is False
