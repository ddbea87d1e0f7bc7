"""A report run's parameters: the report date range, the projects and the CoC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


class ParamsError(ValueError):
    """Parameters a report cannot run with; the message says which one and why."""


@dataclass(frozen=True)
class ReportParams:
    """Report date range [start, end], inclusive (Glossary "Report Date Range").

    ``projects``: HUD ProjectIDs to report on; empty means every project in the input. ``coc``: the CoC code
    a report is run for (``XX-501``), when it filters or labels by CoC.
    """

    start: dt.date
    end: dt.date
    projects: tuple[str, ...] = ()
    coc: str | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ParamsError(f"The report end date {self.end} is before its start date {self.start}.")
        if len(set(self.projects)) != len(self.projects):
            raise ParamsError("A project is named twice in the report's projects.")

    @classmethod
    def create(
        cls, *, start: dt.date | str, end: dt.date | str, projects: Iterable[str] = (), coc: str | None = None
    ) -> ReportParams:
        return cls(start=_date(start, "start"), end=_date(end, "end"), projects=tuple(projects), coc=coc or None)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "projects": list(self.projects),
            "coc": self.coc,
        }


def _date(value: dt.date | str, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParamsError(f"The report {name} date {value!r} is not a date in yyyy-mm-dd form.") from None
