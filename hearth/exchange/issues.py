"""Problems found in an HMIS CSV export: errors (nothing is written) and warnings (written, and listed).

Every issue names the file, the row (spreadsheet numbering: the header is row 1, the first record row 2), the
column, the value and the rule broken. Values from personal-data columns are never repeated (they show as
"(hidden: personal data)"). Issues are collected as small Polars frames, so a rule that matches a million
rows costs one vectorized filter, not a million Python objects; each kind keeps its first examples and an
exact count.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import polars as pl

from hearth.hmis.sensitivity import is_masked

HIDDEN = "(hidden: personal data)"
# Rows kept per kind of problem (file, column, rule); the count stays exact beyond it.
EXAMPLES_PER_KIND = 10_000

ISSUE_SCHEMA = {
    "row": pl.Int64,
    "value": pl.String,
    "message": pl.String,
}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    severity: Severity
    file: str
    row: int | None
    column: str
    value: str | None
    rule: str
    message: str
    eva_id: int | None = None


@dataclass
class _Kind:
    severity: Severity
    file: str
    column: str
    rule: str
    eva_id: int | None
    count: int = 0
    frames: list[pl.DataFrame] = field(default_factory=list)
    kept: int = 0


class IssueLog:
    def __init__(self) -> None:
        self._kinds: dict[tuple[Severity, str, str, str, int | None], _Kind] = {}

    # -- adding --------------------------------------------------------------------------------------
    def add(
        self,
        severity: Severity,
        file: str,
        column: str,
        rule: str,
        message: str,
        *,
        row: int | None = None,
        value: object = None,
        eva_id: int | None = None,
    ) -> None:
        frame = pl.DataFrame(
            {"row": [row], "value": [None if value is None else str(value)], "message": [message]},
            schema=ISSUE_SCHEMA,
        )
        self._add_frame(severity, file, column, rule, frame, eva_id)

    def add_rows(
        self,
        severity: Severity,
        file: str,
        column: str,
        rule: str,
        rows: pl.DataFrame,
        message: str | pl.Expr,
        *,
        value: str | pl.Expr | None = None,
        eva_id: int | None = None,
    ) -> int:
        """Record one issue per row of ``rows`` (which carries ``__row`` and the columns the exprs read)."""
        if rows.height == 0:
            return 0
        record = file.removesuffix(".csv")
        value_expr: pl.Expr
        if value is None:
            value_expr = pl.col(column).cast(pl.String) if column in rows.columns else pl.lit(None, pl.String)
        elif isinstance(value, str):
            value_expr = pl.lit(value, pl.String)
        else:
            value_expr = value.cast(pl.String)
        if column and is_masked(record, column):
            value_expr = pl.when(value_expr.is_null()).then(None).otherwise(pl.lit(HIDDEN))
        message_expr = pl.lit(message) if isinstance(message, str) else message
        frame = rows.select(
            pl.col("__row").cast(pl.Int64).alias("row"),
            value_expr.alias("value"),
            message_expr.cast(pl.String).alias("message"),
        )
        self._add_frame(severity, file, column, rule, frame, eva_id)
        return frame.height

    def _add_frame(
        self, severity: Severity, file: str, column: str, rule: str, frame: pl.DataFrame, eva_id: int | None
    ) -> None:
        key = (severity, file, column, rule, eva_id)
        kind = self._kinds.get(key)
        if kind is None:
            kind = self._kinds[key] = _Kind(severity, file, column, rule, eva_id)
        kind.count += frame.height
        room = EXAMPLES_PER_KIND - kind.kept
        if room > 0:
            kept = frame.head(room)
            kind.frames.append(kept)
            kind.kept += kept.height

    def extend(self, other: IssueLog) -> None:
        for kind in other._kinds.values():
            for frame in kind.frames:
                self._add_frame(kind.severity, kind.file, kind.column, kind.rule, frame, kind.eva_id)
            missing = kind.count - kind.kept
            if missing:
                self._kinds[(kind.severity, kind.file, kind.column, kind.rule, kind.eva_id)].count += missing

    # -- reading -------------------------------------------------------------------------------------
    def count(self, severity: Severity | None = None) -> int:
        return sum(k.count for k in self._kinds.values() if severity is None or k.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def has_errors(self) -> bool:
        return self.errors > 0

    def kinds(self) -> list[_Kind]:
        order = {Severity.ERROR: 0, Severity.WARNING: 1}
        return sorted(self._kinds.values(), key=lambda k: (order[k.severity], k.file, k.column, k.rule))

    def issues(self) -> Iterable[Issue]:
        for kind in self.kinds():
            for frame in kind.frames:
                for row, value, message in frame.iter_rows():
                    yield Issue(kind.severity, kind.file, row, kind.column, value, kind.rule, message, kind.eva_id)

    def frame(self) -> pl.DataFrame:
        """Every kept issue as one table (the CSV report's rows)."""
        parts = []
        for kind in self.kinds():
            for frame in kind.frames:
                parts.append(
                    frame.with_columns(
                        pl.lit(str(kind.severity)).alias("severity"),
                        pl.lit(kind.file).alias("file"),
                        pl.lit(kind.column).alias("column"),
                        pl.lit(kind.rule).alias("rule"),
                        pl.lit(kind.eva_id, pl.Int64).alias("eva_check"),
                    )
                )
        if not parts:
            return pl.DataFrame(
                schema={
                    "severity": pl.String,
                    "file": pl.String,
                    "row": pl.Int64,
                    "column": pl.String,
                    "value": pl.String,
                    "rule": pl.String,
                    "message": pl.String,
                    "eva_check": pl.Int64,
                }
            )
        return pl.concat(parts).select("severity", "file", "row", "column", "value", "rule", "message", "eva_check")

    def write_csv(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        frame = self.frame()
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["severity", "file", "row", "column", "value", "rule", "message", "eva_check"])
            for record in frame.iter_rows():
                writer.writerow(["" if v is None else v for v in record])
            for kind in self.kinds():
                if kind.count > kind.kept:
                    writer.writerow(
                        [
                            str(kind.severity),
                            kind.file,
                            "",
                            kind.column,
                            "",
                            kind.rule,
                            f"… and {kind.count - kind.kept:,} more rows with this problem",
                            kind.eva_id or "",
                        ]
                    )
        return path

    def summary_lines(self, examples: int = 3) -> list[str]:
        """Human summary: one line per kind of problem with its count and first rows."""
        lines: list[str] = []
        for kind in self.kinds():
            first = pl.concat(kind.frames).head(examples) if kind.frames else None
            where = kind.file + (f" {kind.column}" if kind.column else "")
            rows = ""
            message = ""
            if first is not None and first.height:
                numbers = [str(r) for r in first["row"].to_list() if r is not None]
                if numbers:
                    more = "…" if kind.count > len(numbers) else ""
                    rows = f" (row{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}{more})"
                message = first["message"][0]
            count = f"{kind.count:,} row{'s' if kind.count != 1 else ''}" if kind.count > 1 else "1 row"
            eva = f" [Eva {kind.eva_id}]" if kind.eva_id else ""
            lines.append(f"{kind.severity.upper():7} {where}: {message}{eva} — {count}{rows}")
        return lines
