from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hearth.audit.actor import Actor
from hearth.jobs.models import Job
from hearth.jobs.registry import KINDS, Outcome, Progress, Refused, job_kind
from tests.web.personas import World, build_world


@pytest.fixture
def actor(django_user_model: Any) -> Actor:
    user = django_user_model.objects.create_user("lead", "lead@example.org", "x" * 16)
    return Actor(user=user, name="lead", ip="127.0.0.1")


@pytest.fixture
def test_kinds() -> Iterator[dict[str, list[Any]]]:
    """Kinds for testing the machinery: one that counts, one that refuses, one that crashes with personal data
    in its exception's text, one that waits for a cancel."""
    calls: dict[str, list[Any]] = {"count": []}

    @job_kind("test.count", label="Counting")
    def count(job: Job, progress: Progress) -> Outcome:
        for n in range(3):
            progress("Counting", n, 3)
        calls["count"].append(job.pk)
        return Outcome(message="Counted to 3.", summary={"counted": 3})

    @job_kind("test.refuse", label="Refusing")
    def refuse(job: Job, progress: Progress) -> Outcome:
        raise Refused("The file has 2 errors.", {"errors": 2})

    @job_kind("test.crash", label="Crashing")
    def crash(job: Job, progress: Progress) -> Outcome:
        raise ValueError("duplicate key: client Maria Lopez 1987-03-14")

    @job_kind("test.wait", label="Waiting")
    def wait(job: Job, progress: Progress) -> Outcome:
        Job.objects.filter(pk=job.pk).update(cancel_requested=True)
        for n in range(1000):
            progress("Waiting", n, 1000)
        return Outcome(message="Never cancelled.")

    yield calls
    for name in ("test.count", "test.refuse", "test.crash", "test.wait"):
        KINDS.pop(name, None)


@pytest.fixture
def world(db: None) -> World:
    return build_world()
