"""hearth export --out FILE.zip — write an FY2026 HMIS CSV export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.audit.log import command_line_actor
from hearth.exchange.exporter import (
    DELTA,
    FULL,
    OTHER,
    REPORTING_PERIOD,
    UPDATED,
    ExportOptionError,
    ExportOptions,
    export_hmis,
)
from hearth.exchange.progress import ProgressBar

PERIODS = {"updated": UPDATED, "reporting": REPORTING_PERIOD, "other": OTHER}
DIRECTIVES = {"delta": DELTA, "full": FULL, "other": 3}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date in yyyy-mm-dd form.") from None


class Command(BaseCommand):
    help = "Write an FY2026 HMIS CSV export (.zip with the 24 files) of the data Hearth holds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="the .zip file to write")
        parser.add_argument("--start", type=_date, help="ExportStartDate (yyyy-mm-dd)")
        parser.add_argument("--end", type=_date, help="ExportEndDate (yyyy-mm-dd)")
        parser.add_argument(
            "--period",
            choices=sorted(PERIODS),
            default=None,
            help="ExportPeriodType: 'reporting' = records active in the period (default when dates are given), "
            "'updated' = records changed in it, 'other' = everything (default)",
        )
        parser.add_argument(
            "--directive",
            choices=sorted(DIRECTIVES),
            default=None,
            help="ExportDirective (default: full, or delta for --period updated)",
        )
        parser.add_argument("--organization", action="append", default=[], help="OrganizationID to include (repeat)")
        parser.add_argument("--project", action="append", default=[], help="ProjectID to include (repeat)")
        parser.add_argument("--source", action="append", default=[], help="only records from this source (repeat)")
        parser.add_argument("--hashed", action="store_true", help="HashStatus 4: SHA-256 names and SSN (for Eva, RHY)")
        parser.add_argument(
            "--own-organization",
            metavar="ID",
            default=None,
            help="an organization's own copy (OrganizationID): only its projects, with its victim service "
            "provider client records and confidential addresses, which every other export leaves out",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"].expanduser()
        if out.suffix.lower() != ".zip":
            raise CommandError("--out must name a .zip file: an HMIS CSV export is one zip.")
        period = options["period"] or ("reporting" if options["start"] and options["end"] else "other")
        if period in ("reporting", "updated") and not (options["start"] and options["end"]):
            raise CommandError(f"--period {period} needs --start and --end.")
        directive = options["directive"] or ("delta" if period == "updated" else "full")
        export_options = ExportOptions(
            start=options["start"],
            end=options["end"],
            period_type=PERIODS[period],
            directive=DIRECTIVES[directive],
            hashed=options["hashed"],
            organizations=tuple(options["organization"]),
            projects=tuple(options["project"]),
            sources=tuple(options["source"]),
            own_organization=options["own_organization"],
        )
        bar = None if options["no_progress"] else ProgressBar()
        try:
            outcome = export_hmis(out=out, actor=command_line_actor(), options=export_options, progress=bar)
        except ExportOptionError as exc:
            raise CommandError(str(exc)) from None
        finally:
            if bar is not None:
                bar.close()
        total = sum(outcome.counts.values())
        for record, n in outcome.counts.items():
            self.stdout.write(f"  {record + '.csv':30} {n:>12,} rows")
        for filename, n in outcome.stripped.items():
            self.stdout.write(
                self.style.WARNING(
                    f"  {filename}: removed {n:,} characters HUD does not allow in strings (< > [ ] {{ }})"
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote {out} (ExportID {outcome.export.hud_id}, {total:,} records)."))
