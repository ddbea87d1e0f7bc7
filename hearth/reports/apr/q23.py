"""Q23c exit destination, Q23d subsidy type, Q23e destination type by race and ethnicity (APR/CAPER spec Q23,
Appendix A "Exit Destinations").

Leavers by FY2024+ destination code (3.12.1). The "positive" and "excluded" destination sets depend on the
project type (Appendix A): street outreach (4) counts shelter, safe haven, most institutional and every
temporary exit as positive and excludes hospital, residential project and death; ES, TH and SH (0, 1, 2, 8)
count host home (332) and the permanent destinations; every other type the permanent destinations; all but
street outreach exclude foster care, hospital, long-term care and death. Percentage = positive ÷ (leavers −
excluded), as a decimal.
"""

from __future__ import annotations

import polars as pl

from hearth.reports.apr import race
from hearth.reports.apr.grid import table
from hearth.reports.apr.universe import household_columns
from hearth.reports.cells import ReportBuilder, ratio
from hearth.reports.counting import Columns, tabulate
from hearth.reports.glossary.codes import HP, SO
from hearth.reports.glossary.destinations import RENTAL_WITH_SUBSIDY

PERMANENT = (422, 423, 426, 410, 435, 421, 411)
POSITIVE_SO = (101, 118, 215, 204, 205, 225, 314, 312, 313, 302, 327, 332, *PERMANENT)
POSITIVE_SHELTER = (332, *PERMANENT)
EXCLUDED_SO = (206, 329, 24)
EXCLUDED_OTHER = (215, 206, 225, 24)
SUBSIDY_TYPES = (419, 420, 428, 431, 433, 434, 436, 437, 438, 439, 440)  # 3.12.A, shell rows 2–12

# (heading row, destination codes in the shell's order); each group's subtotal follows its last code.
GROUPS = (
    (2, (116, 101, 118)),
    (7, (215, 206, 207, 225, 204, 205)),
    (15, (302, 329, 314, 332, 312, 313, 327)),
    (24, (422, 423, 426, 410, 435, 421, 411)),
)
OTHER_HEADING, OTHER_CODES = 33, (30, 17, 24)


def positive() -> pl.Expr:
    dest, ptype = pl.col("Destination"), pl.col("ProjectType")
    return (
        pl.when(ptype == SO)
        .then(dest.is_in(POSITIVE_SO))
        .when(ptype.is_in([0, 1, 2, 8]))
        .then(dest.is_in(POSITIVE_SHELTER))
        .otherwise(dest.is_in(PERMANENT))
        .fill_null(False)
    )


def excluded() -> pl.Expr:
    dest = pl.col("Destination")
    return (
        pl.when(pl.col("ProjectType") == SO)
        .then(dest.is_in(EXCLUDED_SO))
        .otherwise(dest.is_in(EXCLUDED_OTHER))
        .fill_null(False)
    )


def destination_rows() -> dict[int, pl.Expr | None]:
    dest = pl.col("Destination")
    rows: dict[int, pl.Expr | None] = {}
    for heading, codes in GROUPS:
        rows[heading] = None
        for offset, code in enumerate(codes, start=1):
            rows[heading + offset] = dest == code
        rows[heading + len(codes) + 1] = dest.is_in(codes)
    rows[OTHER_HEADING] = None
    for offset, code in enumerate(OTHER_CODES, start=1):
        rows[OTHER_HEADING + offset] = dest == code
    rows[37] = dest.is_in([8, 9])
    rows[38] = dest.is_null() | (dest == 99)
    rows[39] = dest.is_null() | dest.is_in([*OTHER_CODES, 8, 9, 99])
    rows[40] = pl.lit(True)
    rows[41] = positive()
    rows[42] = excluded()
    return rows


def destinations(builder: ReportBuilder, report: str, name: str, leavers: pl.DataFrame, columns: Columns) -> None:
    target = table(builder, report, name)
    tabulate(target, leavers, destination_rows(), columns)
    for column in columns:

        def share(values: dict[str, object], c: str = column) -> float:
            total, pos, exc = (float(values.get(f"{c}{r}") or 0) for r in (40, 41, 42))  # type: ignore[arg-type]
            return round(ratio(pos, total - exc), 4)

        target.derive(f"{column}43", share)  # type: ignore[arg-type]


def subsidies(builder: ReportBuilder, report: str, name: str, leavers: pl.DataFrame, columns: Columns) -> None:
    rental = leavers.filter(pl.col("Destination") == RENTAL_WITH_SUBSIDY)
    rows: dict[int, pl.Expr | None] = {
        row: pl.col("DestinationSubsidyType") == code for row, code in enumerate(SUBSIDY_TYPES, start=2)
    }
    rows[13] = pl.lit(True)
    tabulate(table(builder, report, name), rental, rows, columns)


def q23c(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    destinations(builder, report, "Q23c", universe.filter(pl.col("leaver")), household_columns())


def q23d(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    # Q23d is not asked of homelessness prevention projects (spec Q23d).
    leavers = universe.filter(pl.col("leaver") & (pl.col("ProjectType") != HP))
    subsidies(builder, report, "Q23d", leavers, household_columns())


def q23e(builder: ReportBuilder, report: str, universe: pl.DataFrame) -> None:
    leavers = race.with_race(universe.filter(pl.col("leaver")))
    dest = pl.col("Destination")
    rows: dict[int, pl.Expr | None] = {
        2: dest.is_between(100, 199),
        3: dest.is_between(200, 299),
        4: dest.is_between(300, 399),
        5: dest.is_between(400, 499),
        6: dest.is_null() | dest.is_between(0, 99),
        7: pl.lit(True),
    }
    columns = {"B": pl.lit(True), **race.group_columns("C")}
    tabulate(table(builder, report, "Q23e"), leavers, rows, columns)
