"""``validate_export(path)``: check any vendor's HMIS CSV export HUD's way, writing nothing.

Runs Hearth's whole validator (every rule of the HMIS CSV specification, as the importer applies them) and
judges HUD's Eva file-structure checks on the result.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.conf import settings

from hearth.exchange import eva as eva_checks
from hearth.exchange.archive import UnreadableExportError, open_export
from hearth.exchange.issues import IssueLog
from hearth.exchange.validator import Progress, ValidateOptions, Validator
from hearth.spec import Spec, current


@dataclass
class ValidationReport:
    path: Path
    log: IssueLog
    eva: list[eva_checks.EvaResult] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    version: str = ""

    @property
    def ok(self) -> bool:
        return not self.log.has_errors

    @property
    def eva_blocking(self) -> list[eva_checks.EvaResult]:
        return eva_checks.blocking(self.eva)


def validate_export(path: Path, *, spec: Spec | None = None, progress: Progress | None = None) -> ValidationReport:
    spec = spec or current()
    log = IssueLog()
    report = ValidationReport(path=path, log=log)
    with tempfile.TemporaryDirectory(prefix="hearth-validate-") as work:
        try:
            files = open_export(path, spec, log, workdir=Path(work))
        except UnreadableExportError:
            report.eva = eva_checks.judge(spec, log, path=path, export=None, first_names=None)
            return report
        with files:
            validator = Validator(
                files,
                spec,
                ValidateOptions(time_zone=settings.TIME_ZONE, batch_rows=settings.HEARTH_IMPORT_BATCH_ROWS),
                log,
                progress=progress,
            )
            result = validator.run()
            first_names = None
            if "Client" in files.files:
                try:
                    first_names = (
                        pl.scan_csv(files.files["Client"], infer_schema=False)
                        .select(pl.col("FirstName"))
                        .head(100_000)
                        .collect()["FirstName"]
                        .to_list()
                    )
                except (pl.exceptions.PolarsError, KeyError):
                    first_names = None
            report.rows = result.rows_read
            # A translated FY2022 export is read as FY2024 (hearth.exchange.fy2022); the user gave FY2022.
            report.version = files.translated_from or (result.version.version if result.version else "")
            report.eva = eva_checks.judge(spec, log, path=path, export=result.export, first_names=first_names)
    return report
