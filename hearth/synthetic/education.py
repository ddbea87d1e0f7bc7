"""Education and employment of youth: EmploymentEducation.csv (RHY R4 last grade, R5 school status, R6
employment) and YouthEducationStatus.csv (C3, collected by CoC youth projects: YHDP), for heads of household and
adults at project start and exit. Empty files in a CoC without such projects are still written.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from hearth.synthetic.collection import chunks, collection_points
from hearth.synthetic.projects import RHY_FUNDERS, YHDP_FUNDERS
from hearth.synthetic.streams import choice
from hearth.synthetic.timeline import entry_lag, stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch


def _points(world: World, funders: tuple[int, ...], index: int, rows: slice, salt: str) -> tuple:
    enr = world.enrollments
    rng = world.streams.rng(salt, index)
    e = enr.take(rows)
    household_entry = world.episodes.entry[enr.episode[rows]]
    who = (e.hoh | e.adult) & np.isin(world.funder(e.project), funders)
    points = collection_points(rng, e, household_entry, world.period, who, annual=False)
    return rng, e, points


def employment_batches(world: World) -> Iterator[Batch]:
    for index, rows in chunks(world.enrollments.count):
        rng, e, points = _points(world, RHY_FUNDERS, index, rows, "employment")
        n, r = points.count, points.row
        age = e.age[r]
        grade = np.where(
            age < 18,
            choice(rng, [2, 3, 4, 6, 8, 99], [0.05, 0.3, 0.6, 0.02, 0.01, 0.02], n),
            choice(rng, [3, 4, 5, 7, 10, 11, 14, 8, 9, 99], [5, 30, 30, 12, 12, 2, 4, 2, 1, 2], n),
        )
        school = np.where(
            age < 18,
            choice(rng, [1, 2, 5, 6, 99], [0.5, 0.25, 0.15, 0.05, 0.05], n),
            choice(rng, [3, 4, 5, 1, 2, 8, 99], [0.35, 0.15, 0.35, 0.05, 0.05, 0.02, 0.03], n),
        )
        employed = choice(rng, [0, 1, 8, 9, 99], [0.68, 0.27, 0.01, 0.01, 0.03], n)
        created, updated = stamps(rng, entry_lag(rng, points.date, world.period), points.date, world.period)
        yield Batch(
            n,
            {
                "EnrollmentID": rows.start + r + 1,
                "PersonalID": world.personal_id[e.record[r]],
                "InformationDate": points.date,
                "LastGradeCompleted": grade,
                "SchoolStatus": school,
                "Employed": employed,
                "EmploymentType": np.where(employed == 1, choice(rng, [1, 2, 3, 99], [0.3, 0.5, 0.18, 0.02], n), -1),
                "NotEmployedReason": np.where(employed == 0, choice(rng, [1, 2, 3, 99], [0.6, 0.1, 0.27, 0.03], n), -1),
                "DataCollectionStage": points.stage,
                "DateCreated": created,
                "DateUpdated": updated,
                "UserID": world.users_for_projects(rng, e.project[r]),
            },
        )


def youth_education_batches(world: World) -> Iterator[Batch]:
    for index, rows in chunks(world.enrollments.count):
        rng, e, points = _points(world, YHDP_FUNDERS, index, rows, "youth-education")
        n, r = points.count, points.row
        attend = choice(rng, [0, 1, 2, 8, 9, 99], [0.55, 0.12, 0.28, 0.01, 0.01, 0.03], n)
        created, updated = stamps(rng, entry_lag(rng, points.date, world.period), points.date, world.period)
        yield Batch(
            n,
            {
                "EnrollmentID": rows.start + r + 1,
                "PersonalID": world.personal_id[e.record[r]],
                "InformationDate": points.date,
                "CurrentSchoolAttend": attend,
                "MostRecentEdStatus": np.where(
                    attend == 0, choice(rng, [0, 1, 2, 5, 6, 7, 99], [30, 12, 35, 5, 8, 5, 5], n), -1
                ),
                "CurrentEdStatus": np.where(
                    np.isin(attend, (1, 2)), choice(rng, [0, 1, 2, 4, 99], [0.5, 0.25, 0.1, 0.12, 0.03], n), -1
                ),
                "DataCollectionStage": points.stage,
                "DateCreated": created,
                "DateUpdated": updated,
                "UserID": world.users_for_projects(rng, e.project[r]),
            },
        )
