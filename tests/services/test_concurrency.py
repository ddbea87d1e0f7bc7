"""On PostgreSQL: two staff checking the same guest in at the same moment write one bed night (4.14: one per
client per night per project), because check_in locks the enrollments it writes for."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from hearth.audit.actor import Actor
from hearth.casework.roster import CheckIn, check_in
from hearth.hmis.models import Services
from tests.web.personas import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite serializes writers anyway)")


def test_simultaneous_check_ins_write_one_bed_night(world: World) -> None:
    project, guest = world.projects["a_nbn"], world.enrollments["guest_1"]  # type: ignore[attr-defined]
    barrier = threading.Barrier(2)
    results: list[CheckIn] = []
    errors: list[BaseException] = []

    def door(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            actor = Actor(user=world.users[name], name=name)
            results.append(check_in(project=project, night=date(2026, 3, 4), enrollments=[guest], by=actor))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=door, args=(name,)) for name in ("manager_a", "intake_a")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted((r.created, r.already) for r in results) == [([], [guest.pk]), ([guest.pk], [])]
    assert Services.objects.filter(record_type=200, date_deleted__isnull=True).count() == 1
