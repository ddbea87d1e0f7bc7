"""DE 3.917 prior living situation, per enrollment: the situation, how long, and the homelessness history.

DE 3.917A (street outreach, emergency shelter, safe haven) asks everything of every adult and head of household.
DE 3.917B (all other projects) asks about the approximate start of homelessness and its times and months only
when the client came from a homeless situation, or from a short institutional stay (under 90 days) or short
housed stay (under 7 nights) that itself followed the street, a shelter or a safe haven. Children are not asked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hearth.synthetic.living_situation import HOMELESS_SITUATIONS, HOUSED, INSTITUTIONAL, code_days
from hearth.synthetic.projects import ES_EE, ES_NBN, SH, SO
from hearth.synthetic.streams import choice
from hearth.synthetic.timeline import NO_DATE

ALWAYS_ASKED = (ES_EE, ES_NBN, SO, SH)  # DE 3.917A
THREE_YEARS = 3 * 365


@dataclass
class History:
    living_situation: np.ndarray
    rental_subsidy: np.ndarray
    length_of_stay: np.ndarray
    under_threshold: np.ndarray
    previous_street: np.ndarray
    date_to_street: np.ndarray
    times: np.ndarray
    months: np.ndarray


def history(
    rng: np.random.Generator,
    asked: np.ndarray,
    ptype: np.ndarray,
    entry: np.ndarray,
    situation: np.ndarray,
    subsidy: np.ndarray,
    los: np.ndarray,
) -> History:
    """3.917 values for enrollments; ``asked``: heads of household and adults (the others get nulls)."""
    n = len(entry)
    always = np.isin(ptype, ALWAYS_ASKED)
    homeless = np.isin(situation, HOMELESS_SITUATIONS)
    institution = np.isin(situation, INSTITUTIONAL)
    housed = np.isin(situation, HOUSED)
    los_known = ~np.isin(los, (8, 9, 99))
    short = (institution & np.isin(los, (10, 11, 2, 3))) | (housed & np.isin(los, (10, 11)))
    threshold_asked = ~always & (institution | housed)
    under = np.where(threshold_asked, np.where(los_known, short.astype(np.int64), 99), -1)
    previous_street = np.where(under == 1, (rng.random(n) < 0.55).astype(np.int64), -1)
    history_asked = always | homeless | (previous_street == 1)

    stay = np.where(los_known, code_days(rng, los), rng.integers(0, 400, n))
    earlier = np.where(rng.random(n) < 0.3, rng.integers(0, 500, n), 0)
    days_homeless = np.select(
        [homeless, previous_street == 1],
        [stay + earlier, stay + rng.integers(0, 200, n)],
        earlier * (rng.random(n) < 0.2),
    )
    unknown_start = rng.random(n) < 0.04
    date_to_street = np.where(history_asked & ~unknown_start, entry - days_homeless, NO_DATE)
    long_homeless = days_homeless >= THREE_YEARS
    times = np.where(long_homeless, 1, choice(rng, [1, 2, 3, 4], [0.5, 0.2, 0.1, 0.2], n))
    months_in = np.ceil(np.maximum(days_homeless, 1) / 30.4).astype(np.int64)
    months_in = months_in + np.where(times > 1, rng.integers(0, 7, n), 0)
    months = np.where(long_homeless | (months_in > 12), 113, 100 + np.clip(months_in, 1, 12))
    missing = np.where(rng.random(n) < 0.4, 8, np.where(rng.random(n) < 0.5, 9, 99))
    times = np.where(unknown_start, missing, times)
    months = np.where(unknown_start, missing, months)

    return History(
        living_situation=np.where(asked, situation, -1),
        rental_subsidy=np.where(asked, subsidy, -1),
        length_of_stay=np.where(asked, los, -1),
        under_threshold=np.where(asked, under, -1),
        previous_street=np.where(asked, previous_street, -1),
        date_to_street=np.where(asked & history_asked, date_to_street, NO_DATE),
        times=np.where(asked & history_asked, times, -1),
        months=np.where(asked & history_asked, months, -1),
    )
