"""Search through the guard: the reach evaluated inside the search's statement agrees with ``reach`` for every
persona and permission, and the results carry what the page shows without further queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.access.client_search import search_clients_for
from hearth.access.lookups import clients_for, clients_for_one_statement
from hearth.access.roles import Permission
from hearth.access.scope import reach, reach_query
from hearth.hmis.models import Client, Project
from hearth.search import SearchQuery
from hearth.search.index import rebuild
from tests import factories as make
from tests.web.personas import CAN_VIEW, PERSONAS, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    world = build_world()
    # A deleted project of a reached organization and a project grant's organization: edges of the reach.
    gone = make.project("Closed Shelter", world.orgs["a"])
    Project.objects.filter(pk=gone.pk).update(date_deleted=timezone.now())
    return world


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("permission", list(Permission))
def test_the_reach_as_subqueries_agrees_with_reach(world: World, persona: str, permission: Permission) -> None:
    user = world.users[persona]
    scope = reach(user, permission)
    subqueries = reach_query(user, permission)
    assert subqueries is not None
    assert set(subqueries.projects.values_list("pk", flat=True)) == set(scope.projects)
    assert set(subqueries.origin_organizations.values_list("pk", flat=True)) == set(scope.origin_organizations)
    assert set(clients_for_one_statement(user, permission)) == set(clients_for(user, permission))


def test_the_reach_as_subqueries_has_nothing_for_anonymous_or_inactive_users(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert reach_query(AnonymousUser(), Permission.VIEW_CLIENTS) is None
    assert reach_query(None, Permission.VIEW_CLIENTS) is None
    manager = world.users["manager_a"]
    manager.is_active = False
    assert reach_query(manager, Permission.VIEW_CLIENTS) is None
    assert list(clients_for_one_statement(manager)) == []


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
    target = world.clients["at_a"]
    query = SearchQuery(first=target.first_name, last=target.last_name, dob=target.dob)
    with CaptureQueriesContext(connection) as queries:
        results = search_clients_for(user, query)
        shown = [(f.client.pk, f.client.last_name, f.client.first_name, f.client.dob) for f in results.found]
    # The candidates, then the visible ones with the fields shown, the reach evaluated inside that statement
    # (from the role assignments): no reach queries first, nothing per result.
    assert len(queries) == 2
    assert "access_role_assignment" in queries[1]["sql"]
    assert shown == [(target.pk, target.last_name, target.first_name, target.dob)]


def test_a_deleted_client_in_a_stale_index_is_not_shown(world: World) -> None:
    rebuild()
    client = world.clients["at_a"]
    Client.objects.filter(pk=client.pk).update(date_deleted=timezone.now())  # the index is not updated
    query = SearchQuery(first=client.first_name, last=client.last_name, dob=client.dob)
    assert search_clients_for(world.users["lead_a"], query).found == []
