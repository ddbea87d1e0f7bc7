"""Values for the structure tests: complete, valid descriptor data a test changes one field of."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from hearth.structure.descriptors import (
    CEParticipationData,
    FunderData,
    HMISParticipationData,
    InventoryData,
    ProjectCoCData,
)
from hearth.structure.projects import ProjectData

SHELTER = ProjectData(
    project_name="Harbor Family Shelter",
    project_common_name=None,
    operating_start_date=date(2024, 1, 1),
    operating_end_date=None,
    continuum_project=1,
    project_type=0,
    rrh_sub_type=None,
    residential_affiliation=None,
    housing_type=1,
    target_population=4,
    hopwa_med_assisted_living_fac=2,
    pit_count=None,
)
FUNDER = FunderData(funder=8, other_funder=None, grant_id="ESG-24-001", start_date=date(2024, 1, 1), end_date=None)
PROJECT_COC = ProjectCoCData(
    coc_code="XX-500",
    geocode="531234",
    address1="100 Harbor Way",
    address2=None,
    city="Harbor City",
    state="WA",
    zip="98101",
    geography_type=1,
)
INVENTORY = InventoryData(
    coc_code="XX-500",
    household_type=3,
    availability=1,
    es_bed_type=1,
    unit_inventory=10,
    bed_inventory=30,
    ch_vet_bed_inventory=0,
    youth_vet_bed_inventory=0,
    vet_bed_inventory=5,
    ch_youth_bed_inventory=0,
    youth_bed_inventory=0,
    ch_bed_inventory=5,
    other_bed_inventory=20,
    inventory_start_date=date(2024, 1, 1),
    inventory_end_date=None,
)
HMIS_PARTICIPATION = HMISParticipationData(
    hmis_participation_type=1,
    hmis_participation_status_start_date=date(2024, 1, 1),
    hmis_participation_status_end_date=None,
)
CE_PARTICIPATION = CEParticipationData(
    access_point=1,
    prevention_assessment=0,
    crisis_assessment=1,
    housing_assessment=1,
    direct_services=0,
    receives_referrals=1,
    ce_participation_status_start_date=date(2024, 1, 1),
    ce_participation_status_end_date=None,
)


def changed(data: Any, **values: Any) -> Any:
    return replace(data, **values)


def form_values(data: Any) -> dict[str, str]:
    """The data as a browser posts it."""
    posted: dict[str, str] = {}
    for name, value in vars(data).items():
        if value is None:
            posted[name] = ""
        elif isinstance(value, date):
            posted[name] = value.isoformat()
        else:
            posted[name] = str(value)
    return posted
