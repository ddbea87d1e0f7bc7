"""hearth accounts disable-inactive|unlock|unlock-address|prune: sign-in housekeeping for the deployment.

hearth accounts disable-inactive [--days N] [--dry-run]
                                 disable accounts without a sign-in for N days (HEARTH_INACTIVE_DAYS); the
                                 worker also runs this daily
hearth accounts unlock USERNAME  lift an account's lock after failed sign-ins
hearth accounts unlock-address IP
                                 let an address that made too many failed sign-ins try again
hearth accounts prune            remove expired sessions, closed session records older than
                                 HEARTH_SESSION_RECORD_DAYS and spent failed-sign-in counters
                                 (hearth.signin.housekeeping); the worker also runs this hourly
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.audit.actor import Actor
from hearth.signin import conf, throttle
from hearth.signin.housekeeping import prune
from hearth.signin.inactive import disable_inactive


class Command(BaseCommand):
    help = "Disable inactive accounts; unlock accounts or addresses locked after failed sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        inactive = actions.add_parser("disable-inactive", help="disable accounts unused for N days")
        inactive.add_argument("--days", type=int, help="days without a sign-in (default HEARTH_INACTIVE_DAYS)")
        inactive.add_argument("--dry-run", action="store_true", help="list them; change nothing")
        unlock = actions.add_parser("unlock", help="lift an account's lock after failed sign-ins")
        unlock.add_argument("username")
        address = actions.add_parser("unlock-address", help="clear an address's failed sign-ins")
        address.add_argument("ip")
        actions.add_parser("prune", help="remove expired sessions, old session records and spent failure counters")

    def handle(self, *args: Any, **options: Any) -> None:
        by = Actor.command_line()
        action = options["action"]
        if action == "disable-inactive":
            days = conf.inactive_days() if options["days"] is None else options["days"]
            if days <= 0:
                self.stdout.write("Inactive accounts are kept (HEARTH_INACTIVE_DAYS is 0).")
                return
            accounts = disable_inactive(by=by, days=days, dry_run=options["dry_run"])
            verb = "would be disabled" if options["dry_run"] else "disabled"
            for account in accounts:
                last = f"{account.last_login:%Y-%m-%d}" if account.last_login else "never"
                self.stdout.write(f"{account.get_username()} (last sign-in: {last})")
            plural = "" if len(accounts) == 1 else "s"
            self.stdout.write(f"{len(accounts)} account{plural} unused for {days} days {verb}.")
        elif action == "unlock":
            account = get_user_model().objects.filter(username=options["username"]).first()
            if account is None:
                raise CommandError(f"No account named {options['username']}.")
            if throttle.unlock(account=account, by=by):
                self.stdout.write(f"{account.get_username()} is unlocked.")
            else:
                self.stdout.write(f"{account.get_username()} was not locked.")
        elif action == "prune":
            pruned = prune()
            self.stdout.write(
                f"{pruned.sessions_closed} expired session records closed, {pruned.session_records_deleted} old "
                f"session records deleted, {pruned.throttles_deleted} spent failed-sign-in counters deleted."
            )
        elif throttle.unlock_address(ip=options["ip"], by=by):
            self.stdout.write(f"{options['ip']} may sign in again.")
        else:
            self.stdout.write(f"{options['ip']} had no failed sign-ins on record.")
