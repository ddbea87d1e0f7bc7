"""Evaluate many row-level checks in one pass: flags first, then rows only for the checks that fire."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

from hearth.exchange.issues import IssueLog, Severity


@dataclass(frozen=True)
class Check:
    severity: Severity
    file: str
    column: str
    rule: str
    broken: pl.Expr  # true for each broken row
    message: str | pl.Expr
    eva_id: int | None = None
    value: pl.Expr | None = None


def run_checks(frame: pl.DataFrame, checks: list[Check], log: IssueLog, *, hidden: Collection[str] = ()) -> list[Check]:
    """Log every broken row of every check; return the checks that fired (``hidden`` rules are not logged)."""
    if not checks or frame.height == 0:
        return []
    flags = frame.select(c.broken.fill_null(False).any().alias(f"c{i}") for i, c in enumerate(checks)).row(0)
    fired = [check for check, flag in zip(checks, flags, strict=True) if flag]
    for check in fired:
        if check.rule in hidden:
            continue
        log.add_rows(
            check.severity,
            check.file,
            check.column,
            check.rule,
            frame.filter(check.broken.fill_null(False)),
            check.message,
            value=check.value,
            eva_id=check.eva_id,
        )
    return fired
