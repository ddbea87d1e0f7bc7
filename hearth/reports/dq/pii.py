"""Q2 Personally identifiable information (Glossary DQ report Q2; APR/CAPER Q6a).

For name (3.01), SSN (3.02), date of birth (3.03) and race and ethnicity (3.04): clients whose answer is
"client doesn't know" / "prefers not to answer" (B), information missing (C: data not collected or empty), or
with data issues (D: partial or implausible values). A client is counted in the first column that applies
only; E = B + C + D; F = E / all clients in the DQ universe. The overall row counts each client with any issue
once.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.conf import settings

from hearth.reports.cells import ReportBuilder
from hearth.reports.counting import count_where

COLUMNS = (
    "Client Doesn't Know/Prefers Not to Answer",
    "Information Missing",
    "Data Issues",
    "Total",
    "% of Issue Rate",
)
ROWS = (
    "Name (3.01)",
    "Social Security Number (3.02)",
    "Date of Birth (3.03)",
    "Race and Ethnicity (3.04)",
    "Overall Score",
)
RACES = ("AmIndAKNative", "Asian", "BlackAfAmerican", "HispanicLatinao", "MidEastNAfrican", "NativeHIPacific", "White")
EARLIEST_DOB = dt.date(1915, 1, 1)  # Glossary: a date of birth before 1/1/1915 is a data issue
DK, MISSING, ISSUE = "B", "C", "D"


def ssn_invalid(ssn: pl.Expr) -> pl.Expr:
    """SSA rules (Glossary DQ Q2 "Data Issues" for SSN): not nine digits; all one digit; 123456789; area 000,
    666 or 900–999; group 00; serial 0000. A hashed SSN (HashStatus 2–4 exports) cannot be judged: not invalid."""
    digits = ssn.str.replace_all("-", "")
    hashed = digits.str.len_chars() > 9
    nine_digits = digits.str.contains(r"^\d{9}$")
    area, group, serial = digits.str.slice(0, 3), digits.str.slice(3, 2), digits.str.slice(5, 4)
    same_digit = _all_same_digit(digits)
    bad = (
        ~nine_digits
        | same_digit
        | (digits == "123456789")
        | area.is_in(["000", "666"])
        | area.str.starts_with("9")
        | (group == "00")
        | (serial == "0000")
    )
    return pl.when(hashed).then(False).otherwise(bad)


def _all_same_digit(digits: pl.Expr) -> pl.Expr:
    return pl.any_horizontal([digits == str(d) * 9 for d in range(10)])


def local_date(moment: pl.Expr) -> pl.Expr:
    """A UTC date-time's date in the CoC's time zone (HMIS CSV date-times are local time)."""
    return moment.dt.convert_time_zone(settings.TIME_ZONE).dt.date()


def categories() -> dict[int, pl.Expr]:
    """Per row, the first column that applies ("B", "C", "D") or null."""
    name_dq = pl.col("NameDataQuality")
    name = (
        pl.when(name_dq.is_in([8, 9]))
        .then(pl.lit(DK))
        .when((name_dq == 99) | pl.col("FirstName").is_null() | pl.col("LastName").is_null())
        .then(pl.lit(MISSING))
        .when(name_dq == 2)
        .then(pl.lit(ISSUE))
    )
    ssn_dq = pl.col("SSNDataQuality")
    ssn = (
        pl.when(ssn_dq.is_in([8, 9]))
        .then(pl.lit(DK))
        .when((ssn_dq == 99) | pl.col("SSN").is_null())
        .then(pl.lit(MISSING))
        .when((ssn_dq == 2) | ((ssn_dq == 1) & ssn_invalid(pl.col("SSN"))))
        .then(pl.lit(ISSUE))
    )
    dob_dq, dob = pl.col("DOBDataQuality"), pl.col("DOB")
    implausible = (
        (dob < EARLIEST_DOB)
        | (dob > local_date(pl.col("EnrollmentDateCreated")))
        | (dob > local_date(pl.col("ClientDateCreated")))
        | (pl.col("hoh") & (dob > pl.col("EntryDate")))
    )
    dob_category = (
        pl.when(dob.is_null() & dob_dq.is_in([8, 9]))
        .then(pl.lit(DK))
        .when(dob.is_null())
        .then(pl.lit(MISSING))
        .when((dob_dq == 2) | dob_dq.is_in([8, 9, 99]) | implausible.fill_null(False))
        .then(pl.lit(ISSUE))
    )
    any_race = pl.any_horizontal([(pl.col(r) == 1).fill_null(False) for r in RACES])
    race = (
        pl.when(pl.col("RaceNone").is_in([8, 9]))
        .then(pl.lit(DK))
        .when((pl.col("RaceNone") == 99) | ~any_race)
        .then(pl.lit(MISSING))
    )
    return {2: name, 3: ssn, 4: dob_category, 5: race}


def build_q2(builder: ReportBuilder, universe: pl.DataFrame, name: str = "Q2") -> None:
    table = builder.table(name, "Data Quality: Personally Identifiable Information", COLUMNS, ROWS)
    dq = universe.filter(pl.col("dq"))
    total = dq.height
    rows = categories()
    # Each element's category once, then every cell a comparison with it: one query for the table.
    flagged = dq.with_columns(expr.alias(f"__row{row}") for row, expr in rows.items())
    cells: dict[str, pl.Expr | None] = {}
    for row in rows:
        category = pl.col(f"__row{row}")
        for column in (DK, MISSING, ISSUE):
            cells[f"{column}{row}"] = category == column
        cells[f"E{row}"] = category.is_not_null()
        table.percent(f"F{row}", f"E{row}", total)
    cells["E6"] = pl.any_horizontal([pl.col(f"__row{row}").is_not_null() for row in rows])
    count_where(table, flagged, cells)
    table.percent("F6", "E6", total)
