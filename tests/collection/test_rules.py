"""The collection-rules matrix: exact element lists for representative projects, stages and subjects
(HMIS Data Standards Manual FY2026, each element's funder, subject and collection-point tables)."""

from __future__ import annotations

from datetime import date

import pytest

from hearth.collection import rules
from hearth.collection.rules import Subject, elements_for, parse_applies, subject_for

HOH = Subject(head_of_household=True, adult=True)
ADULT = Subject(head_of_household=False, adult=True)
CHILD = Subject(head_of_household=False, adult=False)
YOUTH_HOH = Subject(head_of_household=True, adult=False)

DISABILITIES = ("4.05", "4.06", "4.07", "4.08", "4.09", "4.10")
COMMON = ("4.02", "4.03", "4.04", *DISABILITIES)


def ids(project_type: int, funders: set[int], stage: str, subject: Subject) -> tuple[str, ...]:
    return tuple(e.id for e in elements_for(project_type, funders, stage, subject))


CASES = [
    # ES night-by-night, no federal funder: universal data elements only.
    ("es_nbn", 1, set(), "start", HOH, ("3.08", "3.917")),
    ("es_nbn", 1, set(), "start", CHILD, ("3.08",)),
    ("es_nbn", 1, set(), "update", HOH, ()),
    ("es_nbn", 1, set(), "annual", HOH, ()),
    ("es_nbn", 1, set(), "exit", HOH, ()),
    # ESG-funded NbN shelter: 4.11 (all ESG components) but none of the NbN-excepted common elements.
    ("esg_nbn", 1, {8}, "start", ADULT, ("3.08", "3.917", "4.11")),
    ("esg_es", 0, {8}, "start", HOH, ("3.08", "3.917", *COMMON, "4.11")),
    # CoC permanent supportive housing.
    ("coc_psh", 3, {2}, "start", HOH, ("3.08", "3.917", "3.20", *COMMON, "4.11")),
    ("coc_psh", 3, {2}, "start", ADULT, ("3.08", "3.917", *COMMON, "4.11")),
    ("coc_psh", 3, {2}, "start", CHILD, ("3.08", "4.04", *DISABILITIES)),
    ("coc_psh", 3, {2}, "update", HOH, ("3.20", *COMMON, "4.11")),
    ("coc_psh", 3, {2}, "annual", HOH, ("4.02", "4.03", "4.04")),
    ("coc_psh", 3, {2}, "annual", CHILD, ("4.04",)),
    ("coc_psh", 3, {2}, "exit", HOH, COMMON),
    ("coc_psh", 3, {2}, "post-exit", HOH, ()),
    # CoC-funded coordinated entry is excepted from the common program-specific elements.
    ("coc_ce", 14, {4}, "start", HOH, ("3.08", "3.917")),
    # SSVF rapid re-housing and homelessness prevention.
    ("ssvf_rrh", 13, {33}, "start", HOH, ("3.08", "3.917", "3.20", *COMMON, "4.11", "V4", "V6")),
    ("ssvf_rrh", 13, {33}, "start", ADULT, ("3.08", "3.917", *COMMON, "4.11")),
    ("ssvf_rrh", 13, {33}, "exit", HOH, (*COMMON, "V10")),
    ("ssvf_hp", 12, {33}, "start", HOH, ("3.08", "3.917", *COMMON, "4.11", "V4", "V6", "V7")),
    # RHY street outreach: universal elements only; RHY transitional living: the RHY elements.
    ("rhy_so", 4, {25}, "start", YOUTH_HOH, ("3.08", "3.917")),
    ("rhy_so", 4, {25}, "exit", YOUTH_HOH, ()),
    (
        "rhy_tlp",
        2,
        {24},
        "start",
        YOUTH_HOH,
        ("3.08", "3.917", *COMMON, "R1", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13"),
    ),
    (
        "rhy_tlp",
        2,
        {24},
        "exit",
        YOUTH_HOH,
        (*COMMON, "R4", "R5", "R6", "R7", "R8", "R9", "R15", "R16", "R17", "R18", "R19"),
    ),
    ("rhy_tlp", 2, {24}, "post-exit", YOUTH_HOH, ("R20",)),
    (
        "rhy_bcp",
        0,
        {22},
        "start",
        YOUTH_HOH,
        ("3.08", "3.917", *COMMON, "R1", "R2", "R4", "R5", "R6", "R10", "R11", "R12", "R13"),
    ),
    # PATH street outreach.
    ("path_so", 4, {21}, "start", HOH, ("3.08", "3.917", *COMMON, "4.11", "P3", "P4")),
    ("path_so", 4, {21}, "annual", ADULT, ("4.02", "4.03", "4.04", "P4")),
    ("path_so", 4, {21}, "exit", HOH, (*COMMON, "P3", "P4")),
    # HOPWA permanent housing (facility based or TBRA).
    (
        "hopwa_ph",
        9,
        {15},
        "start",
        HOH,
        ("3.08", "3.917", "3.20", *COMMON[:3], "4.04.A", *DISABILITIES, "4.11", "W3", "W4", "W6"),
    ),
    ("hopwa_ph", 9, {15}, "annual", CHILD, ("4.04", "4.04.A", "W3", "W4", "W6")),
    ("hopwa_ph", 9, {15}, "exit", HOH, (*COMMON[:3], "4.04.A", *DISABILITIES, "W3", "W4", "W5", "W6")),
    # HUD-VASH and YHDP.
    ("vash", 3, {20}, "exit", HOH, (*COMMON, "V9")),
    ("yhdp_rrh", 13, {43}, "start", YOUTH_HOH, ("3.08", "3.917", "3.20", *COMMON, "4.11", "C3")),
    # Several funders: the union of what each requires.
    ("coc_and_ssvf", 13, {3, 33}, "start", HOH, ("3.08", "3.917", "3.20", *COMMON, "4.11", "V4", "V6")),
]


@pytest.mark.parametrize(
    ("case", "project_type", "funders", "stage", "subject", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[3]}-{'hoh' if c[4].head_of_household else ('adult' if c[4].adult else 'child')}" for c in CASES],
)
def test_matrix(
    case: str, project_type: int, funders: set[int], stage: str, subject: Subject, expected: tuple[str, ...]
) -> None:
    assert ids(project_type, funders, stage, subject) == expected


def test_every_element_names_its_record_and_a_citation() -> None:
    elements = rules.all_elements()
    assert len(elements) == 57
    assert all(e.cite.startswith("HMIS Data Standards Manual FY2026") for e in elements)
    assert [e.id for e in elements if e.collected_by == "client"] == ["3.01", "3.02", "3.03", "3.04", "3.07", "V1"]


def test_elements_entered_elsewhere_are_still_named_by_the_rules() -> None:
    everything = elements_for(4, {21}, "start", HOH, collected_by=None)
    assert [e.id for e in everything if e.collected_by != "assessment"] == [
        "3.01",
        "3.02",
        "3.03",
        "3.04",
        "3.07",
        "3.10",
        "3.15",
        "3.16",
        "4.12",
        "4.13",
    ]


def test_project_object_or_type_code() -> None:
    class Project:
        project_type = 3

    assert elements_for(Project(), {2}, "annual", HOH) == elements_for(3, {2}, "annual", HOH)


def test_unknown_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown collection stage"):
        elements_for(3, {2}, "intake", HOH)


def test_applicability_clauses() -> None:
    (esg,) = parse_applies("funders 8 9 10 11 except types 1")
    assert esg.holds(0, frozenset({8})) is True
    assert esg.holds(1, frozenset({8})) is False
    assert esg.holds(0, frozenset({2})) is False
    (ssvf,) = parse_applies("funders 33 types 12 13")
    assert (ssvf.holds(13, frozenset({33})), ssvf.holds(2, frozenset({33}))) == (True, False)
    (ph,) = parse_applies("types 3 9 10 13")
    assert (ph.holds(9, frozenset()), ph.holds(0, frozenset())) == (True, False)
    with pytest.raises(ValueError, match="cannot read applicability"):
        parse_applies("funders eight")


def test_subject_from_relationship_and_age_at_project_start() -> None:
    entry = date(2026, 5, 1)
    assert subject_for(relationship_to_hoh=1, dob=date(2010, 5, 2), entry_date=entry) == YOUTH_HOH
    assert subject_for(relationship_to_hoh=2, dob=date(2008, 5, 1), entry_date=entry) == ADULT
    assert subject_for(relationship_to_hoh=2, dob=date(2008, 5, 2), entry_date=entry) == CHILD
    # No date of birth: asked as an adult, so nothing HUD requires of adults goes unasked.
    assert subject_for(relationship_to_hoh=3, dob=None, entry_date=entry) == ADULT
