"""Race and ethnicity (3.04, combined since FY2024) as APR rows and columns (spec Q12, Q22f/g, Q23e).

``race_mask`` holds the 3.04 answers a client selected as bits (bit ``code`` for 1 American Indian, Alaska
Native, or Indigenous; 2 Asian or Asian American; 3 Black, African American, or African; 4 Native Hawaiian or
Pacific Islander; 5 White; 6 Hispanic/Latina/e/o; 7 Middle Eastern or North African) — "Black and Hispanic"
is exactly bits 3 and 6, whatever the order of the fields; 0 when none — and ``race_count`` how many. Integer
masks, not text lists: a CoC-wide universe has millions of rows. RaceNone carries 8/9 (doesn't know / prefers
not to answer) or 99 (not collected).
"""

from __future__ import annotations

import polars as pl

RACE_FIELDS = (
    (1, "AmIndAKNative"),
    (2, "Asian"),
    (3, "BlackAfAmerican"),
    (4, "NativeHIPacific"),
    (5, "White"),
    (6, "HispanicLatinao"),
    (7, "MidEastNAfrican"),
)
HISPANIC = 6
# Q12 single-race rows in the shell's order (rows 2–8), then the pairs (rows 9–29), as in the FY2026 shell.
SINGLE_ORDER = (1, 2, 3, 6, 7, 4, 5)
PAIRS = (
    (2, 1), (3, 1), (6, 1), (7, 1), (4, 1), (5, 1), (3, 2), (6, 2), (7, 2), (4, 2), (5, 2),
    (6, 3), (7, 3), (4, 3), (5, 3), (7, 6), (4, 6), (5, 6), (4, 7), (5, 7), (5, 4),
)  # fmt: skip


def with_race(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (the 3.04 columns) with ``race_mask`` and ``race_count`` (ints)."""
    selected = [(pl.col(name) == 1).fill_null(False).cast(pl.Int32) for _, name in RACE_FIELDS]
    mask = pl.sum_horizontal([flag * (1 << code) for flag, (code, _) in zip(selected, RACE_FIELDS, strict=True)])
    return frame.with_columns(mask.alias("race_mask"), pl.sum_horizontal(selected).alias("race_count"))


def _only(*codes: int) -> pl.Expr:
    """Exactly these answers selected, no other."""
    return pl.col("race_mask") == sum(1 << code for code in codes)


def _has(code: int) -> pl.Expr:
    return (pl.col("race_mask") & (1 << code)) != 0


def unknown() -> pl.Expr:
    return pl.col("race_count") == 0


def dk_pnta() -> pl.Expr:
    return unknown() & pl.col("RaceNone").is_in([8, 9]).fill_null(False)


def not_collected() -> pl.Expr:
    return unknown() & ~pl.col("RaceNone").is_in([8, 9]).fill_null(False)


def q12_rows() -> dict[int, pl.Expr | None]:
    rows: dict[int, pl.Expr | None] = {}
    row = 2
    for code in SINGLE_ORDER:
        rows[row] = _only(code)
        row += 1
    for a, b in PAIRS:
        rows[row] = _only(a, b)
        row += 1
    three_or_more = pl.col("race_count") >= 3
    rows[row] = three_or_more & _has(HISPANIC)  # 30: more than 2, one being Hispanic/Latina/e/o
    rows[row + 1] = three_or_more & ~_has(HISPANIC)  # 31: more than 2, none Hispanic/Latina/e/o
    rows[row + 2] = dk_pnta()
    rows[row + 3] = not_collected()
    rows[row + 4] = pl.lit(True)
    return rows


def group_columns(first: str = "B") -> dict[str, pl.Expr]:
    """Q22f/Q22g/Q23e race and ethnicity groups, from column ``first`` on (ten columns)."""
    singles = [_only(code) for code in (1, 2, 3, 6, 7, 4, 5)]
    several = pl.col("race_count") >= 2
    groups = [*singles, several & _has(HISPANIC), several & ~_has(HISPANIC), unknown()]
    start = ord(first)
    return {chr(start + i): cond for i, cond in enumerate(groups)}
