"""A request asks about several permissions; the grants are read once and each distinct scope resolved once."""

from __future__ import annotations

from typing import Any

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
