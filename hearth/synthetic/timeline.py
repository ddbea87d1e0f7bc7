"""Dates as whole days since 1970-01-01 (int32) and date-times as seconds since then (int64), local time.

Arrays of these are what every module computes with; the writer turns them into ``yyyy-mm-dd`` and
``yyyy-mm-dd hh:mm:ss``. Times of day are drawn between 07:00:00 and 21:59:59 only, so none falls in the hour
that daylight saving time skips (02:00-03:00) and every date-time is a valid local time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

EPOCH = dt.date(1970, 1, 1)
NO_DATE = np.iinfo(np.int32).min  # null in a day array
NO_TIME = -1  # null in a seconds array
DAY = 86_400
FIRST_SECOND = 7 * 3600
LAST_SECOND = 22 * 3600 - 1


def day(value: dt.date) -> int:
    return (value - EPOCH).days


def to_date(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


@dataclass(frozen=True)
class Period:
    """The generated period: every EntryDate falls in [start, end]; nothing is dated after the export."""

    start: int
    end: int

    @property
    def days(self) -> int:
        return self.end - self.start + 1

    @property
    def last_second(self) -> int:
        return self.end * DAY + LAST_SECOND

    @property
    def export_moment(self) -> int:
        return self.end * DAY + 23 * 3600

    @property
    def year(self) -> int:
        return to_date(self.end).year


def make_period(end: dt.date, years: int) -> Period:
    try:
        first = end.replace(year=end.year - years)
    except ValueError:  # 29 February
        first = end.replace(year=end.year - years, day=28)
    return Period(start=day(first) + 1, end=day(end))


def clock(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.integers(FIRST_SECOND, LAST_SECOND + 1, size).astype(np.int64)


def stamps(
    rng: np.random.Generator, created_days: np.ndarray, updated_days: np.ndarray, period: Period
) -> tuple[np.ndarray, np.ndarray]:
    """DateCreated and DateUpdated for records entered on ``created_days`` and last touched on ``updated_days``.

    Both fall in the working day's hours, never after the export, and DateUpdated is never before DateCreated.
    """
    n = len(created_days)
    created = created_days.astype(np.int64) * DAY + clock(rng, n)
    updated = np.maximum(updated_days.astype(np.int64) * DAY + clock(rng, n), created)
    limit = period.last_second
    created = np.minimum(created, limit)
    updated = np.minimum(updated, limit)
    return created, updated


def entry_lag(rng: np.random.Generator, days: np.ndarray, period: Period) -> np.ndarray:
    """The day a record was keyed in: mostly the same day, sometimes a few days later, never after the export."""
    lag = np.where(rng.random(len(days)) < 0.8, 0, rng.integers(1, 8, len(days)))
    return np.minimum(days + lag, period.end)


def years_between(born: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Whole years of age on ``on`` for people born on ``born`` (both day arrays)."""
    b = born.astype("datetime64[D]")
    o = on.astype("datetime64[D]")
    by, oy = b.astype("datetime64[Y]").astype(np.int64), o.astype("datetime64[Y]").astype(np.int64)
    b_doy = (b - b.astype("datetime64[Y]")).astype(np.int64)
    o_doy = (o - o.astype("datetime64[Y]")).astype(np.int64)
    return (oy - by - (o_doy < b_doy)).astype(np.int64)
