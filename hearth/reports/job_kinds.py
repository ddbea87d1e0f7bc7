"""The background job that computes a report run (hearth.reports.runs)."""

from __future__ import annotations

from hearth.jobs.models import Job
from hearth.jobs.registry import Outcome, Progress, Refused, job_kind
from hearth.reports.models import ReportRun
from hearth.reports.runs import REPORT_JOB, compute
from hearth.reports.tables import ReportInputError


@job_kind(REPORT_JOB, label="HUD report", max_attempts=2)
def run_report(job: Job, progress: Progress) -> Outcome:
    run = ReportRun.objects.filter(job=job).first()
    if run is None:
        raise Refused("This report run no longer exists.")
    try:
        result = compute(run, progress)
    except ReportInputError as error:
        raise Refused(str(error)) from None
    people = run.people or 0
    return Outcome(
        message=f"{len(result.tables)} tables computed; {people:,} people counted.",
        summary={"run": run.pk, "tables": len(result.tables), "people": people},
    )
