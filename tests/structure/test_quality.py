"""The project page's HUD data-quality list, computed from records already loaded (no database)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from django.test import Client as Browser

from hearth.hmis.models import Inventory
from hearth.structure.quality import Issue, descriptor_issues
from hearth.structure.rules import BEDS_BY_POPULATION
from tests.web.personas import World


def shelter(**values: Any) -> SimpleNamespace:
    base: dict[str, Any] = {
        "continuum_project": 1,
        "project_type": 0,
        "rrh_sub_type": None,
        "residential_affiliation": None,
        "housing_type": 1,
        "operating_start_date": date(2024, 1, 1),
        "operating_end_date": None,
        "pit_count": None,
    }
    return SimpleNamespace(**{**base, **values})


def inventory(**values: Any) -> SimpleNamespace:
    row = SimpleNamespace(
        pk=7,
        coc_code="XX-500",
        es_bed_type=1,
        availability=1,
        bed_inventory=10,
        unit_inventory=5,
        other_bed_inventory=10,
        inventory_start_date=date(2024, 1, 1),
        inventory_end_date=None,
        **{n: 0 for n in BEDS_BY_POPULATION if n != "other_bed_inventory"},
    )
    for name, value in values.items():
        setattr(row, name, value)
    return row


COC = SimpleNamespace(pk=3, coc_code="XX-500", geocode="531234", state="WA", zip="98101")
FUNDER = SimpleNamespace(pk=4, funder=8, other_funder=None, grant_id="G1", start_date=date(2024, 1, 1), end_date=None)


def test_a_complete_project_has_no_issues() -> None:
    assert (
        descriptor_issues(
            shelter(), project_cocs=[COC], funders=[FUNDER], inventories=[inventory()], hmis_participations=[object()]
        )
        == []
    )


def test_what_a_new_project_still_lacks() -> None:
    assert descriptor_issues(
        shelter(housing_type=None), project_cocs=[], funders=[], inventories=[], hmis_participations=[]
    ) == [
        Issue("information", "Choose the housing type: it is required for residential projects."),
        Issue("cocs", "Add the CoC the project operates in (2.03): a Continuum project needs one."),
        Issue("funders", "Add the project's funding source (2.06)."),
        Issue("hmis-participation", "Record the project's HMIS participation (2.08)."),
    ]


def test_imported_records_that_break_rules_are_named() -> None:
    issues = descriptor_issues(
        shelter(project_type=2),
        project_cocs=[SimpleNamespace(pk=3, coc_code="XX-500", geocode=None, state=None, zip=None)],
        funders=[
            SimpleNamespace(
                pk=4, funder=46, other_funder=None, grant_id=None, start_date=date(2024, 1, 1), end_date=None
            )
        ],
        inventories=[inventory(bed_inventory=12)],
        hmis_participations=[object()],
    )
    assert issues == [
        Issue("cocs", "XX-500: Enter the six-digit HUD geocode of the project's principal site.", 3),
        Issue("funders", "Funder 4: Name the funding source: it is required for “Local or Other Funding Source”.", 4),
        Issue(
            "inventory",
            "Inventory from 01/01/2024: Leave the bed type empty: it applies to emergency shelters only.",
            7,
        ),
        Issue(
            "inventory",
            "Inventory from 01/01/2024: Leave the availability empty: it applies to emergency shelters only.",
            7,
        ),
        Issue(
            "inventory",
            "Inventory from 01/01/2024: Total beds (12) must equal the beds by population added together (10).",
            7,
        ),
    ]


def test_the_project_page_lists_them(world: World) -> None:
    browser = Browser()
    browser.force_login(world.users["admin_a"])
    project = world.projects["a_shelter"]  # made without housing type, CoC, funder or participation
    response = browser.get(f"/structure/projects/{project.pk}/")
    assert [issue.section for issue in response.context["issues"]] == [
        "information",
        "cocs",
        "funders",
        "hmis-participation",
    ]
    page = response.content.decode()
    assert "HUD data quality: 4 to fix" in page
    assert f'href="/structure/projects/{project.pk}/edit/">Edit project information</a>' in page
    assert not Inventory.objects.exists()
