"""hearth import PATH — import an HMIS CSV export (zip or folder; FY2026, FY2024 or FY2022)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.audit.log import command_line_actor
from hearth.exchange.importer import import_export
from hearth.exchange.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import an HMIS CSV export (a .zip or a folder, FY2026, FY2024 or FY2022). Everything is checked first; any "
        "error and nothing is written. Problems are listed here and in a CSV report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the export: a .zip file or a folder of CSV files")
        parser.add_argument(
            "--source",
            help="name of the source (HMIS database) the export comes from; default: recognised by the export's "
            "ImplementationID, or a new source named after it",
        )
        parser.add_argument(
            "--report", type=Path, help="where to write the problem report CSV (default: the data folder)"
        )
        bulk = parser.add_mutually_exclusive_group()
        bulk.add_argument(
            "--bulk",
            action="store_true",
            default=None,
            help="rebuild indexes after loading even if tables hold data (locks those tables for the import)",
        )
        bulk.add_argument("--no-bulk", dest="bulk", action="store_false", help="never rebuild indexes")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        bar = None if options["no_progress"] else ProgressBar()
        report: Path | None = options["report"]
        outcome = import_export(
            path=path.expanduser(),
            actor=command_line_actor(),
            source_name=options["source"],
            bulk=options["bulk"],
            report_dir=report.parent if report else None,
            progress=bar,
        )
        if bar is not None:
            bar.close()
        if report and outcome.report_path and outcome.report_path != report:
            outcome.report_path.replace(report)
            outcome.report_path = report
        for line in outcome.log.summary_lines():
            self.stdout.write("  " + line)
        if outcome.ok:
            for record, counts in outcome.counts.items():
                c = counts
                if c.received or c.swept:
                    self.stdout.write(
                        f"  {record:24} {c.received:>10,} read  {c.inserted:>10,} new  {c.updated:>9,} updated"
                        f"  {c.unchanged:>10,} unchanged"
                        + (f"  {c.deleted:,} deleted" if c.deleted else "")
                        + (f"  {c.swept:,} swept" if c.swept else "")
                    )
            self.stdout.write(self.style.SUCCESS(outcome.message))
        if outcome.report_path:
            self.stdout.write(f"Report: {outcome.report_path}")
        if not outcome.ok:
            raise CommandError(outcome.message)
