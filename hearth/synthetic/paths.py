"""How households move through the CoC's projects over the years: one household stay ("episode") at a time.

A household first comes to a crisis project (shelter, outreach, coordinated entry, a day center) or, at risk of
losing housing, to prevention. Each stay lasts a length typical of its project type (night-by-night shelter
weeks to months, transitional housing months, permanent supportive housing years) and ends in one of five kinds
of outcome: a permanent destination, homelessness, a temporary stay, an institution, or unknown. From a
non-permanent exit many go on soon to another project (a housing program: TH, RRH, PSH, other PH; or another
shelter); from a permanent exit about one in four returns to homelessness months later. A stay still open on the
last day of the period is a stayer (no exit).

Households in a housing program that came from a crisis project often also had a coordinated entry enrollment
(DE 4.19/4.20 assessment and referral) running alongside the crisis stay until the housing program started.

Everything is computed for all households at once, one step of their paths at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hearth.synthetic.households import FAMILY, SINGLE, YOUTH, Households
from hearth.synthetic.projects import (
    CE,
    DAY,
    ES_EE,
    ES_NBN,
    HP,
    OTHER,
    PH_HO,
    PH_HS,
    PROJECT_TYPES,
    PSH,
    RRH,
    SH,
    SO,
    SSO,
    TEMPLATES,
    TH,
    Projects,
)
from hearth.synthetic.streams import Streams, lognormal_days, pick_rows
from hearth.synthetic.timeline import NO_DATE, Period

PERMANENT, HOMELESS, TEMPORARY, INSTITUTION, UNKNOWN = 0, 1, 2, 3, 4
MAX_STEPS = 12
COLUMN = {t: i for i, t in enumerate(PROJECT_TYPES)}
COLUMN_OF = np.zeros(max(PROJECT_TYPES) + 1, np.int64)  # project type -> its column in the tables below
COLUMN_OF[list(PROJECT_TYPES)] = np.arange(len(PROJECT_TYPES))
CRISIS = (ES_EE, ES_NBN, SO, SH, DAY, CE, OTHER, SSO)
HOUSING = (TH, PSH, RRH, PH_HO, PH_HS)

# Length of stay by project type: median days, spread, shortest stay.
LOS = {
    ES_EE: (45, 0.9, 1),
    ES_NBN: (65, 1.2, 1),
    TH: (200, 0.5, 7),
    PSH: (1100, 0.7, 30),
    SO: (50, 1.1, 0),
    SSO: (100, 0.8, 0),
    OTHER: (60, 1.0, 0),
    SH: (150, 0.8, 1),
    PH_HO: (900, 0.7, 30),
    PH_HS: (900, 0.7, 30),
    DAY: (2, 1.3, 0),
    HP: (80, 0.6, 7),
    RRH: (240, 0.5, 30),
    CE: (45, 1.0, 0),
}
# Share of exits to a permanent destination, by project type.
PERMANENT_EXITS = {
    ES_EE: 0.35,
    ES_NBN: 0.22,
    TH: 0.55,
    PSH: 0.65,
    SO: 0.12,
    SSO: 0.35,
    OTHER: 0.3,
    SH: 0.35,
    PH_HO: 0.7,
    PH_HS: 0.7,
    DAY: 0.1,
    HP: 0.88,
    RRH: 0.75,
    CE: 0.3,
}
OTHER_OUTCOMES = np.array([0.45, 0.25, 0.08, 0.22])  # homeless, temporary, institution, unknown

# Where a household goes next after a non-permanent exit (weights over PROJECT_TYPES order:
# ES_EE ES_NBN TH PSH SO SSO OTHER SH PH_HO PH_HS DAY HP RRH CE).
_FROM_CRISIS = [0.10, 0.26, 0.08, 0.09, 0.05, 0.03, 0.02, 0.02, 0.03, 0.03, 0.03, 0.0, 0.22, 0.06]
_FROM_TH = [0.15, 0.15, 0.05, 0.15, 0.05, 0.0, 0.0, 0.0, 0.05, 0.05, 0.0, 0.0, 0.30, 0.05]
_FROM_HOUSING = [0.3, 0.3, 0.1, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.1]
_FROM_HP = [0.35, 0.2, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.15]
NEXT = np.array(
    [
        _FROM_HOUSING
        if t in (PSH, PH_HO, PH_HS, RRH)
        else _FROM_TH
        if t == TH
        else _FROM_HP
        if t == HP
        else _FROM_CRISIS
        for t in PROJECT_TYPES
    ]
)
FIRST = {  # first contact, by household kind
    SINGLE: [0.10, 0.42, 0.03, 0.0, 0.12, 0.04, 0.03, 0.02, 0.0, 0.0, 0.06, 0.06, 0.02, 0.08],
    FAMILY: [0.45, 0.05, 0.05, 0.0, 0.02, 0.03, 0.02, 0.0, 0.0, 0.0, 0.0, 0.2, 0.05, 0.13],
    YOUTH: [0.35, 0.1, 0.15, 0.0, 0.2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.05, 0.05, 0.1],
}
RETURN = [0.3, 0.3, 0.05, 0.0, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.05, 0.1, 0.0, 0.1]  # after a permanent exit
KIND_FACTOR = {  # how much each kind uses each project type
    SINGLE: np.ones(len(PROJECT_TYPES)),
    FAMILY: np.array([1, 0.15, 1, 1, 0.3, 1, 1, 0, 1, 1, 0.2, 1, 1, 1]),
    YOUTH: np.array([1, 0.6, 1, 0.4, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]),
}
CONTINUE = 0.6  # after a non-permanent exit, another project soon
RETURNS = 0.3  # after a permanent exit, back to homelessness later (some after the period ends)


@dataclass
class Episodes:
    """One household stay in one project."""

    household: np.ndarray
    step: np.ndarray
    ptype: np.ndarray
    project: np.ndarray
    entry: np.ndarray
    exit: np.ndarray  # NO_DATE for stayers
    outcome: np.ndarray
    previous: np.ndarray  # the household's previous episode (-1: none)
    referred_to: np.ndarray  # coordinated entry episodes: the housing episode they referred to (-1: none)

    @property
    def count(self) -> int:
        return len(self.household)


def eligibility(projects: Projects) -> np.ndarray:
    """Weights (12 household groups x projects): who may be served where, and where they are most likely to go."""
    weights = np.zeros((12, projects.count))
    for group in range(12):
        kind, veteran, hiv = group // 4, (group // 2) % 2 == 1, group % 2 == 1
        for j, t in enumerate(projects.template):
            tpl = TEMPLATES[t]
            serves = {SINGLE: tpl.singles, FAMILY: tpl.families, YOUTH: tpl.youth}[kind]
            if tpl.vsp or not serves or (tpl.veterans_only and not veteran) or (tpl.hiv_only and not hiv):
                continue
            if tpl.youth_only and kind != YOUTH:
                continue
            weight = projects.popularity[j]
            weight *= 6.0 if tpl.veterans_only else 1.0
            weight *= 4.0 if tpl.hiv_only else 1.0
            weight *= 5.0 if tpl.youth_only else 1.0
            weights[group, j] = weight
    return weights


def _type_available(weights: np.ndarray, projects: Projects) -> np.ndarray:
    available = np.zeros((12, len(PROJECT_TYPES)))
    for i, t in enumerate(PROJECT_TYPES):
        available[:, i] = (weights[:, projects.ptype == t] > 0).any(axis=1)
    return available


def simulate(households: Households, projects: Projects, period: Period, streams: Streams) -> Episodes:
    rng = streams.rng("paths")
    weights = eligibility(projects)
    available = _type_available(weights, projects)
    group = households.group
    factor = np.stack([KIND_FACTOR[k] for k in (SINGLE, FAMILY, YOUTH)])[households.kind]
    factor = factor * available[group]
    factor[:, COLUMN[PSH]] *= households.disabled  # PSH requires a disabling condition (DE 3.08)

    h = np.arange(households.count)
    first = np.stack([FIRST[k] for k in (SINGLE, FAMILY, YOUTH)])[households.kind]
    start = pick_rows(rng, first * factor[h])
    if (start < 0).any():  # every kind of household has a shelter to go to (see projects.TEMPLATES)
        raise RuntimeError("a household found no project to start in")
    ptype = np.array(PROJECT_TYPES)[start]
    entry = period.start + rng.integers(0, period.days, households.count)
    previous = np.full(households.count, -1)
    parts: list[tuple[np.ndarray, ...]] = []
    offset = 0
    for step in range(MAX_STEPS):
        n = len(h)
        if n == 0:
            break
        los = _length_of_stay(rng, ptype, households.kind[h])
        exit_day = entry + los
        stayer = exit_day > period.end
        outcome = np.where(
            rng.random(n) < _lookup(PERMANENT_EXITS, ptype),
            PERMANENT,
            1 + pick_rows(rng, np.tile(OTHER_OUTCOMES, (n, 1))),
        )
        index = offset + np.arange(n)
        parts.append((h, np.full(n, step), ptype, entry, np.where(stayer, NO_DATE, exit_day), outcome, previous))
        offset += n
        permanent = outcome == PERMANENT
        go_on = ~stayer & (rng.random(n) < np.where(permanent, RETURNS, CONTINUE))
        gap = np.where(permanent, 30 + lognormal_days(rng, 200, 0.8, n), 1 + lognormal_days(rng, 8, 1.2, n))
        table = np.where(permanent[:, None], np.array(RETURN)[None, :], NEXT[COLUMN_OF[ptype]])
        choice = pick_rows(rng, table * factor[h])
        keep = go_on & (exit_day + gap <= period.end) & (choice >= 0)
        h, previous = h[keep], index[keep]
        entry = (exit_day + gap)[keep]
        ptype = np.array(PROJECT_TYPES)[choice[keep]]
    columns = [np.concatenate(c) for c in zip(*parts, strict=True)]
    hh, step_no, types, entries, exits, outcomes, prev = columns
    episodes = Episodes(
        hh, step_no, types, np.zeros(len(hh), np.int64), entries, exits, outcomes, prev, np.full(len(hh), -1)
    )
    episodes = _with_coordinated_entry(episodes, rng, period)
    episodes.project = _assign_projects(episodes, households, projects, weights, rng)
    return episodes


def _lookup(table: dict[int, float], ptype: np.ndarray) -> np.ndarray:
    values = np.zeros(max(PROJECT_TYPES) + 1)
    for t, v in table.items():
        values[t] = v
    return values[ptype]


def _length_of_stay(rng: np.random.Generator, ptype: np.ndarray, kind: np.ndarray) -> np.ndarray:
    median = np.zeros(max(PROJECT_TYPES) + 1)
    sigma = np.zeros_like(median)
    shortest = np.zeros(len(median), np.int64)
    for t, (m, s, lo) in LOS.items():
        median[t], sigma[t], shortest[t] = m, s, lo
    med = median[ptype] * np.where((kind == FAMILY) & (ptype == ES_EE), 1.6, 1.0)
    days = lognormal_days(rng, med, sigma[ptype], len(ptype))
    return np.clip(days, shortest[ptype], 3000)


def _with_coordinated_entry(episodes: Episodes, rng: np.random.Generator, period: Period) -> Episodes:
    """Add CE enrollments running alongside crisis stays that led to a housing program."""
    prev = episodes.previous
    has_prev = prev >= 0
    prev_type = np.where(has_prev, episodes.ptype[np.maximum(prev, 0)], -1)
    linked = (
        np.isin(episodes.ptype, HOUSING)
        & np.isin(prev_type, [t for t in CRISIS if t != CE])
        & (rng.random(episodes.count) < 0.6)
    )
    target = np.flatnonzero(linked)
    source = prev[target]
    prev_stay = episodes.exit[source] - episodes.entry[source]
    start = episodes.entry[source] + np.floor(rng.random(len(target)) * np.minimum(prev_stay, 7)).astype(np.int64)
    end = episodes.entry[target]
    n = len(target)
    return Episodes(
        household=np.concatenate([episodes.household, episodes.household[target]]),
        step=np.concatenate([episodes.step, episodes.step[source]]),
        ptype=np.concatenate([episodes.ptype, np.full(n, CE)]),
        project=np.concatenate([episodes.project, np.zeros(n, np.int64)]),
        entry=np.concatenate([episodes.entry, start]),
        exit=np.concatenate([episodes.exit, np.minimum(end, period.end)]),
        outcome=np.concatenate([episodes.outcome, episodes.outcome[source]]),
        previous=np.concatenate([episodes.previous, source]),
        referred_to=np.concatenate([episodes.referred_to, target]),
    )


def _assign_projects(
    episodes: Episodes, households: Households, projects: Projects, weights: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    group = households.group[episodes.household]
    minor = households.minor[episodes.household]
    # Unaccompanied minors go to youth projects wherever the CoC has one of the kind.
    youth_only = projects.flag("youth_only")
    project = np.full(episodes.count, -1)
    for g in range(12):
        for t in PROJECT_TYPES:
            candidates = np.flatnonzero((projects.ptype == t) & (weights[g] > 0))
            for minors in (False, True):
                rows = np.flatnonzero((group == g) & (episodes.ptype == t) & (minor == minors))
                if len(rows) == 0:
                    continue
                w = weights[g, candidates] * np.where(minors & youth_only[candidates], 50.0, 1.0)
                project[rows] = candidates[rng.choice(len(candidates), size=len(rows), p=w / w.sum())]
    if (project < 0).any():
        raise RuntimeError("an episode found no eligible project")
    return project
