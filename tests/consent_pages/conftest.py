from __future__ import annotations

import pytest
from django.test import Client as Browser

from tests.web.personas import World, build_world


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser
