from __future__ import annotations

import csv

import pytest

from hearth.search.normalize import (
    NICKNAMES_CSV,
    canonical_given_names,
    name_variants,
    nickname_table,
    normalize_name,
    soundex,
)
from hearth.synthetic.names import NICKNAMES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("José O'Brien-Smith", "JOSEOBRIENSMITH"),
        ("  mary ann ", "MARYANN"),
        ("Müller", "MULLER"),
        ("Straße", "STRASSE"),
        ("Łukasz", "LUKASZ"),
        ("Nguyễn", "NGUYEN"),
        ("Ærøskøbing", "AEROSKOBING"),
        ("J. R. R.", "JRR"),
        ("123", ""),
        ("Иван", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_name(raw: str | None, expected: str) -> None:
    assert normalize_name(raw) == expected


def test_name_variants_give_the_parts_of_compound_names() -> None:
    assert name_variants("Garcia Lopez") == ("GARCIALOPEZ", "GARCIA", "LOPEZ")
    assert name_variants("García-López") == ("GARCIALOPEZ", "GARCIA", "LOPEZ")
    assert name_variants("De La Cruz") == ("DELACRUZ", "CRUZ")
    assert name_variants("Smith Jr") == ("SMITHJR", "SMITH")
    assert name_variants("O'Brien") == ("OBRIEN",)
    assert name_variants("Smith") == ("SMITH",)
    assert name_variants("  ") == ()
    assert name_variants(None) == ()


def test_soundex_reuses_hud_hashing_soundex_on_normalized_names() -> None:
    assert soundex("Smith") == soundex("Smyth") == soundex("SCHMIDT") == "S530"
    assert soundex("Ashcraft") == "A261"
    assert soundex("Müller") == "M460"
    assert soundex("") == ""


@pytest.mark.parametrize("nickname", ["Bob", "Rob", "Bobby", "robbie", "ROBERT"])
def test_nicknames_fold_to_the_formal_name(nickname: str) -> None:
    assert canonical_given_names(nickname) == {"ROBERT"}


def test_a_nickname_may_stand_for_several_formal_names() -> None:
    assert canonical_given_names("Alex") == {"ALEXANDER", "ALEXANDRA", "ALEJANDRO", "ALEXIS"}
    assert canonical_given_names("Pat") == {"PATRICK", "PATRICIA"}
    # A formal name that is also a nickname stands for itself and for the longer names.
    assert canonical_given_names("Nathan") == {"NATHAN", "JONATHAN", "NATHANIEL"}


def test_unknown_names_stand_for_themselves() -> None:
    assert canonical_given_names("Xavion") == {"XAVION"}
    assert canonical_given_names("") == frozenset()


def test_nickname_table_is_rich_and_covers_the_synthetic_duplicates() -> None:
    with NICKNAMES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    formal = [row["formal"] for row in rows]
    assert len(formal) >= 150
    assert len(formal) == len(set(formal))
    assert all(row["nicknames"].split() for row in rows)
    table = nickname_table()
    for name, nickname in NICKNAMES.items():
        assert normalize_name(name) in table[normalize_name(nickname)], (name, nickname)
