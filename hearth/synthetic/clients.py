"""Client.csv: one row per Client record, with the identifying data of identities.py, DE 3.04 race and ethnicity,
DE 4.21 sex and DE 3.07 veteran status with the V1 veteran information.

Race and ethnicity are a multi-select: at least one 1, or none and RaceNone 8, 9 or 99. Veterans' V1 answers
follow from when they served. Rows are ordered by PersonalID, so a second record does not sit next to the first.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from hearth.synthetic.streams import choice
from hearth.synthetic.timeline import stamps
from hearth.synthetic.world import World
from hearth.synthetic.writer import Batch, Value

RACES = ("AmIndAKNative", "Asian", "BlackAfAmerican", "HispanicLatinao", "MidEastNAfrican", "NativeHIPacific", "White")
RACE_SHARES = (0.04, 0.02, 0.37, 0.0, 0.012, 0.015, 0.5)  # primary race; Hispanic/Latina/o drawn on its own
ADDITIONAL = {
    "AmIndAKNative": ["Navajo", "Lakota", "Cherokee", "Ojibwe"],
    "Asian": ["Vietnamese", "Hmong", "Filipino", "Korean"],
    "BlackAfAmerican": ["Haitian", "Somali", "Jamaican", "Ethiopian"],
    "HispanicLatinao": ["Mexican", "Puerto Rican", "Salvadoran", "Guatemalan"],
    "MidEastNAfrican": ["Iraqi", "Syrian", "Egyptian", "Lebanese"],
    "NativeHIPacific": ["Samoan", "Native Hawaiian", "Marshallese", "Tongan"],
    "White": ["Irish", "Polish", "Italian", "German"],
}
# (column, first year, last year) of the theaters of operations (V1.3-V1.9).
THEATERS = (
    ("WorldWarII", 1941, 1945),
    ("KoreanWar", 1950, 1953),
    ("VietnamWar", 1964, 1975),
    ("DesertStorm", 1990, 1991),
    ("AfghanistanOEF", 2001, 2021),
    ("IraqOIF", 2003, 2010),
    ("IraqOND", 2010, 2011),
)


def race(rng: np.random.Generator, n: int) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Race/ethnicity flags, RaceNone (-1 unless none marked) and AdditionalRaceEthnicity text."""
    primary = choice(rng, list(range(len(RACES))), list(RACE_SHARES), n)
    second = choice(rng, list(range(len(RACES))), [0.2, 0.1, 0.25, 0.0, 0.05, 0.05, 0.35], n)
    multi = rng.random(n) < 0.07
    hispanic = rng.random(n) < 0.22
    none = rng.random(n) < 0.03
    flags = {}
    for i, name in enumerate(RACES):
        marked = (primary == i) | (multi & (second == i)) | ((name == "HispanicLatinao") & hispanic)
        flags[name] = np.where(none, 0, marked.astype(np.int64))
    race_none = np.where(none, choice(rng, [8, 9, 99], [0.3, 0.3, 0.4], n), -1)
    additional_from = np.where(hispanic & (rng.random(n) < 0.5), 3, primary)
    options = np.array([ADDITIONAL[r] for r in RACES])
    text = options[additional_from, rng.integers(0, 4, n)]
    additional = np.where(~none & (rng.random(n) < 0.06), text, "")
    return flags, race_none, additional


def veteran_details(
    rng: np.random.Generator, veteran: np.ndarray, dob: np.ndarray, first_entry: np.ndarray, export_year: int
) -> dict[str, np.ndarray]:
    """V1 veteran information, only for veterans (VeteranStatus 1)."""
    n = len(veteran)
    vet = veteran == 1
    born = dob.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    entered_year = first_entry.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    joined = born + 18 + rng.integers(0, 12, n)
    joined = np.minimum(joined, entered_year - 1)
    left = np.minimum(joined + rng.integers(2, 21, n), np.minimum(entered_year, export_year))
    cols: dict[str, np.ndarray] = {
        "YearEnteredService": np.where(vet, np.where(rng.random(n) < 0.05, -1, joined), -1),
        "YearSeparated": np.where(vet, np.where(rng.random(n) < 0.05, -1, left), -1),
    }
    for name, start, end in THEATERS:
        overlap = (joined <= end) & (left >= start)
        served = np.where(overlap & (rng.random(n) < 0.5), 1, 0)
        cols[name] = np.where(vet, np.where(rng.random(n) < 0.02, 99, served), -1)
    cols["OtherTheater"] = np.where(vet, choice(rng, [0, 1, 8, 99], [0.85, 0.1, 0.02, 0.03], n), -1)
    branch = choice(rng, [1, 2, 3, 4, 6, 8, 9, 99], [0.45, 0.15, 0.2, 0.13, 0.03, 0.01, 0.01, 0.02], n)
    cols["MilitaryBranch"] = np.where(vet, branch, -1)
    discharge = choice(rng, [1, 2, 4, 5, 6, 7, 8, 9, 99], [0.7, 0.15, 0.02, 0.01, 0.05, 0.02, 0.02, 0.01, 0.02], n)
    cols["DischargeStatus"] = np.where(vet, discharge, -1)
    return cols


def client_batch(world: World) -> Batch:
    """Client.csv rows, ordered by PersonalID (so a second record does not sit next to the first)."""
    rng = world.streams.rng("client-rows")
    people, enr, period = world.people, world.enrollments, world.period
    p = world.people.count
    flags, race_none, additional = race(world.streams.rng("race"), p)
    first_entry = np.full(world.clients, period.end, np.int64)
    np.minimum.at(first_entry, enr.record, enr.entry)
    last_day = np.full(world.clients, period.start, np.int64)
    np.maximum.at(last_day, enr.record, enr.last_day(period))
    # The record was created by the organization of its first enrollment.
    by_record = np.lexsort((enr.entry, enr.record))
    records_seen, first_row = np.unique(enr.record[by_record], return_index=True)
    project = np.zeros(world.clients, np.int64)
    project[records_seen] = enr.project[by_record[first_row]]
    unenrolled = np.bincount(enr.record, minlength=world.clients) == 0
    first_entry = np.where(unenrolled, period.start + rng.integers(0, period.days, world.clients), first_entry)
    last_day = np.where(unenrolled, first_entry, last_day)
    records = world.records
    person = records.person
    veteran_cols = veteran_details(
        world.streams.rng("veterans"), people.veteran, world.dob, world.first_entry, period.year
    )
    created, updated = stamps(rng, first_entry, last_day, period)
    order = np.argsort(world.personal_id, kind="stable")
    columns: dict[str, Value] = {
        "PersonalID": world.personal_id,
        "FirstName": pl.Series(records.first),
        "MiddleName": pl.Series(records.middle),
        "LastName": pl.Series(records.last),
        "NameSuffix": pl.Series(records.suffix),
        "NameDataQuality": records.name_quality,
        "SSN": pl.Series(records.ssn),
        "SSNDataQuality": records.ssn_quality,
        "DOB": records.dob,
        "DOBDataQuality": records.dob_quality,
        "Sex": people.sex[person],
        **{name: values[person] for name, values in flags.items()},
        "RaceNone": race_none[person],
        "AdditionalRaceEthnicity": pl.Series(additional[person]),
        "VeteranStatus": people.veteran[person],
        **{name: values[person] for name, values in veteran_cols.items()},
        "DateCreated": created,
        "DateUpdated": updated,
        "UserID": world.users_for_projects(rng, project),
    }
    ordered = {k: (v[order] if isinstance(v, np.ndarray | pl.Series) else v) for k, v in columns.items()}
    return Batch(world.clients, ordered)
