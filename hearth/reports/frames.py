"""Adding columns to, and choosing rows of, the reports' wide frames without copying every column.

A report's universe carries ~100 columns per stay (Enrollment, Exit and Client columns and every Glossary
concept). A Polars join, sort or filter of such a frame copies all of them, so a rule that only looks up one
value per household, or picks one stay per client, spent most of its time copying columns it never read —
seconds per step over a CoC's million stays. These helpers decide on the few columns a rule reads and copy
the wide frame once, or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

ROW = "__row"


def lookup(frame: pl.DataFrame, other: pl.DataFrame, on: str | Sequence[str]) -> pl.DataFrame:
    """``frame`` with ``other``'s columns beside it, matched on ``on`` — a left join, rows in ``frame``'s
    order — where ``other`` holds at most one row per key (a household's type, a client's columns). Joined on
    the key columns alone, so ``frame``'s own columns are not copied. A key repeated in ``other`` is an error,
    not extra rows."""
    keys = [on] if isinstance(on, str) else list(on)
    added = frame.select(keys).join(other, on=keys, how="left", maintain_order="left", validate="m:1").drop(keys)
    return frame.hstack(added)


def numbered(frame: pl.DataFrame, *columns: str | pl.Expr) -> pl.DataFrame:
    """``columns`` of ``frame`` with each row's position (``__row``): a narrow frame to decide rows on."""
    return frame.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias(ROW), *columns)


def rows_of(frame: pl.DataFrame, chosen: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``frame`` at ``chosen``'s ``__row`` positions, in ``chosen``'s order."""
    return frame.rechunk()[chosen[ROW]]
