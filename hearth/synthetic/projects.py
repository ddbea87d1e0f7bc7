"""The CoC's projects (DE 2.02): every project type of list 2.02.6, funded the way such projects are.

Projects come from templates: a project type with its usual funder (list 2.06.1), the households it serves
(single adults, families, youth; veterans, people with HIV/AIDS) and how it houses them. Every template gets at
least one project; larger CoCs get more, about one project per 2,000 clients, in proportion to how common each
kind is. The victim service provider's projects enter no client data in HMIS (VSPs use a comparable
database), so they appear in the project descriptor files only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hearth.synthetic.streams import Streams

# DE 2.02.6 project types.
ES_EE, ES_NBN, TH, PSH, SO, SSO, OTHER, SH, PH_HO, PH_HS, DAY, HP, RRH, CE = (
    0,
    1,
    2,
    3,
    4,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
)
PROJECT_TYPES = (ES_EE, ES_NBN, TH, PSH, SO, SSO, OTHER, SH, PH_HO, PH_HS, DAY, HP, RRH, CE)
RESIDENTIAL = (ES_EE, ES_NBN, TH, PSH, SH, PH_HO, PH_HS)  # plus RRH with RRHSubType 2
MOVE_IN_TYPES = (PSH, PH_HO, PH_HS, RRH)  # DE 3.20 housing move-in date
CLIENTS_PER_PROJECT = 2_000

# Funders (list 2.06.1) that bring program-specific data elements.
PATH_FUNDERS = (21,)
RHY_FUNDERS = (22, 23, 24, 25, 26)
HOPWA_FUNDERS = (13, 14, 15, 16, 17, 18, 19)
SSVF_FUNDERS = (33,)
VASH_FUNDERS = (20,)
GPD_FUNDERS = (37, 38, 39, 40, 41, 42, 45)
YHDP_FUNDERS = (43,)
COC_PSH_FUNDERS = (2,)


@dataclass(frozen=True)
class Template:
    label: str
    ptype: int
    funder: int
    weight: float
    singles: bool = True
    families: bool = False
    youth: bool = True
    youth_only: bool = False
    veterans_only: bool = False
    hiv_only: bool = False
    rrh_subtype: int = -1
    housing_types: tuple[int, ...] = ()
    vsp: bool = False


TEMPLATES = (
    Template("Night Shelter", ES_NBN, 8, 8.0, housing_types=(1,)),
    Template("Emergency Shelter", ES_EE, 8, 5.0, housing_types=(1,)),
    Template("Family Shelter", ES_EE, 8, 5.0, singles=False, families=True, youth=False, housing_types=(1, 2)),
    Template("Youth Shelter", ES_EE, 22, 1.5, youth_only=True, housing_types=(1,)),
    Template("Transitional Housing", TH, 5, 3.0, families=True, housing_types=(1, 2)),
    Template("Veterans Bridge Housing", TH, 37, 1.5, youth=False, veterans_only=True, housing_types=(1,)),
    Template("Transitional Living Program", TH, 24, 1.0, youth_only=True, housing_types=(1, 2)),
    Template("HOPWA Transitional Housing", TH, 19, 0.5, families=True, hiv_only=True, housing_types=(2,)),
    Template("Permanent Supportive Housing", PSH, 2, 6.0, families=True, housing_types=(1, 2, 3)),
    Template("HUD-VASH", PSH, 20, 2.0, families=True, youth=False, veterans_only=True, housing_types=(3,)),
    Template("HOPWA Permanent Housing", PSH, 15, 0.7, families=True, hiv_only=True, housing_types=(3,)),
    Template("Street Outreach", SO, 11, 2.0, families=True),
    Template("PATH Outreach", SO, 21, 1.5, youth=False),
    Template("Youth Street Outreach", SO, 25, 0.7, youth_only=True),
    Template("Supportive Services", SSO, 4, 2.0, families=True),
    Template("Community Services", OTHER, 46, 1.5, families=True),
    Template("Safe Haven", SH, 6, 0.7, youth=False, housing_types=(1,)),
    Template("Emergency Housing Vouchers", PH_HO, 52, 1.2, families=True, housing_types=(3,)),
    Template("Affordable Housing with Services", PH_HS, 50, 1.2, families=True, housing_types=(1, 2)),
    Template("Day Center", DAY, 46, 1.5),
    Template("Homelessness Prevention", HP, 9, 2.5, families=True),
    Template("SSVF Prevention", HP, 33, 0.8, families=True, youth=False, veterans_only=True),
    Template("Rapid Re-Housing", RRH, 3, 4.0, families=True, rrh_subtype=2, housing_types=(3,)),
    Template("ESG Rapid Re-Housing", RRH, 10, 2.0, families=True, rrh_subtype=2, housing_types=(3,)),
    Template(
        "SSVF Rapid Re-Housing",
        RRH,
        33,
        1.2,
        families=True,
        youth=False,
        veterans_only=True,
        rrh_subtype=2,
        housing_types=(3,),
    ),
    Template("Youth Rapid Re-Housing", RRH, 43, 0.8, families=True, youth_only=True, rrh_subtype=2, housing_types=(3,)),
    Template("RRH Case Management", RRH, 10, 1.0, families=True, rrh_subtype=1),
    Template("Coordinated Entry", CE, 4, 1.5, families=True),
    Template("DV Emergency Shelter", ES_EE, 8, 0.6, families=True, housing_types=(1,), vsp=True),
    Template("DV Transitional Housing", TH, 5, 0.4, families=True, housing_types=(2,), vsp=True),
    Template("DV Rapid Re-Housing", RRH, 3, 0.4, families=True, rrh_subtype=2, housing_types=(3,), vsp=True),
)


@dataclass
class Projects:
    """One entry per project (index = position; ProjectID = index + 1)."""

    template: np.ndarray
    ptype: np.ndarray
    funder: np.ndarray
    rrh_subtype: np.ndarray
    housing_type: np.ndarray
    organization: np.ndarray
    coc: np.ndarray  # index into COC_CODES; -1 = serves both CoCs
    place: np.ndarray  # index into PLACES
    popularity: np.ndarray
    operating_start: np.ndarray  # day
    names: list[str]

    @property
    def count(self) -> int:
        return len(self.ptype)

    def flag(self, attribute: str) -> np.ndarray:
        return np.array([getattr(TEMPLATES[t], attribute) for t in self.template], dtype=bool)

    @property
    def ids(self) -> np.ndarray:
        return np.arange(1, self.count + 1)

    def funded_by(self, funders: tuple[int, ...]) -> np.ndarray:
        return np.isin(self.funder, funders)


def project_counts(clients: int) -> np.ndarray:
    """How many projects of each template: one of each, the rest in proportion to the templates' weights."""
    total = max(len(TEMPLATES), round(clients / CLIENTS_PER_PROJECT))
    weights = np.array([t.weight for t in TEMPLATES])
    extra = total - len(TEMPLATES)
    share = weights / weights.sum() * extra
    counts = np.floor(share).astype(np.int64)
    remainder = extra - counts.sum()
    counts[np.argsort(-(share - counts), kind="stable")[:remainder]] += 1
    return counts + 1


def build_projects(clients: int, streams: Streams, period_start: int, organizations: int) -> Projects:
    from hearth.synthetic.geography import PLACES

    rng = streams.rng("projects")
    counts = project_counts(clients)
    template = np.repeat(np.arange(len(TEMPLATES)), counts)
    n = len(template)
    ptype = np.array([TEMPLATES[t].ptype for t in template])
    funder = np.array([TEMPLATES[t].funder for t in template])
    rrh = np.array([TEMPLATES[t].rrh_subtype for t in template])
    housing = np.array([rng.choice(TEMPLATES[t].housing_types) if TEMPLATES[t].housing_types else -1 for t in template])
    vsp = np.array([TEMPLATES[t].vsp for t in template])
    # Organization 0 is the victim service provider; the others share the remaining projects.
    organization = np.where(vsp, 0, 1 + rng.integers(0, max(1, organizations - 1), n))
    place = rng.choice(len(PLACES), size=n, p=np.array([0.45, 0.1, 0.15, 0.1, 0.1, 0.1]))
    coc = np.array([PLACES[p].coc for p in place])
    # SSVF grantees commonly cover several CoCs.
    coc = np.where(np.isin(funder, SSVF_FUNDERS) & (rng.random(n) < 0.5), -1, coc)
    popularity = np.exp(rng.normal(0.0, 0.5, n))
    years_before = rng.integers(1, 25, n)
    operating_start = period_start - years_before * 365 - rng.integers(0, 365, n)
    # The CE system and newer program types started more recently.
    recent = np.isin(ptype, (CE, RRH)) | np.isin(funder, (52, 43))
    operating_start = np.where(recent, period_start - rng.integers(60, 2500, n), operating_start)
    seen: dict[str, int] = {}
    names = []
    for i, t in enumerate(template):
        city = PLACES[place[i]].city
        base = f"{city} {TEMPLATES[t].label}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base} {seen[base]}")
    return Projects(template, ptype, funder, rrh, housing, organization, coc, place, popularity, operating_start, names)
