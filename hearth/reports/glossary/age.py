"""Age (Glossary "Age"; "Adults and Children"; "Unknown Age").

A client's age is whole years (birthday arithmetic, not 365-day units) on the later of their project start
date and the report start date; with several stays, as of the stay being reported (the latest). Age is
unknown when the date of birth is missing, or is not a usable date of birth (after the date age is taken on).
Adults are 18 or older, children under 18.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.params import ReportParams


def years_between(born: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Whole years from ``born`` to ``on``: one less when ``on`` falls before that year's birthday."""
    before_birthday = (on.dt.month().cast(pl.Int32) * 100 + on.dt.day().cast(pl.Int32)) < (
        born.dt.month().cast(pl.Int32) * 100 + born.dt.day().cast(pl.Int32)
    )
    return on.dt.year().cast(pl.Int32) - born.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)


def age_on(dob: pl.Expr, on: pl.Expr) -> pl.Expr:
    """Age on ``on``; null (unknown) when DOB is missing or after ``on``."""
    return pl.when(dob.is_null() | (dob > on)).then(None).otherwise(years_between(dob, on)).cast(pl.Int32)


def age_date(params: ReportParams) -> pl.Expr:
    """The date age is taken on: the later of [project start date] and [report start date]."""
    return pl.max_horizontal(pl.col("EntryDate"), pl.lit(params.start))


def with_age(frame: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """``frame`` (EntryDate, DOB) with ``age`` (Int32, null = unknown), ``adult``, ``child``, ``age_unknown``."""
    return frame.with_columns(age_on(pl.col("DOB"), age_date(params)).alias("age")).with_columns(
        (pl.col("age") >= 18).fill_null(False).alias("adult"),
        (pl.col("age") < 18).fill_null(False).alias("child"),
        pl.col("age").is_null().alias("age_unknown"),
    )
