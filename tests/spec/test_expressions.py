"""The conditions.csv expression language: parsing, Python evaluation and Polars compilation agree."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from hearth.exchange.rules import compile_expr
from hearth.spec import current
from hearth.spec.expressions import (
    And,
    Compare,
    Const,
    ExpressionError,
    In,
    IsNull,
    Or,
    Ref,
    evaluate,
    parse,
    references,
)


def test_parse_builds_the_expected_tree() -> None:
    assert parse("ProjectType = 6 or (ProjectType = 13 and RRHSubType = 1)") == Or(
        Compare("=", Ref("ProjectType"), Const(6)),
        And(Compare("=", Ref("ProjectType"), Const(13)), Compare("=", Ref("RRHSubType"), Const(1))),
    )
    assert parse("CurrentSchoolAttend in (1 2)") == In(Ref("CurrentSchoolAttend"), (1, 2))
    assert parse("TCellCount is not null") == IsNull(Ref("TCellCount"), negated=True)
    assert parse("AftercareDate <= ExitDate + 180") == Compare("<=", Ref("AftercareDate"), Ref("ExitDate", 180))
    assert references(parse("Project.ProjectType in (0 1) and Availability is null")) == {
        "Project.ProjectType",
        "Availability",
    }


@pytest.mark.parametrize("text", ["ProjectType =", "in (1 2)", "a = 1 b", "(a = 1", "a ~ 1"])
def test_malformed_expressions_are_refused(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse(text)


ROWS: list[dict[str, int | dt.date | None]] = [
    {"A": 1, "B": None, "D": dt.date(2025, 1, 1), "E": dt.date(2025, 5, 1)},
    {"A": 2, "B": 3, "D": dt.date(2025, 1, 1), "E": dt.date(2025, 8, 1)},
    {"A": None, "B": 3, "D": None, "E": dt.date(2025, 1, 2)},
]
CASES = [
    ("A = 1", [True, False, None]),
    ("A <> 1", [False, True, None]),
    ("A = 1 or B = 3", [True, True, True]),
    ("A = 1 and B = 3", [None, False, None]),
    ("not A = 1", [False, True, None]),
    ("B is null", [True, False, False]),
    ("A in (2 3)", [False, True, None]),
    ("E <= D + 180", [True, False, None]),
    ("@unhashed", [True, True, True]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_python_and_polars_agree_on_three_valued_logic(text: str, expected: list[bool | None]) -> None:
    specials = {"year": 2026, "unhashed": True}
    expr = parse(text)
    assert [evaluate(expr, row, specials) for row in ROWS] == expected
    if "+" in text:
        return  # date offsets need the record's column types: see the Exit.AftercareDate test below
    frame = pl.DataFrame(ROWS, schema={"A": pl.Int64, "B": pl.Int64, "D": pl.Date, "E": pl.Date})
    compiled = frame.with_columns(compile_expr(expr, current().record("Exit"), specials).alias("r"))["r"].to_list()
    assert compiled == expected


def test_date_offsets_compile_to_days_for_date_columns() -> None:
    expr = parse("AftercareDate <= ExitDate + 180")
    frame = pl.DataFrame(
        {"AftercareDate": [dt.date(2025, 6, 29), dt.date(2025, 7, 1)], "ExitDate": [dt.date(2025, 1, 1)] * 2}
    )
    result = frame.select(compile_expr(expr, current().record("Exit"), {}).alias("r"))["r"].to_list()
    assert result == [True, False]
