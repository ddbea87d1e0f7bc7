"""hearth fieldkey new|status|rotate: the key that encrypts SSNs at rest (docs/adr/0007-ssn-encryption.md).

hearth fieldkey new       print a new random key for HEARTH_FIELD_KEY (nothing is changed)
hearth fieldkey status    the current key's id, and how many stored values are under each key id
hearth fieldkey rotate    re-encrypt every stored value under the current key (after setting the new key in
                          HEARTH_FIELD_KEY and the old one in HEARTH_FIELD_KEYS_RETIRED)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hearth.audit.log import command_line_actor
from hearth.crypto import keyring, new_key
from hearth.crypto.rotation import CHUNK, rotate, usage


class Command(BaseCommand):
    help = "Make, inspect or rotate the key that encrypts SSNs at rest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["new", "status", "rotate"])
        parser.add_argument("--chunk", type=int, default=CHUNK, help="rows re-encrypted per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "new":
            self.stdout.write(new_key())
            return
        ring = keyring()
        if action == "status":
            retired = sorted(set(ring.by_id) - {ring.current.key_id})
            self.stdout.write(f"Current key: {ring.current.key_id}")
            self.stdout.write(f"Retired keys still accepted: {', '.join(retired) or 'none'}")
            for column, counts in usage().items():
                listed = ", ".join(f"{kid}: {n:,}" for kid, n in counts.items()) or "no values"
                self.stdout.write(f"{column}: {listed}")
            return
        result = rotate(actor=command_line_actor(), chunk=options["chunk"])
        for column, n in result.rewritten.items():
            self.stdout.write(f"{column}: {n:,} values re-encrypted under key {result.key_id}")
        self.stdout.write("When no value is under a retired key any more, remove it from HEARTH_FIELD_KEYS_RETIRED.")
