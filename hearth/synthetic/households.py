"""People and the households they seek help in (DE 3.15 relationship to head of household).

About 70% of households are single adults, 20% families (one or two adults with children, now and then a
grandparent or another adult) and 10% unaccompanied youth (18-24, some minors 14-17, a few parenting youth).
A household keeps its members across all its stays. Person-level facts that stay put over the years are drawn
here: age, sex (DE 4.21), veteran status (DE 3.07), HIV/AIDS, and disabilities (DE 4.05-4.10) from which the
disabling condition (DE 3.08) follows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hearth.synthetic.streams import Streams, choice

SINGLE, FAMILY, YOUTH = 0, 1, 2
# Roles (the RelationshipToHoH a member gets, list 3.15.1).
HOH, CHILD, PARTNER, RELATIVE, NON_RELATION = 1, 2, 3, 4, 5
# Disability types (list 1.3) in the order of Disabilities rows.
DISABILITY_TYPES = (5, 6, 7, 8, 9, 10)
FEMALE, MALE = 0, 1


@dataclass
class Households:
    kind: np.ndarray  # SINGLE / FAMILY / YOUTH
    first_member: np.ndarray  # index of the head of household in the person arrays
    size: np.ndarray
    veteran: np.ndarray  # head of household is a veteran
    hiv: np.ndarray  # head of household has HIV/AIDS
    disabled: np.ndarray  # head of household has a disabling condition
    minor: np.ndarray  # head of household is under 18 (an unaccompanied minor)

    @property
    def count(self) -> int:
        return len(self.kind)

    @property
    def group(self) -> np.ndarray:
        """Eligibility group: kind x veteran x HIV (12 groups)."""
        return self.kind * 4 + self.veteran.astype(np.int64) * 2 + self.hiv.astype(np.int64)


@dataclass
class People:
    household: np.ndarray
    role: np.ndarray
    age_days: np.ndarray  # age on the household's first project start, in days
    sex: np.ndarray  # list 4.21
    veteran: np.ndarray  # list 1.8 for adults: 0, 1, 8, 9, 99 (children 99 or 0)
    disability: np.ndarray  # (people x 6) response: 1 yes, 0 no, -1 missing
    indefinite: np.ndarray  # (people x 6) long-continuing and impairing independence
    substance: np.ndarray  # list 4.10.2 response for substance use disorder
    missing_disability: np.ndarray  # 0, or 8 / 9 / 99 when the client did not answer
    disabling: np.ndarray  # DE 3.08 list 1.8

    @property
    def count(self) -> int:
        return len(self.household)


def _household_sizes(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    n = len(kind)
    family = choice(rng, [2, 3, 4, 5, 6, 7], [0.3, 0.3, 0.2, 0.11, 0.06, 0.03], n)
    youth = np.where(rng.random(n) < 0.08, 2, 1)
    return np.select([kind == FAMILY, kind == YOUTH], [family, youth], 1)


def build_people(persons: int, streams: Streams) -> tuple[Households, People]:
    rng = streams.rng("households")
    estimate = persons // 1.3 + 100
    kind = choice(rng, [SINGLE, FAMILY, YOUTH], [0.70, 0.20, 0.10], int(estimate))
    size = _household_sizes(rng, kind)
    while size.sum() < persons:  # tiny runs: draw more households until everyone has one
        more = choice(rng, [SINGLE, FAMILY, YOUTH], [0.70, 0.20, 0.10], len(kind))
        kind, size = np.concatenate([kind, more]), np.concatenate([size, _household_sizes(rng, more)])
    ends = np.cumsum(size)
    h_count = int(np.searchsorted(ends, persons) + 1)
    kind, size = kind[:h_count], size[:h_count].copy()
    size[-1] -= int(ends[h_count - 1] - persons)
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    household = np.repeat(np.arange(h_count), size)
    rank = np.arange(persons) - first[household]
    hkind = kind[household]

    role = _roles(rng, hkind, rank)
    age_years = _ages(rng, hkind, role, household, first)
    age_days = (age_years * 365.25 + rng.integers(0, 365, persons)).astype(np.int64) + 1
    sex = _sex(rng, hkind, role, household, first)
    adult = age_years >= 18
    veteran = _veterans(rng, hkind, role, age_years)
    disability, indefinite, substance, missing, disabling = _disabilities(rng, adult)
    hoh = first
    households = Households(
        kind=kind,
        first_member=first,
        size=size,
        veteran=veteran[hoh] == 1,
        hiv=disability[hoh, 3] == 1,
        disabled=disabling[hoh] == 1,
        minor=age_years[hoh] < 18,
    )
    people = People(household, role, age_days, sex, veteran, disability, indefinite, substance, missing, disabling)
    return households, people


def _roles(rng: np.random.Generator, hkind: np.ndarray, rank: np.ndarray) -> np.ndarray:
    n = len(rank)
    two_adults = rng.random(n) < 0.4
    other = choice(rng, [CHILD, RELATIVE, NON_RELATION], [0.93, 0.05, 0.02], n)
    role = np.where(rank == 0, HOH, np.where((rank == 1) & (hkind == FAMILY) & two_adults, PARTNER, other))
    # Members of a youth household besides the youth are their children.
    return np.where((hkind == YOUTH) & (rank > 0), CHILD, role)


def _ages(
    rng: np.random.Generator, hkind: np.ndarray, role: np.ndarray, household: np.ndarray, first: np.ndarray
) -> np.ndarray:
    n = len(role)
    single = np.clip(rng.normal(46, 12, n), 25, 84)
    youth = np.where(rng.random(n) < 0.15, rng.integers(14, 18, n), rng.integers(18, 25, n))
    family_head = np.clip(rng.normal(32, 8, n), 18, 62)
    hoh_age = np.select([hkind == SINGLE, hkind == FAMILY], [single, family_head], youth)
    head = hoh_age[first[household]]
    partner = np.clip(head + rng.normal(1, 4, n), 18, 80)
    youngest_parent_gap = np.maximum(head - 15, 0)
    child = rng.random(n) * np.minimum(np.where(hkind == YOUTH, 3, 18), youngest_parent_gap + 1)
    relative = rng.integers(45, 76, n)
    other = rng.integers(18, 61, n)
    age = np.select(
        [role == HOH, role == PARTNER, role == CHILD, role == RELATIVE], [hoh_age, partner, child, relative], other
    )
    return np.floor(age).astype(np.int64)


def _sex(
    rng: np.random.Generator, hkind: np.ndarray, role: np.ndarray, household: np.ndarray, first: np.ndarray
) -> np.ndarray:
    n = len(role)
    p_male = np.select([hkind == SINGLE, hkind == FAMILY], [0.7, 0.2], 0.55)
    sex = np.where(rng.random(n) < p_male, MALE, FEMALE)
    sex = np.where(role == CHILD, np.where(rng.random(n) < 0.5, MALE, FEMALE), sex)
    sex = np.where(role == PARTNER, 1 - sex[first[household]], sex)
    unknown = rng.random(n) < 0.02
    return np.where(unknown, choice(rng, [8, 9, 99], [0.2, 0.3, 0.5], n), sex)


def _veterans(rng: np.random.Generator, hkind: np.ndarray, role: np.ndarray, age: np.ndarray) -> np.ndarray:
    n = len(role)
    p = np.select([(role == HOH) & (hkind == SINGLE), role == HOH, role == PARTNER], [0.11, 0.04, 0.03], 0.005)
    veteran = np.where((rng.random(n) < p) & (age >= 20), 1, 0)
    missing = rng.random(n) < 0.015
    veteran = np.where(missing, choice(rng, [8, 9, 99], [0.3, 0.2, 0.5], n), veteran)
    # DE 3.07 is collected for adults; children carry 99 (most systems) or 0.
    return np.where(age < 18, np.where(rng.random(n) < 0.8, 99, 0), veteran)


def _disabilities(
    rng: np.random.Generator, adult: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n = len(adult)
    adult_rates = np.array([0.22, 0.05, 0.25, 0.015, 0.38, 0.28])
    child_rates = np.array([0.03, 0.06, 0.06, 0.002, 0.08, 0.01])
    rates = np.where(adult[:, None], adult_rates[None, :], child_rates[None, :])
    disability = (rng.random((n, 6)) < rates).astype(np.int64)
    indefinite = ((rng.random((n, 6)) < 0.7) & (disability == 1)).astype(np.int64)
    # Developmental disabilities and HIV/AIDS are disabling by definition (DE 3.08).
    indefinite[:, 1] = disability[:, 1]
    indefinite[:, 3] = disability[:, 3]
    substance = np.where(disability[:, 5] == 1, choice(rng, [1, 2, 3], [0.35, 0.35, 0.3], n), 0)
    missing = np.where(rng.random(n) < 0.03, choice(rng, [8, 9, 99], [0.25, 0.25, 0.5], n), 0)
    disability = np.where(missing[:, None] > 0, -1, disability)
    indefinite = np.where(missing[:, None] > 0, 0, indefinite)
    disabling = np.where(missing > 0, missing, (indefinite.sum(axis=1) > 0).astype(np.int64))
    return disability, indefinite, substance, missing, disabling
