"""Project descriptor files: Project, Funder, ProjectCoC, Affiliation, HMISParticipation, CEParticipation.

- Project (DE 2.02): RRHSubType only for RRH, HousingType for residential projects, ResidentialAffiliation for
  services-only projects (SSO, RRH services only), TargetPopulation (DV for the victim service provider, HIV for
  HOPWA), HOPWAMedAssistedLivingFac (2 = non-HOPWA), PITCount for residential projects from the data themselves.
- Funder (DE 2.06): the template's funder, and for some projects a local second source (funder 46 with its
  name); grant IDs shaped as each funder's are.
- ProjectCoC (DE 2.03): one row per CoC a project operates in, with its geocode, address, ZIP, geography type.
- Affiliation (DE 2.02.C): every SSO and RRH services-only project names a residential project.
- HMISParticipation (DE 2.08): participating since the project began (the VSP: comparable database).
- CEParticipation (DE 2.09): access points and projects that receive referrals, since the CE system began.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from hearth.synthetic.geography import COC_CODES, PLACES, STATE, STREETS
from hearth.synthetic.projects import (
    CE,
    DAY,
    ES_EE,
    ES_NBN,
    HOPWA_FUNDERS,
    OTHER,
    PROJECT_TYPES,
    RESIDENTIAL,
    RRH,
    SO,
    SSO,
    TEMPLATES,
)
from hearth.synthetic.timeline import NO_DATE, day, stamps, to_date
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch

LOCAL_FUNDERS = (
    "City of Riverton general fund",
    "County human services levy",
    "United Way of Riverton",
    "Private foundation grant",
    "Faith community donations",
)


def _meta(world: World, rows: int, created_day: np.ndarray, salt: str, user: np.ndarray | None = None) -> dict:
    rng = world.streams.rng(salt)
    updated_day = np.minimum(created_day + rng.integers(0, 900, rows), world.period.end)
    created, updated = stamps(rng, created_day, updated_day, world.period)
    users = user if user is not None else rng.integers(1, 4, rows)  # CoC HMIS administrators
    return {"DateCreated": created, "DateUpdated": updated, "UserID": users}


def residential(world: World) -> np.ndarray:
    p = world.projects
    return np.isin(p.ptype, RESIDENTIAL) | ((p.ptype == RRH) & (p.rrh_subtype == 2))


def affiliated(world: World) -> np.ndarray:
    p = world.projects
    return (p.ptype == SSO) | ((p.ptype == RRH) & (p.rrh_subtype == 1))


def pit_counts(world: World) -> np.ndarray:
    """Persons in each project on the last PIT night (last Wednesday of January) of the period."""
    end = to_date(world.period.end)
    jan31 = day(dt.date(end.year, 1, 31))
    pit = jan31 - ((jan31 + 1) % 7)  # 1970-01-01 was a Thursday, so day d is a Wednesday when (d + 1) % 7 == 0
    if pit > world.period.end:
        jan31 = day(dt.date(end.year - 1, 1, 31))
        pit = jan31 - ((jan31 + 1) % 7)
    enr = world.enrollments
    present = (enr.entry <= pit) & (np.where(enr.exited, enr.exit, world.period.end + 1) > pit)
    return np.bincount(enr.project[present], minlength=world.projects.count)


def project_batch(world: World) -> Batch:
    p = world.projects
    n = p.count
    rng = world.streams.rng("project-rows")
    vsp = p.flag("vsp")
    hopwa = p.funded_by(HOPWA_FUNDERS)
    target = np.where(vsp, 1, np.where(hopwa, 3, 4))
    return Batch(
        n,
        {
            "OrganizationID": p.organization + 1,
            "ProjectName": pl.Series(p.names),
            "ProjectCommonName": pl.Series([TEMPLATES[t].label for t in p.template]),
            "OperatingStartDate": p.operating_start,
            "ContinuumProject": np.where(np.isin(p.ptype, (OTHER, DAY)) & (rng.random(n) < 0.5), 0, 1),
            "ProjectType": p.ptype,
            "HousingType": np.where(residential(world), p.housing_type, -1),
            "RRHSubType": p.rrh_subtype,
            "ResidentialAffiliation": np.where(affiliated(world), 1, -1),
            "TargetPopulation": target,
            "HOPWAMedAssistedLivingFac": np.where(hopwa, 0, 2),
            "PITCount": np.where(residential(world) & ~vsp, pit_counts(world), -1),
            **_meta(world, n, np.maximum(p.operating_start, world.period.start - 3000), "project-meta"),
        },
    )


def funder_batch(world: World) -> Batch:
    p = world.projects
    rng = world.streams.rng("funders")
    second = np.flatnonzero(rng.random(p.count) < 0.2)
    project = np.concatenate([np.arange(p.count), second])
    funder = np.concatenate([p.funder, np.full(len(second), 46)])
    n = len(project)
    start = np.maximum(p.operating_start[project], world.period.start - rng.integers(100, 2000, n))
    start = np.where(np.arange(n) >= p.count, world.period.start + rng.integers(0, 365, n), start)
    year = (start.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970) % 100
    number = rng.integers(10, 999, n)
    grant = [
        _grant_id(int(f), int(y), int(k), int(i)) for i, (f, y, k) in enumerate(zip(funder, year, number, strict=True))
    ]
    other = np.where(funder == 46, np.array(LOCAL_FUNDERS)[rng.integers(0, len(LOCAL_FUNDERS), n)], "")
    return Batch(
        n,
        {
            "ProjectID": project + 1,
            "Funder": funder,
            "OtherFunder": pl.Series(other),
            "GrantID": pl.Series(grant),
            "StartDate": start,
            "EndDate": np.full(n, NO_DATE),
            **_meta(world, n, np.minimum(start, world.period.end), "funder-meta"),
        },
    )


def _grant_id(funder: int, year: int, number: int, row: int) -> str:
    """Grant numbers in each funder's style (one loop step per funder row; projects number in the hundreds)."""
    if funder in (1, 2, 3, 4, 5, 6, 7, 43, 44, 54, 55, 56):
        return f"XX0{number:03d}L9X01{year:02d}{row % 10}"
    if funder in (8, 9, 10, 11, 53):
        return f"E-{year:02d}-MC-99-{number:04d}"
    if funder in (13, 14, 15, 16, 17, 18, 19):
        return f"XXH{year:02d}F{number:03d}"
    if funder in (21,):
        return f"PATH-{year:02d}-{number:03d}"
    if funder in (22, 23, 24, 25, 26):
        return f"90YZ{number:04d}-{year:02d}"
    if funder in (20, 33, 37, 38, 39, 40, 41, 42, 45):
        return f"{year:02d}-XX-{number:03d}"
    return f"LOCAL-{year:02d}-{number:03d}"


def project_coc_rows(world: World) -> tuple[np.ndarray, np.ndarray]:
    """(project, CoC index) for every ProjectCoC row: projects serving both CoCs get two."""
    coc = world.projects.coc
    both = np.flatnonzero(coc < 0)
    project = np.concatenate([np.arange(len(coc)), both])
    codes = np.concatenate([np.where(coc < 0, 0, coc), np.ones(len(both), np.int64)])
    order = np.lexsort((codes, project))
    return project[order], codes[order]


def project_coc_batch(world: World) -> Batch:
    p = world.projects
    rng = world.streams.rng("project-coc")
    project, coc = project_coc_rows(world)
    n = len(project)
    place = p.place[project]
    place = np.where(np.array([PLACES[i].coc for i in place]) == coc, place, np.where(coc == 0, 0, 2))
    street = np.array(STREETS)[rng.integers(0, len(STREETS), n)]
    address = np.char.add(np.char.add(rng.integers(10, 4000, n).astype(str), " "), street)
    scattered = ~residential(world)[project] & (rng.random(n) < 0.1)
    zips = np.array([PLACES[i].zip_codes[k % len(PLACES[i].zip_codes)] for k, i in enumerate(place)])
    return Batch(
        n,
        {
            "ProjectID": project + 1,
            "CoCCode": pl.Series(np.array(COC_CODES)[coc]),
            "Geocode": pl.Series([PLACES[i].geocode for i in place]),
            "Address1": pl.Series(np.where(scattered, "", address)),
            "Address2": pl.Series(np.where(rng.random(n) < 0.1, "Suite " + rng.integers(100, 400, n).astype(str), "")),
            "City": pl.Series([PLACES[i].city for i in place]),
            "State": STATE,
            "ZIP": pl.Series(zips),
            "GeographyType": np.array([PLACES[i].geography_type for i in place]),
            **_meta(world, n, np.maximum(p.operating_start[project], world.period.start - 3000), "project-coc-meta"),
        },
    )


def affiliation_batch(world: World) -> Batch:
    p = world.projects
    rng = world.streams.rng("affiliations")
    services = np.flatnonzero(affiliated(world))
    homes = np.flatnonzero(residential(world) & ~p.flag("vsp"))
    picks = [rng.choice(homes, size=min(len(homes), 1 + int(rng.random() < 0.3)), replace=False) for _ in services]
    project = np.repeat(services, [len(x) for x in picks])
    res = np.concatenate(picks) if picks else np.zeros(0, np.int64)
    n = len(project)
    return Batch(
        n,
        {
            "ProjectID": project + 1,
            "ResProjectID": res + 1,
            **_meta(world, n, np.maximum(p.operating_start[project], world.period.start - 900), "aff-meta"),
        },
    )


def hmis_participation_batch(world: World) -> Batch:
    p = world.projects
    start = np.maximum(p.operating_start, day(dt.date(2012, 1, 1)))
    return Batch(
        p.count,
        {
            "ProjectID": np.arange(p.count) + 1,
            "HMISParticipationType": np.where(p.flag("vsp"), 2, 1),
            "HMISParticipationStatusStartDate": start,
            **_meta(world, p.count, start, "hmis-participation-meta"),
        },
    )


def ce_participation_batch(world: World) -> Batch:
    p = world.projects
    rng = world.streams.rng("ce-participation")
    n = p.count
    access = (p.ptype == CE) | (np.isin(p.ptype, (ES_EE, ES_NBN, SO)) & (rng.random(n) < 0.3))
    receives = np.isin(p.ptype, [t for t in PROJECT_TYPES if t not in (CE, DAY, OTHER, SO)])
    ce_start = day(dt.date(2018, 1, 1))  # HUD required coordinated entry from January 2018
    start = np.maximum(p.operating_start, ce_start)

    def flag(p_yes: float) -> np.ndarray:
        return np.where(access, (rng.random(n) < p_yes) * 1, -1)

    return Batch(
        n,
        {
            "ProjectID": np.arange(n) + 1,
            "AccessPoint": access * 1,
            "PreventionAssessment": np.where(p.ptype == CE, 1, flag(0.4)),
            "CrisisAssessment": np.where(p.ptype == CE, 1, flag(0.8)),
            "HousingAssessment": np.where(p.ptype == CE, 1, flag(0.5)),
            "DirectServices": flag(0.6),
            "ReceivesReferrals": receives * 1,
            "CEParticipationStatusStartDate": start,
            **_meta(world, n, start, "ce-participation-meta"),
        },
    )
