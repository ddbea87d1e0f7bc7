"""Everything the record generators share: the period, the projects, the people and their stays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hearth.synthetic.enrollments import Enrollments
from hearth.synthetic.households import Households, People
from hearth.synthetic.identities import ClientRecords
from hearth.synthetic.organizations import Organizations, pick_users
from hearth.synthetic.paths import Episodes
from hearth.synthetic.projects import Projects
from hearth.synthetic.streams import Streams
from hearth.synthetic.timeline import Period


@dataclass
class Stays:
    """Per-episode facts decided before the enrollment files are written."""

    destination: np.ndarray
    destination_subsidy: np.ndarray
    situation: np.ndarray
    situation_subsidy: np.ndarray
    length_of_stay: np.ndarray


@dataclass
class World:
    period: Period
    streams: Streams
    organizations: Organizations
    projects: Projects
    households: Households
    people: People
    episodes: Episodes
    stays: Stays
    enrollments: Enrollments
    dob: np.ndarray  # per person (day), the true date of birth
    first_entry: np.ndarray  # per person (day), the household's first project start
    clients: int  # Client records (people plus duplicate records)
    personal_id: np.ndarray  # PersonalID of each Client record
    records: ClientRecords  # identifying data of each Client record

    def users_for_projects(self, rng: np.random.Generator, project: np.ndarray) -> np.ndarray:
        """UserID of a user of the organization running each row's project."""
        return pick_users(rng, self.organizations, self.projects.organization[project]) + 1

    def funder(self, project: np.ndarray) -> np.ndarray:
        return self.projects.funder[project]
