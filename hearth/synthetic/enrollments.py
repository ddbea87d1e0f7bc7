"""Enrollments (DE 3.10 project start, 3.15 relationship, 3.16 client location, 3.20 move-in, 4.13 engagement).

Every member of a household is enrolled in each of the household's stays, under one HouseholdID that names that
stay only (DE 5.09) and with exactly one head of household. Now and then a child joins the household's stay
later or leaves it earlier, always within the head of household's stay. Housing move-in (PSH, other PH and RRH)
falls within the stay; members who join after move-in move in on the day they join.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hearth.synthetic.households import HOH, Households, People
from hearth.synthetic.paths import Episodes
from hearth.synthetic.projects import ES_NBN, MOVE_IN_TYPES, RRH, SO, Projects
from hearth.synthetic.streams import Streams, lognormal_days
from hearth.synthetic.timeline import NO_DATE, Period, years_between


@dataclass
class Enrollments:
    """One row per client per household stay, in EnrollmentID order (EnrollmentID = index + 1)."""

    episode: np.ndarray
    person: np.ndarray
    relationship: np.ndarray
    entry: np.ndarray
    exit: np.ndarray  # NO_DATE: still enrolled at the end of the period
    move_in: np.ndarray
    engagement: np.ndarray
    project: np.ndarray
    ptype: np.ndarray
    household_id: np.ndarray
    coc: np.ndarray  # index into COC_CODES
    age: np.ndarray  # whole years at project start
    record: np.ndarray  # Client record (PersonalID) used; filled in by the duplicates step

    @property
    def count(self) -> int:
        return len(self.person)

    @property
    def hoh(self) -> np.ndarray:
        return self.relationship == HOH

    @property
    def adult(self) -> np.ndarray:
        return self.age >= 18

    @property
    def exited(self) -> np.ndarray:
        return self.exit != NO_DATE

    def last_day(self, period: Period) -> np.ndarray:
        """The exit date, or the period's last day for stayers."""
        return np.where(self.exited, self.exit, period.end)

    def take(self, rows: np.ndarray | slice) -> Enrollments:
        return Enrollments(**{name: getattr(self, name)[rows] for name in self.__dataclass_fields__})


def episode_order(episodes: Episodes) -> np.ndarray:
    return np.lexsort((episodes.household, episodes.entry))


def build_enrollments(
    episodes: Episodes,
    households: Households,
    people: People,
    projects: Projects,
    dob: np.ndarray,
    period: Period,
    streams: Streams,
) -> Enrollments:
    rng = streams.rng("enrollments")
    order = episode_order(episodes)
    h = episodes.household[order]
    size = households.size[h]
    episode = np.repeat(order, size)
    rank = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
    person = households.first_member[episodes.household[episode]] + rank
    n = len(person)
    entry = episodes.entry[episode].copy()
    exit_day = episodes.exit[episode].copy()
    ptype = episodes.ptype[episode]
    relationship = people.role[person].copy()
    relationship = np.where((relationship != HOH) & (rng.random(n) < 0.003), 99, relationship)

    # A member joining later or leaving earlier, within the head of household's stay (at least one night in
    # a night-by-night shelter, which records stays as bed nights).
    last = np.where(exit_day == NO_DATE, period.end, exit_day)
    span = last - entry
    member = relationship != HOH
    joins = member & (span >= 4) & (rng.random(n) < 0.04)
    entry = np.where(joins, entry + 1 + np.floor(rng.random(n) * (span - 2)).astype(np.int64), entry)
    leaves = member & (rng.random(n) < 0.03) & (last - entry >= 3)
    early = entry + 1 + np.floor(rng.random(n) * (last - entry - 2)).astype(np.int64)
    exit_day = np.where(leaves, early, exit_day)

    move_in = _move_in(rng, episodes, order, size, entry, exit_day, relationship, period)
    engagement = _engagement(rng, ptype, entry, exit_day, period)
    project = episodes.project[episode]
    coc = projects.coc[project]
    coc = np.where(coc < 0, (episodes.household[episode] % 2), coc)  # multi-CoC projects: by household
    age = years_between(dob[person], entry)
    household_id = np.repeat(np.arange(1, len(order) + 1), size)
    return Enrollments(
        episode=episode,
        person=person,
        relationship=relationship,
        entry=entry,
        exit=exit_day,
        move_in=move_in,
        engagement=engagement,
        project=project,
        ptype=ptype,
        household_id=household_id,
        coc=coc,
        age=age,
        record=person.copy(),
    )


def _move_in(
    rng: np.random.Generator,
    episodes: Episodes,
    order: np.ndarray,
    size: np.ndarray,
    entry: np.ndarray,
    exit_day: np.ndarray,
    relationship: np.ndarray,
    period: Period,
) -> np.ndarray:
    """DE 3.20: the household's move-in, after project start; members joining later move in when they join."""
    ptype = episodes.ptype[order]
    m = len(order)
    wait = np.select(
        [ptype == RRH, ptype == 3],
        [lognormal_days(rng, 35, 0.8, m), lognormal_days(rng, 12, 0.9, m)],
        lognormal_days(rng, 20, 0.8, m),
    )
    start = episodes.entry[order]
    end = np.where(episodes.exit[order] == NO_DATE, period.end, episodes.exit[order])
    household_move_in = start + wait
    housed = np.isin(ptype, MOVE_IN_TYPES) & (household_move_in <= end) & (rng.random(m) < 0.93)
    household_move_in = np.where(housed, household_move_in, NO_DATE)
    member_move_in = np.repeat(household_move_in, size)
    member_end = np.where(exit_day == NO_DATE, period.end, exit_day)
    moved = member_move_in != NO_DATE
    member_move_in = np.where(moved, np.maximum(member_move_in, entry), NO_DATE)
    return np.where(moved & (member_move_in <= member_end), member_move_in, NO_DATE)


def _engagement(
    rng: np.random.Generator, ptype: np.ndarray, entry: np.ndarray, exit_day: np.ndarray, period: Period
) -> np.ndarray:
    """DE 4.13 date of engagement, for street outreach and night-by-night shelter, within the stay."""
    n = len(ptype)
    last = np.where(exit_day == NO_DATE, period.end, exit_day)
    offset = np.floor(rng.random(n) * np.minimum(last - entry + 1, 45)).astype(np.int64)
    engaged = np.isin(ptype, (SO, ES_NBN)) & (rng.random(n) < 0.65)
    return np.where(engaged, entry + offset, NO_DATE)
