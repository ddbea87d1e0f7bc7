"""Date-times in the CoC's local time, turned into UTC instants and back.

HMIS CSV date-times carry no zone (spec "Data types", T): they are the CoC's local time (settings.TIME_ZONE),
and Hearth stores UTC. ``to_utc`` gives exactly what Polars' own conversion gives —
``replace_time_zone(zone, ambiguous="earliest", non_existent="null")`` then UTC — but without looking the
zone's rules up for every value, which was a third of the cost of reading a file's values (1M Services rows:
102 ms of 317 ms).

A zone's offset from UTC changes only at its transitions, a few times a year. So the offset is looked up once
per hour of local time that the values span, at the hour's first and last microsecond: where both give the
same offset, every value in that hour has it. An hour that holds a transition (a skipped hour, or one where the
offset changes mid-hour) gets no offset, and its few values are converted one by one, as before. This rests on
no zone changing its offset twice within one hour, which no zone in the tz database does. ``to_local`` does the
same the other way, for exports: per hour of UTC time, whose offset changes only at a transition instant.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

HOUR = 3_600_000_000  # microseconds
# Values spanning more hours than this (about 114 years) are converted one by one: the hour table would be
# larger than the values.
MAX_HOURS = 1_000_000


def exact(local: pl.Series, time_zone: str) -> pl.Series:
    """Each value converted with the zone's rules (ambiguous: the earlier; skipped: null)."""
    zoned = local.dt.replace_time_zone(time_zone, ambiguous="earliest", non_existent="null")
    return zoned.dt.convert_time_zone("UTC")


def exact_local(instants: pl.Series, time_zone: str) -> pl.Series:
    """Each instant's local date-time (naive), converted with the zone's rules."""
    return instants.dt.convert_time_zone(time_zone).dt.replace_time_zone(None)


def to_utc(local: pl.Series, time_zone: str) -> pl.Series:
    """UTC instants of naive local date-times (microseconds); null where the local time does not exist."""
    local = local.dt.cast_time_unit("us")
    micros = local.cast(pl.Int64)

    def offset(moments: pl.Series) -> pl.Series:  # local minus UTC, at local moments
        return moments - exact(moments.cast(pl.Datetime("us")), time_zone).cast(pl.Int64)

    offsets = _hourly(micros, offset)
    if offsets is None:
        return exact(local, time_zone)
    utc = (micros - offsets).cast(pl.Datetime("us", "UTC")).alias(local.name)
    unsettled = (offsets.is_null() & micros.is_not_null()).arg_true()
    if unsettled.len():
        utc = utc.scatter(unsettled, exact(local.gather(unsettled), time_zone))
    return utc


def to_local(instants: pl.Series, time_zone: str) -> pl.Series:
    """Naive local date-times (microseconds) of zoned instants, as ``exact_local`` gives them."""
    utc = instants.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    micros = utc.dt.replace_time_zone(None).cast(pl.Int64)

    def offset(moments: pl.Series) -> pl.Series:  # local minus UTC, at UTC moments
        return exact_local(moments.cast(pl.Datetime("us", "UTC")), time_zone).cast(pl.Int64) - moments

    offsets = _hourly(micros, offset)
    if offsets is None:
        return exact_local(utc, time_zone)
    local = (micros + offsets).cast(pl.Datetime("us")).alias(instants.name)
    unsettled = (offsets.is_null() & micros.is_not_null()).arg_true()
    if unsettled.len():
        local = local.scatter(unsettled, exact_local(utc.gather(unsettled), time_zone))
    return local


def _hourly(micros: pl.Series, offset: Callable[[pl.Series], pl.Series]) -> pl.Series | None:
    """Each value's offset (microseconds), looked up once per hour the values span: at the hour's first and last
    microsecond, kept where the two agree. Null for the values of an hour that holds a transition (the caller
    converts those one by one); None when there are no values or they span more than ``MAX_HOURS``."""
    low, high = micros.min(), micros.max()
    if not isinstance(low, int) or not isinstance(high, int):
        return None
    first, last = low // HOUR, high // HOUR
    if last - first + 1 > MAX_HOURS:
        return None
    starts = pl.int_range(first, last + 1, dtype=pl.Int64, eager=True) * HOUR
    at_start, at_end = offset(starts), offset(starts + (HOUR - 1))
    per_hour = pl.select(pl.when(at_start == at_end).then(at_start).otherwise(None)).to_series()
    return per_hour.gather(micros // HOUR - first)
