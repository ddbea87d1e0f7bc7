"""Living situations (list 3.12.1): where people go when they leave (DE 3.12 destination, with DE 3.12.A subsidy
type) and where they were before project start (DE 3.917 prior living situation and the homelessness history
that goes with it).

A household that moves on within a month carries its last destination into the next project as its prior
living situation (an exit to a friend's place becomes "staying in a friend's room"), and the length of that
stay follows from the previous project stay, so the history is consistent across enrollments.
"""

from __future__ import annotations

import numpy as np

from hearth.synthetic.households import FAMILY, YOUTH
from hearth.synthetic.paths import HOMELESS, INSTITUTION, PERMANENT, TEMPORARY, UNKNOWN, Episodes
from hearth.synthetic.projects import ES_EE, ES_NBN, HP, PSH, RRH, SH, SO, TH
from hearth.synthetic.streams import choice, pick_rows

RENTAL_WITH_SUBSIDY = 435
OTHER_DESTINATION = 17
DECEASED = 24
HOMELESS_SITUATIONS = (101, 116, 118)
INSTITUTIONAL = (204, 205, 206, 207, 215, 225)
HOUSED = (302, 314, 329, 332, 335, 336, 410, 411, 421, 435)  # DE 3.917B "transitional and permanent"

DESTINATIONS = {
    PERMANENT: ([410, 411, 421, 422, 423, 435], [0.25, 0.01, 0.005, 0.15, 0.06, 0.5]),
    HOMELESS: ([101, 116, 118], [0.55, 0.4, 0.05]),
    TEMPORARY: ([302, 312, 313, 314, 332], [0.15, 0.36, 0.3, 0.16, 0.03]),
    INSTITUTION: ([204, 205, 206, 207, 215, 225, 329], [0.15, 0.2, 0.2, 0.3, 0.02, 0.05, 0.08]),
    UNKNOWN: ([8, 9, 17, 24, 30, 99], [0.1, 0.05, 0.12, 0.03, 0.38, 0.32]),
}
OTHER_DESTINATION_TEXT = ("Moved out of state", "Cruise ship job with housing", "Camp host position", "Group home")
# A destination as the next project's prior living situation (DE 3.917.1 has no "temporary tenure" codes).
AS_PRIOR = {312: 335, 313: 336, 422: 335, 423: 336, 426: 435, 17: 99, 24: 99, 30: 99, 327: 302}
SUBSIDIES = [419, 420, 428, 431, 433, 434, 436, 437, 438, 439, 440]


def destinations(
    episodes: Episodes, household_kind: np.ndarray, veteran: np.ndarray, has_next: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Destination and subsidy type (-1 unless 435) for each episode, by its outcome."""
    n = episodes.count
    destination = np.zeros(n, np.int64)
    for outcome, (codes, shares) in DESTINATIONS.items():
        rows = np.flatnonzero(episodes.outcome == outcome)
        w = np.array(shares)
        if outcome == PERMANENT:
            # Leaving a housing program usually means keeping or getting a subsidized rental.
            housed = np.isin(episodes.ptype[rows], (RRH, PSH, 9, 10))
            w_rows = np.where(housed[:, None], w * np.array([0.6, 0.2, 1, 0.5, 0.5, 1.6]), w)
            destination[rows] = np.array(codes)[pick_rows(rng, w_rows)]
        else:
            destination[rows] = choice(rng, codes, shares, len(rows))
    # Only a household's last stay can end in death.
    destination = np.where((destination == DECEASED) & has_next, 99, destination)
    # Coordinated entry alongside a crisis stay ends where that stay ended.
    parallel = np.flatnonzero(episodes.referred_to >= 0)
    destination[parallel] = destination[episodes.previous[parallel]]
    kind = household_kind[episodes.household]
    vet = veteran[episodes.household]
    ptype = episodes.ptype
    weights = np.tile(np.array([0.0, 0.2, 0.0, 0.12, 0.3, 0.15, 0.05, 0.0, 0.0, 0.08, 0.1]), (n, 1))
    weights[:, 0] += np.where(vet, 0.6, 0.0)  # VASH
    weights[:, 2] += np.where(vet, 0.05, 0.0)  # GPD TIP
    weights[:, 3] += np.where(ptype == RRH, 0.8, 0.0)
    weights[:, 7] += np.where(kind == FAMILY, 0.06, 0.0)  # FUP
    weights[:, 8] += np.where(kind == YOUTH, 0.06, 0.0)  # FYI
    weights[:, 9] += np.where(ptype == PSH, 0.8, 0.0)
    subsidy = np.array(SUBSIDIES)[pick_rows(rng, weights)]
    subsidy[parallel] = subsidy[episodes.previous[parallel]]
    return destination, np.where(destination == RENTAL_WITH_SUBSIDY, subsidy, -1)


def length_of_stay_code(days: np.ndarray) -> np.ndarray:
    """DE 3.917.2 length of stay for a stay of ``days`` nights."""
    return np.select([days <= 1, days <= 6, days < 30, days < 90, days < 365], [10, 11, 2, 3, 4], 5)


def code_days(rng: np.random.Generator, code: np.ndarray) -> np.ndarray:
    """A number of nights consistent with a DE 3.917.2 length-of-stay code."""
    low = np.select([code == 10, code == 11, code == 2, code == 3, code == 4, code == 5], [0, 2, 7, 30, 90, 365], 30)
    high = np.select(
        [code == 10, code == 11, code == 2, code == 3, code == 4, code == 5], [1, 6, 29, 89, 364, 1500], 90
    )
    return low + np.floor(rng.random(len(code)) * (high - low + 1)).astype(np.int64)


PRIOR_WEIGHTS = {  # code: (crisis projects, prevention, housing programs)
    101: (0.25, 0.0, 0.45),
    116: (0.35, 0.0, 0.35),
    118: (0.02, 0.0, 0.03),
    204: (0.01, 0.0, 0.0),
    205: (0.03, 0.0, 0.03),
    206: (0.02, 0.0, 0.0),
    207: (0.03, 0.0, 0.03),
    215: (0.002, 0.0, 0.0),
    225: (0.002, 0.0, 0.0),
    302: (0.0, 0.0, 0.05),
    314: (0.05, 0.05, 0.01),
    329: (0.01, 0.0, 0.0),
    332: (0.005, 0.0, 0.0),
    335: (0.12, 0.15, 0.03),
    336: (0.1, 0.1, 0.02),
    410: (0.02, 0.45, 0.0),
    411: (0.0, 0.02, 0.0),
    421: (0.0, 0.01, 0.0),
    435: (0.005, 0.2, 0.0),
    8: (0.01, 0.0, 0.0),
    9: (0.01, 0.0, 0.0),
    99: (0.02, 0.02, 0.02),
}


def _as_prior(destination: np.ndarray) -> np.ndarray:
    table = np.arange(1000)
    for code, prior in AS_PRIOR.items():
        table[code] = prior
    return table[destination]


def prior_situations(
    episodes: Episodes, destination: np.ndarray, subsidy: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Prior living situation, its subsidy type and DE 3.917.2 length of stay, per episode (head of household)."""
    n = episodes.count
    ptype = episodes.ptype
    codes = np.array(list(PRIOR_WEIGHTS))
    table = np.array(list(PRIOR_WEIGHTS.values())).T
    group = np.where(ptype == HP, 1, np.where(np.isin(ptype, (TH, PSH, RRH, 9, 10)), 2, 0))
    fresh = codes[pick_rows(rng, table[group])]
    fresh_subsidy = np.array(SUBSIDIES)[rng.integers(0, len(SUBSIDIES), n)]
    fresh_los = choice(rng, [10, 11, 2, 3, 4, 5, 8, 9, 99], [0.05, 0.1, 0.2, 0.24, 0.25, 0.12, 0.015, 0.01, 0.015], n)

    prev = episodes.previous
    prev_safe = np.maximum(prev, 0)
    gap = episodes.entry - episodes.exit[prev_safe]
    recent = (prev >= 0) & (gap <= 30)
    carried = _as_prior(destination[prev_safe])
    # Coming straight from a shelter, the prior situation is that shelter.
    prev_type = ptype[prev_safe]
    from_shelter = recent & np.isin(prev_type, (ES_EE, ES_NBN, SH, TH)) & np.isin(carried, (101, 118, 302, 99))
    carried = np.where(from_shelter, np.select([prev_type == SH, prev_type == TH], [118, 302], 101), carried)
    carried = np.where(recent & (prev_type == SO) & (carried == 99), 116, carried)
    situation = np.where(recent, carried, fresh)
    situation_subsidy = np.where(recent, subsidy[prev_safe], fresh_subsidy)
    situation_subsidy = np.where((situation_subsidy < 0), 420, situation_subsidy)
    prior_stay = episodes.exit[prev_safe] - episodes.entry[prev_safe]
    los = np.where(from_shelter, length_of_stay_code(prior_stay + gap), fresh_los)
    # Coordinated entry alongside a crisis stay: the household is in that shelter, or on the street.
    parallel = episodes.referred_to >= 0
    situation = np.where(parallel, np.where(prev_type == SO, 116, np.where(prev_type == SH, 118, 101)), situation)
    los = np.where(parallel, length_of_stay_code(np.maximum(episodes.entry - episodes.entry[prev_safe], 0)), los)
    return situation, np.where(situation == RENTAL_WITH_SUBSIDY, situation_subsidy, -1), los
