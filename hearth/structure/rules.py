"""HUD's rules for project descriptor data, as pure functions over plain values (no database).

Each takes the values a form collected (model field names) and answers ``{field: message}`` for every rule
broken, so the same rules serve the pages, the actions and their tests. The rules are those the HMIS CSV
FY2026 column notes and conditions state (hearth/spec/data/fy2026/conditions.csv), cited per rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

Problems = dict[str, str]

# HMIS Data Standards FY2026 2.02.6 Project Type (list 2.02.6).
ES_ENTRY_EXIT, ES_NIGHTLY, TH, PSH, STREET_OUTREACH, SERVICES_ONLY = 0, 1, 2, 3, 4, 6
SAFE_HAVEN, PH_HOUSING_ONLY, PH_WITH_SERVICES, RRH = 8, 9, 10, 13
EMERGENCY_SHELTER = frozenset({ES_ENTRY_EXIT, ES_NIGHTLY})
# 2.02.A RRH subtype: 1 services only, 2 housing with or without services.
RRH_SERVICES_ONLY, RRH_HOUSING = 1, 2
# 2.02.D Housing type is collected for residential projects (conditions.csv, Project.HousingType).
RESIDENTIAL = frozenset({ES_ENTRY_EXIT, ES_NIGHTLY, TH, PSH, SAFE_HAVEN, PH_HOUSING_ONLY, PH_WITH_SERVICES})
# 2.02.C Affiliated residential project: ResProjectID names a project of one of these types (RRH only
# with subtype 2: housing).
AFFILIATABLE = RESIDENTIAL | {RRH}
FUNDER_OTHER = 46  # 2.06.1 "Local or Other Funding Source (Please Specify)"
YES = 1

COC_CODE = re.compile(r"^[A-Z]{2}-[0-9]{3}$")
GEOCODE = re.compile(r"^[0-9]{6}$")
STATE = re.compile(r"^[A-Z]{2}$")
ZIP = re.compile(r"^[0-9]{5}$")

# 2.07.7-2.07.13: the beds of an inventory record by population; they do not overlap, and together they
# are the record's total beds (2.07.14).
BEDS_BY_POPULATION = (
    "ch_vet_bed_inventory",
    "youth_vet_bed_inventory",
    "vet_bed_inventory",
    "ch_youth_bed_inventory",
    "youth_bed_inventory",
    "ch_bed_inventory",
    "other_bed_inventory",
)


def _ends_before_start(start: date | None, end: date | None) -> bool:
    return start is not None and end is not None and end < start


def has_residential_affiliation_question(project_type: int | None, rrh_sub_type: int | None) -> bool:
    """2.02.B applies to services-only projects: Services Only (6) and RRH services only (13 with 2.02.A = 1)."""
    return project_type == SERVICES_ONLY or (project_type == RRH and rrh_sub_type == RRH_SERVICES_ONLY)


def project_problems(values: Mapping[str, Any]) -> Problems:
    """HMIS Data Standards FY2026 2.02 Project Information."""
    problems: Problems = {}
    kind = values.get("project_type")
    subtype = values.get("rrh_sub_type")
    # 2.02.6: Project Type may be empty only for a project that is not a Continuum project (2.02.5 = No).
    if kind is None and values.get("continuum_project") == YES:
        problems["project_type"] = "Choose the project type: a Continuum project must have one."
    # 2.02.A RRH subtype: required for, and only for, PH – Rapid Re-Housing.
    if kind == RRH and subtype is None:
        problems["rrh_sub_type"] = "Choose the RRH subtype: it is required for PH – Rapid Re-Housing."
    if kind != RRH and subtype is not None:
        problems["rrh_sub_type"] = "Leave the RRH subtype empty: it applies to PH – Rapid Re-Housing only."
    # 2.02.B Affiliated with a residential project: required for, and only for, services-only projects.
    affiliated = values.get("residential_affiliation")
    if has_residential_affiliation_question(kind, subtype):
        if affiliated is None:
            problems["residential_affiliation"] = (
                "Answer whether the project is affiliated with a residential project: "
                "it is required for Services Only and RRH services-only projects."
            )
    elif affiliated is not None:
        problems["residential_affiliation"] = (
            "Leave residential affiliation empty: it applies to Services Only and RRH services-only projects only."
        )
    # 2.02.D Housing type: required for residential projects and RRH housing (subtype 2).
    if values.get("housing_type") is None and (kind in RESIDENTIAL or (kind == RRH and subtype == RRH_HOUSING)):
        problems["housing_type"] = "Choose the housing type: it is required for residential projects."
    # 2.02.4: the operating end date is on or after the start date.
    if _ends_before_start(values.get("operating_start_date"), values.get("operating_end_date")):
        problems["operating_end_date"] = "The operating end date must be on or after the operating start date."
    pit = values.get("pit_count")
    if pit is not None and pit < 0:
        problems["pit_count"] = "The PIT count cannot be negative."
    return problems


def funder_problems(values: Mapping[str, Any]) -> Problems:
    """HMIS Data Standards FY2026 2.06 Funding Sources."""
    problems: Problems = {}
    other = (values.get("other_funder") or "").strip()
    # 2.06.A: the other funder is named for, and only for, "Local or Other Funding Source" (46).
    if values.get("funder") == FUNDER_OTHER and not other:
        problems["other_funder"] = "Name the funding source: it is required for “Local or Other Funding Source”."
    if values.get("funder") != FUNDER_OTHER and other:
        problems["other_funder"] = "Leave “Other funder” empty unless the funder is “Local or Other Funding Source”."
    # 2.06.4: the grant ends on or after it starts.
    if _ends_before_start(values.get("start_date"), values.get("end_date")):
        problems["end_date"] = "The grant end date must be on or after the grant start date."
    return problems


def project_coc_problems(values: Mapping[str, Any]) -> Problems:
    """HMIS Data Standards FY2026 2.03 Continuum of Care Information (HMIS CSV ProjectCoC patterns)."""
    problems: Problems = {}
    if not COC_CODE.match(values.get("coc_code") or ""):
        problems["coc_code"] = "Enter the CoC code as two letters, a hyphen and three digits (e.g. XX-501)."
    if not GEOCODE.match(values.get("geocode") or ""):
        problems["geocode"] = "Enter the six-digit HUD geocode of the project's principal site."
    state = values.get("state")
    if state and not STATE.match(state):
        problems["state"] = "Enter the state as its two-letter USPS abbreviation."
    zip_code = values.get("zip")
    if zip_code and not ZIP.match(zip_code):
        problems["zip"] = "Enter a five-digit ZIP code."
    return problems


def inventory_problems(
    values: Mapping[str, Any],
    *,
    project_type: int | None,
    coc_codes: Iterable[str],
    operating_start: date | None = None,
    operating_end: date | None = None,
) -> Problems:
    """HMIS Data Standards FY2026 2.07 Bed and Unit Inventory Information."""
    problems: Problems = {}
    codes = set(coc_codes)
    # 2.07.3: the inventory's CoC is one the project operates in (a ProjectCoC record of the same project).
    if values.get("coc_code") not in codes:
        problems["coc_code"] = (
            "Choose one of the project's CoC codes (add the CoC under “Continuum of Care” first)."
            if codes
            else "Add the project's Continuum of Care information first: inventory is recorded per CoC."
        )
    shelter = project_type in EMERGENCY_SHELTER
    # 2.07.5 bed type and 2.07.6 availability: collected for, and only for, emergency shelters.
    for name, label in (("es_bed_type", "bed type"), ("availability", "availability")):
        if shelter and values.get(name) is None:
            problems[name] = f"Choose the {label}: it is required for emergency shelters."
        if not shelter and values.get(name) is not None:
            problems[name] = f"Leave the {label} empty: it applies to emergency shelters only."
    counts = {name: values.get(name) for name in (*BEDS_BY_POPULATION, "bed_inventory", "unit_inventory")}
    for name, count in counts.items():
        if count is not None and count < 0:
            problems[name] = "A count cannot be negative."
    beds, units = counts["bed_inventory"], counts["unit_inventory"]
    # 2.07.14-15: no more units than beds (HUD's Eva check 138).
    if beds is not None and units is not None and units > beds and "unit_inventory" not in problems:
        problems["unit_inventory"] = "There cannot be more units than beds."
    # 2.07.7-2.07.13 add up to 2.07.14.
    by_population = sum(counts[name] or 0 for name in BEDS_BY_POPULATION)
    if beds is not None and beds >= 0 and by_population != beds and "bed_inventory" not in problems:
        problems["bed_inventory"] = (
            f"Total beds ({beds}) must equal the beds by population added together ({by_population})."
        )
    start, end = values.get("inventory_start_date"), values.get("inventory_end_date")
    # 2.07.1-2: inventory is available within the project's operating period, and ends after it starts.
    if start is not None and operating_start is not None and start < operating_start:
        problems["inventory_start_date"] = "Inventory cannot start before the project's operating start date."
    if _ends_before_start(start, end):
        problems["inventory_end_date"] = "The inventory end date must be on or after the inventory start date."
    elif end is not None and operating_end is not None and end > operating_end:
        problems["inventory_end_date"] = "Inventory cannot end after the project's operating end date."
    return problems


def overlapping(
    start: date, end: date | None, others: Iterable[tuple[date, date | None]]
) -> tuple[date, date | None] | None:
    """The first of ``others`` whose period shares a day with [start, end] (an open end runs on), if any."""
    for other_start, other_end in others:
        starts_before_other_ends = other_end is None or start <= other_end
        other_starts_before_end = end is None or other_start <= end
        if starts_before_other_ends and other_starts_before_end:
            return other_start, other_end
    return None


def _period_problems(
    start: date | None, end: date | None, others: Iterable[tuple[date, date | None]], *, what: str
) -> Problems:
    problems: Problems = {}
    if _ends_before_start(start, end):
        problems["end_date"] = f"The {what} end date must be on or after its start date."
    elif start is not None:
        clash = overlapping(start, end, others)
        if clash is not None:
            until = clash[1].strftime("%m/%d/%Y") if clash[1] else "open-ended"
            problems["start_date"] = (
                f"This period overlaps another {what} period ({clash[0]:%m/%d/%Y} to {until}): "
                "a project has one status at a time. End the other period first."
            )
    return problems


def hmis_participation_problems(
    values: Mapping[str, Any], *, others: Iterable[tuple[date, date | None]] = ()
) -> Problems:
    """HMIS Data Standards FY2026 2.08 HMIS Participation Status: one status at a time, end after start."""
    found = _period_problems(
        values.get("hmis_participation_status_start_date"),
        values.get("hmis_participation_status_end_date"),
        others,
        what="participation",
    )
    names = {
        "start_date": "hmis_participation_status_start_date",
        "end_date": "hmis_participation_status_end_date",
    }
    return {names[key]: message for key, message in found.items()}


CE_ASSESSMENTS = ("prevention_assessment", "crisis_assessment", "housing_assessment", "direct_services")


def ce_participation_problems(
    values: Mapping[str, Any], *, others: Iterable[tuple[date, date | None]] = ()
) -> Problems:
    """HMIS Data Standards FY2026 2.09 Coordinated Entry Participation Status."""
    problems: Problems = {}
    access_point = values.get("access_point")
    # 2.09.A: an access point says which services it offers (each 0 or 1); other projects leave them empty.
    for name in CE_ASSESSMENTS:
        if access_point == YES and values.get(name) is None:
            problems[name] = "Answer for each service: it is required for a CE access point."
        if access_point != YES and values.get(name) not in (None, 0):
            problems[name] = "Only a CE access point offers assessments or direct services."
    found = _period_problems(
        values.get("ce_participation_status_start_date"),
        values.get("ce_participation_status_end_date"),
        others,
        what="CE participation",
    )
    names = {"start_date": "ce_participation_status_start_date", "end_date": "ce_participation_status_end_date"}
    problems.update({names[key]: message for key, message in found.items()})
    return problems


def affiliation_problems(
    *,
    project_type: int | None,
    rrh_sub_type: int | None,
    residential_affiliation: int | None,
    res_project_type: int | None,
    res_rrh_sub_type: int | None,
    same_project: bool = False,
) -> Problems:
    """HMIS Data Standards FY2026 2.02.C Affiliated residential project (HMIS CSV Affiliation)."""
    problems: Problems = {}
    if not has_residential_affiliation_question(project_type, rrh_sub_type) or residential_affiliation != YES:
        problems["res_project"] = (
            "Only a services-only project that answered “Yes” to residential affiliation lists affiliated projects."
        )
    elif same_project:
        problems["res_project"] = "A project cannot be affiliated with itself."
    elif res_project_type not in AFFILIATABLE or (res_project_type == RRH and res_rrh_sub_type != RRH_HOUSING):
        problems["res_project"] = (
            "Choose a residential project: emergency shelter, transitional or permanent housing, safe haven, "
            "or RRH housing."
        )
    return problems
