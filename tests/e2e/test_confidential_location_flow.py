"""An agency administrator makes a DV shelter's address confidential; the HMIS Lead then sees the project
without it (docs/adr/0013-victim-service-and-dv.md). Each page scanned by axe-core (WCAG 2.1 AA) and, with
HEARTH_SCREENSHOTS set, photographed for the user guide."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.structure.models import ConfidentialAddress
from tests.e2e.conftest import check_accessibility
from tests.vsp.world import project_coc
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world() -> World:
    w = build_world()
    project_coc(w.projects["a_shelter"], address="12 Open Street", city="Harbor City", zip_code="90001")
    return w


def sign_in(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_agency_makes_its_shelter_address_confidential(page: Any, world: World) -> None:
    shelter = world.projects["a_shelter"]
    sign_in(page, "admin_a")
    page.goto(f"/structure/projects/{shelter.pk}/")
    page.get_by_role("heading", name="Address confidentiality").wait_for()
    page.get_by_role("button", name="Make the address confidential").click()
    page.get_by_text("The project's address is now confidential").wait_for()
    page.get_by_text("12 Open Street").first.wait_for()  # the agency still sees it
    check_accessibility(page, "confidential-01-own-agency")
    assert ConfidentialAddress.objects.filter(project=shelter).count() == 1

    page.context.clear_cookies()
    sign_in(page, "lead_a")
    page.goto(f"/structure/projects/{shelter.pk}/")
    page.get_by_text("Confidential location").wait_for()
    assert page.get_by_text("12 Open Street").count() == 0
    check_accessibility(page, "confidential-02-hmis-lead")
