"""Local date-times to UTC by hour: the same instants as converting each value with the zone's rules."""

# ruff: noqa: DTZ001 - naive date-times are the point: local times as HMIS CSV carries them

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from hearth.exchange import localtime
from hearth.exchange.localtime import exact, exact_local, to_local, to_utc

# Zones with the kinds of transition the tz database holds: US DST (2:00 skipped and repeated), none at all,
# a 30-minute shift (Lord Howe), a 45-minute offset (Chatham), a 2-hour shift (Troll), a skipped day (Apia,
# 30 December 2011), Morocco's Ramadan suspensions, Ireland's negative DST, Newfoundland's half hour.
ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Pacific/Guam",
    "UTC",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Antarctica/Troll",
    "Pacific/Apia",
    "Africa/Casablanca",
    "Europe/Dublin",
    "America/St_Johns",
]


def _local_values() -> pl.Series:
    every_11_minutes = pl.datetime_range(dt.datetime(2009, 1, 1), dt.datetime(2013, 1, 1), "11m", eager=True)
    every_second = pl.datetime_range(dt.datetime(2024, 3, 10, 0), dt.datetime(2024, 3, 10, 4), "1s", eager=True)
    fall_back = pl.datetime_range(dt.datetime(2024, 11, 3, 0), dt.datetime(2024, 11, 3, 3), "1s", eager=True)
    before_1970 = pl.datetime_range(dt.datetime(1966, 1, 1), dt.datetime(1971, 1, 1), "17m", eager=True)
    values = pl.concat([every_11_minutes, every_second, fall_back, before_1970, pl.Series([None], dtype=pl.Datetime)])
    return values.shuffle(seed=7).alias("DateUpdated")


@pytest.mark.parametrize("zone", ZONES)
def test_same_instants_as_each_value_converted(zone: str) -> None:
    local = _local_values()
    converted = to_utc(local, zone)
    expected = exact(local, zone)
    assert converted.name == "DateUpdated"
    assert converted.dtype == pl.Datetime("us", "UTC")
    assert converted.eq_missing(expected).all()
    assert converted.null_count() == expected.null_count()


def test_skipped_and_repeated_hours_in_new_york() -> None:
    local = pl.Series(
        [
            dt.datetime(2024, 3, 10, 1, 59, 59),
            dt.datetime(2024, 3, 10, 2, 30),  # skipped: clocks went from 2:00 to 3:00
            dt.datetime(2024, 3, 10, 3, 0),
            dt.datetime(2024, 11, 3, 1, 30),  # repeated: the first (daylight) 1:30
            dt.datetime(2024, 11, 3, 2, 0),
            None,
        ]
    )
    assert to_utc(local, "America/New_York").to_list() == [
        dt.datetime(2024, 3, 10, 6, 59, 59, tzinfo=dt.UTC),
        None,
        dt.datetime(2024, 3, 10, 7, 0, tzinfo=dt.UTC),
        dt.datetime(2024, 11, 3, 5, 30, tzinfo=dt.UTC),
        dt.datetime(2024, 11, 3, 7, 0, tzinfo=dt.UTC),
        None,
    ]


def test_values_spanning_too_many_hours_are_converted_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    local = pl.Series([dt.datetime(1900, 1, 1, 12), dt.datetime(2024, 7, 4, 12)])
    monkeypatch.setattr(localtime, "MAX_HOURS", 10)
    assert to_utc(local, "America/Denver").to_list() == [
        dt.datetime(1900, 1, 1, 19, 0, tzinfo=dt.UTC),
        dt.datetime(2024, 7, 4, 18, 0, tzinfo=dt.UTC),
    ]


def test_empty_and_all_null() -> None:
    assert to_utc(pl.Series([], dtype=pl.Datetime("us")), "America/Denver").to_list() == []
    assert to_utc(pl.Series([None, None], dtype=pl.Datetime("us")), "America/Denver").to_list() == [None, None]


# -- and back: UTC instants to local date-times, for exports ---------------------------------------------


@pytest.mark.parametrize("zone", ZONES)
def test_same_local_times_as_each_instant_converted(zone: str) -> None:
    instants = to_utc(_local_values(), "UTC")
    converted = to_local(instants, zone)
    expected = exact_local(instants, zone)
    assert converted.name == "DateUpdated"
    assert converted.dtype == pl.Datetime("us")
    assert converted.eq_missing(expected).all()


def test_local_times_around_new_york_transitions() -> None:
    instants = pl.Series(
        [
            dt.datetime(2024, 3, 10, 6, 59, 59, tzinfo=dt.UTC),
            dt.datetime(2024, 3, 10, 7, 0, tzinfo=dt.UTC),  # 3:00 daylight time: 2:00-2:59 never shown
            dt.datetime(2024, 11, 3, 5, 30, tzinfo=dt.UTC),  # the first 1:30
            dt.datetime(2024, 11, 3, 6, 30, tzinfo=dt.UTC),  # the second 1:30
            None,
        ]
    )
    assert to_local(instants, "America/New_York").to_list() == [
        dt.datetime(2024, 3, 10, 1, 59, 59),
        dt.datetime(2024, 3, 10, 3, 0),
        dt.datetime(2024, 11, 3, 1, 30),
        dt.datetime(2024, 11, 3, 1, 30),
        None,
    ]
    assert to_local(pl.Series([], dtype=pl.Datetime("us", "UTC")), "America/New_York").to_list() == []
