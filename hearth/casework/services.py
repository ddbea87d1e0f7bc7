"""Services: HUD's by funder (Services.csv, HMIS Data Standards FY2026 P1/P2, R14, W1/W2, V2/V3, V8, C2, 4.14)
and the CoC's own service types (Hearth records, never exported: docs/adr/0008-local-case-work-records.md).

Which HUD services a project records follows from its funders (2.06) and type (2.02.6): the pure rules below
say so, and the actions refuse anything else with a message naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.audit.actor import Actor
from hearth.casework.models import LocalService, ServiceType
from hearth.casework.stamps import stamp
from hearth.hmis.models import Continuum, Enrollment, Exit, Services
from hearth.spec import current

# HUD list 1.4 RecordType values.
PATH_SERVICE, RHY_SERVICE, HOPWA_SERVICE, SSVF_SERVICE = 141, 142, 143, 144
HOPWA_FA, SSVF_FA, PATH_REFERRAL, BED_NIGHT, VASH_OTH, MOVING_ON = 151, 152, 161, 200, 210, 300

# Project type 1 (2.02.6): Emergency Shelter – Night-by-Night, the only projects that record bed nights.
ES_NIGHT_BY_NIGHT = 1

# Funders (2.06.1) whose program specifics collect each RecordType (HMIS Data Standards FY2026 program
# manuals: PATH P1/P2, RHY R14, HOPWA W1/W2, SSVF V2/V3, HUD-VASH V8, CoC PSH C2 Moving On assistance).
_PATH = frozenset({21})
_RHY = frozenset({22, 23, 24, 25, 26})
_HOPWA = frozenset({13, 14, 15, 16, 17, 18, 19})
_SSVF = frozenset({33})
RECORD_TYPES_BY_FUNDER: dict[int, frozenset[int]] = {
    PATH_SERVICE: _PATH,
    PATH_REFERRAL: _PATH,
    RHY_SERVICE: _RHY,
    HOPWA_SERVICE: _HOPWA,
    HOPWA_FA: _HOPWA,
    SSVF_SERVICE: _SSVF,
    SSVF_FA: _SSVF,
    VASH_OTH: frozenset({20}),
    MOVING_ON: frozenset({2}),
}


def record_types_for(*, project_type: int | None, funders: Iterable[int]) -> list[int]:
    """HUD RecordTypes (list 1.4) a project records: by its funders, plus bed nights for an ES night-by-night
    shelter (4.14 Bed-night date: "ProjectType 1 only")."""
    funded = set(funders)
    types = [rt for rt, by in RECORD_TYPES_BY_FUNDER.items() if by & funded]
    if project_type == ES_NIGHT_BY_NIGHT:
        types.append(BED_NIGHT)
    return sorted(types)


def type_provided_list(record_type: int) -> str:
    """The list TypeProvided takes its values from, chosen by RecordType (Services.csv TypeProvided)."""
    for rule in current().rules_for("Services", "TypeProvided"):
        if rule.kind == "select" and rule.when_value == record_type:
            return rule.list_id
    raise ValueError(f"RecordType {record_type} selects no TypeProvided list")


def sub_type_list(type_provided: int) -> str | None:
    """V2.A/V2.B/V2.C: the SSVF sub-type list for TypeProvided 3, 4 or 5 of RecordType 144."""
    for rule in current().rules_for("Services", "SubTypeProvided"):
        if rule.kind == "select" and rule.when_value == type_provided:
            return rule.list_id
    return None


def choices(list_id: str) -> list[tuple[int, str]]:
    """(value, HUD label) of a code list, in HUD's order."""
    return [(int(v), label) for v, label in current().lists[list_id].labels.items()]


def label(list_id: str, value: int | None) -> str:
    if value is None:
        return ""
    return current().lists[list_id].label(value) or str(value)


def within_enrollment(day: date, *, entry: date, exit: date | None, exit_inclusive: bool) -> bool:
    """A service or contact belongs to the enrollment's days: on or after project start, and before the exit
    date (bed nights: the night of exit is not stayed; 4.14) or on it (other services, 4.12.1)."""
    if day < entry:
        return False
    if exit is None:
        return True
    return day <= exit if exit_inclusive else day < exit


@dataclass
class ServiceData:
    """What the record-a-service form collects for a HUD service (Services.csv)."""

    date_provided: date
    record_type: int
    type_provided: int
    other_type_provided: str | None = None
    moving_on_other_type: str | None = None
    sub_type_provided: int | None = None
    fa_amount: Decimal | None = None
    fa_start_date: date | None = None
    fa_end_date: date | None = None
    referral_outcome: int | None = None


def check_service(data: ServiceData, *, allowed_record_types: Iterable[int]) -> dict[str, str]:
    """Field → message for each problem (empty when the service can be recorded). Services.csv FY2026 rules:
    TypeProvided by RecordType; OtherTypeProvided (V2.D/V8.A), MovingOnOtherType (C2.A), SubTypeProvided
    (V2.A-C), FAAmount (W2/V3.2), ReferralOutcome (P2.A) only where their condition holds."""
    errors: dict[str, str] = {}
    rt, tp = data.record_type, data.type_provided
    if rt not in set(allowed_record_types):
        return {"record_type": "This project's funders do not record this kind of service."}
    if tp not in current().lists[type_provided_list(rt)].values:
        errors["type_provided"] = "Choose a service type from the list."
    other_needed = (rt == SSVF_SERVICE and tp == 6) or (rt == VASH_OTH and tp == 12)
    if other_needed and not (data.other_type_provided or "").strip():
        errors["other_type_provided"] = "Say which other service was provided."
    moving_on_needed = rt == MOVING_ON and tp == 5
    if moving_on_needed and not (data.moving_on_other_type or "").strip():
        errors["moving_on_other_type"] = "Say which other Moving On assistance was provided."
    sub_list = sub_type_list(tp) if rt == SSVF_SERVICE else None
    if sub_list is not None and data.sub_type_provided not in current().lists[sub_list].values:
        errors["sub_type_provided"] = "Choose which kind of assistance from the list."
    if rt in (HOPWA_FA, SSVF_FA):
        if data.fa_amount is None or data.fa_amount <= 0:
            errors["fa_amount"] = "Enter the amount of financial assistance, more than $0."
        if data.fa_start_date and data.fa_end_date and data.fa_end_date < data.fa_start_date:
            errors["fa_end_date"] = "The assistance end date must be on or after its start date."
    if rt == PATH_REFERRAL and data.referral_outcome is not None and data.referral_outcome not in (1, 2, 3):
        errors["referral_outcome"] = "Choose the referral outcome from the list."
    return errors


def _normalized(data: ServiceData) -> dict[str, object]:
    """The Services.csv values, with every conditional column null unless its condition holds."""
    rt, tp = data.record_type, data.type_provided
    other = (rt == SSVF_SERVICE and tp == 6) or (rt == VASH_OTH and tp == 12)
    fa = rt in (HOPWA_FA, SSVF_FA)
    return {
        "date_provided": data.date_provided,
        "record_type": rt,
        "type_provided": tp,
        "other_type_provided": (data.other_type_provided or "").strip()[:50] if other else None,
        "moving_on_other_type": (data.moving_on_other_type or "").strip()[:50] if rt == MOVING_ON and tp == 5 else None,
        "sub_type_provided": data.sub_type_provided if rt == SSVF_SERVICE and tp in (3, 4, 5) else None,
        "fa_amount": data.fa_amount if fa else None,
        "fa_start_date": data.fa_start_date if fa else None,
        "fa_end_date": data.fa_end_date if fa else None,
        "referral_outcome": data.referral_outcome if rt == PATH_REFERRAL else None,
    }


def project_record_types(enrollment: Enrollment) -> list[int]:
    funders = enrollment.project.funders.filter(date_deleted__isnull=True).values_list("funder", flat=True)
    return record_types_for(project_type=enrollment.project.project_type, funders=funders)


def exit_date_of(enrollment: Enrollment) -> date | None:
    exit = Exit.objects.filter(enrollment_id=enrollment.pk, date_deleted__isnull=True).order_by("-exit_date").first()
    return exit.exit_date if exit else None


@transaction.atomic
def record_service(*, enrollment: Enrollment, data: ServiceData, by: Actor) -> Services:
    """Record one HUD service for the enrollment's client. Bed nights go through the roster (``check_in``)."""
    if data.record_type == BED_NIGHT:
        raise ValidationError({"record_type": "Record bed nights on the project's nightly roster."})
    errors = check_service(data, allowed_record_types=project_record_types(enrollment))
    exit = exit_date_of(enrollment)
    if not within_enrollment(data.date_provided, entry=enrollment.entry_date, exit=exit, exit_inclusive=True):
        errors["date_provided"] = "The date must be within the enrollment (from project start to exit)."
    if data.date_provided > timezone.localdate():
        errors["date_provided"] = "The date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    service = Services(**stamp(by), enrollment=enrollment, client_id=enrollment.client_id, **_normalized(data))
    service.full_clean(exclude=["source", "export", "enrollment", "client"])
    service.save()
    by.record(
        "service.recorded",
        object_type="Services",
        object_id=service.pk,
        enrollment=enrollment.pk,
        record_type=data.record_type,
    )
    return service


@transaction.atomic
def delete_service(*, service: Services, by: Actor) -> None:
    """Mark a HUD service deleted (DateDeleted, as the HMIS CSV does: the export then carries the deletion)."""
    locked = Services.objects.select_for_update().get(pk=service.pk)
    if locked.date_deleted is not None:
        return
    locked.date_deleted = locked.date_updated = timezone.now()
    locked.user_id = hmis_user_id(by.user)
    locked.save(update_fields=["date_deleted", "date_updated", "user_id"])
    by.record("service.deleted", object_type="Services", object_id=locked.pk, enrollment=locked.enrollment_id)


def service_types_for_continuum(continuum_id: int | None) -> list[ServiceType]:
    if continuum_id is None:
        return []
    return list(ServiceType.objects.filter(continuum_id=continuum_id, active=True).order_by("name"))


@transaction.atomic
def define_service_type(*, continuum: Continuum, name: str, description: str = "", by: Actor) -> ServiceType:
    """Add one of the CoC's own service types (offered on every project's service form in the CoC)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter a name for the service type."})
    if ServiceType.objects.filter(continuum=continuum, name__iexact=name).exists():
        raise ValidationError({"name": "The CoC already has a service type with this name."})
    kind = ServiceType.objects.create(
        continuum=continuum, name=name[:100], description=description.strip()[:250], created_at=timezone.now()
    )
    by.record("service_type.created", object_type="ServiceType", object_id=kind.pk, continuum=continuum.pk)
    return kind


@transaction.atomic
def retire_service_type(*, service_type: ServiceType, by: Actor) -> None:
    ServiceType.objects.filter(pk=service_type.pk).update(active=False)
    by.record("service_type.retired", object_type="ServiceType", object_id=service_type.pk)


@transaction.atomic
def record_local_service(
    *, enrollment: Enrollment, service_type: ServiceType, date_provided: date, quantity: int = 1, by: Actor
) -> LocalService:
    """Record a CoC-defined service (a Hearth record, outside the HMIS CSV)."""
    errors: dict[str, str] = {}
    if not service_type.active or service_type.continuum_id != enrollment.project.organization.continuum_id:
        errors["record_type"] = "This service type is not offered in the project's CoC."
    exit = exit_date_of(enrollment)
    if not within_enrollment(date_provided, entry=enrollment.entry_date, exit=exit, exit_inclusive=True):
        errors["date_provided"] = "The date must be within the enrollment (from project start to exit)."
    if date_provided > timezone.localdate():
        errors["date_provided"] = "The date cannot be in the future."
    if quantity < 1:
        errors["quantity"] = "Enter a quantity of 1 or more."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    service = LocalService.objects.create(
        enrollment=enrollment,
        client_id=enrollment.client_id,
        service_type=service_type,
        date_provided=date_provided,
        quantity=quantity,
        date_created=now,
        date_updated=now,
        user_id=hmis_user_id(by.user),
    )
    by.record(
        "local_service.recorded",
        object_type="LocalService",
        object_id=service.pk,
        enrollment=enrollment.pk,
        service_type=service_type.pk,
    )
    return service


@transaction.atomic
def delete_local_service(*, service: LocalService, by: Actor) -> None:
    locked = LocalService.objects.select_for_update().get(pk=service.pk)
    if locked.date_deleted is not None:
        return
    locked.date_deleted = locked.date_updated = timezone.now()
    locked.user_id = hmis_user_id(by.user)
    locked.save(update_fields=["date_deleted", "date_updated", "user_id"])
    by.record("local_service.deleted", object_type="LocalService", object_id=locked.pk, enrollment=locked.enrollment_id)
