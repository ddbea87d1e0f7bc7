"""A victim service provider keeps its own client records: it cannot attach its enrollment to a person another
agency serves, and its staff's audit events about a shared record stay out of other agencies' history pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as Browser

from hearth.access.victim_service import (
    ComparableDatabaseError,
    check_comparable_database,
    hidden_actors,
    vsp_only_clients_q,
)
from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.casework.enrollments import HouseholdError, enroll_household
from hearth.casework.households import add_member
from hearth.hmis.models import Client, Enrollment
from tests.vsp.world import VspWorld

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int]:
    return Enrollment.objects.count(), AuditEvent.objects.count()


def test_vsp_only_clients(vw: VspWorld) -> None:
    c = vw.w.clients
    found = set(Client.objects.filter(vsp_only_clients_q()).values_list("pk", flat=True))
    assert found == {c["at_v"].pk, c["registered_v"].pk}


def test_vsp_cannot_enroll_another_agencys_client(vw: VspWorld) -> None:
    w = vw.w
    by = Actor(user=vw.user("admin_v"), name="admin_v")
    before = counts()
    with pytest.raises(HouseholdError) as refused:
        enroll_household(
            project=w.projects["v_shelter"], entry_date=date(2026, 3, 1), members=[(w.clients["both"], 1)], by=by
        )
    assert refused.value.message_dict == {"members": [ComparableDatabaseError.message]}
    assert counts() == before


def test_vsp_enrolls_its_own_client(vw: VspWorld) -> None:
    w = vw.w
    by = Actor(user=vw.user("admin_v"), name="admin_v")
    enrolled = enroll_household(
        project=w.projects["v_shelter"], entry_date=date(2026, 3, 1), members=[(w.clients["registered_v"], 1)], by=by
    )
    assert [e.client_id for e in enrolled.enrollments] == [w.clients["registered_v"].pk]


def test_vsp_cannot_add_another_agencys_client_to_a_household(vw: VspWorld) -> None:
    w = vw.w
    by = Actor(user=vw.user("admin_v"), name="admin_v")
    before = counts()
    with pytest.raises(HouseholdError) as refused:
        add_member(
            household_of=vw.enrollments["at_v"],
            client=w.clients["both"],
            relationship=2,
            entry_date=date(2026, 3, 1),
            by=by,
        )
    assert refused.value.message_dict == {"client": [ComparableDatabaseError.message]}
    assert counts() == before


def test_other_agencies_enroll_as_before(vw: VspWorld) -> None:
    # The rule binds VSP projects only: A enrolls a client the VSP also serves (A already serves them).
    w = vw.w
    check_comparable_database(w.projects["a_shelter"], [w.clients["both"].pk])
    check_comparable_database(w.projects["v_shelter"], [w.clients["at_v"].pk, w.clients["registered_v"].pk])


def test_history_hides_vsp_staff_events_from_other_agencies(vw: VspWorld) -> None:
    w = vw.w
    both = w.clients["both"]
    Actor(user=w.users["admin_v"], name="admin_v").record("client.viewed", object_type="Client", object_id=both.pk)
    Actor(user=w.users["admin_a"], name="admin_a").record("client.viewed", object_type="Client", object_id=both.pk)
    assert hidden_actors(vw.user("lead_a")) == {w.users["admin_v"].pk}
    assert hidden_actors(vw.user("admin_v")) == frozenset()

    def actors(persona: str) -> list[str]:
        browser = Browser()
        browser.force_login(w.users[persona])
        response = browser.get(f"/clients/{both.pk}/history/")
        assert response.status_code == 200
        return sorted(event.actor for event, _ in response.context["rows"] if event.action == "client.viewed")

    assert actors("lead_a") == ["admin_a"]
    assert actors("admin_a") == ["admin_a"]
    assert actors("admin_v") == ["admin_a", "admin_v"]
