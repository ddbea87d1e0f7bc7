"""Which data elements are collected, of whom, when: HUD's collection rules as data.

The rules live in ``hearth/spec/data/<version>/collection.csv`` (one row per data element: its record type and
columns, its subjects, its collection points, and the funders and project types it applies to), as the HMIS
Data Standards Manual FY2026 states them for each element ("Funder: Program-Component", "Project Type
Applicability", "Data Collected About", "Collection Point"). This module only reads that table; no form is
written by hand. When FY2028 comes, a new table is a data change.

Applicability (the ``applies`` cell) is a list of clauses separated by ";", any of which makes the element
apply:

    all                                   every project, whatever its funders
    types 3 9 10 13                       projects of these types (list 2.02.6), whatever their funders
    funders 8 9 10 11 except types 1      a funder code (list 2.06.1) active on the date, but not for these types
    funders 33 types 12 13                a funder code, only for these project types

A project with no federal funder collects the universal data elements only (Manual, "Program Specific Data
Elements": they are required by the federal partner that funds the project).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from hearth import spec as hud_spec
from hearth.spec.loader import DATA

# HUD collection points, in the order an enrollment meets them. Slugs are used in URLs.
START, UPDATE, ANNUAL, EXIT, POST_EXIT = "start", "update", "annual", "exit", "post-exit"
STAGES = (START, UPDATE, ANNUAL, EXIT, POST_EXIT)
OCCURRENCE = "occurrence"

# List 5.03.1 DataCollectionStage (HMIS Data Standards FY2026 5.03 Data Collection Stage).
DATA_COLLECTION_STAGE = {START: 1, UPDATE: 2, EXIT: 3, ANNUAL: 5, POST_EXIT: 6}
STAGE_NAMES = {
    START: "Project start",
    UPDATE: "Update",
    ANNUAL: "Annual assessment",
    EXIT: "Project exit",
    POST_EXIT: "Post-exit",
}
STAGE_TITLES = {
    START: "Project start assessment",
    UPDATE: "Update assessment",
    ANNUAL: "Annual assessment",
    EXIT: "Project exit assessment",
    POST_EXIT: "Post-exit assessment",
}

# Who answers (collection.csv "subject"; the Manual's "Data Collected About").
SUBJECTS = frozenset({"all", "hoh", "hoh_adults", "adults"})
# Where the element is entered: the stage assessment, or another page that owns it.
COLLECTED_BY = frozenset({"assessment", "client", "enrollment", "services"})


@dataclass(frozen=True)
class Subject:
    """The person an assessment is about, as HUD's rules see them."""

    head_of_household: bool
    adult: bool

    def matches(self, kind: str) -> bool:
        if kind == "all":
            return True
        if kind == "hoh":
            return self.head_of_household
        if kind == "adults":
            return self.adult
        return self.head_of_household or self.adult  # hoh_adults


def age_on(dob: date | None, on: date) -> int | None:
    if dob is None:
        return None
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def subject_for(*, relationship_to_hoh: int | None, dob: date | None, entry_date: date) -> Subject:
    """Head of household is RelationshipToHoH 1 (3.15); an adult is 18 or older at project start (HMIS Data
    Standards Manual FY2026, "Data Collected About"). With no date of birth the person is treated as an adult,
    so that nothing HUD requires of adults goes unasked."""
    age = age_on(dob, entry_date)
    return Subject(head_of_household=relationship_to_hoh == 1, adult=age is None or age >= 18)


@dataclass(frozen=True)
class Clause:
    funders: frozenset[int] | None  # None: whatever the funders
    types: frozenset[int] | None  # None: any project type
    except_types: frozenset[int]

    def holds(self, project_type: int | None, funders: frozenset[int]) -> bool:
        if self.funders is not None and not (self.funders & funders):
            return False
        if self.types is not None and project_type not in self.types:
            return False
        return project_type not in self.except_types


@dataclass(frozen=True)
class Element:
    id: str  # HUD data element number: "4.02", "3.917", "R15"
    name: str
    record: str  # HMIS CSV record type the answers are written to
    columns: tuple[str, ...]
    fixed: Mapping[str, int]  # columns the element sets itself (Disabilities.DisabilityType)
    subject: str
    points: frozenset[str]
    clauses: tuple[Clause, ...]
    collected_by: str
    cite: str
    note: str

    @property
    def slug(self) -> str:
        return self.id.replace(".", "_")

    def collected_at(self, stage: str) -> bool:
        # Occurrence-point elements (3.20 move-in, PATH and BCP status) are recorded when they happen; Hearth
        # asks them on the project start and update assessments, where that happening is recorded.
        return stage in self.points or (OCCURRENCE in self.points and stage in (START, UPDATE))

    def applies_to(self, project_type: int | None, funders: frozenset[int]) -> bool:
        return any(clause.holds(project_type, funders) for clause in self.clauses)


def _ints(tokens: Iterable[str]) -> frozenset[int]:
    return frozenset(int(t) for t in tokens)


def parse_applies(text: str) -> tuple[Clause, ...]:
    clauses = []
    for part in text.split(";"):
        tokens = part.split()
        if tokens == ["all"]:
            clauses.append(Clause(None, None, frozenset()))
            continue
        sections: dict[str, list[str]] = {}
        current: str | None = None
        i = 0
        while i < len(tokens):
            word = tokens[i]
            if word == "except" and i + 1 < len(tokens) and tokens[i + 1] == "types":
                current, i = "except", i + 2
                sections[current] = []
                continue
            if word in ("funders", "types"):
                current, i = word, i + 1
                sections[current] = []
                continue
            if current is None or not word.isdigit():
                raise ValueError(f"collection.csv: cannot read applicability {part.strip()!r}")
            sections[current].append(word)
            i += 1
        if not sections:
            raise ValueError(f"collection.csv: empty applicability clause in {text!r}")
        clauses.append(
            Clause(
                funders=_ints(sections["funders"]) if "funders" in sections else None,
                types=_ints(sections["types"]) if "types" in sections else None,
                except_types=_ints(sections.get("except", [])),
            )
        )
    return tuple(clauses)


def _fixed(text: str) -> dict[str, int]:
    fixed = {}
    for pair in text.split():
        column, _, value = pair.partition("=")
        fixed[column] = int(value)
    return fixed


@cache
def load(version: str) -> tuple[Element, ...]:
    """Read and check a version's collection rules against its spec (columns and code lists exist)."""
    spec = hud_spec.get(version)
    elements = []
    with (DATA / version / "collection.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            element = Element(
                id=row["element"],
                name=row["name"],
                record=row["record"],
                columns=tuple(row["columns"].split()),
                fixed=_fixed(row["fixed"]),
                subject=row["subject"],
                points=frozenset(row["points"].split()),
                clauses=parse_applies(row["applies"]),
                collected_by=row["collected_by"],
                cite=row["cite"],
                note=row["note"],
            )
            rt = spec.record(element.record)
            for column in (*element.columns, *element.fixed):
                if column not in rt.by_name:
                    raise ValueError(f"collection.csv {element.id}: {element.record} has no column {column}")
            if element.subject not in SUBJECTS:
                raise ValueError(f"collection.csv {element.id}: unknown subject {element.subject!r}")
            if element.collected_by not in COLLECTED_BY:
                raise ValueError(f"collection.csv {element.id}: unknown collected_by {element.collected_by!r}")
            unknown = element.points - {*STAGES, OCCURRENCE}
            if unknown:
                raise ValueError(f"collection.csv {element.id}: unknown collection points {sorted(unknown)}")
            elements.append(element)
    return tuple(elements)


def all_elements() -> tuple[Element, ...]:
    return load(hud_spec.CURRENT)


def element(element_id: str) -> Element:
    for item in all_elements():
        if item.id == element_id:
            return item
    raise KeyError(element_id)


def elements_for(
    project: Any,
    funders: Iterable[int],
    stage: str,
    subject: Subject,
    *,
    collected_by: str | None = "assessment",
) -> tuple[Element, ...]:
    """The data elements HUD requires for this project (a ``Project`` or its ProjectType code), funders (list
    2.06.1 codes active on the information date), collection stage and subject — in HUD's element order.

    ``collected_by`` narrows to the elements a page collects ("assessment": the stage assessment form);
    None answers every element the rules name, wherever it is entered."""
    if stage not in STAGES:
        raise ValueError(f"unknown collection stage {stage!r}")
    project_type = getattr(project, "project_type", project)
    codes = frozenset(int(f) for f in funders)
    return tuple(
        e
        for e in all_elements()
        if (collected_by is None or e.collected_by == collected_by)
        and e.collected_at(stage)
        and subject.matches(e.subject)
        and e.applies_to(project_type, codes)
    )
