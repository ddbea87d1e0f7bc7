"""Query counts of the household pages do not grow with the number of rows (households, members, reminders).

Counts compare the same page with few and many rows in one test (the absolute number also depends on what
other areas add to every page); session writes and savepoints are left out.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.casework.reminders import anniversary
from tests import factories as make
from tests.casework.conftest import Family
from tests.web.personas import World


def measure(browser: Browser, url: str, **headers: str) -> tuple[int, int]:
    """(reads, audit inserts) of one request."""
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url, headers=headers)
    assert response.status_code == 200
    sql = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" not in q["sql"] and not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    audits = sum(1 for s in sql if s.startswith("INSERT") and "audit_event" in s)
    # Each event's own statements (the hash chain's last link, the unusual-access count: hearth.audit) go with
    # its insert: they are the audit's cost, one set per event, not the page's reads.
    # On PostgreSQL each event first takes the chains' advisory lock (hearth.audit.chain.lock): one more.
    chained = sum(
        1 for s in sql if (not s.startswith("INSERT") and '"audit_event"' in s) or "pg_advisory_xact_lock" in s
    )
    return len(sql) - audits - chained, audits


def _browser(world: World) -> Browser:
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    browser.get("/")  # the session's first request loads the user; count steady-state requests
    return browser


def test_enrollment_page_reads_do_not_grow_with_members(world: World, family: Family) -> None:
    browser = _browser(world)
    head = make.enrollment(family.head, family.project, entry=date(2025, 1, 6), household="HBIG")
    alone = measure(browser, f"/enrollments/{head.pk}/")
    for n in range(6):
        person = make.client("Kid", f"Number{n}", dob=date(2010, 1, 1 + n))
        member = make.enrollment(person, family.project, entry=date(2025, 1, 6), household="HBIG", relationship=2)
        if n % 2:
            make.exit_(member, on=date(2025, 6, 1))
    seven = measure(browser, f"/enrollments/{head.pk}/")
    assert alone[1] == 2  # enrollment.viewed, and client.viewed for the one member
    assert seven == (alone[0], 8)  # the same reads; one client.viewed per member shown


def test_profile_panel_does_not_grow_with_households(world: World, family: Family) -> None:
    browser = _browser(world)
    url = f"/clients/{family.child.pk}/"
    none = measure(browser, url)
    make.enrollment(family.child, family.project, entry=date(2025, 1, 1), household="HP")
    one = measure(browser, url)
    for n in range(8):
        household = f"HP{n}"
        make.enrollment(family.child, family.project, entry=date(2025, 1, 2 + n), household=household, relationship=2)
        other = make.client("Adult", f"Number{n}", dob=date(1980, 1, 1 + n))
        make.enrollment(other, family.project, entry=date(2025, 1, 2 + n), household=household)
    nine = measure(browser, url)
    page = browser.get(url).content.decode()
    assert page.count('href="/enrollments/') >= 9
    assert none[1] == one[1] == nine[1] == 1
    # One enrollment or nine (each with another member): the same reads; the households panel reads the
    # client's enrollments, their households and the enroll permission once each.
    assert nine[0] == one[0]


def test_reminders_do_not_grow_with_rows(world: World, family: Family) -> None:
    today = timezone.localdate()
    browser = _browser(world)
    empty = measure(browser, "/reminders/", HX_Request="true")
    home = measure(browser, "/")
    for n in range(10):
        person = make.client("Kid", f"Number{n}", dob=anniversary(today - timedelta(days=n + 1), -18))
        make.enrollment(person, family.project, entry=anniversary(today, -1), household=f"HR{n}")
    full = measure(browser, "/reminders/", HX_Request="true")
    page = browser.get("/reminders/", headers={"HX-Request": "true"}).content.decode()
    assert page.count("<li>") == 20  # an annual assessment and a turned-18 reminder for each
    # Three more reads once there are candidates (heads' start dates, assessments recorded), none per row.
    assert full == (empty[0] + 2, 1)
    # The home page loads its reminders afterwards (htmx), so it reads nothing more with more rows.
    assert measure(browser, "/") == home
    assert home[1] == 0
