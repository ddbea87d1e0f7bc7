"""Enrollment.csv rows: the enrollment itself plus what is asked at project start.

DE 3.917 prior living situation for heads of household and adults (homeless_history.py), DE 3.08 disabling
condition for everyone (99 when not collected), DE 3.16 client location: the CoC of the project stay (written
for every member, as the head of household's), and the program-specific elements (program_elements.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl

from hearth.synthetic.collection import chunks
from hearth.synthetic.geography import COC_CODES
from hearth.synthetic.homeless_history import history
from hearth.synthetic.program_elements import program_elements
from hearth.synthetic.timeline import NO_DATE, entry_lag, stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch, Value


def enrollment_batches(world: World) -> Iterator[Batch]:
    enr, stays, period = world.enrollments, world.stays, world.period
    for index, rows in chunks(enr.count):
        rng = world.streams.rng("enrollment-rows", index)
        e = enr.take(rows)
        n = e.count
        ep = e.episode
        asked = e.hoh | e.adult
        hist = history(
            rng, asked, e.ptype, e.entry, stays.situation[ep], stays.situation_subsidy[ep], stays.length_of_stay[ep]
        )
        last = e.last_day(period)
        size = world.households.size[world.episodes.household[ep]]
        program = program_elements(
            rng, world.funder(e.project), e.ptype, asked, e.entry, last, e.engagement, size, e.project
        )
        touched = np.where(e.exited, e.exit, np.maximum(e.entry, np.where(e.move_in != NO_DATE, e.move_in, e.entry)))
        created, updated = stamps(rng, entry_lag(rng, e.entry, period), touched, period)
        columns: dict[str, Value] = {
            "EnrollmentID": np.arange(rows.start, rows.stop) + 1,
            "PersonalID": world.personal_id[e.record],
            "ProjectID": e.project + 1,
            "EntryDate": e.entry,
            "HouseholdID": e.household_id,
            "RelationshipToHoH": e.relationship,
            "EnrollmentCoC": pl.Series(np.array(COC_CODES)[e.coc]),
            "LivingSituation": hist.living_situation,
            "RentalSubsidyType": hist.rental_subsidy,
            "LengthOfStay": hist.length_of_stay,
            "LOSUnderThreshold": hist.under_threshold,
            "PreviousStreetESSH": hist.previous_street,
            "DateToStreetESSH": hist.date_to_street,
            "TimesHomelessPastThreeYears": hist.times,
            "MonthsHomelessPastThreeYears": hist.months,
            "DisablingCondition": world.people.disabling[e.person],
            "DateOfEngagement": np.where(asked, e.engagement, NO_DATE),
            "MoveInDate": e.move_in,
            "DateCreated": created,
            "DateUpdated": updated,
            "UserID": world.users_for_projects(rng, e.project),
            **program,
        }
        yield Batch(n, columns)
