"""Profile panels: an area's section shows when its context says so and is hidden when it answers None."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client as Browser

from hearth.web import panels
from tests.web.personas import World


@pytest.fixture
def registered(settings: Any, tmp_path: Any) -> Iterator[list[str]]:
    template_dir = tmp_path / "templates"
    (template_dir / "test").mkdir(parents=True)
    (template_dir / "test" / "panel.html").write_text("<section>panel says {{ panel.word }}</section>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(template_dir)]}]
    seen: list[str] = []
    saved = dict(panels._PANELS)

    @panels.panel("test-shown", template="test/panel.html", order=1)
    def shown(request: Any, client: Any) -> dict[str, Any]:
        seen.append(client.first_name)
        return {"word": "hello"}

    @panels.panel("test-hidden", template="test/panel.html", order=2)
    def hidden(request: Any, client: Any) -> None:
        return None

    yield seen
    panels._PANELS.clear()
    panels._PANELS.update(saved)


def test_profile_draws_registered_panels_in_order(world: World, registered: list[str]) -> None:
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    response = browser.get(f"/clients/{world.clients['at_a'].pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("panel says") == 1
    assert "panel says hello" in response.content.decode()
    assert registered == [world.clients["at_a"].first_name]


def test_panels_are_not_asked_when_the_client_is_out_of_reach(world: World, registered: list[str]) -> None:
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    response = browser.get(f"/clients/{world.clients['at_b'].pk}/")
    assert response.status_code == 404
    assert registered == []
