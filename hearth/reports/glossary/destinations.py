"""Destination groups (Data Standards 3.12; FY2024+ codes, used by the FY2026 reports).

100–199 homeless situations, 200–299 institutional, 300–399 temporary, 400–499 permanent; everything else
(0–99) "other": 8 client doesn't know, 9 prefers not to answer, 17 other, 24 deceased, 30 no exit interview
completed, 99 data not collected. Rental by client with subsidy (435) carries its subsidy type (3.12.A).
"""

from __future__ import annotations

import polars as pl

HOMELESS, INSTITUTIONAL, TEMPORARY, PERMANENT, OTHER = "homeless", "institutional", "temporary", "permanent", "other"
DK_PNTA = (8, 9)
NO_EXIT_INTERVIEW = 30
NOT_COLLECTED = 99
RENTAL_WITH_SUBSIDY = 435
# Destination data-quality problems (APR Q6c row 2): DK/PNTA, no exit interview, not collected, or none.
DQ_PROBLEM = (*DK_PNTA, NO_EXIT_INTERVIEW, NOT_COLLECTED)


def group(destination: pl.Expr) -> pl.Expr:
    return (
        pl.when(destination.is_between(100, 199))
        .then(pl.lit(HOMELESS))
        .when(destination.is_between(200, 299))
        .then(pl.lit(INSTITUTIONAL))
        .when(destination.is_between(300, 399))
        .then(pl.lit(TEMPORARY))
        .when(destination.is_between(400, 499))
        .then(pl.lit(PERMANENT))
        .otherwise(pl.lit(OTHER))
    )


def missing(destination: pl.Expr) -> pl.Expr:
    """Destination DQ error: null, DK/PNTA, no exit interview or not collected."""
    return destination.is_null() | destination.is_in(DQ_PROBLEM)
