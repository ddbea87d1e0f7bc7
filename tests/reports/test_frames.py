"""hearth.reports.frames: adding columns to and choosing rows of wide frames without copying them."""

from __future__ import annotations

import polars as pl
import pytest

from hearth.reports.frames import lookup, numbered, rows_of


def test_lookup_adds_one_value_per_row_in_the_frames_order() -> None:
    frame = pl.DataFrame({"HouseholdID": ["h2", "h1", None, "h2", "h9"], "age": [30, 4, 50, 7, 60]})
    households = pl.DataFrame({"HouseholdID": ["h1", "h2"], "household_type": ["AC", "AO"]})
    out = lookup(frame, households, "HouseholdID")
    assert out.columns == ["HouseholdID", "age", "household_type"]
    # A null key and a key without a row get null, as a left join gives them; rows stay in order.
    assert out.rows() == [("h2", 30, "AO"), ("h1", 4, "AC"), (None, 50, None), ("h2", 7, "AO"), ("h9", 60, None)]


def test_lookup_refuses_a_key_that_names_two_rows() -> None:
    frame = pl.DataFrame({"PersonalID": ["p1", "p2"]})
    twice = pl.DataFrame({"PersonalID": ["p1", "p1"], "Sex": [0, 1]})
    with pytest.raises(pl.exceptions.ComputeError):
        lookup(frame, twice, "PersonalID")


def test_rows_are_chosen_on_a_narrow_frame_and_copied_once() -> None:
    frame = pl.DataFrame({"PersonalID": ["b", "a", "b"], "EntryDate": [3, 1, 2], "wide": ["x", "y", "z"]})
    chosen = (
        numbered(frame, "PersonalID", "EntryDate")
        .sort("EntryDate", descending=True)
        .unique("PersonalID", keep="first", maintain_order=True)
    )
    assert rows_of(frame, chosen).rows() == [("b", 3, "x"), ("a", 1, "y")]
