"""FY2026 table shells of the CoC APR, ESG CAPER and CE APR, as data (``fy2026.csv``, ``tables.csv``).

Sage reads an upload by cell position (REPORTS.md 3.1), so a shell is what fixes every table's lettered
columns (B, C, …) and numbered rows (2, 3, …): row 1 is the header, column A the row labels. The ``source``
column of ``fy2026.csv`` says where each table's layout comes from (the FY2023 shell unchanged since, or
rebuilt from the FY2024/FY2026 specification changes); docs/reports/apr-golden.md lists them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent
APR_CAPER = "apr_caper"
CE_APR = "ce_apr"


@dataclass(frozen=True)
class Shell:
    """One table's layout: ``columns`` [(letter, label)], ``rows`` [(number, label)]."""

    table: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[int, str], ...]
    source: str

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(letter for letter, _ in self.columns)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(number for number, _ in self.rows)

    def row(self, label: str) -> int:
        """The row number of ``label`` (first match); a KeyError names the table and label."""
        for number, text in self.rows:
            if text == label:
                return number
        raise KeyError(f"{self.table} has no row labelled {label!r}")


@cache
def _load() -> dict[tuple[str, str], Shell]:
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    rows: dict[tuple[str, str], list[tuple[int, str]]] = {}
    sources: dict[tuple[str, str], str] = {}
    with open(_HERE / "fy2026.csv", encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            key = (rec["report_set"], rec["table"])
            sources[key] = rec["source"]
            columns.setdefault(key, [])
            rows.setdefault(key, [])
            if rec["axis"] == "column":
                columns[key].append((rec["key"], rec["label"]))
            else:
                rows[key].append((int(rec["key"]), rec["label"]))
    return {key: Shell(key[1], tuple(columns[key]), tuple(rows[key]), sources[key]) for key in sources}


@cache
def report_tables(report: str) -> tuple[str, ...]:
    """The tables of ``report`` ("apr", "caper", "ce_apr") in Sage order: every one is a file of the upload."""
    with open(_HERE / "tables.csv", encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f):
            if rec["report"] == report:
                return tuple(rec["tables"].split())
    raise KeyError(f"No table list for report {report!r}")


def shell(table: str, report_set: str = APR_CAPER) -> Shell:
    try:
        return _load()[(report_set, table)]
    except KeyError:
        raise KeyError(f"No FY2026 shell for {table} ({report_set})") from None


def shell_for(report: str, table: str) -> Shell:
    return shell(table, CE_APR if report == "ce_apr" else APR_CAPER)
