"""hearth validate PATH — check any vendor's HMIS CSV export, HUD's way, without importing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.exchange.progress import ProgressBar
from hearth.exchange.validate import validate_export


class Command(BaseCommand):
    help = (
        "Check an HMIS CSV export (zip or folder) against every rule of the FY2026 specification and HUD's Eva "
        "file-structure checks. Nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--report", type=Path, help="write every problem to this CSV file")
        parser.add_argument(
            "--for-eva",
            action="store_true",
            help="also fail when HUD's Eva would refuse the export (it needs a hashed .zip with a 2026 CSVVersion)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"].expanduser()
        bar = None if options["no_progress"] else ProgressBar()
        report = validate_export(path, progress=bar)
        if bar is not None:
            bar.close()
        log = report.log
        if report.rows:
            total = sum(report.rows.values())
            self.stdout.write(
                f"{path.name}: {report.version.upper()} export, {total:,} rows in {len(report.rows)} files"
            )
        self.stdout.write("")
        self.stdout.write("HMIS CSV specification")
        lines = log.summary_lines()
        for line in lines:
            self.stdout.write("  " + line)
        if not lines:
            self.stdout.write(self.style.SUCCESS("  no problems"))
        self.stdout.write("")
        self.stdout.write("HUD's Eva file-structure checks")
        for result in sorted(report.eva, key=lambda r: (r.passed, r.id)):
            mark = self.style.SUCCESS("pass") if result.passed else self.style.ERROR("FAIL")
            line = f"  {mark}  {result.id:>3}  {result.severity:<13} {result.issue}"
            self.stdout.write(line)
            if not result.passed:
                if result.detail:
                    self.stdout.write(f"             {result.detail}")
                self.stdout.write(f"             {result.guidance}")
        if options["report"]:
            log.write_csv(options["report"].expanduser())
            self.stdout.write(f"\nReport: {options['report']}")
        failed = not report.ok or (options["for_eva"] and report.eva_blocking)
        summary = f"{log.errors:,} errors, {log.warnings:,} warnings"
        if options["for_eva"]:
            summary += f", {len(report.eva_blocking)} Eva High Priority failures"
        if failed:
            raise CommandError(f"Not valid: {summary}.")
        self.stdout.write(self.style.SUCCESS(f"\nValid: {summary}."))
