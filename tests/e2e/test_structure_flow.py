"""The HMIS Lead adds a rapid re-housing project to an agency with everything HUD asks of it: CoC information,
a funder, inventory, HMIS and coordinated entry participation (HMIS Data Standards FY2026 2.02-2.09)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hearth.hmis.models import CEParticipation, Funder, HMISParticipation, Inventory, Project, ProjectCoC
from tests.e2e.conftest import check_accessibility
from tests.web.personas import PASSWORD, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world() -> World:
    return build_world()


def label(text: str) -> re.Pattern[str]:
    """A field's label (a required one ends with an asterisk)."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def test_add_a_project_with_its_descriptor_data(page: Any, world: World) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("lead_a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Agencies").click()
    page.get_by_role("heading", name="Agencies and projects").wait_for()
    check_accessibility(page, "structure-00-agencies")

    page.get_by_role("link", name="XX-500").click()
    page.get_by_role("heading", name="XX-500 Harbor City CoC").wait_for()
    check_accessibility(page, "structure-01-coc")
    page.get_by_role("link", name="Harbor House").click()
    page.get_by_role("heading", name="Harbor House", exact=True).wait_for()
    check_accessibility(page, "structure-02-organization")

    page.get_by_role("link", name="Add a project").click()
    page.get_by_label(label("Project name")).fill("Harbor Rapid Rehousing")
    page.get_by_label(label("Operating start date")).fill("2025-07-01")
    page.get_by_label(label("Project type")).select_option(label="PH – Rapid Re-Housing")
    # Inline validation: the subtype HUD requires for RRH is asked for at once, nothing typed is lost.
    page.get_by_text("Choose the RRH subtype: it is required for PH – Rapid Re-Housing.").wait_for()
    assert page.get_by_label(label("Project name")).input_value() == "Harbor Rapid Rehousing"
    check_accessibility(page, "structure-03-add-project-inline-check")
    page.get_by_label(label("RRH subtype")).select_option(label="RRH: Housing with or without services")
    page.get_by_label(label("Housing type")).select_option(label="Tenant-based – scattered site")
    page.get_by_label(label("Target population")).select_option(label="NA: Not applicable")
    page.get_by_role("button", name="Add the project").click()
    page.get_by_role("heading", name="Harbor Rapid Rehousing").wait_for()
    page.get_by_text("HUD data quality: 3 to fix").wait_for()  # CoC, funder, HMIS participation to add
    project = Project.objects.get(project_name="Harbor Rapid Rehousing")
    assert (project.project_type, project.rrh_sub_type, project.housing_type) == (13, 2, 3)

    page.get_by_role("link", name="Add CoC information").click()
    page.get_by_label(label("CoC code")).fill("XX-500")
    page.get_by_label(label("Geocode")).fill("531234")
    page.get_by_label(label("Geography type")).select_option(label="Urban")
    page.get_by_label(label("Address line 1")).fill("100 Harbor Way")
    page.get_by_label(label("City")).fill("Harbor City")
    page.get_by_label(label("State")).fill("WA")
    page.get_by_label(label("ZIP code")).fill("98101")
    check_accessibility(page, "structure-04-add-coc-information")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("CoC information added.").wait_for()

    page.get_by_role("link", name="Add a funder").click()
    page.get_by_label(label("Funder")).select_option(label="HUD: CoC – Rapid Re-Housing")
    page.get_by_label(label("Grant identifier")).fill("WA0123L0T002500")
    page.get_by_label(label("Grant start date")).fill("2025-07-01")
    check_accessibility(page, "structure-05-add-funder")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Funder added.").wait_for()

    page.get_by_role("link", name="Add inventory").click()
    page.get_by_label(label("CoC code")).select_option("XX-500")
    page.get_by_label(label("Household type")).select_option(label="Households with at least one adult and one child")
    page.get_by_label(label("Beds for other veterans")).fill("4")
    page.get_by_label(label("Other beds")).fill("20")
    page.get_by_label(label("Total beds")).fill("25")
    page.get_by_label(label("Total beds")).blur()  # a number is checked when the person leaves the field
    page.get_by_text("Total beds (25) must equal the beds by population added together (24).").wait_for()
    page.get_by_label(label("Total beds")).fill("24")
    page.get_by_label(label("Total units")).fill("8")
    page.get_by_label(label("Inventory start date")).fill("2025-07-01")
    check_accessibility(page, "structure-06-add-inventory")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Inventory added.").wait_for()

    page.get_by_role("link", name="Add HMIS participation").click()
    page.get_by_label(label("Participation type")).select_option(label="HMIS Participating")
    page.get_by_label(label("Start date")).fill("2025-07-01")
    check_accessibility(page, "structure-07-add-hmis-participation")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("HMIS participation added.").wait_for()

    page.get_by_role("link", name="Add CE participation").click()
    page.get_by_label(label("Access point")).select_option(label="No")
    page.get_by_label(label("Receives referrals")).select_option(label="Yes")
    page.get_by_label(label("Start date")).fill("2025-07-01")
    check_accessibility(page, "structure-08-add-ce-participation")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("CE participation added.").wait_for()
    # Everything HUD asks of the project is there: no data-quality list any more.
    assert page.get_by_text("HUD data quality").count() == 0
    check_accessibility(page, "structure-09-project")
    # On a phone: the same page, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(page, "structure-10-project-on-a-phone")

    assert list(ProjectCoC.objects.filter(project=project).values_list("coc_code", "geocode")) == [("XX-500", "531234")]
    assert list(Funder.objects.filter(project=project).values_list("funder", "grant_id")) == [(3, "WA0123L0T002500")]
    assert list(
        Inventory.objects.filter(project=project).values_list("bed_inventory", "unit_inventory", "vet_bed_inventory")
    ) == [(24, 8, 4)]
    assert HMISParticipation.objects.get(project=project).hmis_participation_type == 1
    ce = CEParticipation.objects.get(project=project)
    assert (ce.access_point, ce.receives_referrals, ce.prevention_assessment) == (0, 1, None)
