"""Search through the guard: only visible clients, and the results carry what the page shows without further
queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.access.client_search import search_clients_for
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.hmis.models import Client
from hearth.search import SearchQuery
from hearth.search.index import rebuild
from tests.web.personas import CAN_VIEW, PERSONAS, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    world = build_world()
    return world


@pytest.mark.parametrize("persona", PERSONAS)
def test_search_finds_only_visible_clients(world: World, persona: str) -> None:
    rebuild()
    seen = set()
    for name, client in world.clients.items():
        query = SearchQuery(first=client.first_name, last=client.last_name, dob=client.dob)
        if client.pk in {f.client.pk for f in search_clients_for(world.users[persona], query).found}:
            seen.add(name)
    assert seen == CAN_VIEW[persona]


def test_results_carry_what_the_page_shows_in_two_statements(world: World) -> None:
    rebuild()
    user = world.users["lead_a"]
    reach(user, Permission.VIEW_CLIENTS)  # as on a page: the menu has computed it for this request
    target = world.clients["at_a"]
    query = SearchQuery(first=target.first_name, last=target.last_name, dob=target.dob)
    with CaptureQueriesContext(connection) as queries:
        results = search_clients_for(user, query)
        shown = [(f.client.pk, f.client.last_name, f.client.first_name, f.client.dob) for f in results.found]
    # The candidates, then the visible ones with the fields shown: nothing per candidate or result.
    assert len(queries) == 2
    assert shown == [(target.pk, target.last_name, target.first_name, target.dob)]


def test_a_deleted_client_in_a_stale_index_is_not_shown(world: World) -> None:
    rebuild()
    client = world.clients["at_a"]
    Client.objects.filter(pk=client.pk).update(date_deleted=timezone.now())  # the index is not updated
    query = SearchQuery(first=client.first_name, last=client.last_name, dob=client.dob)
    assert search_clients_for(world.users["lead_a"], query).found == []
