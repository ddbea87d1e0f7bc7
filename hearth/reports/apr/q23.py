"""Q23c exit destination, Q23d subsidy type (APR/CAPER spec Q23, Appendix A).

Leavers of the universe by FY2024+ destination code (3.12.1). The "positive" and "excluded" destination sets
depend on the project type (spec Appendix A "Exit Destinations"): street outreach (4) counts homeless-shelter,
institutional and temporary exits as positive; ES, TH and SH (0, 1, 2, 8) count host home (332) and the
permanent destinations; every other type the permanent destinations.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr.grid import Grid
from hearth.reports.apr.shells import shell
from hearth.reports.apr.universe import household_columns, veteran_household_columns

PERMANENT = (422, 423, 426, 410, 435, 421, 411)
_POSITIVE_SO = (101, 118, 215, 204, 205, 225, 314, 312, 313, 302, 327, 332, *PERMANENT)
_POSITIVE_SHELTER = (332, *PERMANENT)
_EXCLUDED_SO = (206, 329, 24)
_EXCLUDED_OTHER = (215, 206, 225, 24)
SUBSIDY_TYPES = (419, 420, 428, 431, 433, 434, 436, 437, 438, 439, 440)
RENTAL_WITH_SUBSIDY = 435

# (row, destination codes) of the Q23c shell; None rows are headings; subtotals follow their group.
_GROUPS = (
    (2, (116, 101, 118)),
    (7, (215, 206, 207, 225, 204, 205)),
    (15, (302, 329, 314, 332, 312, 313, 327)),
    (24, (422, 423, 426, 410, 435, 421, 411)),
)


def positive() -> pl.Expr:
    dest, ptype = pl.col("Destination"), pl.col("ProjectType")
    return (
        pl.when(ptype == 4)
        .then(dest.is_in(_POSITIVE_SO))
        .when(ptype.is_in([0, 1, 2, 8]))
        .then(dest.is_in(_POSITIVE_SHELTER))
        .otherwise(dest.is_in(PERMANENT))
        .fill_null(False)
    )


def excluded() -> pl.Expr:
    dest = pl.col("Destination")
    return (
        pl.when(pl.col("ProjectType") == 4).then(dest.is_in(_EXCLUDED_SO)).otherwise(dest.is_in(_EXCLUDED_OTHER))
    ).fill_null(False)


def destination_rows() -> dict[int, pl.Expr | None]:
    dest = pl.col("Destination")
    rows: dict[int, pl.Expr | None] = {}
    for heading, codes in _GROUPS:
        rows[heading] = None
        for offset, code in enumerate(codes, start=1):
            rows[heading + offset] = dest == code
        rows[heading + len(codes) + 1] = dest.is_in(codes)
    other = (30, 17, 24)
    rows[33] = None
    for offset, code in enumerate(other, start=1):
        rows[33 + offset] = dest == code
    rows[37] = dest.is_in([8, 9])
    rows[38] = dest.is_null() | (dest == 99)
    rows[39] = dest.is_null() | dest.is_in([30, 17, 24, 8, 9, 99])
    rows[40] = pl.lit(True)
    rows[41] = positive()
    rows[42] = excluded()
    return rows


def destinations(table: str, leavers: pl.DataFrame, columns: dict[str, pl.Expr]) -> Grid:
    grid = Grid(shell(table))
    grid.tabulate(leavers, destination_rows(), columns)
    for column, cond in columns.items():
        part = leavers.filter(cond)
        total, pos, exc = part.height, part.filter(positive()).height, part.filter(excluded()).height
        # Percentage = positive / (total − excluded), as a decimal (Sage, REPORTS.md §3.1).
        share = round(pos / (total - exc), 4) if total - exc > 0 else 0
        grid.set(column, 43, share, part.filter(positive()))
    return grid


def subsidies(table: str, leavers: pl.DataFrame, columns: dict[str, pl.Expr]) -> Grid:
    grid = Grid(shell(table))
    rental = leavers.filter(pl.col("Destination") == RENTAL_WITH_SUBSIDY)
    rows: dict[int, pl.Expr | None] = {
        row: pl.col("DestinationSubsidyType") == code for row, code in enumerate(SUBSIDY_TYPES, start=2)
    }
    rows[13] = pl.lit(True)
    grid.tabulate(rental, rows, columns)
    return grid


def q23(universe: pl.DataFrame) -> list[Grid]:
    leavers = universe.filter(pl.col("Leaver"))
    # Q23d is not asked of homelessness prevention (spec Q23d).
    return [
        destinations("Q23c", leavers, household_columns()),
        subsidies("Q23d", leavers.filter(pl.col("ProjectType") != 12), household_columns()),
    ]


def q25i_q25j(universe: pl.DataFrame) -> list[Grid]:
    veterans = universe.filter(pl.col("Leaver") & pl.col("Adult") & (pl.col("VeteranStatus") == 1))
    return [
        destinations("Q25i", veterans, veteran_household_columns()),
        subsidies("Q25j", veterans, veteran_household_columns()),
    ]
