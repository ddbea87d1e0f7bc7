"""The reports: ``@report("apr", label="CoC APR")`` on ``fn(tables, params, progress) -> ReportResult``.

A report is a subpackage of hearth.reports with a ``report`` module holding the decorated function; it is found
by looking, so adding a report is one package and no list to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from hearth.reports.cells import ReportResult
from hearth.reports.params import ReportParams
from hearth.reports.tables import HmisTables, Progress

ReportFunction = Callable[[HmisTables, ReportParams, Progress], ReportResult]


@dataclass(frozen=True)
class Report:
    name: str
    label: str
    function: ReportFunction
    description: str = ""
    # The tables the report always writes (HUD: "all files present"), in HUD's order.
    tables: tuple[str, ...] = ()

    def run(self, tables: HmisTables, params: ReportParams, progress: Progress | None = None) -> ReportResult:
        result = self.function(tables, params, progress or (lambda stage, done, total: None))
        missing = [name for name in self.tables if name not in result.tables]
        if missing:
            raise AssertionError(f"report {self.name} did not build {', '.join(missing)}")
        return result


REPORTS: dict[str, Report] = {}
_discovered = False


def report(
    name: str, *, label: str, description: str = "", tables: tuple[str, ...] = ()
) -> Callable[[ReportFunction], ReportFunction]:
    def register(fn: ReportFunction) -> ReportFunction:
        existing = REPORTS.get(name)
        if existing is not None and existing.function is not fn:
            raise ValueError(f"report {name!r} is registered twice")
        REPORTS[name] = Report(name, label, fn, description, tables)
        return fn

    return register


def discover() -> None:
    """Import every report package's ``report`` module once (they register themselves)."""
    global _discovered
    if _discovered:
        return
    import hearth.reports as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.ispkg and info.name not in ("glossary", "management"):
            try:
                importlib.import_module(f"hearth.reports.{info.name}.report")
            except ModuleNotFoundError as exc:
                if exc.name != f"hearth.reports.{info.name}.report":
                    raise
    _discovered = True


def get(name: str) -> Report:
    discover()
    try:
        return REPORTS[name]
    except KeyError:
        known = ", ".join(sorted(REPORTS)) or "none"
        raise KeyError(f"There is no report {name!r} (reports: {known}).") from None


def all_reports() -> list[Report]:
    discover()
    return sorted(REPORTS.values(), key=lambda r: r.name)
