"""What a project's descriptor data still lacks or gets wrong, HUD's way (HMIS Data Standards FY2026
2.02-2.09): shown on the project page, so records imported from another system, or entered before a rule
applied, are found and fixed. Pure: it reads only the records the page has already loaded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hearth.structure.rules import (
    BEDS_BY_POPULATION,
    YES,
    funder_problems,
    inventory_problems,
    project_coc_problems,
    project_problems,
)

_PROJECT_FIELDS = (
    "continuum_project",
    "project_type",
    "rrh_sub_type",
    "residential_affiliation",
    "housing_type",
    "operating_start_date",
    "operating_end_date",
    "pit_count",
)

_INVENTORY_FIELDS = (
    *BEDS_BY_POPULATION,
    "bed_inventory",
    "unit_inventory",
    "coc_code",
    "es_bed_type",
    "availability",
    "inventory_start_date",
    "inventory_end_date",
)


@dataclass(frozen=True)
class Issue:
    section: str  # the page section (and URL kind) the issue belongs to
    message: str
    record_pk: int | None = None  # the record to edit, if one


def _values(record: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


def descriptor_issues(
    project: Any,
    *,
    project_cocs: Sequence[Any],
    funders: Sequence[Any],
    inventories: Sequence[Any],
    hmis_participations: Sequence[Any],
) -> list[Issue]:
    issues = [Issue("information", message) for message in project_problems(_values(project, _PROJECT_FIELDS)).values()]
    if project.continuum_project == YES and not project_cocs:
        issues.append(Issue("cocs", "Add the CoC the project operates in (2.03): a Continuum project needs one."))
    if not funders:
        issues.append(Issue("funders", "Add the project's funding source (2.06)."))
    if not hmis_participations:
        issues.append(Issue("hmis-participation", "Record the project's HMIS participation (2.08)."))
    for row in project_cocs:
        values = _values(row, ("coc_code", "geocode", "state", "zip"))
        issues += [Issue("cocs", f"{row.coc_code}: {m}", row.pk) for m in project_coc_problems(values).values()]
    for row in funders:
        values = _values(row, ("funder", "other_funder", "start_date", "end_date"))
        issues += [
            Issue("funders", f"Funder {row.grant_id or row.pk}: {m}", row.pk) for m in funder_problems(values).values()
        ]
    codes = [row.coc_code for row in project_cocs]
    for row in inventories:
        found = inventory_problems(
            _values(row, _INVENTORY_FIELDS),
            project_type=project.project_type,
            coc_codes=codes,
            operating_start=project.operating_start_date,
            operating_end=project.operating_end_date,
        )
        start = row.inventory_start_date.strftime("%m/%d/%Y") if row.inventory_start_date else "no start date"
        issues += [Issue("inventory", f"Inventory from {start}: {m}", row.pk) for m in found.values()]
    return issues
