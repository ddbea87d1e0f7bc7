"""Shared by the synthetic-data tests: the small export they check and how to read it typed."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from hearth.spec import current
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG

CLIENTS, SEED = 300, 7
SPEC = current()


def read_typed(out: Path) -> dict[str, pl.DataFrame]:
    """Every file, typed by the spec (strings as text, integers as Int64, dates and date-times parsed)."""
    result = {}
    for name, rt in SPEC.record_types.items():
        frame = pl.read_csv(out / rt.filename, infer_schema=False)
        casts = []
        for column in rt.columns:
            value = pl.col(column.name)
            if column.type == INTEGER:
                casts.append(value.cast(pl.Int64))
            elif column.type == DATE:
                casts.append(value.str.to_date("%Y-%m-%d"))
            elif column.type == DATETIME:
                casts.append(value.str.to_datetime("%Y-%m-%d %H:%M:%S"))
            elif column.type in (MONEY, MONEY_NONNEG):
                casts.append(value.cast(pl.Float64))
        result[name] = frame.with_columns(casts)
    return result


def with_exits_and_types(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Enrollments with their ExitDate (null for stayers) and their project's ProjectType."""
    exits = frames["Exit"].select("EnrollmentID", "ExitDate")
    projects = frames["Project"].select("ProjectID", "ProjectType")
    return frames["Enrollment"].join(exits, on="EnrollmentID", how="left").join(projects, on="ProjectID")
