"""HUD's Eva file-structure checks (EvaChecks.csv, Source = "file structure"), judged on a validated export.

Eva (abtassociates/eva) is HUD's tool for checking a hashed FY2026 HMIS CSV export. Each of its 27
file-structure checks is listed here with its ID, severity and guidance (hearth/spec/data/fy2026/eva_checks.csv)
and judged from what Hearth's validator found, plus the few rules only Eva imposes (an exact zip, a 2026
CSVVersion, SHA-256 hashing, case-sensitive column names).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hearth.exchange.issues import IssueLog, Severity
from hearth.spec import Spec


@dataclass(frozen=True)
class EvaResult:
    id: int
    severity: str
    issue: str
    guidance: str
    count: int  # rows (or files) failing; 0 = passed
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.count == 0


def _counts_by_eva(log: IssueLog) -> dict[int, tuple[int, str]]:
    found: dict[int, tuple[int, str]] = {}
    for kind in log.kinds():
        if kind.eva_id is None:
            continue
        count, detail = found.get(kind.eva_id, (0, ""))
        where = kind.file + (f" {kind.column}" if kind.column else "")
        detail = detail + ("; " if detail else "") + f"{where} ({kind.count:,})"
        found[kind.eva_id] = (count + kind.count, detail)
    return found


def judge(
    spec: Spec, log: IssueLog, *, path: Path, export: dict[str, Any] | None, first_names: list[str] | None
) -> list[EvaResult]:
    found = _counts_by_eva(log)
    results: list[EvaResult] = []
    for check in spec.eva_checks.values():
        count, detail = found.get(check.id, (0, ""))
        if check.id == 127 and (path.is_dir() or path.suffix.lower() != ".zip"):
            count, detail = 1, f"{path.name} is {'a folder' if path.is_dir() else 'not a .zip file'}"
        elif check.id == 124 and export is not None:
            version = str(export.get("CSVVersion") or "")
            if "2026" not in version:
                count, detail = 1, f"CSVVersion is {version!r}"
        elif check.id == 126 and export is not None:
            count, detail = _hash_check(export, first_names)
        results.append(EvaResult(check.id, check.severity, check.issue, check.guidance, count, detail))
    return results


def _hash_check(export: dict[str, Any], first_names: list[str] | None) -> tuple[int, str]:
    status = export.get("HashStatus")
    if status != 4:
        return 1, f"HashStatus is {status}; Eva needs 4 (SHA-256). Export with hashing (hearth export --hashed)."
    lengths = {len(n) for n in first_names or [] if n}
    if len(lengths) > 1:
        return 1, f"FirstName values have {len(lengths)} different lengths; SHA-256 digests all have 64 characters."
    return 0, ""


def blocking(results: list[EvaResult]) -> list[EvaResult]:
    """Failed High Priority checks: any one stops Eva from processing the export."""
    return [r for r in results if not r.passed and r.severity == "High Priority"]


def record_in_log(results: list[EvaResult], log: IssueLog) -> None:
    """Add Eva-only failures (those Hearth's own rules do not cover) to the issue log as warnings."""
    for result in results:
        if result.passed or result.id not in (124, 126, 127):
            continue
        log.add(
            Severity.WARNING,
            "",
            "",
            f"eva.{result.id}",
            f"HUD's Eva: {result.issue} — {result.detail}",
            eva_id=result.id,
        )
