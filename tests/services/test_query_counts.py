"""The roster and the profile's services, outreach, notes and documents panels read a fixed number of queries,
whatever the number of guests, services, contacts, notes and files."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from hearth.audit.actor import Actor
from hearth.casework.files import upload_file
from hearth.casework.notes import add_note
from hearth.casework.outreach import ContactData, record_contact
from hearth.casework.roster import check_in
from hearth.casework.services import ServiceData, record_service
from tests import factories as make
from tests.web.personas import World

START = date(2026, 3, 1)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def count(browser: Browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200
    return len(queries)


def roster_queries(world: World, guests: int) -> int:
    nbn = world.projects["a_nbn"]
    enrollments = [
        make.enrollment(
            make.client(f"Guest{n}", f"Person{n}", dob=date(1970, 1, 1 + n % 28)), nbn, entry=date(2026, 3, 1)
        )
        for n in range(guests)
    ]
    actor = Actor(user=world.users["manager_a"], name="manager_a")
    check_in(project=nbn, night=date(2026, 3, 4), enrollments=enrollments[::2], by=actor)
    for enrollment in enrollments[:3]:
        make.exit_(enrollment, on=date(2026, 3, 3))  # recent guests who left, offered again
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    browser.get("/")
    return count(browser, f"/projects/{nbn.pk}/roster/?night=2026-03-04")


def test_roster_queries_do_not_grow_with_guests(world: World) -> None:
    small = roster_queries(world, 5)
    large = roster_queries(world, 60)
    assert small == large


def _add_rows(world: World, first: int, last: int) -> None:
    client = world.clients["at_a_outreach"]
    enrollment = world.projects["a_outreach"].enrollments.get()
    actor = Actor(user=world.users["manager_a"], name="manager_a")
    for n in range(first, last):
        day = date(2026, 1, 6 + n)
        record_service(enrollment=enrollment, data=ServiceData(day, 141, 6), by=actor)
        record_contact(enrollment=enrollment, data=ContactData(day, 116, location_details=f"Spot {n}"), by=actor)
        add_note(client=client, organization=world.orgs["a"], text=f"Note {n}", contact_date=day, by=actor)
        upload_file(
            client=client,
            organization=world.orgs["a"],
            kind="other",
            name=f"doc{n}.png",
            size=len(PNG_BYTES),
            chunks=[PNG_BYTES],
            by=actor,
        )


def test_profile_panels_do_not_grow_with_rows(world: World) -> None:
    client = world.clients["at_a_outreach"]
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    browser.get("/")
    _add_rows(world, 0, 1)
    one = count(browser, f"/clients/{client.pk}/")
    _add_rows(world, 1, 25)
    many = count(browser, f"/clients/{client.pk}/")
    assert one == many
