"""hearth generate --clients N --seed S --out PATH — write a synthetic FY2026 HMIS CSV export of a whole CoC."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.synthetic.generator import DEFAULT_DUPLICATES, DEFAULT_END, DEFAULT_YEARS, generate


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--end-date {text!r} is not a date in YYYY-MM-DD form") from None


class Command(BaseCommand):
    help = (
        "Write a realistic, deterministic synthetic HMIS CSV export (FY2026) of a whole Continuum of Care: a .zip "
        "when PATH ends in .zip, otherwise a folder of the 24 CSV files. The same arguments always give the same "
        "bytes. The ground truth of duplicate client records goes beside the export (duplicates.csv)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, required=True, help="number of Client records (PersonalIDs)")
        parser.add_argument("--seed", type=int, required=True, help="random seed (same seed, same export)")
        parser.add_argument("--out", type=Path, required=True, help="output: a .zip file or a folder")
        parser.add_argument("--years", type=int, default=DEFAULT_YEARS, help=f"years of data (default {DEFAULT_YEARS})")
        parser.add_argument(
            "--end-date",
            type=_date,
            default=DEFAULT_END,
            help=f"last day of the period, YYYY-MM-DD (default {DEFAULT_END.isoformat()})",
        )
        parser.add_argument(
            "--duplicates",
            type=float,
            default=DEFAULT_DUPLICATES,
            help=f"share of people with a second Client record (default {DEFAULT_DUPLICATES})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] >= 1
        if options["clients"] < 1:
            raise CommandError("--clients must be at least 1")
        if options["years"] < 1:
            raise CommandError("--years must be at least 1")
        if not 0 <= options["duplicates"] < 1:
            raise CommandError("--duplicates is a share between 0 and 1 (e.g. 0.03)")
        summary = generate(
            clients=options["clients"],
            seed=options["seed"],
            out=options["out"].expanduser(),
            years=options["years"],
            end_date=options["end_date"],
            duplicates=options["duplicates"],
            progress=(lambda message: self.stderr.write(message)) if verbose else None,
        )
        if verbose:
            for record, rows in summary.rows.items():
                self.stdout.write(f"  {record:24} {rows:>12,}")
            self.stdout.write(f"  {'total':24} {summary.total_rows:>12,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {summary.out} ({summary.clients:,} clients, {summary.duplicates:,} duplicate records, "
                f"{summary.total_rows:,} rows) in {summary.seconds:.1f}s; ground truth: {summary.duplicates_path}"
            )
        )
