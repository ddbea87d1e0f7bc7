"""KeyIndex: lookups by hash and binary search must be exact, collisions included."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from hearth.exchange.keyindex import KeyIndex


class _CollidingIndex(KeyIndex):
    """Every string hashes to its length: most keys collide with others, as a worst case."""

    @staticmethod
    def _hash(values: pl.Series) -> np.ndarray:
        return values.str.len_bytes().cast(pl.UInt64).fill_null(0).to_numpy()


def test_positions_found_missing_and_null() -> None:
    index = KeyIndex(pl.Series(["E3", "E1", "E2"]))
    found = index.positions(pl.Series("EnrollmentID", ["E1", "E9", None, "E3", "E1"]))
    assert found.name == "EnrollmentID"
    assert found.dtype == pl.UInt32
    assert found.to_list() == [1, None, None, 0, 1]
    assert index.contains(pl.Series(["E2", "X"])).to_list() == [True, False]


def test_empty_index_and_empty_query() -> None:
    assert KeyIndex(pl.Series([], dtype=pl.String)).positions(pl.Series(["a"])).to_list() == [None]
    assert KeyIndex(pl.Series(["a"])).positions(pl.Series([], dtype=pl.String)).to_list() == []


def test_collisions_resolve_exactly() -> None:
    keys = pl.Series(["ab", "cd", "ef", "abc", "x"])
    index = _CollidingIndex(keys)
    query = pl.Series(["ef", "cd", "zz", "abc", "abd", "x", "ab", None])
    assert index.positions(query).to_list() == [2, 1, None, 3, None, 4, 0, None]


def test_gather_aligns_rows_with_null_for_missing() -> None:
    frame = pl.DataFrame({"id": ["P1", "P2"], "kind": [1, 13]})
    index = KeyIndex(frame["id"])
    out = index.gather(frame, pl.Series(["P2", "P7", "P1"]))
    assert out.to_dicts() == [{"id": "P2", "kind": 13}, {"id": None, "kind": None}, {"id": "P1", "kind": 1}]


def test_agrees_with_a_dictionary_on_many_keys() -> None:
    rng = np.random.default_rng(7)
    keys = pl.Series([f"K{n}" for n in rng.permutation(50_000)])
    query = pl.Series([f"K{n}" for n in rng.integers(0, 60_000, 20_000)])
    expected = {key: i for i, key in enumerate(keys.to_list())}
    assert KeyIndex(keys).positions(query).to_list() == [expected.get(q) for q in query.to_list()]


def test_runs_of_equal_values_are_looked_up_once_each() -> None:
    """Child rows grouped by parent (bed nights of one stay) take the run path; the answer is the same."""
    index = KeyIndex(pl.Series(["E3", "E1", "E2"]))
    query = pl.Series("EnrollmentID", ["E1"] * 4 + [None] * 3 + ["E9"] * 2 + ["E3"] * 5 + ["E1"])
    found = index.positions(query)
    assert found.name == "EnrollmentID"
    assert found.dtype == pl.UInt32
    assert found.to_list() == [1] * 4 + [None] * 5 + [0] * 5 + [1]
    # The same values in an order without runs: the distinct-values path, same answers.
    shuffled = pl.Series("UserID", ["E1", "E3", "E9", None] * 10)
    assert index.positions(shuffled).to_list() == [1, 0, None, None] * 10


def test_run_and_distinct_paths_agree_with_collisions() -> None:
    keys = pl.Series(["ab", "cd", "ef", "abc", "x"])
    index = _CollidingIndex(keys)
    grouped = pl.Series(["ef"] * 3 + ["abd"] * 3 + ["x"] * 2 + [None] * 2)
    assert index.positions(grouped).to_list() == [2] * 3 + [None] * 3 + [4] * 2 + [None] * 2
    interleaved = pl.Series(["ab", "zz", "abc", "cd"] * 25)
    assert index.positions(interleaved).to_list() == [0, None, 3, 1] * 25


def test_many_distinct_values_without_runs_take_the_plain_path() -> None:
    rng = np.random.default_rng(11)
    keys = pl.Series([f"P{n}" for n in range(5_000)])
    query = pl.Series([f"P{n}" for n in rng.permutation(6_000)])
    assert KeyIndex(keys).positions(query).to_list() == [
        int(q[1:]) if int(q[1:]) < 5_000 else None for q in query.to_list()
    ]


# -- duplicated rows (crosscheck.duplicated): hashes first, then exact -------------------------------------


def test_duplicated_rows_match_polars() -> None:
    from hearth.exchange.crosscheck import duplicated

    frame = pl.DataFrame(
        {
            "ServicesID": ["1", "2", "3", "2", "10", "01", "1", None, None],
            "row": [2, 3, 4, 5, 6, 7, 8, 9, 10],
        }
    )
    assert duplicated(frame, ["ServicesID"])["row"].to_list() == [2, 3, 5, 8, 9, 10]
    assert duplicated(frame.head(1), ["ServicesID"]).height == 0
    assert duplicated(frame.filter(pl.col("row") < 5), ["ServicesID"]).height == 0


def test_duplicated_rows_over_several_columns() -> None:
    from hearth.exchange.crosscheck import duplicated

    frame = pl.DataFrame(
        {
            "PersonalID": ["A", "A", "A", "B", "B"],
            "ProjectID": ["P", "P", "Q", "P", "P"],
            "EntryDate": [dt.date(2024, 1, 1), dt.date(2024, 1, 1), dt.date(2024, 1, 1), None, None],
            "row": [2, 3, 4, 5, 6],
        }
    )
    assert duplicated(frame, ["PersonalID", "ProjectID", "EntryDate"])["row"].to_list() == [2, 3, 5, 6]


def test_duplicated_rows_exact_when_every_hash_collides(monkeypatch: pytest.MonkeyPatch) -> None:
    from hearth.exchange import crosscheck

    monkeypatch.setattr(crosscheck, "_row_hashes", lambda frame, columns: np.zeros(frame.height, dtype=np.uint64))
    frame = pl.DataFrame({"ExitID": ["x", "y", "z", "y"], "row": [2, 3, 4, 5]})
    assert crosscheck.duplicated(frame, ["ExitID"])["row"].to_list() == [3, 5]
