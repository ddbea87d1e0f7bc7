"""Enroll a household into a project: HMIS Data Standards FY2026 3.10 Project Start Date, 3.15 Relationship to
Head of Household, 3.16 Client Location (EnrollmentCoC) and 5.09 Household ID.

A household is the set of live enrollments sharing a HouseholdID in one project (5.09); exactly one of them is
the head of household (3.15.1 value 1). Every member has their own Project Start Date, never before the head's.
The helpers here are shared by ``households`` (members, head) and ``exits`` (3.11, 3.12).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.access.lookups import NotFound, clients_for, enrollments_for, projects_for
from hearth.access.roles import Permission
from hearth.access.victim_service import ComparableDatabaseError, check_comparable_database
from hearth.audit.actor import Actor
from hearth.casework.stamps import stamp
from hearth.hmis.models import Client, Enrollment, Exit, Project, ProjectCoC
from hearth.spec import current

HEAD = 1  # 3.15.1 "Self (Head of Household)"


class HouseholdError(ValidationError):
    """A request the HUD rules refuse; ``message_dict`` names the form field each message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__({field: [message]})


def relationship_codes() -> frozenset[int]:
    """HUD list 3.15.1, from the spec (Data Standards 3.15 Relationship to Head of Household)."""
    spec = current()
    return frozenset(int(v) for v in spec.allowed_values(spec.record("Enrollment").column("RelationshipToHoH")))


def check_relationship(value: int, *, field: str = "relationship") -> None:
    if value not in relationship_codes():
        raise HouseholdError(field, "Choose a relationship to the head of household from HUD's list (3.15.1).")


def check_entry_date(*, project: Project, entry_date: date, field: str = "entry_date") -> None:
    """3.10 Project Start Date: not in the future, and within the project's operating dates (2.02.3/2.02.4)."""
    if entry_date > timezone.localdate():
        raise HouseholdError(field, "Project start date cannot be in the future.")
    if entry_date < project.operating_start_date:
        raise HouseholdError(
            field,
            f"Project start date is before the project began operating ({project.operating_start_date:%m/%d/%Y}).",
        )
    if project.operating_end_date is not None and entry_date > project.operating_end_date:
        raise HouseholdError(
            field, f"Project start date is after the project stopped operating ({project.operating_end_date:%m/%d/%Y})."
        )


def touch(record: Any, by: Actor) -> list[str]:
    record.date_updated = timezone.now()
    record.user_id = hmis_user_id(by.user)
    return ["date_updated", "user_id"]


def coc_codes(project: Project) -> list[str]:
    """The CoCs a project operates in (ProjectCoC, 2.03): the values 3.16 EnrollmentCoC may take."""
    codes = (
        ProjectCoC.objects.filter(project=project, date_deleted__isnull=True)
        .order_by("coc_code")
        .values_list("coc_code", flat=True)
        .distinct()
    )
    found = list(codes)
    if not found and project.organization.continuum_id is not None:
        # A project without ProjectCoC rows yet: the CoC its organization belongs to.
        found = [project.organization.continuum.code]  # type: ignore[union-attr]
    return found


def coc_choices(projects: Iterable[Project]) -> list[str]:
    """Every CoC code the given projects operate in (one query), for the 3.16 choice on the enroll page."""
    rows = list(projects)
    codes = set(
        ProjectCoC.objects.filter(project__in=rows, date_deleted__isnull=True).values_list("coc_code", flat=True)
    )
    codes |= {p.organization.continuum.code for p in rows if p.organization.continuum is not None}
    return sorted(codes)


def default_coc(project: Project) -> str | None:
    codes = coc_codes(project)
    return codes[0] if len(codes) == 1 else None


def household(enrollment: Enrollment, *, lock: bool = False) -> list[Enrollment]:
    """Every live enrollment of ``enrollment``'s household (5.09), head first, then by start date."""
    rows = Enrollment.objects.filter(
        source_id=enrollment.source_id,
        project_id=enrollment.project_id,
        household_id=enrollment.household_id,
        date_deleted__isnull=True,
    ).select_related("client")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return sorted(rows, key=lambda e: (e.relationship_to_hoh != HEAD, e.entry_date, e.pk))


def live_exits(enrollments: Iterable[Enrollment]) -> dict[int, Exit]:
    return {
        x.enrollment_id: x
        for x in Exit.objects.filter(enrollment_id__in=[e.pk for e in enrollments], date_deleted__isnull=True)
    }


def head_of(members: Sequence[Enrollment]) -> Enrollment:
    heads = [e for e in members if e.relationship_to_hoh == HEAD]
    if len(heads) != 1:
        raise HouseholdError(
            "__all__", "This household does not have exactly one head of household; ask the HMIS Lead."
        )
    return heads[0]


def require_reach(
    by: Actor, *, project: Project | None = None, clients: Iterable[int] = (), enrollments: Iterable[int] = ()
) -> None:
    """Actions re-check what the page checked: the actor may enroll into the project and each client. Work from
    the command line (no account) runs with the deployment's authority."""
    if by.user is None:
        return
    if project is not None and not projects_for(by.user, Permission.ENROLL).filter(pk=project.pk).exists():
        raise NotFound("project")
    wanted = set(clients)
    if wanted and clients_for(by.user, Permission.ENROLL).filter(pk__in=wanted).count() != len(wanted):
        raise NotFound("client")
    rows = set(enrollments)
    if rows and enrollments_for(by.user, Permission.ENROLL).filter(pk__in=rows).count() != len(rows):
        raise NotFound("enrollment")


def keep_vsp_records_apart(project: Project, client_ids: Iterable[int], *, field: str) -> None:
    """A victim service provider's project enrolls only its own clients (comparable-database mode:
    hearth.access.victim_service.check_comparable_database)."""
    try:
        check_comparable_database(project, client_ids)
    except ComparableDatabaseError as error:
        raise HouseholdError(field, error.message) from None


@dataclass(frozen=True)
class Overlap:
    """HUD data quality: the client already has an open enrollment in a project of the same type."""

    client_id: int
    enrollment_id: int
    project_name: str
    entry_date: date


def overlapping(*, user: Any, project: Project, client_ids: Iterable[int], entry_date: date) -> list[Overlap]:
    """Open enrollments (no exit, or an exit after ``entry_date``) of these clients in projects of the same
    ProjectType (2.02.6) that the user can see: HUD's data-quality reports flag such overlaps. Another agency's
    enrollment stays hidden, as the lookups keep it."""
    ids = list(client_ids)
    rows: QuerySet[Enrollment] = (
        enrollments_for(user) if user is not None else Enrollment.objects.filter(date_deleted__isnull=True)
    )
    closed = Exit.objects.filter(enrollment_id=OuterRef("pk"), date_deleted__isnull=True, exit_date__lte=entry_date)
    found = (
        rows.filter(client_id__in=ids, project__project_type=project.project_type)
        .exclude(Exists(closed))
        .select_related("project")
        .order_by("client_id", "entry_date")
    )
    return [Overlap(e.client_id, e.pk, e.project.project_name, e.entry_date) for e in found]


@dataclass(frozen=True)
class Enrolled:
    household_id: str
    enrollments: list[Enrollment]
    overlaps: list[Overlap]

    @property
    def head(self) -> Enrollment:
        return head_of(self.enrollments)


@transaction.atomic
def enroll_household(
    *,
    project: Project,
    entry_date: date,
    members: Sequence[tuple[Client, int]],
    enrollment_coc: str | None = None,
    by: Actor,
) -> Enrolled:
    """Enroll ``members`` (client, 3.15.1 relationship) as one new household: one HouseholdID (5.09), the same
    Project Start Date (3.10; members who join later are added with ``households.add_member``) and the CoC of
    the project chosen for 3.16 (the project's only ProjectCoC when it has one). Overlapping open enrollments
    are not refused (HUD accepts them) but returned, and counted in the audit event."""
    if not members:
        raise HouseholdError("__all__", "Add at least one person to the household.")
    ids = [c.pk for c, _ in members]
    if len(set(ids)) != len(ids):
        raise HouseholdError("members", "The same person is in the household twice.")
    for _, relationship in members:
        check_relationship(relationship)
    heads = sum(1 for _, relationship in members if relationship == HEAD)
    if heads != 1:
        # 3.15: "There must be one, and only one, Head of Household per household."
        raise HouseholdError(
            "relationship", "Choose exactly one head of household (relationship “Self (Head of Household)”)."
        )
    check_entry_date(project=project, entry_date=entry_date)
    require_reach(by, project=project, clients=ids)
    keep_vsp_records_apart(project, ids, field="members")
    codes = coc_codes(project)
    coc = enrollment_coc or (codes[0] if len(codes) == 1 else None)
    if coc is None or (codes and coc not in codes):
        # HMIS CSV Enrollment.EnrollmentCoC "must match a CoCCode in ProjectCoC.csv with the same ProjectID".
        raise HouseholdError("enrollment_coc", "Choose the CoC where the household is enrolled (3.16).")
    overlaps = overlapping(user=by.user, project=project, client_ids=ids, entry_date=entry_date)
    household_id = uuid.uuid4().hex
    created = []
    for client, relationship in members:
        enrollment = Enrollment(
            client=client,
            project=project,
            entry_date=entry_date,
            household_id=household_id,
            relationship_to_hoh=relationship,
            enrollment_coc=coc,
            **stamp(by),
        )
        enrollment.full_clean(exclude=["source", "export", "client", "project"])
        enrollment.save()
        created.append(enrollment)
    head = head_of(created)
    by.record(
        "household.enrolled",
        object_type="Enrollment",
        object_id=head.pk,
        project=project.pk,
        enrollments=[e.pk for e in created],
        overlaps=len(overlaps),
    )
    return Enrolled(household_id, created, overlaps)
