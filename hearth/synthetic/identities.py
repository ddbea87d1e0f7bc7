"""Identifying data of each Client record: name (DE 3.01), SSN (DE 3.02), DOB (DE 3.03), with data quality.

SSNs are clearly synthetic: area numbers 900-999 are never issued by the Social Security Administration. Data
quality codes drive nulls: a name, SSN or DOB the client did not give (8, 9) or that was not collected (99) is
empty; a partial name lacks its last name; a partial SSN keeps its last four digits; an approximate DOB is the
first of January of the year of birth. Duplicate records (duplicates.py) start from these and vary them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hearth.synthetic import names
from hearth.synthetic.households import FEMALE, People
from hearth.synthetic.streams import Streams, choice
from hearth.synthetic.timeline import NO_DATE


@dataclass
class ClientRecords:
    """Client record fields (one entry per record; duplicate records vary these)."""

    person: np.ndarray
    first: np.ndarray
    middle: np.ndarray
    last: np.ndarray
    suffix: np.ndarray
    name_quality: np.ndarray
    ssn: np.ndarray
    ssn_quality: np.ndarray
    dob: np.ndarray
    dob_quality: np.ndarray

    def take(self, rows: np.ndarray) -> ClientRecords:
        return ClientRecords(**{k: getattr(self, k)[rows] for k in self.__dataclass_fields__})


def identities(people: People, dob: np.ndarray, streams: Streams) -> ClientRecords:
    """Each person's own record: name, SSN and DOB with their data quality."""
    rng = streams.rng("identities")
    n = people.count
    female = people.sex == FEMALE
    first = names.first_names(rng, np.where(np.isin(people.sex, (0, 1)), female, rng.random(n) < 0.5))
    middle_full = names.first_names(rng, female)
    u = rng.random(n)
    middle = np.select([u < 0.4, u < 0.65], [middle_full, np.strings.slice(middle_full, 0, 1)], "")
    last = names.surnames(rng, n)
    head = _heads(people)
    shares_name = rng.random(n) < 0.75
    last = np.where(shares_name, last[head], last)
    suffix = np.where(
        (people.sex == 1) & (rng.random(n) < 0.03), names.SUFFIXES[rng.choice(5, n, p=names.SUFFIX_WEIGHTS)], ""
    )
    name_quality = choice(rng, [1, 2, 8, 9, 99], [0.94, 0.03, 0.008, 0.007, 0.015], n)
    partial = name_quality == 2
    last = np.where(partial & (rng.random(n) < 0.7), "", last)
    no_name = np.isin(name_quality, (8, 9, 99))
    first, middle, last, suffix = (np.where(no_name, "", x) for x in (first, middle, last, suffix))

    area = rng.integers(900, 1000, n)
    group = rng.integers(1, 100, n)
    serial = rng.integers(1, 10000, n)
    number = (area * 1_000_000 + group * 10_000 + serial).astype(str)
    ssn_quality = choice(rng, [1, 2, 8, 9, 99], [0.8, 0.04, 0.05, 0.04, 0.07], n)
    partial_ssn = np.char.add("xxxxx", np.strings.slice(number, 5, 9))
    ssn = np.select([ssn_quality == 1, ssn_quality == 2], [number, partial_ssn], "")

    dob_quality = choice(rng, [1, 2, 8, 9, 99], [0.95, 0.025, 0.008, 0.007, 0.01], n)
    january_first = dob.astype("datetime64[D]").astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    recorded = np.select([dob_quality == 1, dob_quality == 2], [dob, january_first], NO_DATE)
    return ClientRecords(
        np.arange(n), first, middle, last, suffix, name_quality, ssn, ssn_quality, recorded, dob_quality
    )


def _heads(people: People) -> np.ndarray:
    """For each person, the index of their household's head (the first member)."""
    starts = np.flatnonzero(np.r_[True, people.household[1:] != people.household[:-1]])
    return starts[np.searchsorted(starts, np.arange(people.count), side="right") - 1]
