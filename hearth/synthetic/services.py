"""Services.csv: night-by-night shelter bed nights (DE 4.14) and funder-specific services.

Bed nights (RecordType 200, TypeProvided 200) are how a night-by-night shelter (ProjectType 1) records a stay:
one per night from the EntryDate up to, not including, the ExitDate, or through the last day of the period for
clients still staying; checked in in the evening. They are most of the export's rows, so they are expanded with
``np.repeat`` chunk by chunk and never held all at once.

Other services, by the project's funder, for heads of household and adults, dated within the stay:
PATH services (141, P1.2) and referrals (161, P2.2 with outcome P2.A); RHY service connections (142, R14.2);
HOPWA services (143, W1.2) and financial assistance (151, W2.2 with amount); SSVF services (144, V2.2 with
V2.A-C sub-types and "other" text) and financial assistance (152, V3.3 with amount; rental assistance with its
period); HUD-VASH voucher tracking (210, V8.2, following the voucher from referral to lease-up); Moving On
assistance (300, C2.2) for PSH residents leaving for permanent housing.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl

from hearth.synthetic.collection import chunks
from hearth.synthetic.enrollments import Enrollments
from hearth.synthetic.living_situation import RENTAL_WITH_SUBSIDY
from hearth.synthetic.projects import (
    COC_PSH_FUNDERS,
    ES_NBN,
    HOPWA_FUNDERS,
    PATH_FUNDERS,
    PSH,
    RHY_FUNDERS,
    SSVF_FUNDERS,
    VASH_FUNDERS,
)
from hearth.synthetic.streams import choice
from hearth.synthetic.timeline import DAY, NO_DATE, entry_lag, stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch, Value

BED_NIGHT = 200
EVENING = (18 * 3600, 22 * 3600)
OTHER_SSVF = np.array(["Furniture pickup", "Landlord mediation", "Document replacement"])
OTHER_VASH = np.array(["Voucher transferred to project-based unit", "Inspection rescheduled"])
OTHER_MOVING_ON = np.array(["Furniture for new apartment", "Moving truck rental"])


def services_batches(world: World) -> Iterator[Batch]:
    enr = world.enrollments
    for index, rows in chunks(enr.count):
        rng = world.streams.rng("services", index)
        e = enr.take(rows)
        yield _bed_nights(world, e, rows.start, rng)
        yield _funded_services(world, e, rows.start, rng)


def _bed_nights(world: World, e: Enrollments, offset: int, rng: np.random.Generator) -> Batch:
    nbn = np.flatnonzero(e.ptype == ES_NBN)
    stop = np.where(e.exited[nbn], e.exit[nbn], world.period.end + 1)
    nights = stop - e.entry[nbn]
    row = np.repeat(nbn, nights)
    first = np.repeat(np.cumsum(nights) - nights, nights)
    date = e.entry[row] + (np.arange(len(row)) - first)
    stamp = date.astype(np.int64) * DAY + rng.integers(*EVENING, len(row))
    organization = world.projects.organization[e.project[nbn]]
    orgs = world.organizations
    user = orgs.user_start[organization] + np.floor(rng.random(len(nbn)) * orgs.user_count[organization]).astype(
        np.int64
    )
    return Batch(
        len(row),
        {
            "EnrollmentID": offset + row + 1,
            "PersonalID": world.personal_id[e.record[row]],
            "DateProvided": date,
            "RecordType": BED_NIGHT,
            "TypeProvided": BED_NIGHT,
            "DateCreated": stamp,
            "DateUpdated": stamp,
            "UserID": np.repeat(user + 1, nights),
        },
    )


def _events(
    rng: np.random.Generator, who: np.ndarray, e: Enrollments, last: np.ndarray, per_days: float, base: int, cap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows (repeated per service) and dates within each selected enrollment's stay."""
    rows = np.flatnonzero(who)
    stay = last[rows] - e.entry[rows]
    count = np.minimum(base + rng.poisson(stay / per_days), cap)
    row = np.repeat(rows, count)
    date = e.entry[row] + np.floor(rng.random(len(row)) * (last[row] - e.entry[row] + 1)).astype(np.int64)
    return row, date


def _funded_services(world: World, e: Enrollments, offset: int, rng: np.random.Generator) -> Batch:
    funder = world.funder(e.project)
    last = e.last_day(world.period)
    asked = e.hoh | e.adult
    parts: list[dict[str, np.ndarray]] = []

    def add(row: np.ndarray, date: np.ndarray, record: int, kind: np.ndarray, **extra: np.ndarray) -> None:
        n = len(row)
        part = {"row": row, "DateProvided": date, "RecordType": np.full(n, record), "TypeProvided": kind}
        part.update(extra)
        parts.append(part)

    path = np.isin(funder, PATH_FUNDERS) & asked
    row, date = _events(rng, path, e, last, 20, 1, 12)
    add(
        row,
        date,
        141,
        choice(rng, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14], [8, 20, 2, 12, 8, 30, 3, 1, 2, 6, 2, 1, 5], len(row)),
    )
    row, date = _events(rng, path & (rng.random(e.count) < 0.5), e, last, 120, 1, 3)
    add(
        row, date, 161, rng.integers(1, 12, len(row)), ReferralOutcome=choice(rng, [1, 2, 3], [0.5, 0.2, 0.3], len(row))
    )

    rhy = np.isin(funder, RHY_FUNDERS) & asked
    row, date = _events(rng, rhy, e, last, 15, 1, 12)
    add(
        row,
        date,
        142,
        choice(
            rng,
            [2, 5, 6, 7, 8, 10, 12, 13, 14, 17, 18, 26, 27, 28, 29],
            [3, 12, 14, 5, 15, 3, 1, 2, 12, 4, 5, 8, 1, 4, 11],
            len(row),
        ),
    )

    hopwa = np.isin(funder, HOPWA_FUNDERS) & asked
    row, date = _events(rng, hopwa, e, last, 30, 1, 24)
    add(row, date, 143, rng.integers(1, 15, len(row)))
    row, date = _events(rng, hopwa, e, last, 60, 0, 12)
    add(
        row,
        date,
        151,
        choice(rng, [1, 2, 3, 4, 7], [0.6, 0.1, 0.05, 0.2, 0.05], len(row)),
        FAAmount=rng.integers(150, 1500, len(row)) * 100,
    )

    ssvf = np.isin(funder, SSVF_FUNDERS) & e.hoh
    row, date = _events(rng, ssvf, e, last, 20, 1, 15)
    kind = choice(rng, list(range(1, 11)), [6, 30, 12, 10, 5, 8, 3, 2, 4, 5], len(row))
    sub = np.select(
        [kind == 3, kind == 4, kind == 5],
        [rng.integers(1, 5, len(row)), rng.integers(1, 14, len(row)), rng.integers(1, 12, len(row))],
        -1,
    )
    other = np.where(kind == 6, OTHER_SSVF[rng.integers(0, len(OTHER_SSVF), len(row))], "")
    add(row, date, 144, kind, SubTypeProvided=sub, OtherTypeProvided=other)
    row, date = _events(rng, ssvf, e, last, 45, 0, 8)
    kind = choice(
        rng, [1, 2, 3, 4, 5, 8, 9, 10, 12, 14, 15, 16, 17, 18], [40, 12, 4, 8, 6, 3, 2, 3, 5, 6, 3, 3, 3, 2], len(row)
    )
    fa_end = np.minimum(date + 29, world.period.end)
    add(
        row,
        date,
        152,
        kind,
        FAAmount=rng.integers(50, 2200, len(row)) * 100 + rng.integers(0, 100, len(row)),
        FAStartDate=np.where(kind == 1, date, NO_DATE),
        FAEndDate=np.where(kind == 1, fa_end, NO_DATE),
    )

    vash = np.flatnonzero(np.isin(funder, VASH_FUNDERS) & e.hoh)
    steps = [
        (vash, e.entry[vash], 1),
        (vash, np.minimum(e.entry[vash] + rng.integers(5, 40, len(vash)), last[vash]), 3),
    ]
    moved = vash[e.move_in[vash] != NO_DATE]
    steps.append((moved, e.move_in[moved], 5))
    for row, date, kind_value in steps:
        add(row, date, 210, np.full(len(row), kind_value))

    leaving = (
        np.isin(funder, COC_PSH_FUNDERS)
        & (e.ptype == PSH)
        & e.hoh
        & e.exited
        & np.isin(world.stays.destination[e.episode], (410, RENTAL_WITH_SUBSIDY))
    )
    rows = np.flatnonzero(leaving & (rng.random(e.count) < 0.7))
    row = np.repeat(rows, rng.integers(1, 3, len(rows)))
    start = np.maximum(e.entry[row], e.exit[row] - 90)
    date = start + np.floor(rng.random(len(row)) * (e.exit[row] - start + 1)).astype(np.int64)
    kind = rng.integers(1, 6, len(row))
    add(row, date, 300, kind, MovingOnOtherType=np.where(kind == 5, OTHER_MOVING_ON[rng.integers(0, 2, len(row))], ""))
    return _combine(world, e, offset, parts, rng)


def _combine(
    world: World, e: Enrollments, offset: int, parts: list[dict[str, np.ndarray]], rng: np.random.Generator
) -> Batch:
    names = ["SubTypeProvided", "FAAmount", "ReferralOutcome"]
    dates = ["FAStartDate", "FAEndDate"]
    texts = ["OtherTypeProvided", "MovingOnOtherType"]
    merged: dict[str, np.ndarray] = {}
    for key in ["row", "DateProvided", "RecordType", "TypeProvided", *names, *dates, *texts]:
        default = NO_DATE if key in dates else "" if key in texts else -1
        merged[key] = np.concatenate([p.get(key, np.full(len(p["row"]), default)) for p in parts])
    order = np.lexsort((merged["RecordType"], merged["DateProvided"], merged["row"]))
    merged = {k: v[order] for k, v in merged.items()}
    row = merged.pop("row")
    date = merged["DateProvided"]
    created, updated = stamps(rng, entry_lag(rng, date, world.period), date, world.period)
    columns: dict[str, Value] = {
        "EnrollmentID": offset + row + 1,
        "PersonalID": world.personal_id[e.record[row]],
        **{k: v for k, v in merged.items() if k not in texts},
        **{k: pl.Series(merged[k]) for k in texts},
        "DateCreated": created,
        "DateUpdated": updated,
        "UserID": world.users_for_projects(rng, e.project[row]),
    }
    return Batch(len(row), columns)
