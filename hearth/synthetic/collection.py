"""When enrollment-level data are collected (DE 5.03 data collection stage) and how work is split into chunks.

Project start (stage 1) on the EntryDate; annual assessment (stage 5) within 30 days of each anniversary of the
household's project start, for stays that reach one; project exit (stage 3) on the ExitDate. Day shelters,
coordinated entry and "other" projects collect only the universal data elements, so they have none of these.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from hearth.synthetic.enrollments import Enrollments
from hearth.synthetic.projects import CE, DAY, OTHER
from hearth.synthetic.timeline import Period

ENTRY, UPDATE, EXIT, ANNUAL = 1, 2, 3, 5
CHUNK = 200_000  # enrollments per chunk of enrollment-level records
NOT_COLLECTING = (DAY, CE, OTHER)


def chunks(count: int, size: int = CHUNK) -> Iterator[tuple[int, slice]]:
    for index, start in enumerate(range(0, count, size)):
        yield index, slice(start, min(start + size, count))


@dataclass
class Points:
    """Collection points: the enrollment (row within the chunk), the stage and the InformationDate."""

    row: np.ndarray
    stage: np.ndarray
    date: np.ndarray

    @property
    def count(self) -> int:
        return len(self.row)


def collection_points(
    rng: np.random.Generator,
    enrollments: Enrollments,
    household_entry: np.ndarray,
    period: Period,
    who: np.ndarray,
    annual: bool = True,
) -> Points:
    """Stages 1, 5 and 3 for the enrollments selected by ``who`` in collecting projects."""
    selected = who & ~np.isin(enrollments.ptype, NOT_COLLECTING)
    rows = [np.flatnonzero(selected)]
    stages = [np.full(len(rows[0]), ENTRY)]
    dates = [enrollments.entry[rows[0]]]
    last = enrollments.last_day(period)
    if annual:
        for year in range(1, 10):
            due = household_entry + 365 * year + rng.integers(-29, 30, enrollments.count)
            hit = np.flatnonzero(selected & (due > enrollments.entry) & (due < last) & (due <= period.end))
            if len(hit) == 0 and year > 1:
                break
            rows.append(hit)
            stages.append(np.full(len(hit), ANNUAL))
            dates.append(due[hit])
    exited = np.flatnonzero(selected & enrollments.exited)
    rows.append(exited)
    stages.append(np.full(len(exited), EXIT))
    dates.append(enrollments.exit[exited])
    row = np.concatenate(rows)
    order = np.lexsort((np.concatenate(stages) == EXIT, np.concatenate(dates), row))
    return Points(row[order], np.concatenate(stages)[order], np.concatenate(dates)[order])
