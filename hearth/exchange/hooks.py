"""Work other parts of Hearth do after an import lands (the search index, the CoC structure).

They register here from their AppConfig.ready, so the exchange layer never imports them. A hook runs after the
import's transaction committed; if it fails, the import stands and the hook's own command repairs it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from hearth.hmis.models import Source

logger = logging.getLogger(__name__)

AfterImport = Callable[[Source, Mapping[str, Any]], None]
_after_import: list[tuple[str, AfterImport]] = []


def after_import(label: str) -> Callable[[AfterImport], AfterImport]:
    """Register ``fn(source, counts)``, with a label shown as the import's progress stage."""

    def register(fn: AfterImport) -> AfterImport:
        if all(existing is not fn for _, existing in _after_import):
            _after_import.append((label, fn))
        return fn

    return register


def run_after_import(source: Source, counts: Mapping[str, Any], report: Callable[[str], None]) -> list[str]:
    """Run every hook; returns the labels of hooks that failed (logged by type only: no data in logs)."""
    failed = []
    for label, fn in _after_import:
        report(label)
        try:
            fn(source, counts)
        except Exception as exc:
            logger.error("after-import step %r failed: %s", label, type(exc).__name__)
            failed.append(label)
    return failed
