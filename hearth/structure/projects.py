"""Projects (HMIS Data Standards FY2026 2.02 Project Information) and their affiliated residential projects
(2.02.C, HMIS CSV Affiliation)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Min, Q

from hearth.audit.actor import Actor
from hearth.hmis.models import Affiliation, Inventory, Organization, Project
from hearth.structure.authority import may_manage_organization, may_manage_project, require
from hearth.structure.records import apply, check, new_local, save_changes, save_new, soft_delete
from hearth.structure.rules import (
    AFFILIATABLE,
    RRH,
    RRH_HOUSING,
    YES,
    affiliation_problems,
    has_residential_affiliation_question,
    project_problems,
)


@dataclass(frozen=True)
class ProjectData:
    project_name: str  # 2.02.2
    project_common_name: str | None
    operating_start_date: date  # 2.02.3
    operating_end_date: date | None  # 2.02.4
    continuum_project: int  # 2.02.5
    project_type: int | None  # 2.02.6
    rrh_sub_type: int | None  # 2.02.A
    residential_affiliation: int | None  # 2.02.B
    housing_type: int | None  # 2.02.D
    target_population: int | None  # 2.02.7
    hopwa_med_assisted_living_fac: int | None  # 2.02.8
    pit_count: int | None


def _problems(data: ProjectData) -> dict[str, str]:
    problems = project_problems(asdict(data))
    if not data.project_name.strip():
        problems["project_name"] = "Enter the project's name."
    return problems


def project_context_problems(project: Project | None, values: dict[str, Any]) -> dict[str, str]:
    """2.02.3-4 against 2.07.1-2: the project's inventory stays within its operating dates (a project that
    closes ends its inventory first)."""
    if project is None or project.pk is None:
        return {}
    problems: dict[str, str] = {}
    inventory = Inventory.objects.filter(project=project, date_deleted__isnull=True)
    start, end = values.get("operating_start_date"), values.get("operating_end_date")
    first = inventory.aggregate(first=Min("inventory_start_date"))["first"]
    if start is not None and first is not None and first < start:
        problems["operating_start_date"] = (
            f"The project has inventory from {first:%m/%d/%Y}: the operating start date cannot be later."
        )
    if end is not None:
        open_or_later = inventory.filter(Q(inventory_end_date__isnull=True) | Q(inventory_end_date__gt=end))
        if open_or_later.exists():
            problems["operating_end_date"] = (
                "The project has inventory still available after this date: enter its inventory end dates first."
            )
    return problems


@transaction.atomic
def create_project(*, organization: Organization, data: ProjectData, by: Actor) -> Project:
    require(may_manage_organization(by.user, organization), "organization")
    check(_problems(data))
    project = new_local(Project, by=by, organization=organization, **asdict(data))
    save_new(project, action="project.created", by=by, organization=organization.pk)
    return project


@transaction.atomic
def update_project(*, project: Project, data: ProjectData, by: Actor) -> list[str]:
    """Correct the project's information, or close it (2.02.4 operating end date); returns the fields changed.

    A project that no longer answers "Yes" to 2.02.B keeps no affiliated residential projects: they are
    deleted with it, as HUD's Affiliation file allows them only for such projects.
    """
    require(may_manage_project(by.user, project), "project")
    locked = Project.objects.select_for_update().get(pk=project.pk)
    check(_problems(data) | project_context_problems(locked, asdict(data)))
    changed = apply(locked, asdict(data))
    save_changes(locked, changed, action="project.updated", by=by)
    if not (
        has_residential_affiliation_question(locked.project_type, locked.rrh_sub_type)
        and locked.residential_affiliation == YES
    ):
        for affiliation in Affiliation.objects.filter(project=locked, date_deleted__isnull=True):
            soft_delete(affiliation, action="affiliation.deleted", by=by, project=locked.pk, reason="not affiliated")
    return list(changed)


def affiliation_candidates(project: Project) -> list[Project]:
    """2.02.C: the residential projects of the project's CoC it may be affiliated with (any organization's:
    services-only projects often serve another agency's shelter). Project names are not client data."""
    same_continuum = {"organization__continuum_id": project.organization.continuum_id}
    rows = (
        Project.objects.filter(date_deleted__isnull=True, project_type__in=AFFILIATABLE, **same_continuum)
        .filter(organization__date_deleted__isnull=True)
        .exclude(pk=project.pk)
        .select_related("organization")
        .order_by("project_name", "pk")
    )
    return [p for p in rows if p.project_type != RRH or p.rrh_sub_type == RRH_HOUSING]


@transaction.atomic
def add_affiliation(*, project: Project, res_project: Project, by: Actor) -> Affiliation:
    """2.02.C: a residential project a services-only project is affiliated with."""
    require(may_manage_project(by.user, project), "project")
    check(
        affiliation_problems(
            project_type=project.project_type,
            rrh_sub_type=project.rrh_sub_type,
            residential_affiliation=project.residential_affiliation,
            res_project_type=res_project.project_type,
            res_rrh_sub_type=res_project.rrh_sub_type,
            same_project=project.pk == res_project.pk,
        )
    )
    existing = Affiliation.objects.filter(project=project, res_project=res_project, date_deleted__isnull=True).first()
    if existing is not None:
        return existing
    affiliation = new_local(Affiliation, by=by, project=project, res_project=res_project)
    save_new(affiliation, action="affiliation.created", by=by, project=project.pk)
    return affiliation


@transaction.atomic
def remove_affiliation(*, affiliation: Affiliation, by: Actor) -> None:
    require(may_manage_project(by.user, affiliation.project), "project")
    soft_delete(affiliation, action="affiliation.deleted", by=by, project=affiliation.project_id)
