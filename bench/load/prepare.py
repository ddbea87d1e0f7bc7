"""Prepare a seeded Hearth database for the load test: accounts, a night-by-night shelter's roster, targets.

Run by bench/load/run.py after ``hearth demo --no-serve`` has imported a synthetic CoC, with the same
environment (DATABASE_URL, HEARTH_DATA_DIR). Writes the targets (project, night, client ids, logins) as JSON.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count, Exists, OuterRef, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from hearth.access.agreements import accept_agreement, needs_agreement  # noqa: E402
from hearth.access.models import RoleAssignment  # noqa: E402
from hearth.audit.actor import Actor  # noqa: E402
from hearth.casework.roster import check_in  # noqa: E402
from hearth.hmis.models import Enrollment, Exit, Project  # noqa: E402

PASSWORD = "load-test-password-not-secret"
ACCOUNTS = 10


def open_on(project: Project, night: date) -> list[Enrollment]:
    exited = Exit.objects.filter(enrollment_id=OuterRef("pk"), exit_date__lte=night, date_deleted__isnull=True)
    return list(
        Enrollment.objects.filter(project=project, entry_date__lte=night, date_deleted__isnull=True).exclude(
            Exists(exited)
        )
    )


def busiest_night(project: Project) -> tuple[date, int]:
    """The night (first of a month, last five years) with the most open enrollments: a full shelter."""
    today = timezone.localdate()
    best = (today, -1)
    for months in range(60):
        night = date(today.year - (months // 12), 1 + (today.month - 1 - months % 12) % 12, 1)
        count = len(open_on(project, night))
        if count > best[1]:
            best = (night, count)
    return best


def main(out: Path) -> None:
    projects = (
        Project.objects.filter(project_type=1, date_deleted__isnull=True, organization__victim_service_provider=0)
        .annotate(n=Count("enrollments", filter=Q(enrollments__date_deleted__isnull=True)))
        .order_by("-n")
    )
    project = projects.first()
    if project is None:
        raise SystemExit("No Emergency Shelter – Night-by-Night project in the synthetic data.")
    night, guests = busiest_night(project)
    user_model = get_user_model()
    names = []
    for n in range(ACCOUNTS):
        user, _ = user_model.objects.get_or_create(username=f"load.{n}")
        user.set_password(PASSWORD)
        user.save()
        RoleAssignment.objects.get_or_create(user=user, role="case_manager", organization=project.organization)
        agreement = needs_agreement(user)
        if agreement is not None:
            accept_agreement(agreement=agreement, by=Actor(user=user, name=user.username))
        names.append(user.username)
    # Half of the shelter checked in already, as at 10 p.m.
    actor = Actor(user=user_model.objects.get(username="load.0"), name="load.0")
    open_enrollments = open_on(project, night)
    check_in(project=project, night=night, enrollments=open_enrollments[::2], by=actor)
    clients = list(
        Enrollment.objects.filter(project__organization=project.organization, date_deleted__isnull=True)
        .values_list("client_id", flat=True)
        .distinct()[:500]
    )
    targets = {
        "project": project.pk,
        "night": night.isoformat(),
        "guests": guests,
        "clients": clients,
        "accounts": names,
        "password": PASSWORD,
        "baseline_night": (night - timedelta(days=1)).isoformat(),
    }
    out.write_text(json.dumps(targets, indent=2))
    print(f"Roster: project {project.pk}, night {night}, {guests} guests open; {len(clients)} profile targets")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
