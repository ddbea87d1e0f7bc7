"""Inventory.csv (DE 2.07): beds and units of residential projects, by household type, sized from the data.

Each residential project gets one row per household type it served (2.07.4: without children, with adults and
children, only children) and per CoC it operates in, with enough beds for its average nightly census plus some
slack. Beds are split into the seven categories so that BedInventory is their sum: veteran and youth beds in
projects dedicated to them, chronically homeless beds in PSH, the rest "other". Units never exceed beds
(families share units). Emergency shelters carry Availability and ESBedType (2.07.5-6); some night-by-night
shelters add seasonal winter beds and overflow beds. A fifth of projects changed size during the period: their
old inventory ends the day before the new one starts.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from hearth.synthetic.geography import COC_CODES
from hearth.synthetic.project_records import project_coc_rows, residential
from hearth.synthetic.projects import ES_EE, ES_NBN, PSH
from hearth.synthetic.timeline import NO_DATE, day, stamps, to_date
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch

WITHOUT_CHILDREN, WITH_CHILDREN, ONLY_CHILDREN = 1, 3, 4
HOUSEHOLD_TYPES = (WITHOUT_CHILDREN, WITH_CHILDREN, ONLY_CHILDREN)
CATEGORIES = (
    "CHVetBedInventory",
    "YouthVetBedInventory",
    "VetBedInventory",
    "CHYouthBedInventory",
    "YouthBedInventory",
    "CHBedInventory",
    "OtherBedInventory",
)


def household_types(world: World) -> np.ndarray:
    """DE 2.07.4 household type of each episode, from who was in it at project start."""
    enr = world.enrollments
    episodes = world.episodes.count
    adults = np.bincount(enr.episode, weights=enr.adult, minlength=episodes)
    children = np.bincount(enr.episode, weights=~enr.adult, minlength=episodes)
    return np.select([(adults > 0) & (children > 0), adults > 0], [WITH_CHILDREN, WITHOUT_CHILDREN], ONLY_CHILDREN)


def bed_needs(world: World) -> np.ndarray:
    """(projects x 3) beds: average persons per night in the period by household type, plus slack."""
    enr, period = world.enrollments, world.period
    kind = household_types(world)[enr.episode]
    nights = np.minimum(np.where(enr.exited, enr.exit, period.end + 1), period.end + 1) - enr.entry
    census = np.zeros((world.projects.count, 3))
    for i, t in enumerate(HOUSEHOLD_TYPES):
        rows = kind == t
        census[:, i] = np.bincount(enr.project[rows], weights=nights[rows], minlength=world.projects.count)
    census /= period.days
    beds = np.where(census > 0, np.ceil(census * 1.2) + 1, 0)
    return beds.astype(np.int64)


def inventory_batch(world: World) -> Batch:
    p, period = world.projects, world.period
    rng = world.streams.rng("inventory")
    needs = bed_needs(world)
    vsp = p.flag("vsp")
    needs[vsp, 0] = rng.integers(8, 30, int(vsp.sum()))
    needs[vsp, 1] = rng.integers(10, 40, int(vsp.sum()))
    project, coc = project_coc_rows(world)
    share = np.where(p.coc[project] < 0, 0.5, 1.0)
    keep = residential(world)[project]
    project, coc, share = project[keep], coc[keep], share[keep]
    rows_project = np.repeat(project, 3)
    rows_coc = np.repeat(coc, 3)
    kind = np.tile(np.array(HOUSEHOLD_TYPES), len(project))
    beds = np.ceil(needs[rows_project, np.tile(np.arange(3), len(project))] * np.repeat(share, 3)).astype(np.int64)
    has = beds > 0
    rows_project, rows_coc, kind, beds = rows_project[has], rows_coc[has], kind[has], beds[has]
    start = np.maximum(p.operating_start[rows_project], day(dt.date(2010, 1, 1)))
    end = np.full(len(beds), NO_DATE)
    availability = np.where(np.isin(p.ptype[rows_project], (ES_EE, ES_NBN)), 1, -1)

    # A size change during the period: the old row ends, the new one (current beds) starts the next day.
    changed = np.flatnonzero(rng.random(len(beds)) < 0.2)
    change_day = period.start + rng.integers(30, max(31, period.days - 30), len(changed))
    old_beds = np.maximum(1, np.round(beds[changed] * rng.uniform(0.6, 1.3, len(changed)))).astype(np.int64)
    new_start = start.copy()
    new_start[changed] = np.maximum(change_day, start[changed] + 1)
    rows_project = np.concatenate([rows_project, rows_project[changed]])
    rows_coc = np.concatenate([rows_coc, rows_coc[changed]])
    kind = np.concatenate([kind, kind[changed]])
    beds = np.concatenate([beds, old_beds])
    end = np.concatenate([end, new_start[changed] - 1])
    start = np.concatenate([new_start, start[changed]])
    availability = np.concatenate([availability, availability[changed]])

    # Winter (seasonal) and overflow beds at some night-by-night shelters.
    nbn = np.flatnonzero((p.ptype == ES_NBN) & (rng.random(p.count) < 0.5))
    winter_end = to_date(period.end)
    winter_year = winter_end.year - 1 if winter_end.month < 11 else winter_end.year
    seasonal_start = day(dt.date(winter_year - 1, 11, 1))
    extra_project = np.concatenate([nbn, nbn])
    extra_avail = np.concatenate([np.full(len(nbn), 2), np.full(len(nbn), 3)])
    pick = rng.random(len(extra_project)) < np.where(extra_avail == 2, 1.0, 0.4)
    extra_project, extra_avail = extra_project[pick], extra_avail[pick]
    m = len(extra_project)
    extra_coc = np.where(p.coc[extra_project] < 0, 0, p.coc[extra_project])
    rows_project = np.concatenate([rows_project, extra_project])
    rows_coc = np.concatenate([rows_coc, extra_coc])
    kind = np.concatenate([kind, np.full(m, WITHOUT_CHILDREN)])
    beds = np.concatenate([beds, rng.integers(5, 31, m)])
    start = np.concatenate([start, np.where(extra_avail == 2, seasonal_start, period.start + 200)])
    end = np.concatenate([end, np.where(extra_avail == 2, day(dt.date(winter_year, 3, 31)), NO_DATE)])
    availability = np.concatenate([availability, extra_avail])

    n = len(beds)
    units = np.select([kind == WITH_CHILDREN], [np.ceil(beds / 3.2).astype(np.int64)], beds)
    categories = _categories(world, rows_project, beds, rng)
    es = np.isin(p.ptype[rows_project], (ES_EE, ES_NBN))
    bed_type = np.where(es, np.where((p.ptype[rows_project] == ES_EE) & (rng.random(n) < 0.2), 2, 1), -1)
    created, updated = stamps(rng, np.minimum(start, period.end), np.minimum(start + 30, period.end), period)
    return Batch(
        n,
        {
            "ProjectID": rows_project + 1,
            "CoCCode": pl.Series(np.array(COC_CODES)[rows_coc]),
            "HouseholdType": kind,
            "Availability": availability,
            "UnitInventory": units,
            "BedInventory": beds,
            **categories,
            "ESBedType": bed_type,
            "InventoryStartDate": start,
            "InventoryEndDate": end,
            "DateCreated": created,
            "DateUpdated": updated,
            "UserID": rng.integers(1, 4, n),
        },
    )


def _categories(world: World, project: np.ndarray, beds: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    p = world.projects
    veteran = p.flag("veterans_only")[project]
    youth = p.flag("youth_only")[project]
    chronic_share = np.where(p.ptype[project] == PSH, 0.4, 0.0)
    chronic = np.floor(beds * chronic_share * rng.uniform(0.5, 1.0, len(beds))).astype(np.int64)
    rest = beds - chronic
    out = {name: np.zeros(len(beds), np.int64) for name in CATEGORIES}
    out["CHVetBedInventory"] = np.where(veteran, chronic, 0)
    out["VetBedInventory"] = np.where(veteran, rest, 0)
    out["CHYouthBedInventory"] = np.where(youth & ~veteran, chronic, 0)
    out["YouthBedInventory"] = np.where(youth & ~veteran, rest, 0)
    out["CHBedInventory"] = np.where(~youth & ~veteran, chronic, 0)
    out["OtherBedInventory"] = np.where(~youth & ~veteran, rest, 0)
    return out
