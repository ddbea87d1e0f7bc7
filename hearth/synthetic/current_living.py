"""CurrentLivingSituation.csv (DE 4.12): contacts in street outreach, and the situation recorded at coordinated
entry.

Outreach (ProjectType 4) records a contact when the client is first met (the EntryDate), on the date of
engagement (DE 4.13) and at further contacts, about every two weeks during the stay; where the worker found the
client goes in LocationDetails. Coordinated entry projects (ProjectType 14) record the situation at project start
and, for some, who verified it (DE 4.12.3, asked only there). When the client is in a housed or institutional
situation, the follow-up questions about losing it within 14 days (4.12.B-F) apply.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl

from hearth.synthetic.collection import chunks
from hearth.synthetic.geography import OUTREACH_LOCATIONS
from hearth.synthetic.living_situation import RENTAL_WITH_SUBSIDY, SUBSIDIES
from hearth.synthetic.projects import CE, SO
from hearth.synthetic.streams import choice
from hearth.synthetic.timeline import NO_DATE, entry_lag, stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch

SITUATIONS = [116, 101, 118, 335, 336, 314, 205, 207, 410, 435, 17, 37, 8, 9, 99]
WEIGHTS = [0.66, 0.05, 0.01, 0.06, 0.05, 0.03, 0.01, 0.01, 0.01, 0.005, 0.02, 0.05, 0.01, 0.005, 0.02]
AT_RISK = (215, 206, 207, 225, 204, 205, 302, 329, 314, 332, 336, 335, 410, 435, 421, 411)  # 4.12.B applies
VERIFIERS = np.array(
    [
        "Street outreach worker",
        "Shelter intake staff",
        "Hospital social worker",
        "Police department homeless liaison",
        "Self-declaration",
    ]
)


def _follow_up(rng: np.random.Generator, asked: np.ndarray, p_yes: float) -> np.ndarray:
    """A 4.12.C-F answer (list 1.8) where 4.12.B was yes; empty elsewhere."""
    n = len(asked)
    return np.where(asked, choice(rng, [0, 1, 8, 99], [0.95 - p_yes, p_yes, 0.02, 0.03], n), -1)


def current_living_batches(world: World) -> Iterator[Batch]:
    enr, period = world.enrollments, world.period
    for index, rows in chunks(enr.count):
        rng = world.streams.rng("current-living", index)
        e = enr.take(rows)
        asked = e.hoh | e.adult
        last = e.last_day(period)
        outreach = np.flatnonzero((e.ptype == SO) & asked)
        stay = last[outreach] - e.entry[outreach]
        extra = np.minimum(rng.poisson(stay / 14), 25)
        engaged = e.engagement[outreach] != NO_DATE
        count = 1 + engaged + extra
        row = np.repeat(outreach, count)
        k = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
        random_day = e.entry[row] + np.floor(rng.random(len(row)) * (last[row] - e.entry[row] + 1)).astype(np.int64)
        engaged_row = np.repeat(engaged, count)
        date = np.where(k == 0, e.entry[row], np.where((k == 1) & engaged_row, e.engagement[row], random_day))
        coordinated = np.flatnonzero((e.ptype == CE) & e.hoh)
        row = np.concatenate([row, coordinated])
        date = np.concatenate([date, e.entry[coordinated]])
        order = np.lexsort((date, row))
        row, date = row[order], date[order]
        n = len(row)
        ce = e.ptype[row] == CE
        situation = choice(rng, SITUATIONS, WEIGHTS, n)
        situation = np.where(ce & (situation == 37), 116, situation)
        leave = np.where(np.isin(situation, AT_RISK), choice(rng, [0, 1, 8, 99], [0.35, 0.55, 0.05, 0.05], n), -1)
        follow = leave == 1

        location = np.where(~ce & (rng.random(n) < 0.7), np.array(OUTREACH_LOCATIONS)[rng.integers(0, 10, n)], "")
        verified = np.where(ce & (rng.random(n) < 0.4), VERIFIERS[rng.integers(0, len(VERIFIERS), n)], "")
        created, updated = stamps(rng, entry_lag(rng, date, period), date, period)
        yield Batch(
            n,
            {
                "EnrollmentID": rows.start + row + 1,
                "PersonalID": world.personal_id[e.record[row]],
                "InformationDate": date,
                "CurrentLivingSituation": situation,
                "CLSSubsidyType": np.where(
                    situation == RENTAL_WITH_SUBSIDY, np.array(SUBSIDIES)[rng.integers(0, 11, n)], -1
                ),
                "VerifiedBy": pl.Series(verified),
                "LeaveSituation14Days": leave,
                "SubsequentResidence": _follow_up(rng, follow, 0.3),
                "ResourcesToObtain": _follow_up(rng, follow, 0.2),
                "LeaseOwn60Day": _follow_up(rng, follow, 0.1),
                "MovedTwoOrMore": _follow_up(rng, follow, 0.4),
                "LocationDetails": pl.Series(location),
                "DateCreated": created,
                "DateUpdated": updated,
                "UserID": world.users_for_projects(rng, e.project[row]),
            },
        )
