from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from hearth.access.models import ClientOrigin
from hearth.audit.actor import Actor
from tests import factories as make
from tests.web.personas import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@dataclass
class Family:
    head: Any  # Maria Lopez, already enrolled in another project of the world (a_shelter)
    child: Any
    partner: Any
    project: Any  # Harbor Street Outreach would overlap nothing; families go to a new family shelter
    by: Actor


@pytest.fixture
def family(world: World) -> Family:
    """Three people agency A may enroll, and a family shelter of agency A operating in CoC XX-500."""
    child = make.client("Rosa", "Lopez", dob=date(2015, 6, 1))
    partner = make.client("Luis", "Lopez", dob=date(1985, 9, 9))
    for person in (child, partner):
        ClientOrigin.objects.create(client=person, organization=world.orgs["a"])
    project = make.project("Harbor Family Shelter", world.orgs["a"], project_type=1)
    user = world.users["manager_a"]
    return Family(world.clients["at_a"], child, partner, project, Actor(user=user, name=user.username, ip="10.0.0.1"))
