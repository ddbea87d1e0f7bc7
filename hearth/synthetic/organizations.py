"""Organizations (DE 2.01) and HMIS users (User.csv, DE 5.07).

About one organization per four projects. Organization 0 is a victim service provider (DE 2.01.3 = 1): its
projects use a comparable database, so none of its clients are in this export. Each organization has a few
HMIS users (its case managers and intake staff); every record names one of the users of the organization
that entered it, and a few CoC-level administrators own the CoC-wide records.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from hearth.synthetic import names
from hearth.synthetic.streams import Streams
from hearth.synthetic.timeline import Period, stamps
from hearth.synthetic.writer import Batch

PREFIXES = (
    "Hope",
    "New Beginnings",
    "Open Door",
    "Good Shepherd",
    "Harbor",
    "Cornerstone",
    "Bridges",
    "Lighthouse",
    "Unity",
    "Pathways",
    "Beacon",
    "Compass",
    "Riverton",
    "Second Chance",
    "Mercy",
    "Northside",
    "Family Promise",
    "Greater Riverton",
    "Helping Hands",
    "Journey",
)
CORES = (
    "Housing Partners",
    "Community Services",
    "Family Services",
    "Ministries",
    "Outreach Network",
    "Alliance",
    "Coalition",
    "Center",
    "Housing Corporation",
    "Youth Services",
    "Veterans Services",
    "Health Network",
)
VSP_NAME = "Safe Harbor Domestic Violence Services"
ADMINS = 3  # CoC HMIS lead staff


@dataclass
class Organizations:
    names: list[str]
    common_names: list[str]
    user_start: np.ndarray  # first user index of each organization
    user_count: np.ndarray
    users: int  # total users; user index u has UserID u + 1

    @property
    def count(self) -> int:
        return len(self.names)


def organization_count(projects: int) -> int:
    return max(6, projects // 4)


def build_organizations(count: int, projects_per_org: np.ndarray, streams: Streams) -> Organizations:
    rng = streams.rng("organizations")
    combos = [f"{p} {c}" for p in PREFIXES for c in CORES]
    order = rng.permutation(len(combos))
    chosen = [
        combos[i] if k < len(combos) else f"{combos[i]} {k // len(combos) + 1}"
        for k, i in ((k, order[k % len(combos)]) for k in range(count - 1))
    ]
    org_names = [VSP_NAME, *chosen]
    common = ["Safe Harbor", *[n.split(" ")[0] if len(n.split(" ")) > 2 else n for n in chosen]]
    user_count = 2 + 2 * projects_per_org
    user_start = ADMINS + np.concatenate([[0], np.cumsum(user_count)[:-1]])
    return Organizations(org_names, common, user_start, user_count, int(ADMINS + user_count.sum()))


def pick_users(rng: np.random.Generator, orgs: Organizations, organization: np.ndarray) -> np.ndarray:
    """A user (index) of each row's organization."""
    offset = np.floor(rng.random(len(organization)) * orgs.user_count[organization]).astype(np.int64)
    return orgs.user_start[organization] + offset


def user_ids(users: np.ndarray) -> np.ndarray:
    return users + 1


def organization_batch(orgs: Organizations, streams: Streams, period: Period) -> Batch:
    rng = streams.rng("organization-rows")
    n = orgs.count
    created_day = period.start - rng.integers(400, 4000, n)
    created, updated = stamps(rng, created_day, period.start - rng.integers(0, 300, n), period)
    vsp = np.zeros(n, np.int64)
    vsp[0] = 1
    return Batch(
        n,
        {
            "OrganizationName": pl.Series(orgs.names),
            "VictimServiceProvider": vsp,
            "OrganizationCommonName": pl.Series(orgs.common_names),
            "DateCreated": created,
            "DateUpdated": updated,
            "UserID": np.zeros(n, np.int64) + 1,
        },
    )


def user_batch(orgs: Organizations, streams: Streams, period: Period) -> Batch:
    rng = streams.rng("users")
    n = orgs.users
    female = rng.random(n) < 0.7
    first = names.first_names(rng, female)
    last = names.surnames(rng, n)
    # 555-0100 to 555-0199 are reserved for fiction; the pattern asks for [2-9]XX[2-9]XXXXXX.
    area = rng.choice(np.array(["202", "312", "415", "503", "617", "704", "801", "919"]), n)
    phone = np.char.add(np.char.add(area, "5550"), np.char.zfill(rng.integers(100, 200, n).astype(str), 3))
    email = np.char.lower(np.char.add(np.char.add(np.char.add(first, "."), last), "@example.org"))
    extension = np.where(rng.random(n) < 0.2, rng.integers(100, 999, n).astype(str), "")
    created_day = period.start - rng.integers(30, 2500, n)
    last_login = period.end - rng.integers(0, 60, n)  # users keep their profile current
    created, updated = stamps(rng, created_day, last_login, period)
    return Batch(
        n,
        {
            "UserID": np.arange(1, n + 1),
            "UserFirstName": pl.Series(first),
            "UserLastName": pl.Series(last),
            "UserPhone": pl.Series(phone),
            "UserExtension": pl.Series(extension).replace("", None),
            "UserEmail": pl.Series(email),
            "DateCreated": created,
            "DateUpdated": updated,
        },
    )
