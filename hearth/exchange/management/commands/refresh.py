"""hearth refresh — run again the steps that follow an import (search index, CoC placement) for a source."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.exchange.hooks import run_after_import
from hearth.hmis.models import Source


class Command(BaseCommand):
    help = "Re-run the after-import steps (search index, placing organizations in CoCs) for one or every source."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", help="source name (default: every source)")

    def handle(self, *args: Any, **options: Any) -> None:
        sources = Source.objects.all()
        if options["source"]:
            sources = sources.filter(name=options["source"])
            if not sources.exists():
                raise CommandError(f"No source is named {options['source']!r}.")
        failed = False
        for source in sources.order_by("pk"):
            self.stdout.write(f"{source.name}:")
            for label in run_after_import(source, {}, lambda stage: self.stdout.write(f"  {stage}")):
                self.stderr.write(f"  failed: {label}")
                failed = True
        if failed:
            raise CommandError("Some steps failed; see the log.")
