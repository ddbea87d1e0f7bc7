"""The ``hearth`` command (also ``python -m hearth``): Django's management commands with Hearth's settings.

hearth import PATH        import an HMIS CSV export (zip or folder)
hearth export --out F.zip write an FY2026 HMIS CSV export
hearth validate F.zip     check any vendor's export, HUD's way
hearth report NAME --source F.zip|db --start … --end … --out R.zip   a HUD report (docs/reports/README.md)
hearth generate ...       write a synthetic CoC export
hearth demo               set up a demo database and start the server (with a background worker)
hearth worker             run background jobs (imports, exports from the pages); a service in production
hearth refresh            rebuild what imports derive (search index, CoC of each organization)
hearth fieldkey new|status|rotate   the SSN encryption key (docs/adr/0007-ssn-encryption.md)
hearth accounts disable-inactive|unlock|unlock-address|prune   sign-in housekeeping (ADR 0014)
hearth retention --dry-run | --apply --run ID   de-identify clients unused for 7 years (ADR 0016)
hearth audit verify       check the audit trail's hash chains (docs/adr/0015-audit-integrity-and-data-protection.md)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hearth", *(sys.argv[1:] if argv is None else argv)])
