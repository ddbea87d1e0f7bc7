from __future__ import annotations

import pytest

from hearth.search.scoring import jaro, jaro_winkler


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("MARTHA", "MARHTA", 0.961),
        ("DIXON", "DICKSONX", 0.813),
        ("DWAYNE", "DUANE", 0.840),
        ("JELLYFISH", "SMELLYFISH", 0.896),
        ("JOHN", "JONH", 0.933),
        ("SMITH", "SMYTH", 0.893),
        ("SMITH", "SMITH", 1.0),
        ("ABC", "XYZ", 0.0),
        ("", "ABC", 0.0),
        ("", "", 0.0),
    ],
)
def test_known_values(a: str, b: str, expected: float) -> None:
    assert round(jaro_winkler(a, b), 3) == expected
    assert round(jaro_winkler(b, a), 3) == expected


def test_jaro_without_the_prefix_boost() -> None:
    assert round(jaro("MARTHA", "MARHTA"), 3) == 0.944
    assert round(jaro("DIXON", "DICKSONX"), 3) == 0.767
    # Below the boost threshold the common prefix does not count.
    assert jaro_winkler("AB", "AXYZ") == jaro("AB", "AXYZ")
