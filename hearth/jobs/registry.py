"""The kinds of job: ``@job_kind("import", label="HMIS CSV import")`` on ``fn(job, progress) -> Outcome``.

Adding a kind (a HUD report, say) is one decorated function in the app's ``job_kinds`` module. A kind's
function must be safe to run again: a worker that dies mid-job leaves it to be retried from the start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hearth.jobs.models import Job

Progress = Callable[[str, int, int], None]


@dataclass
class Outcome:
    """What a job function returns: ``ok`` False means the work was refused (an export with errors), not a crash."""

    message: str
    ok: bool = True
    summary: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # role → path relative to HEARTH_WORK_DIR


class Refused(Exception):  # noqa: N818 - reads as the outcome it is
    """Raised by a job function for a readable, expected failure; ``message`` is shown to the user."""

    def __init__(self, message: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.summary = summary or {}


class Cancelled(Exception):  # noqa: N818
    """Raised inside a job's progress callback when its requester cancelled it (or its lease was lost)."""


JobFunction = Callable[["Job", Progress], Outcome]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    function: JobFunction
    max_attempts: int = 3


KINDS: dict[str, Kind] = {}


def job_kind(name: str, *, label: str, max_attempts: int = 3) -> Callable[[JobFunction], JobFunction]:
    def register(fn: JobFunction) -> JobFunction:
        existing = KINDS.get(name)
        if existing is not None and existing.function is not fn:
            raise ValueError(f"job kind {name!r} is registered twice")
        KINDS[name] = Kind(name=name, label=label, function=fn, max_attempts=max_attempts)
        return fn

    return register


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no job kind {name!r}") from None
