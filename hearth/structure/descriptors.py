"""A project's dated descriptor records: funders (2.06), CoC information (2.03), bed and unit inventory (2.07),
HMIS participation (2.08) and coordinated entry participation (2.09), HMIS Data Standards FY2026.

HUD keeps their history: a grant, an inventory or a participation status that ends gets an end date, and a
change (more beds, a new participation status) is a new record from the date it applies. Removing a record
(DateDeleted) is for one entered in error.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, TypeVar

from django.db import models, transaction

from hearth.audit.actor import Actor
from hearth.hmis.models import CEParticipation, Funder, HMISParticipation, Inventory, Project, ProjectCoC
from hearth.structure.authority import may_manage_project, require
from hearth.structure.records import RuleError, apply, check, new_local, save_changes, save_new, soft_delete
from hearth.structure.rules import (
    ce_participation_problems,
    funder_problems,
    hmis_participation_problems,
    inventory_problems,
    project_coc_problems,
)

R = TypeVar("R", bound=models.Model)


@dataclass(frozen=True)
class FunderData:  # 2.06
    funder: int
    other_funder: str | None
    grant_id: str | None
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class ProjectCoCData:  # 2.03
    coc_code: str
    geocode: str
    address1: str | None
    address2: str | None
    city: str | None
    state: str | None
    zip: str | None
    geography_type: int | None


@dataclass(frozen=True)
class InventoryData:  # 2.07
    coc_code: str
    household_type: int
    availability: int | None
    es_bed_type: int | None
    unit_inventory: int
    bed_inventory: int
    ch_vet_bed_inventory: int
    youth_vet_bed_inventory: int
    vet_bed_inventory: int
    ch_youth_bed_inventory: int
    youth_bed_inventory: int
    ch_bed_inventory: int
    other_bed_inventory: int
    inventory_start_date: date
    inventory_end_date: date | None


@dataclass(frozen=True)
class HMISParticipationData:  # 2.08
    hmis_participation_type: int
    hmis_participation_status_start_date: date
    hmis_participation_status_end_date: date | None


@dataclass(frozen=True)
class CEParticipationData:  # 2.09
    access_point: int
    prevention_assessment: int | None
    crisis_assessment: int | None
    housing_assessment: int | None
    direct_services: int | None
    receives_referrals: int
    ce_participation_status_start_date: date
    ce_participation_status_end_date: date | None


# Problems for each kind of record in its project's context (also used by the forms, before the action runs).


def funder_context_problems(project: Project, values: dict[str, Any], exclude_pk: int | None = None) -> dict[str, str]:
    return funder_problems(values)


def project_coc_context_problems(
    project: Project, values: dict[str, Any], exclude_pk: int | None = None
) -> dict[str, str]:
    problems = project_coc_problems(values)
    if exclude_pk is not None and "coc_code" not in problems:
        # 2.07.3: inventory names one of the project's CoC codes; a code in use stays until its inventory moves.
        old = ProjectCoC.objects.filter(pk=exclude_pk).values_list("coc_code", flat=True).first()
        if old != values["coc_code"] and _inventory_uses(project, old):
            problems["coc_code"] = f"Inventory of this project is recorded for {old}: change that inventory first."
    if (
        "coc_code" not in problems
        and _others(
            ProjectCoC.objects.filter(project=project, coc_code=values["coc_code"], date_deleted__isnull=True),
            exclude_pk,
        ).exists()
    ):
        problems["coc_code"] = f"The project already has Continuum of Care information for {values['coc_code']}."
    return problems


def inventory_context_problems(
    project: Project, values: dict[str, Any], exclude_pk: int | None = None
) -> dict[str, str]:
    codes = ProjectCoC.objects.filter(project=project, date_deleted__isnull=True).values_list("coc_code", flat=True)
    return inventory_problems(
        values,
        project_type=project.project_type,
        coc_codes=list(codes),
        operating_start=project.operating_start_date,
        operating_end=project.operating_end_date,
    )


def _periods(model: type[models.Model], project: Project, start: str, end: str, exclude_pk: int | None) -> list[Any]:
    rows = _others(model._default_manager.filter(project=project, date_deleted__isnull=True), exclude_pk)
    return list(rows.values_list(start, end))


def hmis_participation_context_problems(
    project: Project, values: dict[str, Any], exclude_pk: int | None = None
) -> dict[str, str]:
    others = _periods(
        HMISParticipation,
        project,
        "hmis_participation_status_start_date",
        "hmis_participation_status_end_date",
        exclude_pk,
    )
    return hmis_participation_problems(values, others=others)


def ce_participation_context_problems(
    project: Project, values: dict[str, Any], exclude_pk: int | None = None
) -> dict[str, str]:
    others = _periods(
        CEParticipation, project, "ce_participation_status_start_date", "ce_participation_status_end_date", exclude_pk
    )
    return ce_participation_problems(values, others=others)


def _others(rows: Any, exclude_pk: int | None) -> Any:
    return rows if exclude_pk is None else rows.exclude(pk=exclude_pk)


def _inventory_uses(project: Project, code: str | None) -> bool:
    return Inventory.objects.filter(project=project, coc_code=code, date_deleted__isnull=True).exists()


_PROBLEMS: dict[Any, Any] = {
    Funder: funder_context_problems,
    ProjectCoC: project_coc_context_problems,
    Inventory: inventory_context_problems,
    HMISParticipation: hmis_participation_context_problems,
    CEParticipation: ce_participation_context_problems,
}
_ACTION: dict[Any, str] = {
    Funder: "funder",
    ProjectCoC: "project_coc",
    Inventory: "inventory",
    HMISParticipation: "hmis_participation",
    CEParticipation: "ce_participation",
}


def _create(model: type[R], project: Project, data: Any, by: Actor) -> R:
    require(may_manage_project(by.user, project), "project")
    # One descriptor change at a time per project: overlap and CoC-code checks read the project's other records.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    values = asdict(data)
    check(_PROBLEMS[model](project, values))
    record = new_local(model, by=by, project=project, **values)
    save_new(record, action=f"{_ACTION[model]}.created", by=by, project=project.pk)
    return record


def _update(record: R, data: Any, by: Actor) -> list[str]:
    project: Project = record.project  # type: ignore[attr-defined]
    require(may_manage_project(by.user, project), "project")
    Project.objects.select_for_update().filter(pk=project.pk).first()
    locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
    values = asdict(data)
    check(_PROBLEMS[type(record)](project, values, exclude_pk=record.pk))
    changed = apply(locked, values)
    save_changes(locked, changed, action=f"{_ACTION[type(record)]}.updated", by=by, project=project.pk)
    return list(changed)


@transaction.atomic
def create_funder(*, project: Project, data: FunderData, by: Actor) -> Funder:
    return _create(Funder, project, data, by)


@transaction.atomic
def update_funder(*, funder: Funder, data: FunderData, by: Actor) -> list[str]:
    """Correct a grant, or end it (2.06.4 end date)."""
    return _update(funder, data, by)


@transaction.atomic
def create_project_coc(*, project: Project, data: ProjectCoCData, by: Actor) -> ProjectCoC:
    return _create(ProjectCoC, project, data, by)


@transaction.atomic
def update_project_coc(*, project_coc: ProjectCoC, data: ProjectCoCData, by: Actor) -> list[str]:
    return _update(project_coc, data, by)


@transaction.atomic
def create_inventory(*, project: Project, data: InventoryData, by: Actor) -> Inventory:
    return _create(Inventory, project, data, by)


@transaction.atomic
def update_inventory(*, inventory: Inventory, data: InventoryData, by: Actor) -> list[str]:
    """Correct an inventory record, or end it (2.07.2). A change in beds is a new record from its date."""
    return _update(inventory, data, by)


@transaction.atomic
def create_hmis_participation(*, project: Project, data: HMISParticipationData, by: Actor) -> HMISParticipation:
    return _create(HMISParticipation, project, data, by)


@transaction.atomic
def update_hmis_participation(*, participation: HMISParticipation, data: HMISParticipationData, by: Actor) -> list[str]:
    return _update(participation, data, by)


@transaction.atomic
def create_ce_participation(*, project: Project, data: CEParticipationData, by: Actor) -> CEParticipation:
    return _create(CEParticipation, project, data, by)


@transaction.atomic
def update_ce_participation(*, participation: CEParticipation, data: CEParticipationData, by: Actor) -> list[str]:
    return _update(participation, data, by)


@transaction.atomic
def remove_descriptor(
    *, record: Funder | ProjectCoC | Inventory | HMISParticipation | CEParticipation, by: Actor
) -> None:
    """Delete a record entered in error (DateDeleted). CoC information stays while inventory names its code."""
    project = record.project
    require(may_manage_project(by.user, project), "project")
    if isinstance(record, ProjectCoC) and _inventory_uses(project, record.coc_code):
        raise RuleError({"coc_code": f"Inventory of this project is recorded for {record.coc_code}: remove it first."})
    soft_delete(record, action=f"{_ACTION[type(record)]}.deleted", by=by, project=project.pk)
