"""hearth demo — set up Hearth with synthetic demo data and start it (the first of the README's two commands).

Idempotent: migrates, seeds a synthetic CoC only into an empty database, keeps the demo login, then serves.
Everything lives in HEARTH_DATA_DIR; delete that folder to start over.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from hearth.access.roles import ROLES
from hearth.audit.log import command_line_actor
from hearth.core.demo_people import seed_people
from hearth.exchange.importer import import_export
from hearth.hmis.models import Client


class Command(BaseCommand):
    help = "Set up Hearth on the embedded database with synthetic demo data, print the login, and start it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=2_000, help="synthetic clients to generate (default 2000)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
        parser.add_argument("--no-serve", action="store_true", help="set up only; do not start the server")

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = Path(settings.DATA_DIR)
        data_dir.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data folder: {data_dir}")
        call_command("migrate", verbosity=0, interactive=False)
        if not Client.objects.exists():
            self._seed(data_dir, options["clients"], options["seed"])
        password = self._password(data_dir)
        logins = seed_people(password)
        url = f"http://{options['addr']}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Hearth is ready at {url}"))
        self.stdout.write(f"  Demo logins (synthetic data only), all with the password {password!r}:")
        for login in logins:
            self.stdout.write(f"    {login.username:<16} {ROLES[login.role].name} — {login.where}")
        self.stdout.write("  Stop with Ctrl+C. Start again the same way; your data stays.")
        if not options["no_serve"]:
            # Imports and exports started from the pages run as background jobs: a worker thread in this
            # process runs them, so the demo needs no second command (production runs "hearth worker").
            from hearth.jobs.worker import start_in_thread

            worker, _ = start_in_thread()
            self.stdout.write("  A background worker runs here too, for imports and exports started from the pages.")
            try:
                call_command("runserver", options["addr"], use_reloader=False)
            finally:
                worker.stop()

    def _seed(self, data_dir: Path, clients: int, seed: int) -> None:
        from hearth.synthetic.generator import generate

        export = data_dir / "demo" / f"synthetic-{clients}-{seed}.zip"
        export.parent.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Generating a synthetic CoC with {clients:,} clients (seed {seed})…")
        generate(clients=clients, seed=seed, out=export)
        self.stdout.write("Importing it…")
        outcome = import_export(path=export, actor=command_line_actor(), source_name="Demo CoC (synthetic)")
        if not outcome.ok:
            for line in outcome.log.summary_lines()[:20]:
                self.stderr.write("  " + line)
            raise SystemExit(f"The demo data did not import: {outcome.message}")
        self.stdout.write(f"  {outcome.message}")

    def _password(self, data_dir: Path) -> str:
        """The demo logins' password is made once per data folder and kept there, readable only by its owner."""
        secret = data_dir / "demo-login.txt"
        if secret.exists():
            password = secret.read_text().strip()
        else:
            password = "-".join(secrets.token_hex(3) for _ in range(3))
            secret.write_text(password + "\n")
            secret.chmod(0o600)
        return password
