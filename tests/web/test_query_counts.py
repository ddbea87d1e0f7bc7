"""Query counts of the busiest pages stay fixed, whatever the number of results (no per-row queries)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from hearth.search.index import rebuild
from tests import factories as make
from tests.web.personas import World


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


def count(browser: Browser, method: str, url: str, data: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(browser, method)(url, data or {})
    assert response.status_code == 200
    # On PostgreSQL each audit event first takes the chains' advisory lock (hearth.audit.chain.lock); SQLite
    # serializes writers by itself. Counted as the event's cost, the same on both, not the page's.
    return sum(1 for q in queries.captured_queries if "pg_advisory_xact_lock" not in q["sql"])


@pytest.mark.parametrize("extra", [0, 12])
def test_search_and_profile_queries_do_not_grow_with_rows(world: World, extra: int) -> None:
    shelter = world.projects["a_shelter"]
    target = world.clients["at_a"]
    for n in range(extra):
        namesake = make.client("Maria", "Lopez", dob=date(1987, 3, 14 + n % 10))
        make.enrollment(namesake, shelter)
        make.enrollment(target, shelter, entry=date(2024, 1, 1 + n))
    rebuild()
    browser = browser_for(world, "manager_a")
    browser.get("/")  # the session's first request loads the user; count steady-state requests
    # 15: the page's own queries plus the navigation's reach checks (the user's role grants are read once per
    # request, whatever the number of permissions asked) and the agency's sharing policy (read once per request:
    # hearth.consent.rules); none grows with the number of results. +1: the audit event's link in the hash chain
    # (the last event's hash, hearth.audit.chain).
    assert count(browser, "post", "/clients/", {"q": "Maria Lopez"}) == 16
    # The page and its panels (households, assessments, services, outreach, notes, documents): fixed, whatever
    # the number of rows (each panel also asserts its own in tests/services and the other areas' tests).
    # 28, the sharing policy, the client-rights panel (its correction requests, and whether the user administers
    # them), and the client.viewed event's link in the hash chain and its unusual-access count (distinct clients
    # this account opened in the hour: hearth.audit.alerts).
    assert count(browser, "get", f"/clients/{target.pk}/") == 33
