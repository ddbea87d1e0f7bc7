"""hearth report NAME --source export.zip|db --start … --end … [--project ID …] --out result.zip"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.exchange.progress import ProgressBar
from hearth.reports import registry
from hearth.reports.params import ParamsError, ReportParams
from hearth.reports.sage import write_sage
from hearth.reports.tables import HmisTables, ReportInputError, load_database, load_export


class Command(BaseCommand):
    help = (
        "Run a HUD report on an HMIS CSV export (zip or folder) or on Hearth's database, and write HUD's "
        "Sage CSV zip (one CSV per table)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="the report (see --list)")
        parser.add_argument("--list", action="store_true", help="list the reports and stop")
        parser.add_argument("--source", help="an HMIS CSV export (zip or folder), or 'db' for Hearth's database")
        parser.add_argument("--start", help="report start date, yyyy-mm-dd")
        parser.add_argument("--end", help="report end date, yyyy-mm-dd (inclusive)")
        parser.add_argument(
            "--project", action="append", default=[], help="a HUD ProjectID to report on (repeat; default all)"
        )
        parser.add_argument("--coc", help="the CoC code the report is for (XX-501)")
        parser.add_argument("--out", type=Path, help="the Sage CSV zip to write")
        parser.add_argument("--save", type=Path, help="also keep the run (cells and the people behind them) here")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for item in registry.all_reports():
                self.stdout.write(f"{item.name:8} {item.label}")
            return
        missing = [flag for flag in ("name", "source", "start", "end", "out") if not options[flag]]
        if missing:
            raise CommandError(f"Missing: {', '.join(m if m == 'name' else '--' + m for m in missing)}.")
        try:
            report = registry.get(options["name"])
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
        try:
            params = ReportParams.create(
                start=options["start"], end=options["end"], projects=options["project"], coc=options["coc"]
            )
        except ParamsError as exc:
            raise CommandError(str(exc)) from None
        bar = None if options["no_progress"] else ProgressBar()
        progress = bar or (lambda stage, done, total: None)
        began = time.perf_counter()
        try:
            tables = self._load(options["source"], params, progress)
        except ReportInputError as exc:
            raise CommandError(str(exc)) from None
        finally:
            if bar is not None:
                bar.close()
        loaded = time.perf_counter()
        unknown = sorted(set(params.projects) - set(tables["Project"]["ProjectID"].to_list()))
        if unknown:
            raise CommandError(f"No project with ProjectID {', '.join(unknown)} in {tables.source}.")
        result = report.run(tables, params, progress)
        finished = time.perf_counter()
        out = write_sage(result, options["out"].expanduser())
        if options["save"]:
            result.save(options["save"].expanduser())
        self.stdout.write(
            f"{report.label}: {len(result.tables)} tables, {result.members.height:,} cell members "
            f"(loading {loaded - began:.2f} s, report {finished - loaded:.2f} s)"
        )
        self.stdout.write(self.style.SUCCESS(f"Written: {out}"))

    def _load(self, source: str, params: ReportParams, progress: Any) -> HmisTables:
        if source == "db":
            return load_database(projects=params.projects, progress=progress)
        path = Path(source).expanduser()
        return load_export(path, projects=params.projects, progress=progress)
