"""HealthAndDV.csv: domestic violence (DE 4.11) for heads of household and adults at project start; RHY
projects add general, dental and mental health (R7-R9) and pregnancy (R10) at start and exit.

Survivors (more often women) say when it happened (4.11.A) and whether they are fleeing now (4.11.B); a
pregnant youth has a due date within the next nine months.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from hearth.synthetic.collection import ENTRY, chunks, collection_points
from hearth.synthetic.households import FEMALE
from hearth.synthetic.projects import RHY_FUNDERS
from hearth.synthetic.streams import choice, keyed_uniform
from hearth.synthetic.timeline import NO_DATE, entry_lag, stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch

HEALTH = [1, 2, 3, 4, 5, 8, 9, 99]
HEALTH_WEIGHTS = [0.1, 0.2, 0.33, 0.22, 0.1, 0.02, 0.01, 0.02]


def health_batches(world: World) -> Iterator[Batch]:
    enr, period, people = world.enrollments, world.period, world.people
    seed = world.streams.seed
    household_entry = world.episodes.entry[enr.episode]
    rhy_project = np.isin(world.projects.funder, RHY_FUNDERS)
    for index, rows in chunks(enr.count):
        rng = world.streams.rng("health", index)
        e = enr.take(rows)
        asked = e.hoh | e.adult
        points = collection_points(rng, e, household_entry[rows], period, asked, annual=False)
        rhy = rhy_project[e.project[points.row]]
        keep = (points.stage == ENTRY) | rhy
        r, stage, date, rhy = points.row[keep], points.stage[keep], points.date[keep], rhy[keep]
        n = len(r)
        person = e.person[r]
        female = people.sex[person] == FEMALE
        survivor = keyed_uniform(seed, person, 500) < np.where(female, 0.3, 0.1)
        dv = np.where(survivor, 1, 0)
        dv = np.where(rng.random(n) < 0.03, choice(rng, [8, 9, 99], [0.2, 0.4, 0.4], n), dv)
        fleeing = np.where(rng.random(n) < 0.25, 1, 0)
        pregnant = np.where(female & (keyed_uniform(seed, person, 501) < 0.12), 1, 0)
        pregnant = np.where(rng.random(n) < 0.03, 99, pregnant)
        due = date + rng.integers(14, 270, n)
        created, updated = stamps(rng, entry_lag(rng, date, period), date, period)
        yield Batch(
            n,
            {
                "EnrollmentID": rows.start + r + 1,
                "PersonalID": world.personal_id[e.record[r]],
                "InformationDate": date,
                "DomesticViolenceSurvivor": dv,
                "WhenOccurred": np.where(dv == 1, choice(rng, [1, 2, 3, 4, 8, 9], [20, 15, 15, 45, 3, 2], n), -1),
                "CurrentlyFleeing": np.where(dv == 1, np.where(rng.random(n) < 0.05, 99, fleeing), -1),
                "GeneralHealthStatus": np.where(rhy, choice(rng, HEALTH, HEALTH_WEIGHTS, n), -1),
                "DentalHealthStatus": np.where(rhy, choice(rng, HEALTH, HEALTH_WEIGHTS, n), -1),
                "MentalHealthStatus": np.where(rhy, choice(rng, HEALTH, HEALTH_WEIGHTS, n), -1),
                "PregnancyStatus": np.where(rhy & female, pregnant, -1),
                "DueDate": np.where(rhy & female & (pregnant == 1) & (due <= period.end), due, NO_DATE),
                "DataCollectionStage": stage,
                "DateCreated": created,
                "DateUpdated": updated,
                "UserID": world.users_for_projects(rng, e.project[r]),
            },
        )
