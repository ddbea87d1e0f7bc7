"""The search key scheme: a few short keys per client, so a search reads an index and never the client table.

A key is a kind prefix and a value (at most 40 characters). A client's keys are stored in ``search_client_key``
(hearth.search.models); a query's keys are built the same way, plus the variants people get wrong at intake, and
the clients sharing most keys with the query are the candidates that hearth.search.scoring ranks.

    s:S530              Soundex of one name, first or last (one kind for both, so swapped names still meet)
    p:J500.S530         Soundex of the first name with Soundex of the last name
    i:J.S530            first initial with Soundex of the last name: a typo that changes the Soundex of the
                        first name (Darnell D654 / Danell D540) still meets the right last name
    c:ROBERT.S530       formal given name behind a nickname (Bob → ROBERT) with Soundex of the last name; only
                        for first names the nickname table knows, the others are covered by ``p:``
    d:19800512          date of birth
    y:S530.1980         Soundex of the last name with the year of birth
    a:JOHN.SM           whole first name with the first two letters of the last name, and
    b:JOHN.STH          whole first name with the first and last two letters of the last name: neither depends
                        on the last name's Soundex, so a last-name typo that changes it (Murphy M610 / Murhy
                        M600) still meets the client by a name key. One typo leaves at least one of the two
                        intact unless it falls on the second letter and the last two (short names).
    4:9f86d081884c7d65  last four SSN digits as a keyed hash (the blind index, hearth.crypto.blind: HMAC-SHA256
                        with its own key, 16 hex digits): the digits themselves are never stored in the index
    n:5d41402abc4b2a76  the whole SSN as a keyed hash, for full nine-digit numbers only: duplicate matching
                        across sources and agencies finds the same number without decrypting any

Compound names add keys for their parts (``normalize.name_variants``): "Garcia Lopez" is found as Garcia or as
Lopez (in a: and b: keys only the last name's parts; the first name is taken whole). ``client_keys`` is the
definition; ``keys_frame`` computes the same keys for many clients at once (vectorized, for rebuilding the
index) and a test checks that both agree.

The 4: key: only 10,000 values exist, so the hash protects the digits only as long as the blind-index key stays
secret; changing that key requires ``hearth.search.index.rebuild()`` (``hearth refresh``). The field key (which
encrypts the SSN itself) is not involved: rotating it changes no search key.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

import polars as pl

from hearth.crypto.blind import blind_index
from hearth.search.normalize import canonical_given_names, is_known_given_name, name_variants, normalize_name, soundex

if TYPE_CHECKING:
    from hearth.search.query import SearchQuery

__all__ = [
    "KEY_LENGTH",
    "client_keys",
    "dob_variants",
    "keys_frame",
    "query_keys",
    "ssn_full_key",
    "ssn_last4",
    "ssn_last4_key",
    "weighted_query_keys",
    "ymd",
]

KEY_LENGTH = 40
SOUNDEX, PAIR, INITIAL, CANONICAL, DOB, YEAR, SSN4, SSN9 = "s:", "p:", "i:", "c:", "d:", "y:", "4:", "n:"
HEAD, ENDS = "a:", "b:"
# What sharing a key says, as a weight: candidates are the clients with the highest sum of the weights of the
# keys they share with the query (hearth.search.query). A key held by few clients that agree on more (the whole
# first name and the shape of the last name, the exact date of birth, the SSN digits) weighs more than a
# broad one (one name's Soundex, a first initial). A date of birth's typing variants weigh less than the date.
WEIGHTS = {SOUNDEX: 1, INITIAL: 1, PAIR: 2, CANONICAL: 2, YEAR: 2, HEAD: 3, ENDS: 3, DOB: 4, SSN4: 4, SSN9: 8}
DOB_VARIANT_WEIGHT = 2
# The purposes of the SSN keys in the blind index (hearth.crypto.blind): one hash per kind of value.
SSN_PURPOSE = "hearth.search.ssn-last4"
SSN_FULL_PURPOSE = "hearth.search.ssn"
# Canonical given names are cut to this length so that "c:" + name + "." + Soundex fits in KEY_LENGTH.
_CANONICAL_LENGTH = KEY_LENGTH - len(CANONICAL) - 1 - 4
# First names in a:/b: keys are cut to this length so that "b:" + name + "." + three letters fits.
_SHAPE_FIRST_LENGTH = KEY_LENGTH - len(ENDS) - 1 - 3
# Years a date-of-birth variant may fall in (a digit transposition can make 1985 into 9185).
_FIRST_YEAR, _LAST_YEAR = 1900, 2099
_SSN_STRIP = " \t\r\n"


# -- per value ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 18)
def name_soundexes(name: str | None) -> tuple[str, ...]:
    """Soundex codes of a name and of the parts of a compound name, sorted, without duplicates."""
    return tuple(sorted({code for v in name_variants(name) if (code := soundex(v))}))


@lru_cache(maxsize=1 << 16)
def given_name_canonicals(name: str | None) -> tuple[str, ...]:
    """Formal given names behind a first name (and its parts) that the nickname table knows; () otherwise."""
    formals = {
        formal[:_CANONICAL_LENGTH]
        for v in name_variants(name)
        if is_known_given_name(v)
        for formal in canonical_given_names(v)
    }
    return tuple(sorted(formals))


@lru_cache(maxsize=1 << 16)
def first_name_whole(name: str | None) -> tuple[str, ...]:
    """The first name as the a:/b: keys hold it: normalized whole (cut to fit), or () when it has no letters."""
    normalized = normalize_name(name)[:_SHAPE_FIRST_LENGTH]
    return (normalized,) if normalized else ()


@lru_cache(maxsize=1 << 18)
def last_name_shapes(name: str | None) -> tuple[tuple[str, str], ...]:
    """(first two letters, first and last two letters) of the last name and of each part of a compound one."""
    return tuple(sorted({(v[:2], v[:1] + v[-2:]) for v in name_variants(name) if v}))


def _shape_keys(first: str | None, last: str | None) -> set[str]:
    return {
        key
        for whole in first_name_whole(first)
        for head, ends in last_name_shapes(last)
        for key in (f"{HEAD}{whole}.{head}", f"{ENDS}{whole}.{ends}")
    }


def ssn_last4(ssn: str | None) -> str | None:
    """The last four digits of an SSN when all four are known; None for an unknown ("x", HMIS CSV) or short
    value and for 0000 (a serial number never issued, typed as a placeholder)."""
    if not ssn:
        return None
    tail = ssn.strip(_SSN_STRIP)[-4:]
    if len(tail) != 4 or not (tail.isascii() and tail.isdigit()) or tail == "0000":
        return None
    return tail


def ssn_last4_key(last4: str) -> str:
    """The 4: key of four SSN digits: the blind index's HMAC-SHA256 for SSN_PURPOSE, 16 hex digits."""
    return SSN4 + blind_index(last4, purpose=SSN_PURPOSE)[:16]


def ssn_full(ssn: str | None) -> str | None:
    """The nine digits of a whole SSN (HMIS Data Standards 3.02: nine digits, "x" for unknown ones); None for a
    partial number, one with unknown digits, or a placeholder of one repeated digit (000000000, 999999999)."""
    if not ssn:
        return None
    digits = ssn.strip(_SSN_STRIP).replace("-", "")
    if len(digits) != 9 or not (digits.isascii() and digits.isdigit()) or len(set(digits)) == 1:
        return None
    return digits


def ssn_full_key(digits: str) -> str:
    """The n: key of a whole SSN (nine digits, as ``ssn_full`` gives them): the blind index, 16 hex digits."""
    return SSN9 + blind_index(digits, purpose=SSN_FULL_PURPOSE)[:16]


def ymd(value: date) -> str:
    """A date as eight digits (YYYYMMDD), the year zero-padded (strftime would write the year 209 as 209)."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _pairs(kind: str, left: Iterable[str], right: Iterable[str]) -> set[str]:
    rights = tuple(right)
    return {f"{kind}{a}.{b}" for a in left for b in rights}


def client_keys(first: str | None, last: str | None, dob: date | None, ssn: str | None) -> set[str]:
    """Every key of one client (the definition; ``keys_frame`` must agree with it)."""
    firsts, lasts = name_soundexes(first), name_soundexes(last)
    keys = {SOUNDEX + code for code in (*firsts, *lasts)}
    keys |= _pairs(PAIR, firsts, lasts)
    keys |= _pairs(INITIAL, {code[0] for code in firsts}, lasts)
    keys |= _pairs(CANONICAL, given_name_canonicals(first), lasts)
    keys |= _shape_keys(first, last)
    if dob is not None:
        keys.add(DOB + ymd(dob))
        keys |= {f"{YEAR}{code}.{dob.year:04d}" for code in lasts}
    last4 = ssn_last4(ssn)
    if last4 is not None:
        keys.add(ssn_last4_key(last4))
    full = ssn_full(ssn)
    if full is not None:
        keys.add(ssn_full_key(full))
    return keys


# -- many clients at once -----------------------------------------------------------------------------------

_KEYS_SCHEMA = {"client_id": pl.Int64, "key": pl.String}


def _lookup(values: pl.Series, name: str, fn: object) -> pl.DataFrame:
    """A table of each distinct non-null value and ``fn(value)`` (a tuple of strings), as a list column."""
    distinct = values.drop_nulls().unique()
    mapped = [list(fn(v)) for v in distinct.to_list()]  # type: ignore[operator]
    return pl.DataFrame(
        {values.name: distinct, name: pl.Series(name, mapped, dtype=pl.List(pl.String))},
        schema={values.name: pl.String, name: pl.List(pl.String)},
    )


def _last_variants(name: str | None) -> tuple[str, ...]:
    return tuple(v for v in name_variants(name) if v)


def keys_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``client_keys`` of every row of a frame (columns id, first_name, last_name, dob, ssn) as unique
    (client_id, key) rows.

    Names repeat a great deal (a CoC of a million people has some tens of thousands of distinct names) and
    only 10,000 SSN endings exist, so the Python work runs once per distinct value and the rest is columnar.
    """
    base = frame.select(
        pl.col("id").cast(pl.Int64).alias("client_id"),
        pl.col("first_name").cast(pl.String),
        pl.col("last_name").cast(pl.String),
        pl.col("dob").cast(pl.Date),
        pl.col("ssn").cast(pl.String),
    )
    base = (
        base.join(_lookup(base["first_name"], "fs", name_soundexes), on="first_name", how="left")
        .join(_lookup(base["first_name"], "fc", given_name_canonicals), on="first_name", how="left")
        .join(_lookup(base["last_name"], "ls", name_soundexes), on="last_name", how="left")
        .join(_lookup(base["first_name"], "fw", first_name_whole), on="first_name", how="left")
        .join(_lookup(base["last_name"], "lv", _last_variants), on="last_name", how="left")
    )
    ids = pl.col("client_id")

    def keyed(rows: pl.DataFrame, *parts: pl.Expr) -> pl.DataFrame:
        return rows.select(ids, pl.concat_str(list(parts)).alias("key"))

    firsts = base.select(ids, pl.col("fs").alias("code")).explode("code")
    lasts = base.select(ids, pl.col("ls").alias("code")).explode("code")
    singles = pl.concat([firsts, lasts]).drop_nulls()
    pairs = base.select(ids, "fs", "ls").explode("fs").explode("ls").drop_nulls()
    canon = base.select(ids, "fc", "ls").explode("fc").explode("ls").drop_nulls()
    shapes = base.select(ids, "fw", "lv").explode("fw").explode("lv").drop_nulls()
    born = base.select(ids, "dob", "ls").filter(pl.col("dob").is_not_null())
    years = born.explode("ls").drop_nulls()
    last4 = (
        base.select(ids, pl.col("ssn").str.strip_chars(_SSN_STRIP).str.slice(-4).alias("last4"))
        .filter(pl.col("last4").str.contains(r"^[0-9]{4}$") & (pl.col("last4") != "0000"))
        .drop_nulls()
    )
    distinct = last4["last4"].unique()
    hashed = pl.DataFrame(
        {"last4": distinct, "key": pl.Series([ssn_last4_key(v) for v in distinct.to_list()], dtype=pl.String)},
        schema={"last4": pl.String, "key": pl.String},
    )
    # Whole SSNs are mostly distinct: one HMAC per row (about a microsecond each).
    wholes = base.select(ids, pl.col("ssn").str.strip_chars(_SSN_STRIP).str.replace_all("-", "").alias("ssn9")).filter(
        pl.col("ssn9").str.contains(r"^[0-9]{9}$")
    )
    whole_values = wholes["ssn9"].to_list()
    whole_keys = pl.Series([ssn_full_key(v) if ssn_full(v) else None for v in whole_values], dtype=pl.String)
    wholes = wholes.with_columns(whole_keys.alias("key")).drop_nulls("key")
    parts = [
        keyed(singles, pl.lit(SOUNDEX), pl.col("code")),
        keyed(pairs, pl.lit(PAIR), pl.col("fs"), pl.lit("."), pl.col("ls")),
        keyed(pairs, pl.lit(INITIAL), pl.col("fs").str.slice(0, 1), pl.lit("."), pl.col("ls")),
        keyed(canon, pl.lit(CANONICAL), pl.col("fc"), pl.lit("."), pl.col("ls")),
        keyed(shapes, pl.lit(HEAD), pl.col("fw"), pl.lit("."), pl.col("lv").str.slice(0, 2)),
        keyed(
            shapes,
            pl.lit(ENDS),
            pl.col("fw"),
            pl.lit("."),
            pl.col("lv").str.slice(0, 1),
            pl.col("lv").str.slice(-2),
        ),
        keyed(born, pl.lit(DOB), pl.col("dob").dt.strftime("%Y%m%d")),
        keyed(years, pl.lit(YEAR), pl.col("ls"), pl.lit("."), pl.col("dob").dt.strftime("%Y")),
        last4.join(hashed, on="last4").select(ids, "key"),
        wholes.select(ids, "key"),
    ]
    return pl.concat([p.cast(_KEYS_SCHEMA) for p in parts]).unique()  # type: ignore[arg-type]


# -- queries ------------------------------------------------------------------------------------------------


def _valid(year: int, month: int, day: int) -> date | None:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def swapped_day_month(dob: date) -> date | None:
    """The date with day and month swapped, when that is another valid date (05/12 ↔ 12/05)."""
    swapped = _valid(dob.year, dob.day, dob.month) if dob.day != dob.month else None
    return swapped


def transposed_dates(dob: date) -> set[date]:
    """Valid dates with two neighbouring digits of the year, the month or the day transposed (1985 ↔ 1958,
    12 ↔ 21): how a date is mistyped. Transpositions across year, month and day are not typing mistakes."""
    year, month, day = f"{dob.year:04d}", f"{dob.month:02d}", f"{dob.day:02d}"
    found: set[date] = set()
    for i in range(3):
        t = year[:i] + year[i + 1] + year[i] + year[i + 2 :]
        if (d := _valid(int(t), dob.month, dob.day)) is not None:
            found.add(d)
    if (d := _valid(dob.year, int(month[::-1]), dob.day)) is not None:
        found.add(d)
    if (d := _valid(dob.year, dob.month, int(day[::-1]))) is not None:
        found.add(d)
    found.discard(dob)
    return found


def dob_variants(dob: date) -> set[date]:
    """The date of birth and the dates it may be mistyped from: day and month swapped, digits transposed."""
    variants = {dob, *transposed_dates(dob)}
    if (swapped := swapped_day_month(dob)) is not None:
        variants.add(swapped)
    return variants


def query_keys(query: SearchQuery) -> list[str]:
    """The keys to look up for a query, sorted (``weighted_query_keys`` says how much each weighs)."""
    return sorted(weighted_query_keys(query))


def weighted_query_keys(query: SearchQuery) -> dict[str, int]:
    """The keys to look up for a query, each with its weight (``WEIGHTS``).

    With a first and a last name: the pair and initial keys in both orders (swapped names) and the nickname
    keys, but not the single-name keys, which would bring every Smith; with a single name (or only a first or
    only a last name): its Soundex key (broad; the candidate lookup caps what one key may bring). With a date of
    birth: the date and its likely typing mistakes, and each name's Soundex with the year. With SSN digits: the
    keyed hash. A Hearth ID is not a key: ``candidate_ids`` adds that client directly. The a:/b: keys are looked
    up with the names in both orders too.
    """
    names = query.names()
    keys: set[str] = set()
    tokens = [n for n in (names.first, names.last, names.either) if n]
    if names.first and names.last:
        f_codes, l_codes = name_soundexes(names.first), name_soundexes(names.last)
        keys |= _pairs(PAIR, f_codes, l_codes) | _pairs(PAIR, l_codes, f_codes)
        keys |= _pairs(INITIAL, {c[0] for c in f_codes}, l_codes) | _pairs(INITIAL, {c[0] for c in l_codes}, f_codes)
        keys |= _pairs(CANONICAL, given_name_canonicals(names.first), l_codes)
        keys |= _pairs(CANONICAL, given_name_canonicals(names.last), f_codes)
        keys |= _shape_keys(names.first, names.last) | _shape_keys(names.last, names.first)
    else:
        keys |= {SOUNDEX + code for token in tokens for code in name_soundexes(token)}
    weights = {key: WEIGHTS[key[:2]] for key in keys}
    if query.dob is not None:
        weights |= {f"{YEAR}{code}.{query.dob.year:04d}": WEIGHTS[YEAR] for t in tokens for code in name_soundexes(t)}
        weights |= {DOB + ymd(d): DOB_VARIANT_WEIGHT for d in dob_variants(query.dob)}
        weights[DOB + ymd(query.dob)] = WEIGHTS[DOB]
    if query.ssn_last4 is not None and (last4 := ssn_last4(query.ssn_last4)) is not None:
        weights[ssn_last4_key(last4)] = WEIGHTS[SSN4]
    if (full := ssn_full(query.ssn)) is not None:
        weights[ssn_full_key(full)] = WEIGHTS[SSN9]
    return weights
