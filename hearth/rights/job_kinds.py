"""Background job kinds of client rights: a client's record export, and the retention dry run and apply."""

from __future__ import annotations

from django.db import transaction

from hearth.audit.actor import Actor
from hearth.jobs.models import Job
from hearth.jobs.queue import enqueue
from hearth.jobs.registry import Outcome, Progress, Refused, job_kind
from hearth.rights import (
    exports,  # noqa: F401 - registers the client record export
    retention,
)
from hearth.rights.models import RunMode

RETENTION = "retention"


@transaction.atomic
def request_retention(*, mode: str, by: Actor, dry_run_id: int | None = None) -> Job:
    if mode not in RunMode.values:
        raise ValueError("mode must be dry_run or apply")
    parameters: dict[str, object] = {"mode": mode}
    if mode == RunMode.APPLY:
        parameters["dry_run"] = dry_run_id
    return enqueue(RETENTION, parameters=parameters, by=by)


@job_kind(RETENTION, label="Retention (de-identify inactive clients)", max_attempts=3)
def run_retention(job: Job, progress: Progress) -> Outcome:
    """Safe to run again: a dry run starts over; an apply continues (de-identified clients are never listed)."""
    user = job.requested_by
    if user is None or not user.is_active or not retention.may_run_retention(user):
        raise Refused("Only an HMIS Lead may run the retention job.")
    by = Actor(user=user, name=job.requested_by_name or user.get_username())
    try:
        if job.parameters.get("mode") == RunMode.APPLY:
            run = retention.apply(
                dry_run_id=int(job.parameters.get("dry_run") or 0), by=by, user=user, job_id=job.pk, progress=progress
            )
            counts = run.counts
            message = (
                f"De-identified {counts['clients']} clients; their {counts['enrollments']} enrollments and "
                f"{counts['services']} services are kept for HUD reports."
            )
            if counts.get("skipped"):
                message += f" {counts['skipped']} listed clients had activity since the dry run and were kept as is."
        else:
            run = retention.dry_run(by=by, user=user, job_id=job.pk, progress=progress)
            counts = run.counts
            message = (
                f"{counts['clients']} clients have had no activity since {run.cutoff:%m/%d/%Y}. Nothing was changed: "
                "review the list, then apply."
            )
    except retention.RetentionError as error:
        raise Refused(str(error)) from None
    return Outcome(message=message, summary={"run": run.pk, "mode": run.mode, **counts})
