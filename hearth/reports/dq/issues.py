"""Rows of "issue" tables, written in either of HUD's two layouts.

The Glossary's HMIS Data Quality report shows each data element's problems split by kind — B client doesn't
know / prefers not to answer, C information missing, D data issues, E total, F % of issue rate — while the
APR/CAPER's Q6b and Q6c show only the error count and its rate (B, C). The rules are the same; ``IssueRow``
holds a row's three kinds of problem and its denominator, ``write`` lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl

from hearth.reports.cells import MEMBER_KEYS, TableBuilder

Layout = Literal["apr", "dq"]
APR_COLUMNS = ("Error Count", "% of Error Rate")
DQ_COLUMNS = (
    "Client Doesn't Know/Prefers Not to Answer",
    "Information Missing",
    "Data Issues",
    "Total",
    "% of Issue Rate",
)


def columns(layout: Layout) -> tuple[str, ...]:
    return DQ_COLUMNS if layout == "dq" else APR_COLUMNS


@dataclass(frozen=True)
class IssueRow:
    row: int
    denominator: int
    dk_pnta: pl.DataFrame | None = None
    missing: pl.DataFrame | None = None
    issues: pl.DataFrame | None = None

    def parts(self) -> list[pl.DataFrame]:
        return [f.select(*MEMBER_KEYS) for f in (self.dk_pnta, self.missing, self.issues) if f is not None]


def write(table: TableBuilder, rows: list[IssueRow], layout: Layout) -> None:
    for item in rows:
        parts = item.parts()
        every = (
            pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=dict.fromkeys(MEMBER_KEYS, pl.String))
        )
        if layout == "apr":
            table.count(f"B{item.row}", every)
            table.percent(f"C{item.row}", f"B{item.row}", item.denominator)
            continue
        for column, frame in (("B", item.dk_pnta), ("C", item.missing), ("D", item.issues)):
            if frame is not None:
                table.count(f"{column}{item.row}", frame)
        table.count(f"E{item.row}", every)
        table.percent(f"F{item.row}", f"E{item.row}", item.denominator)
