"""Q5 Chronic homelessness (Glossary DQ report Q5; APR/CAPER Q6d): completeness of the 3.917 answers.

Adults and heads of household (DQ universe) who entered on or after 2016-10-01 (when 3.917 took its current
form), by the project type they entered: ES, SH and street outreach (3.917A); TH; all PH (3.917B).

- C, missing time in institution: an institutional prior living situation (200–299) with length of stay
  (3.917.2) DK/PNTA, not collected or empty.
- D, missing time in housing: any other prior living situation (temporary, permanent, other, or itself
  missing) with the same.
- E/F/G, approximate date homelessness started (3.917.3) empty; times homeless (3.917.4) or months homeless
  (3.917.5) DK/PNTA/not collected/empty — counted only for clients whose answers lead to those questions
  (ES/SH/SO; homeless prior situations; institutional stays under 90 days or other stays under 7 nights with
  the night before on the street, in ES or SH).
- H, the share unable to be calculated: any of C–G, over B.
C and D are grayed out for ES/SH/SO (3.917A asks neither), and C–G in the total row: written as 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import polars as pl

from hearth.reports.cells import ReportBuilder, Value, ratio
from hearth.reports.glossary.codes import (
    DK_PNTA,
    HOMELESS_SITUATION_TYPES,
    LOS_UNDER_7_NIGHTS,
    LOS_UNDER_90_DAYS,
    PH_TYPES,
    TH,
    YES,
)

COLUMNS = (
    "Count of Total Records",
    "Missing Time in Institution (3.917.2)",
    "Missing Time in Housing (3.917.2)",
    "Approximate Date Started (3.917.3) DK/PNTA/missing",
    "Number of Times (3.917.4) DK/PNTA/missing",
    "Number of Months (3.917.5) DK/PNTA/missing",
    "% of Records Unable to Calculate",
)
ROWS = ("ES, SH, Street Outreach", "TH", "PH (All)", "Total")
SINCE = dt.date(2016, 10, 1)
_UNKNOWN = (*DK_PNTA, 99)


def _unknown(value: pl.Expr) -> pl.Expr:
    return value.is_null() | value.is_in(_UNKNOWN)


def build_q5(builder: ReportBuilder, universe: pl.DataFrame, name: str = "Q5") -> None:
    table = builder.table(name, "Data Quality: Chronic Homelessness", COLUMNS, ROWS)
    base = universe.filter(pl.col("dq") & (pl.col("adult") | pl.col("hoh")) & (pl.col("EntryDate") >= SINCE))
    situation, los, street = pl.col("LivingSituation"), pl.col("LengthOfStay"), pl.col("PreviousStreetESSH")
    institutional = situation.is_between(200, 299).fill_null(False)
    homeless = situation.is_between(100, 199).fill_null(False)
    other = ~institutional & ~homeless
    asked_dates = (
        pl.col("ProjectType").is_in(HOMELESS_SITUATION_TYPES)
        | homeless
        | (institutional & los.is_in(LOS_UNDER_90_DAYS) & (street == YES))
        | (other & los.is_in(LOS_UNDER_7_NIGHTS) & (street == YES))
    ).fill_null(False)
    checks = {
        "C": institutional & _unknown(los),
        "D": other & _unknown(los),
        "E": asked_dates & pl.col("DateToStreetESSH").is_null(),
        "F": asked_dates & _unknown(pl.col("TimesHomelessPastThreeYears")),
        "G": asked_dates & _unknown(pl.col("MonthsHomelessPastThreeYears")),
    }
    groups = {
        2: pl.col("ProjectType").is_in(HOMELESS_SITUATION_TYPES),
        3: pl.col("ProjectType") == TH,
        4: pl.col("ProjectType").is_in(PH_TYPES),
    }
    for row, in_group in groups.items():
        group = base.filter(in_group)
        table.count(f"B{row}", group)
        for column, check in checks.items():
            if row == 2 and column in ("C", "D"):
                continue
            table.count(f"{column}{row}", group.filter(check))
        unable = group.filter(pl.any_horizontal(list(checks.values()) if row != 2 else [checks[c] for c in "EFG"]))
        table.count(f"H{row}", unable)
    # The total row counts records and the share unable to be calculated; its C–G cells are grayed out in
    # HUD's shell (0), as the kit's expected results show.
    total = base.filter(pl.any_horizontal(list(groups.values())))
    table.count("B5", total)
    table.count(
        "H5",
        total.filter(
            (groups[2] & pl.any_horizontal([checks[c] for c in "EFG"]))
            | (~groups[2] & pl.any_horizontal(list(checks.values())))
        ),
    )
    for row in (2, 3, 4, 5):
        table.derive(f"H{row}", _share(row))


def _share(row: int) -> Callable[[Mapping[str, Value]], Value]:
    """H: the clients unable to be calculated (counted into the cell first, so it keeps them as members) over B."""

    def compute(values: Mapping[str, Value]) -> Value:
        return ratio(values.get(f"H{row}"), values.get(f"B{row}"))

    return compute
