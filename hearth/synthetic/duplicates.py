"""Duplicate client records: the same person entered twice, as happens when an intake worker does not find
the existing record.

A known share of people get a second Client record (a new PersonalID) that their later enrollments use. The
second record differs from the first the way real duplicates do: a typo in a name (letters transposed, dropped,
doubled or replaced), first and last name swapped, a nickname (Robert / Bob), a DOB with month and day swapped
or digits transposed, an SSN left out or with two digits transposed (never in the area number, which stays in
the never-issued 900-999 range). Every duplicate differs in at least one way, many in two.

The ground truth (which PersonalIDs are the same person) is written beside the export, never inside it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from hearth.synthetic.enrollments import Enrollments
from hearth.synthetic.identities import ClientRecords
from hearth.synthetic.names import NICKNAMES
from hearth.synthetic.timeline import NO_DATE

TYPO, SWAP, NICKNAME, DOB, SSN = 0, 1, 2, 3, 4
LETTERS = np.array(list("aeioulnrst"))


def duplicate_count(clients: int, share: float) -> int:
    """Duplicate records among ``clients`` Client records when ``share`` of people have a second record."""
    return round(clients * share / (1 + share))


def assign_records(rng: np.random.Generator, enrollments: Enrollments, persons: int, count: int) -> np.ndarray:
    """Choose the people with a second record and move their later enrollments to it.

    Returns the person of each duplicate record (record ``persons + i`` belongs to person ``result[i]``); people
    with at least two enrollments are chosen first, so the second record carries enrollments of its own.
    """
    n = enrollments.count
    order = np.lexsort((np.arange(n), enrollments.entry, enrollments.person))
    per_person = np.bincount(enrollments.person, minlength=persons)
    first = np.cumsum(per_person) - per_person
    ordinal = np.empty(n, np.int64)
    ordinal[order] = np.arange(n) - first[enrollments.person[order]]
    several = np.flatnonzero(per_person >= 2)
    taken = min(count, len(several))
    chosen = np.sort(rng.choice(several, taken, replace=False)) if taken else np.zeros(0, np.int64)
    others = np.setdiff1d(np.arange(persons), chosen)
    extra = np.sort(rng.choice(others, count - taken, replace=False)) if count > taken else np.zeros(0, np.int64)
    split = np.zeros(persons, np.int64)
    split[chosen] = 1 + np.floor(rng.random(taken) * (per_person[chosen] - 1)).astype(np.int64)
    slot = np.full(persons, -1)
    slot[chosen] = np.arange(taken)
    mine = slot[enrollments.person]
    moved = (mine >= 0) & (ordinal >= split[enrollments.person])
    enrollments.record[moved] = persons + mine[moved]
    return np.concatenate([chosen, extra])


def vary(rng: np.random.Generator, base: ClientRecords, first_entry: np.ndarray) -> ClientRecords:
    """Second records for the people in ``base``, each with one or two realistic differences."""
    n = len(base.person)
    out = base.take(np.arange(n))
    kind = rng.choice(5, n, p=[0.3, 0.1, 0.2, 0.2, 0.2])
    second = np.where(rng.random(n) < 0.3, rng.choice(5, n), -1)
    has_nickname = pl.Series(out.first).is_in(list(NICKNAMES)).to_numpy()
    kind = np.where((kind == NICKNAME) & ~has_nickname, TYPO, kind)
    kind = np.where((kind == SSN) & (out.ssn_quality != 1), TYPO, kind)
    new_dob, dob_ok = _vary_dob(rng, out.dob, first_entry)
    kind = np.where((kind == DOB) & ~dob_ok, TYPO, kind)
    kind = np.where((kind == SWAP) & ((out.first == "") | (out.last == "")), TYPO, kind)

    def doing(k: int) -> np.ndarray:
        return (kind == k) | (second == k)

    has_first = out.first != ""
    typo_first = has_first & ((rng.random(n) < 0.5) | (out.last == ""))
    out.first = np.where(doing(TYPO) & typo_first, _typo(rng, out.first), out.first)
    out.last = np.where(doing(TYPO) & ~typo_first & (out.last != ""), _typo(rng, out.last), out.last)
    # A record whose names are all missing still differs: name data quality recorded differently.
    nameless = doing(TYPO) & (out.first == "") & (out.last == "")
    out.name_quality = np.where(nameless, np.where(out.name_quality == 99, 8, 99), out.name_quality)
    nick = pl.Series(out.first).replace(NICKNAMES).to_numpy().astype(str)
    out.first = np.where(doing(NICKNAME) & has_nickname, nick, out.first)
    swap = doing(SWAP) & (out.first != "") & (out.last != "")
    out.first, out.last = np.where(swap, out.last, out.first), np.where(swap, out.first, out.last)
    out.dob = np.where(doing(DOB) & dob_ok, new_dob, out.dob)
    ssn = doing(SSN) & (out.ssn_quality == 1)
    drop = ssn & (rng.random(n) < 0.5)
    out.ssn = np.where(drop, "", np.where(ssn, _transpose_digits(rng, out.ssn), out.ssn))
    out.ssn_quality = np.where(drop, np.where(rng.random(n) < 0.5, 8, 99), out.ssn_quality)
    return out


def _typo(rng: np.random.Generator, text: np.ndarray) -> np.ndarray:
    """One keying error per name, never in its first letter."""
    n = len(text)
    length = np.strings.str_len(text)
    pos = 1 + np.floor(rng.random(n) * np.maximum(length - 2, 1)).astype(np.int64)
    head, rest = np.strings.slice(text, 0, pos), np.strings.slice(text, pos, None)
    here, after = np.strings.slice(rest, 0, 1), np.strings.slice(rest, 1, None)
    nxt, tail = np.strings.slice(after, 0, 1), np.strings.slice(after, 1, None)
    letter = LETTERS[rng.integers(0, len(LETTERS), n)]
    letter = np.where(letter == here, "y", letter)
    transposed = head + nxt + here + tail
    dropped = head + after
    doubled = head + here + rest
    replaced = head + letter + after
    kind = rng.integers(0, 4, n)
    kind = np.where((kind == 0) & (nxt == here), 3, kind)
    result = np.select([kind == 0, kind == 1, kind == 2], [transposed, dropped, doubled], replaced)
    return np.where(length >= 3, result, text + letter)


def _transpose_digits(rng: np.random.Generator, ssn: np.ndarray) -> np.ndarray:
    """Two neighbouring digits swapped, after the area number (positions 4-9)."""
    n = len(ssn)
    pos = 3 + rng.integers(0, 5, n)
    a, b = np.strings.slice(ssn, pos, pos + 1), np.strings.slice(ssn, pos + 1, pos + 2)
    pos = np.where(a == b, np.where(pos < 7, pos + 1, pos - 1), pos)
    a, b = np.strings.slice(ssn, pos, pos + 1), np.strings.slice(ssn, pos + 1, pos + 2)
    swapped = np.strings.slice(ssn, 0, pos) + b + a + np.strings.slice(ssn, pos + 2, None)
    return np.where(
        a != b, swapped, np.strings.slice(ssn, 0, 8) + np.where(np.strings.slice(ssn, 8, 9) == "1", "7", "1")
    )


def _vary_dob(rng: np.random.Generator, dob: np.ndarray, first_entry: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Month and day swapped, day digits reversed, or the year's last two digits transposed."""
    known = dob != NO_DATE
    d64 = np.where(known, dob, 0).astype("datetime64[D]")
    year = d64.astype("datetime64[Y]").astype(np.int64) + 1970
    month = d64.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d64 - d64.astype("datetime64[M]")).astype(np.int64) + 1
    swap_ok = (day <= 12) & (day != month)
    reversed_day = (day % 10) * 10 + day // 10
    reverse_ok = (day >= 10) & (reversed_day >= 1) & (reversed_day <= 28) & (reversed_day != day)
    tens, ones = (year // 10) % 10, year % 10
    new_year = year - tens * 10 - ones + ones * 10 + tens
    method = np.select([swap_ok, reverse_ok], [0, 1], 2)
    method = np.where((method == 2) & (tens == ones), 3, method)
    y = np.select([method == 2], [new_year], year)
    m = np.select([method == 0], [day], month)
    dd = np.select(
        [method == 0, method == 1, method == 3], [month, reversed_day, np.where(day < 28, day + 1, day - 1)], day
    )
    months = (y - 1970) * 12 + (m - 1)
    varied = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + dd - 1
    ok = known & (varied < first_entry) & (varied != dob)
    return np.where(ok, varied, dob), ok


def write_ground_truth(path: Path, personal_id: np.ndarray, person: np.ndarray) -> None:
    """duplicates.csv: every Client record's PersonalID and the person (PersonID) it belongs to."""
    frame = pl.DataFrame({"PersonalID": personal_id.astype(str), "PersonID": (person + 1).astype(str)})
    frame = frame.sort(pl.col("PersonalID").cast(pl.Int64))
    path.write_bytes(frame.write_csv(line_terminator="\n").encode())
