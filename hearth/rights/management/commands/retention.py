"""``hearth retention --dry-run | --apply [--run ID]``: de-identify clients unused for HEARTH_RETENTION_YEARS.

``--apply`` alone applies the command line's latest dry run when it is not yet applied and at most
``FRESH_DAYS`` old (a list is applied soon after it was reviewed, or made again).

The command line covers the whole deployment (every CoC, victim service providers included: whoever runs the
servers runs it); an HMIS Lead runs the same for their CoC from the Retention page. See hearth.rights.retention
and docs/adr/0016-client-rights-and-retention.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.rights import retention
from hearth.rights.models import RetentionRun, RunMode

FRESH_DAYS = 7


class Command(BaseCommand):
    help = "List (--dry-run) or de-identify (--apply [--run ID]) clients with no activity for the retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="list the clients; change nothing")
        mode.add_argument("--apply", action="store_true", help="de-identify the clients of a dry run (--run)")
        parser.add_argument(
            "--run", type=int, help="the dry run to apply (its number, printed by --dry-run; default: the latest)"
        )
        parser.add_argument("--out", type=Path, help="with --dry-run: write the list (ids only) to this CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        by = Actor.command_line()

        def progress(stage: str, done: int, total: int) -> None:
            if total and options["verbosity"] > 1:
                self.stdout.write(f"{stage}: {done}/{total}")

        if options["dry_run"]:
            if options["run"] is not None:
                raise CommandError("--run goes with --apply.")
            run = retention.dry_run(by=by, progress=progress)
            counts = run.counts
            self.stdout.write(
                f"Dry run {run.pk}: {counts['clients']} clients with no activity since {run.cutoff.isoformat()} "
                f"({run.years} years); kept for HUD reports: {counts['enrollments']} enrollments, "
                f"{counts['services']} services. Nothing was changed."
            )
            if options["out"] is not None:
                self._write(run, options["out"])
            self.stdout.write(f"To de-identify them: hearth retention --apply (or --apply --run {run.pk})")
            return
        if options["out"] is not None:
            raise CommandError("--out goes with --dry-run.")
        dry_run_id = options["run"] if options["run"] is not None else self._latest_dry_run()
        try:
            run = retention.apply(dry_run_id=dry_run_id, by=by, progress=progress)
        except retention.RetentionError as error:
            raise CommandError(str(error)) from None
        counts = run.counts
        self.stdout.write(
            f"Run {run.pk}: de-identified {counts['clients']} clients (kept: {counts['enrollments']} enrollments, "
            f"{counts['services']} services); {counts['skipped']} had activity since the dry run and were kept as is."
        )

    def _latest_dry_run(self) -> int:
        latest = (
            RetentionRun.objects.filter(mode=RunMode.DRY_RUN, continuums=[], finished_at__isnull=False)
            .order_by("-started_at", "-pk")
            .first()
        )
        if latest is None or latest.applied_by.exists():
            raise CommandError("No dry run to apply: run `hearth retention --dry-run` first and review its list.")
        if latest.started_at < timezone.now() - dt.timedelta(days=FRESH_DAYS):
            raise CommandError(
                f"The latest dry run ({latest.pk}) is more than {FRESH_DAYS} days old: run `hearth retention "
                f"--dry-run` again, or name it with --run {latest.pk}."
            )
        self.stdout.write(f"Applying dry run {latest.pk} of {timezone.localtime(latest.started_at):%Y-%m-%d %H:%M}.")
        return latest.pk

    def _write(self, run: RetentionRun, path: Path) -> None:
        try:
            with path.open("w", encoding="utf-8", newline="") as out:
                for chunk in retention.candidates_csv(run):
                    out.write(chunk)
        except OSError as error:
            raise CommandError(f"Could not write {path.name}: {error.strerror}") from None
        self.stdout.write(f"List: {path}")
