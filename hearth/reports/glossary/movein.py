"""Housing move-in date (Glossary "Housing Move-In Date"; Data Standards 3.20).

Only permanent housing projects (types 3, 9, 10, 13) record one. A head of household's move-in date is valid
when it is on or after project start, on or before the exit date (if any) and on or before the report end date.
Household members inherit the head's valid date when they were in the project by then; a member who joined
after the move-in uses their own project start date; a member who left before it has none.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.frames import lookup
from hearth.reports.glossary.codes import PH_TYPES
from hearth.reports.glossary.household import latest_head
from hearth.reports.params import ReportParams


def valid_move_in(params: ReportParams) -> pl.Expr:
    """True where the row's own MoveInDate is valid (needs ProjectType, EntryDate, ExitDate, MoveInDate)."""
    return (
        pl.col("ProjectType").is_in(PH_TYPES)
        & (pl.col("MoveInDate") >= pl.col("EntryDate"))
        & (pl.col("MoveInDate") <= params.end)
        & (pl.col("ExitDate").is_null() | (pl.col("MoveInDate") <= pl.col("ExitDate")))
    ).fill_null(False)


def with_move_in(active: pl.DataFrame, params: ReportParams) -> pl.DataFrame:
    """``active`` with ``move_in``: each member's effective housing move-in date (null: not moved in)."""
    heads = latest_head(active, pl.col("MoveInDate").alias("__hoh_move_in"), among=valid_move_in(params))
    inherited = pl.max_horizontal(pl.col("__hoh_move_in"), pl.col("EntryDate"))
    effective = (
        pl.when(
            pl.col("ProjectType").is_in(PH_TYPES)
            & pl.col("__hoh_move_in").is_not_null()
            & (pl.col("ExitDate").is_null() | (pl.col("ExitDate") >= inherited))
            & (inherited <= params.end)
        )
        .then(inherited)
        .otherwise(None)
    )
    return lookup(active, heads, "HouseholdID").with_columns(effective.alias("move_in")).drop("__hoh_move_in")
