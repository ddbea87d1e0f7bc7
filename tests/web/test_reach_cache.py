"""A request asks about several permissions; the grants are read once and each distinct scope resolved once."""

from __future__ import annotations

from typing import Any

from hearth.access.lookups import get_client_for, may_for_client
from hearth.access.roles import Permission
from hearth.access.scope import forget, reach
from tests.web.personas import World


def test_permissions_sharing_a_scope_cost_no_further_queries(world: World, django_assert_num_queries: Any) -> None:
    user = world.users["manager_a"]  # case manager at organization A
    with django_assert_num_queries(2):  # the grants, then the projects of organization A
        first = reach(user, Permission.VIEW_CLIENTS)
    with django_assert_num_queries(0):
        second = reach(user, Permission.ENROLL)
        none = reach(user, Permission.MANAGE_USERS)
    assert len(first.projects) >= 2
    assert first.projects == second.projects
    assert first.projects == {p.pk for key, p in world.projects.items() if key.startswith("a_")}
    assert none.empty
    forget(user)
    with django_assert_num_queries(2):
        reach(user, Permission.ENROLL)


def test_client_data_and_other_permissions_resolve_a_coc_apart(world: World, django_assert_num_queries: Any) -> None:
    lead = world.users["lead_a"]  # HMIS Lead of CoC A, which holds the victim service provider
    clients = reach(lead, Permission.VIEW_CLIENTS)
    projects = reach(lead, Permission.MANAGE_PROJECTS)
    assert world.orgs["v"].pk not in clients.organizations
    assert world.orgs["v"].pk in projects.organizations


def test_a_client_answer_is_shared_by_permissions_of_the_same_reach(
    world: World, django_assert_num_queries: Any
) -> None:
    user = world.users["manager_a"]
    at_a, at_b = world.clients["at_a"], world.clients["at_b"]
    assert get_client_for(user, at_a.pk).pk == at_a.pk
    with django_assert_num_queries(0):  # same reach as VIEW_CLIENTS for a case manager: answered already
        assert may_for_client(user, at_a.pk, Permission.EDIT_CLIENTS) is True
        assert may_for_client(user, at_a.pk, Permission.ENROLL) is True
        assert may_for_client(user, at_a.pk, Permission.VIEW_AUDIT) is False  # no reach: no query
    with django_assert_num_queries(1):
        assert may_for_client(user, at_b.pk, Permission.EDIT_CLIENTS) is False
    with django_assert_num_queries(0):
        assert may_for_client(user, at_b.pk, Permission.VIEW_CLIENTS) is False
    forget(user)
    # Grants, projects, the agency's sharing policy (hearth.consent.rules, once per request), then the client.
    with django_assert_num_queries(4):
        assert may_for_client(user, at_a.pk, Permission.EDIT_CLIENTS) is True
