"""Background work of encryption at rest: rewriting a sensitive field's stored values after the HMIS Lead
switched it on or off (hearth.crypto.sensitive)."""

from __future__ import annotations

import time

from hearth.crypto import sensitive
from hearth.jobs.models import Job
from hearth.jobs.registry import Outcome, Progress, job_kind


@job_kind(sensitive.SEAL_JOB, label="Encrypt or decrypt a sensitive field")
def seal_fields(job: Job, progress: Progress) -> Outcome:
    column = str(job.parameters["column"])
    # Every process sees the new switch within CACHE_SECONDS: after that, no write can add a value this pass misses.
    time.sleep(sensitive.CACHE_SECONDS)
    done = sensitive.rewrite(column, progress=progress)
    encrypted, plain = sensitive.counts(column)
    state = "encrypted" if sensitive.is_sealed(column) else "plain"
    return Outcome(
        f"{done:,} values of {sensitive.BY_KEY[column].label} rewritten; now {encrypted:,} encrypted, {plain:,} plain "
        f"(the field is {state}).",
        summary={"column": column, "rewritten": done, "encrypted": encrypted, "plain": plain},
    )
