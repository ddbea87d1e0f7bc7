"""hearth worker — run background jobs (imports, exports, reports) until stopped.

Run it as a service next to the web server (see docs/user-guide/data-exchange.md). SIGTERM or Ctrl+C lets the
job in hand finish, then the worker exits; a worker killed outright leaves its job to be taken back when its
lease runs out. Several workers may run at once, on one machine or several: each job is claimed by one.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hearth.jobs.worker import Worker


class Command(BaseCommand):
    help = "Run background jobs (HMIS CSV imports and exports started from the pages) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="run at most one job, then exit")
        mode.add_argument("--burst", action="store_true", help="run jobs until the queue is empty, then exit")
        parser.add_argument("--name", help="this worker's name in the jobs table (default: host:pid:random)")
        parser.add_argument("--poll", type=float, help="seconds between looks at an empty queue")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(options["name"], poll=options["poll"])

        def stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write(f"Stopping after the current job ({signal.Signals(signum).name}).")
            worker.stop()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        if not (options["once"] or options["burst"]):
            self.stdout.write(f"Worker {worker.name} waiting for jobs. Stop with Ctrl+C.")
        try:
            ran = worker.run(once=options["once"], burst=options["burst"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"Worker {worker.name} ran {ran} job{'s' if ran != 1 else ''}.")
