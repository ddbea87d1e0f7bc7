"""Work other parts of Hearth do with an import (the search index, the CoC structure).

They register here from their AppConfig.ready, so the exchange layer never imports them.

- ``within_import``: a step that sees the new records as they are prepared and writes its own rows inside the
  import's transaction, so they commit (or roll back) with the import. It may decline an import (returns None).
- ``after_import``: a hook run after the import's transaction committed; if it fails, the import stands and the
  hook's own command repairs it. A hook whose label a within-import step of the same label carried out is skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from typing import Any, Protocol

import polars as pl

from hearth.hmis.models import Source

logger = logging.getLogger(__name__)

AfterImport = Callable[[Source, Mapping[str, Any]], None]
_after_import: list[tuple[str, AfterImport]] = []


def _registrar(registry: list[tuple[str, Any]], label: str) -> Callable[[Any], Any]:
    """A decorator adding a function to ``registry`` once (AppConfig.ready may run more than once in tests)."""

    def register(fn: Any) -> Any:
        if all(existing is not fn for _, existing in registry):
            registry.append((label, fn))
        return fn

    return register


def after_import(label: str) -> Callable[[AfterImport], AfterImport]:
    """Register ``fn(source, counts)``, with a label shown as the import's progress stage."""
    return _registrar(_after_import, label)


class ImportStep(Protocol):
    def rows(self, record: str, rows: pl.DataFrame) -> None:
        """Validating thread: a batch of new records of one type — database columns, ids set, values as entered
        (before encryption at rest)."""

    def file_written(self, record: str) -> None:
        """Writing thread, inside the import's transaction: every record of that type is written."""


# new_source -> the step for this import, or None to leave it to the after-import hook.
StepFactory = Callable[[bool], ImportStep | None]
_within_import: list[tuple[str, StepFactory]] = []


def within_import(label: str) -> Callable[[StepFactory], StepFactory]:
    """Register ``factory(new_source)``; ``label`` names the after-import hook the step makes unnecessary."""
    return _registrar(_within_import, label)


def import_steps(new_source: bool) -> dict[str, ImportStep]:
    """This import's within-import steps, by label."""
    steps = {}
    for label, factory in _within_import:
        step = factory(new_source)
        if step is not None:
            steps[label] = step
    return steps


def run_after_import(
    source: Source, counts: Mapping[str, Any], report: Callable[[str], None], done: Collection[str] = ()
) -> list[str]:
    """Run every hook but those ``done`` within the import; returns the labels of hooks that failed (logged by
    type only: no data in logs)."""
    failed = []
    for label, fn in _after_import:
        if label in done:
            continue
        report(label)
        try:
            fn(source, counts)
        except Exception as exc:
            logger.error("after-import step %r failed: %s", label, type(exc).__name__)
            failed.append(label)
    return failed
