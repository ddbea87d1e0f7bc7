"""Q19a1/Q19a2 cash income change, Q19b (and Q27i for youth) disabling conditions and income at exit (APR/CAPER
spec Q19, Q27i; Glossary "Income and Sources", "Earned Income").

Q19a1: adult stayers with income information at start and at a due annual assessment; Q19a2: adult leavers with
it at start and at exit. Earned income is 4.02.3.A's amount (yes with no amount = $0); other income is the
total less earned; any income is the total (Glossary decision table, ``glossary.income.total_amount``). Per
category, columns B–G place each adult by start and end amount (had and lost; less; same; more; gained;
neither), H all of them, I those who gained or increased (count, then their average gain), J their share.
Averages are the change (end − start) over the adults of that column.

Q19b / Q27i: adult (youth) leavers whose exit income and 3.08 disabling condition are known (0 or 1), by
income source at exit, household type × (with a disabling condition, without, all, % with).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import polars as pl

from hearth.reports.apr.grid import table
from hearth.reports.cells import MEMBER_KEYS, ReportBuilder, TableBuilder, Value, ratio
from hearth.reports.counting import count_where, tabulate
from hearth.reports.glossary import income
from hearth.reports.glossary.household import AC, AO, CO, UN

# Q19b rows 2–12: the kit's source rows; "Other Source" gathers the sources without a row of their own.
OWN_ROWS = ("Earned", "SSI", "SSDI", "VADisabilityService", "PrivateDisability", "WorkersComp", "TANF",
            "SocSecRetirement", "Pension", "ChildSupport")  # fmt: skip
OTHER_SOURCES = tuple(s for s in income.SOURCES if s not in OWN_ROWS)


def _amounts(stage: str) -> dict[str, pl.Expr]:
    prefix = f"income_{stage}"
    total = income.total_amount(prefix).fill_null(0.0)
    earned = pl.col(f"{prefix}_earned").fill_null(0.0)
    return {"earned": earned, "other": (total - earned).clip(lower_bound=0.0), "total": total}


def _change_table(target: TableBuilder, people: pl.DataFrame, end: str) -> None:
    begin, finish = _amounts("start"), _amounts(end)
    for offset, category in enumerate(("earned", "other", "total")):
        count_row, average_row = 2 + 2 * offset, 3 + 2 * offset
        frame = people.select(*MEMBER_KEYS, begin[category].alias("__a"), finish[category].alias("__b")).with_columns(
            (pl.col("__b") - pl.col("__a")).alias("__change")
        )
        a, b = pl.col("__a"), pl.col("__b")
        columns = {
            "B": (a > 0) & (b <= 0),
            "C": (a > 0) & (b > 0) & (b < a),
            "D": (a > 0) & (b > 0) & (b == a),
            "E": (a > 0) & (b > a),
            "F": (a <= 0) & (b > 0),
            "G": (a <= 0) & (b <= 0),
            "H": pl.lit(True),
            "I": ((a > 0) & (b > a)) | ((a <= 0) & (b > 0)),
        }
        count_where(target, frame, {f"{column}{count_row}": cond for column, cond in columns.items()})
        # Every column's average change and the gainers' count in one query (a filter per column cost a query
        # each, and a one-project APR's time is mostly such small queries).
        change = pl.col("__change")
        summary = frame.select(
            *(change.filter(cond).mean().alias(column) for column, cond in columns.items()),
            columns["I"].sum().alias("__gained"),
        ).row(0, named=True)
        for column in columns:
            average = float(summary[column] or 0.0)  # no adults in the column: 0
            if column == "H" and category != "total":
                average = 0.0  # HUD's shell averages all adults only for total income (row 7)
            target.set(f"{column}{average_row}", average, "money")
        target.set(f"J{count_row}", round(ratio(summary["__gained"] or 0, frame.height), 4), "percent")
        target.set(f"J{average_row}", None)


def q19a(builder: ReportBuilder, report: str, staged: pl.DataFrame) -> None:
    """``staged``: the universe with its stage records (q16_q21.with_stages)."""
    adults = staged.filter(pl.col("adult"))
    stayers = adults.filter(
        pl.col("stayer") & pl.col("annual_due") & pl.col("income_start_found") & pl.col("income_annual_found")
    )
    leavers = adults.filter(pl.col("leaver") & pl.col("income_start_found") & pl.col("income_exit_found"))
    _change_table(table(builder, report, "Q19a1"), stayers, "annual")
    _change_table(table(builder, report, "Q19a2"), leavers, "exit")


def disabling_by_source(
    builder: ReportBuilder, report: str, name: str, people: pl.DataFrame, types: tuple[str, ...]
) -> None:
    """Q19b (Q27i): leavers by exit income source × household type × disabling condition. ``people``: staged
    (q16_q21.with_stages), whose ``exit_{source}`` columns are the exit record's."""
    leavers = people.filter(
        pl.col("leaver") & pl.col("DisablingCondition").is_in([0, 1]) & pl.col("income_exit_any").is_in([0, 1])
    )
    yes = {source: (pl.col(f"exit_{source}") == 1).fill_null(False) for source in income.SOURCES}
    any_source = pl.any_horizontal(list(yes.values()))
    rows: dict[int, pl.Expr] = {row: yes[source] for row, source in enumerate(OWN_ROWS, start=2)}
    rows[12] = pl.any_horizontal([yes[s] for s in OTHER_SOURCES])
    rows[13] = ~any_source
    rows[14] = pl.lit(True)
    target = table(builder, report, name)
    disabled = pl.col("DisablingCondition") == 1
    columns: dict[str, pl.Expr] = {}
    for index, household_type in enumerate(types):
        first = 2 + 4 * index  # column number of "with a disabling condition" for this household type
        letters = [chr(ord("A") + first - 1 + k) for k in range(4)]
        in_type = pl.col("household_type") == household_type
        columns[letters[0]] = in_type & disabled
        columns[letters[1]] = in_type & ~disabled
        columns[letters[2]] = in_type
        for row in rows:
            if row == 14:
                target.set(f"{letters[3]}{row}", None, "percent")
            else:
                # One row per adult (the latest stay), so the people counted are the rows.
                target.derive(f"{letters[3]}{row}", _share(f"{letters[0]}{row}", f"{letters[2]}{row}"))
    tabulate(target, leavers, rows, columns)


def _share(part: str, whole: str) -> Callable[[Mapping[str, Value]], Value]:
    return lambda values: round(ratio(values.get(part), values.get(whole)), 4)


def q19b(builder: ReportBuilder, report: str, staged: pl.DataFrame) -> None:
    disabling_by_source(builder, report, "Q19b", staged.filter(pl.col("adult")), (AO, AC, UN))


def q27i(builder: ReportBuilder, report: str, youth: pl.DataFrame) -> None:
    disabling_by_source(builder, report, "Q27i", youth, (AO, AC, CO, UN))
