"""Names as the search compares them: one spelling per name, whatever was typed at intake.

Intake staff type names as they hear them: with or without accents, hyphens, apostrophes and spaces, in any
case, sometimes a nickname. Every comparison in the search (index keys, query keys, ranking) goes through these
pure functions, so a name the index stored and the same name typed in the search box always meet.

- ``normalize_name``: accents stripped, upper case, letters A-Z only ("José O'Brien-Smith" → JOSEOBRIENSMITH).
- ``name_variants``: the whole name and, for a compound name, its parts ("Garcia Lopez" → GARCIALOPEZ,
  GARCIA, LOPEZ): a person recorded with two surnames is often asked for by one of them.
- ``canonical_given_names``: the formal given name(s) behind a nickname (Bob, Rob, Bobby → ROBERT; Alex →
  ALEXANDER, ALEXANDRA, ...), from ``data/nicknames.csv``.
- ``soundex``: the American Soundex HUD's hashing already uses (``hearth.exchange.hashing``).

Names written in scripts other than Latin normalize to nothing and yield no name keys (date of birth, SSN and
Hearth ID still find the person); transliteration is out of scope.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from hearth.exchange.hashing import soundex as _soundex

__all__ = [
    "canonical_given_names",
    "is_known_given_name",
    "name_variants",
    "nickname_table",
    "normalize_name",
    "soundex",
]

NICKNAMES_CSV = Path(__file__).resolve().parent / "data" / "nicknames.csv"

# Letters NFKD does not decompose into a base letter and a combining mark.
_SPECIAL_LETTERS = str.maketrans(
    {
        "ß": "SS",
        "ẞ": "SS",
        "Æ": "AE",
        "æ": "AE",
        "Œ": "OE",
        "œ": "OE",
        "Ø": "O",
        "ø": "O",
        "Ł": "L",
        "ł": "L",
        "Đ": "D",
        "đ": "D",
        "Þ": "TH",
        "þ": "TH",
        "ı": "I",
    }
)
_NOT_LETTER = re.compile(r"[^A-Z]+")
# What separates the parts of a compound name as typed (spaces, hyphens, commas, slashes, periods).
_PART_SEPARATOR = re.compile(r"[\s\-,/.]+")
# Particles and suffixes are not names of their own: "De La Cruz" is asked for as "Cruz", never as "De".
_PARTICLES = frozenset(
    {"DA", "DAS", "DE", "DEL", "DELA", "DELLA", "DELOS", "DEN", "DER", "DI", "DO", "DOS", "DU", "E", "EL", "LA"}
    | {"LAS", "LE", "LO", "LOS", "ST", "VAN", "VON", "Y", "JR", "SR", "II", "III", "IV"}
)
# A compound name yields its whole form and at most this many parts.
_MAX_PARTS = 3


@lru_cache(maxsize=1 << 16)
def normalize_name(name: str | None) -> str:
    """Accents stripped, upper case, letters A-Z only; "" when nothing is left (or for None)."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name.translate(_SPECIAL_LETTERS))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_LETTER.sub("", bare.upper())


@lru_cache(maxsize=1 << 16)
def name_variants(name: str | None) -> tuple[str, ...]:
    """The normalized whole name first, then the parts of a compound name (particles and suffixes left out).

    ``()`` when the name has no letters. Parts of one letter are initials, not names, and are left out.
    """
    whole = normalize_name(name)
    if not whole or name is None:
        return ()
    variants = [whole]
    parts = [p for p in (normalize_name(p) for p in _PART_SEPARATOR.split(name)) if p]
    if len(parts) > 1:
        for part in [p for p in parts if len(p) >= 2 and p not in _PARTICLES][:_MAX_PARTS]:
            if part not in variants:
                variants.append(part)
    return tuple(variants)


def soundex(name: str | None) -> str:
    """American Soundex of the normalized name ("" when it has no letters): SMITH, SMYTH → S530."""
    return _soundex(normalize_name(name))


@cache
def nickname_table() -> dict[str, frozenset[str]]:
    """Normalized name → the formal given names it stands for (a formal name stands for itself).

    Read once from ``data/nicknames.csv``: a formal name, then its common diminutives separated by spaces.
    """
    table: dict[str, set[str]] = {}
    with NICKNAMES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            formal = normalize_name(row["formal"])
            table.setdefault(formal, set()).add(formal)
            for nickname in row["nicknames"].split():
                table.setdefault(normalize_name(nickname), set()).add(formal)
    return {name: frozenset(formals) for name, formals in table.items()}


def is_known_given_name(name: str | None) -> bool:
    """Whether the name is in the nickname table (as a formal name or as a nickname)."""
    return normalize_name(name) in nickname_table()


def canonical_given_names(name: str | None) -> frozenset[str]:
    """The formal given names a first name stands for: BOB → {ROBERT}; ALEX → {ALEXANDER, ALEXANDRA, ...}.

    A formal name stands for itself (and for any formal name it is also a nickname of: NATHAN → {NATHAN,
    JONATHAN, NATHANIEL}); a name the table does not know stands for itself alone; no letters, no names.
    """
    normalized = normalize_name(name)
    if not normalized:
        return frozenset()
    return nickname_table().get(normalized, frozenset({normalized}))
