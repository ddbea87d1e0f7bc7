"""Disabilities.csv: one row per disability type (DE 4.05-4.10) per client at project start and exit.

A person's disabilities hold across their enrollments; DisablingCondition (DE 3.08) on each enrollment follows
from them (see households.py). IndefiniteAndImpairs is asked for physical, chronic health, mental health and
substance use disorders answered yes; developmental disabilities and HIV/AIDS are disabling by definition and
have no such question. Substance use disorder answers from list 4.10.2. HOPWA projects record T-cell and viral
load information (W4) and anti-retroviral use (W6) for clients with HIV/AIDS.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from hearth.synthetic.collection import chunks, collection_points
from hearth.synthetic.households import DISABILITY_TYPES
from hearth.synthetic.projects import HOPWA_FUNDERS
from hearth.synthetic.streams import choice
from hearth.synthetic.timeline import entry_lag, stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch

SUBSTANCE = 5  # column of DisabilityType 10 in DISABILITY_TYPES
HIV = 3
ASKS_IMPAIRMENT = np.array([True, False, True, False, True, True])


def disability_batches(world: World) -> Iterator[Batch]:
    enr, period, people = world.enrollments, world.period, world.people
    household_entry = world.episodes.entry[enr.episode]
    for index, rows in chunks(enr.count):
        rng = world.streams.rng("disabilities", index)
        e = enr.take(rows)
        points = collection_points(rng, e, household_entry[rows], period, np.ones(e.count, bool), annual=False)
        k = len(DISABILITY_TYPES)
        r = np.repeat(points.row, k)
        n = len(r)
        kind = np.tile(np.arange(k), points.count)
        person = e.person[r]
        yes = people.disability[person, kind]
        missing = people.missing_disability[person]
        response = np.where(yes == 1, 1, 0)
        response = np.where(kind == SUBSTANCE, np.where(yes == 1, people.substance[person], 0), response)
        response = np.where(missing > 0, missing, response)
        impairs_asked = ASKS_IMPAIRMENT[kind] & (yes == 1)
        impairs = np.where(people.indefinite[person, kind] == 1, 1, choice(rng, [0, 8, 99], [0.9, 0.04, 0.06], n))
        hiv_detail = (kind == HIV) & (response == 1) & np.isin(world.funder(e.project[r]), HOPWA_FUNDERS)
        tcell_available = np.where(hiv_detail, choice(rng, [1, 0, 8], [0.7, 0.25, 0.05], n), -1)
        tcell = np.where(tcell_available == 1, rng.integers(50, 1200, n), -1)
        viral_available = np.where(hiv_detail, choice(rng, [1, 2, 0, 99], [0.4, 0.45, 0.1, 0.05], n), -1)
        viral = np.where(viral_available == 1, rng.integers(200, 150_000, n), -1)
        date = np.repeat(points.date, k)
        created, updated = stamps(rng, entry_lag(rng, date, period), date, period)
        yield Batch(
            n,
            {
                "EnrollmentID": rows.start + r + 1,
                "PersonalID": world.personal_id[e.record[r]],
                "InformationDate": date,
                "DisabilityType": np.array(DISABILITY_TYPES)[kind],
                "DisabilityResponse": response,
                "IndefiniteAndImpairs": np.where(impairs_asked, impairs, -1),
                "TCellCountAvailable": tcell_available,
                "TCellCount": tcell,
                "TCellSource": np.where(tcell >= 0, choice(rng, [1, 2, 3], [0.8, 0.15, 0.05], n), -1),
                "ViralLoadAvailable": viral_available,
                "ViralLoad": viral,
                "ViralLoadSource": np.where(viral >= 0, choice(rng, [1, 2, 3], [0.8, 0.15, 0.05], n), -1),
                "AntiRetroviral": np.where(hiv_detail, choice(rng, [1, 0, 8, 99], [0.8, 0.15, 0.02, 0.03], n), -1),
                "DataCollectionStage": np.repeat(points.stage, k),
                "DateCreated": created,
                "DateUpdated": updated,
                "UserID": world.users_for_projects(rng, e.project[r]),
            },
        )
