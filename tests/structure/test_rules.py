"""HUD's project descriptor rules (HMIS Data Standards FY2026 2.02-2.09) as pure functions: no database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hearth.structure import rules


def project(**values: Any) -> dict[str, Any]:
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
    return {**base, **values}


def test_a_complete_shelter_breaks_no_rule() -> None:
    assert rules.project_problems(project()) == {}


def test_project_type_required_only_for_continuum_projects() -> None:
    assert rules.project_problems(project(project_type=None, housing_type=None)) == {
        "project_type": "Choose the project type: a Continuum project must have one."
    }
    assert rules.project_problems(project(project_type=None, housing_type=None, continuum_project=0)) == {}


def test_rrh_subtype_required_for_rrh_and_only_for_rrh() -> None:
    assert rules.project_problems(project(project_type=13, housing_type=None)) == {
        "rrh_sub_type": "Choose the RRH subtype: it is required for PH – Rapid Re-Housing."
    }
    assert rules.project_problems(project(rrh_sub_type=2)) == {
        "rrh_sub_type": "Leave the RRH subtype empty: it applies to PH – Rapid Re-Housing only."
    }
    assert rules.project_problems(project(project_type=13, rrh_sub_type=2, housing_type=3)) == {}


@pytest.mark.parametrize(
    ("project_type", "subtype", "housing", "asked"),
    [(6, None, None, True), (13, 1, None, True), (13, 2, 3, False), (0, None, 1, False), (4, None, None, False)],
)
def test_residential_affiliation_only_for_services_only(
    project_type: int, subtype: int | None, housing: int | None, asked: bool
) -> None:
    values = project(project_type=project_type, rrh_sub_type=subtype, housing_type=housing)
    if asked:
        assert set(rules.project_problems(values)) == {"residential_affiliation"}
        assert rules.project_problems({**values, "residential_affiliation": 0}) == {}
    else:
        assert rules.project_problems(values) == {}
        assert rules.project_problems({**values, "residential_affiliation": 1}) == {
            "residential_affiliation": "Leave residential affiliation empty: it applies to Services Only and RRH "
            "services-only projects only."
        }


def test_housing_type_required_for_residential_projects_and_rrh_housing() -> None:
    assert rules.project_problems(project(housing_type=None)) == {
        "housing_type": "Choose the housing type: it is required for residential projects."
    }
    assert set(rules.project_problems(project(project_type=13, rrh_sub_type=2, housing_type=None))) == {"housing_type"}
    assert rules.project_problems(project(project_type=4, housing_type=None)) == {}


def test_operating_end_on_or_after_start_and_pit_not_negative() -> None:
    assert rules.project_problems(project(operating_end_date=date(2023, 12, 31), pit_count=-1)) == {
        "operating_end_date": "The operating end date must be on or after the operating start date.",
        "pit_count": "The PIT count cannot be negative.",
    }
    assert rules.project_problems(project(operating_end_date=date(2024, 1, 1), pit_count=0)) == {}


def test_other_funder_named_for_and_only_for_funder_46() -> None:
    base = {"funder": 46, "other_funder": None, "start_date": date(2024, 1, 1), "end_date": None}
    assert rules.funder_problems(base) == {
        "other_funder": "Name the funding source: it is required for “Local or Other Funding Source”."
    }
    assert rules.funder_problems({**base, "other_funder": "County general fund"}) == {}
    assert rules.funder_problems({**base, "funder": 2, "other_funder": "County"}) == {
        "other_funder": "Leave “Other funder” empty unless the funder is “Local or Other Funding Source”."
    }
    assert rules.funder_problems({**base, "funder": 2, "end_date": date(2023, 1, 1)}) == {
        "end_date": "The grant end date must be on or after the grant start date."
    }


def test_project_coc_patterns() -> None:
    good = {"coc_code": "XX-501", "geocode": "123456", "state": "WA", "zip": "98101"}
    assert rules.project_coc_problems(good) == {}
    assert rules.project_coc_problems({"coc_code": "X-51", "geocode": "12345", "state": "Wash", "zip": "981"}) == {
        "coc_code": "Enter the CoC code as two letters, a hyphen and three digits (e.g. XX-501).",
        "geocode": "Enter the six-digit HUD geocode of the project's principal site.",
        "state": "Enter the state as its two-letter USPS abbreviation.",
        "zip": "Enter a five-digit ZIP code.",
    }


def inventory(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict.fromkeys(rules.BEDS_BY_POPULATION, 0)
    base.update(
        coc_code="XX-501",
        household_type=1,
        es_bed_type=1,
        availability=1,
        other_bed_inventory=10,
        bed_inventory=10,
        unit_inventory=10,
        inventory_start_date=date(2024, 1, 1),
        inventory_end_date=None,
    )
    return {**base, **values}


def test_inventory_of_a_shelter() -> None:
    assert rules.inventory_problems(inventory(), project_type=0, coc_codes=["XX-501"]) == {}
    assert rules.inventory_problems(
        inventory(es_bed_type=None, availability=None), project_type=1, coc_codes=["XX-501"]
    ) == {
        "es_bed_type": "Choose the bed type: it is required for emergency shelters.",
        "availability": "Choose the availability: it is required for emergency shelters.",
    }


def test_bed_type_and_availability_only_for_shelters() -> None:
    assert rules.inventory_problems(inventory(), project_type=2, coc_codes=["XX-501"]) == {
        "es_bed_type": "Leave the bed type empty: it applies to emergency shelters only.",
        "availability": "Leave the availability empty: it applies to emergency shelters only.",
    }


def test_inventory_counts_add_up_and_units_fit_in_beds() -> None:
    values = inventory(vet_bed_inventory=4, other_bed_inventory=5, bed_inventory=10, unit_inventory=12)
    assert rules.inventory_problems(values, project_type=0, coc_codes=["XX-501"]) == {
        "unit_inventory": "There cannot be more units than beds.",
        "bed_inventory": "Total beds (10) must equal the beds by population added together (9).",
    }
    assert rules.inventory_problems(inventory(ch_bed_inventory=-1), project_type=0, coc_codes=["XX-501"])[
        "ch_bed_inventory"
    ] == ("A count cannot be negative.")


def test_inventory_coc_and_dates_within_the_project() -> None:
    values = inventory(coc_code="YY-600", inventory_start_date=date(2023, 6, 1), inventory_end_date=date(2025, 1, 1))
    assert rules.inventory_problems(
        values,
        project_type=0,
        coc_codes=["XX-501"],
        operating_start=date(2024, 1, 1),
        operating_end=date(2024, 12, 31),
    ) == {
        "coc_code": "Choose one of the project's CoC codes (add the CoC under “Continuum of Care” first).",
        "inventory_start_date": "Inventory cannot start before the project's operating start date.",
        "inventory_end_date": "Inventory cannot end after the project's operating end date.",
    }
    assert rules.inventory_problems(inventory(), project_type=0, coc_codes=[]) == {
        "coc_code": "Add the project's Continuum of Care information first: inventory is recorded per CoC."
    }


def test_overlapping_periods() -> None:
    periods = [(date(2024, 1, 1), date(2024, 6, 30)), (date(2025, 1, 1), None)]
    assert rules.overlapping(date(2024, 7, 1), date(2024, 12, 31), periods) is None
    assert rules.overlapping(date(2024, 6, 30), None, periods) == (date(2024, 1, 1), date(2024, 6, 30))
    assert rules.overlapping(date(2030, 1, 1), None, periods) == (date(2025, 1, 1), None)


def test_hmis_participation_one_status_at_a_time() -> None:
    values = {"hmis_participation_status_start_date": date(2024, 3, 1), "hmis_participation_status_end_date": None}
    assert rules.hmis_participation_problems(values, others=[(date(2024, 1, 1), None)]) == {
        "hmis_participation_status_start_date": "This period overlaps another participation period (01/01/2024 to "
        "open-ended): a project has one status at a time. End the other period first."
    }
    ended = {**values, "hmis_participation_status_end_date": date(2024, 2, 1)}
    assert rules.hmis_participation_problems(ended) == {
        "hmis_participation_status_end_date": "The participation end date must be on or after its start date."
    }


def test_ce_access_point_says_which_services() -> None:
    values: dict[str, Any] = {
        "access_point": 1,
        "prevention_assessment": None,
        "crisis_assessment": 1,
        "housing_assessment": 0,
        "direct_services": 0,
        "ce_participation_status_start_date": date(2024, 1, 1),
        "ce_participation_status_end_date": None,
    }
    assert rules.ce_participation_problems(values) == {
        "prevention_assessment": "Answer for each service: it is required for a CE access point."
    }
    not_access_point = {**values, "access_point": 0, "prevention_assessment": None, "crisis_assessment": 1}
    assert rules.ce_participation_problems(not_access_point) == {
        "crisis_assessment": "Only a CE access point offers assessments or direct services."
    }


@pytest.mark.parametrize(
    ("res_type", "res_subtype", "ok"),
    [(0, None, True), (2, None, True), (13, 2, True), (13, 1, False), (4, None, False), (6, None, False)],
)
def test_affiliations_name_residential_projects(res_type: int, res_subtype: int | None, ok: bool) -> None:
    problems = rules.affiliation_problems(
        project_type=6,
        rrh_sub_type=None,
        residential_affiliation=1,
        res_project_type=res_type,
        res_rrh_sub_type=res_subtype,
    )
    assert (problems == {}) is ok


def test_affiliations_only_for_affiliated_services_only_projects() -> None:
    problems = rules.affiliation_problems(
        project_type=6, rrh_sub_type=None, residential_affiliation=0, res_project_type=0, res_rrh_sub_type=None
    )
    assert problems == {
        "res_project": "Only a services-only project that answered “Yes” to residential affiliation lists affiliated "
        "projects."
    }
