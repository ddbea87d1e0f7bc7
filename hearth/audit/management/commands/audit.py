"""hearth audit verify: check that the audit trail is whole (docs/adr/0015-audit-integrity-and-data-protection.md).

hearth audit verify                 recompute the hash chains of audit_event and audit_field_change; print each
                                    chain's head (last id and hash: note it somewhere else to catch, later, the
                                    newest rows being removed); exit 1 naming the first broken link
hearth audit verify --head ID:HASH  also check that an event head noted earlier is still in the chain
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hearth.audit.log import command_line_actor, record
from hearth.audit.verify import verify


def _head(text: str) -> tuple[int, str]:
    pk, _, digest = text.partition(":")
    if not pk.isdigit() or len(digest) != 64:
        raise CommandError("--head takes ID:HASH as `hearth audit verify` printed it (an event id and 64 hex digits)")
    return int(pk), digest.lower()


class Command(BaseCommand):
    help = "Check the audit trail's hash chains and name the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--head", help="an event head (ID:HASH) printed by an earlier run, to check it is kept")

    def handle(self, *args: Any, **options: Any) -> None:
        expected = _head(options["head"]) if options["head"] else None
        reports = verify(expect_event_head=expected)
        problems = []
        for report in reports:
            head = f"{report.head_id}:{report.head_hash}" if report.head_id is not None else "empty"
            if report.broken is None:
                self.stdout.write(f"{report.table}: {report.rows:,} rows, chain intact. Head {head}")
            else:
                line = f"{report.table}: row {report.broken.row_id} {report.broken.reason}"
                self.stdout.write(line)
                problems.append(line)
            if report.head_found is False:
                line = f"{report.table}: the head {expected[0] if expected else ''} noted earlier is not in the chain"
                self.stdout.write(line)
                problems.append(line)
        intact = not problems
        # The check itself is audited (after it ran, so it does not check its own event).
        record("audit.verified", actor=command_line_actor(), details={"intact": intact, "rows": reports[0].rows})
        if problems:
            raise CommandError(f"The audit trail is not intact: {problems[0]}")
