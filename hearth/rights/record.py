"""A client's full record as Hearth holds it, read through the guarded lookups only.

``client_record(user, client)`` gathers everything the requesting user may see of the client — the universal
data elements, enrollments with their exits, the stage assessments' records (every HUD record kept per
DataCollectionStage), services and bed nights, current living situations, the CoC's own services, case notes,
the list of documents, releases of information and the disclosure log where consent is installed, and the
client's correction requests — as plain JSON-ready data. The PDF and the JSON export are both made from it
(HMIS Data and Technical Standards, 69 FR 45888, 4.2.5: a client may see their information on request).

Every read goes through hearth.access.lookups, so the export shows exactly what the user's pages show. The SSN
is shown as its last four digits, as on every page.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from hearth.access import dv, lookups
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.hmis.fields import HudCodeField
from hearth.hmis.models import (
    Assessment,
    Client,
    Disabilities,
    EmploymentEducation,
    Event,
    HealthAndDV,
    IncomeBenefits,
    YouthEducationStatus,
)
from hearth.spec import current

FORMAT = "hearth-client-record"
VERSION = 1
BED_NIGHT = 200  # HMIS CSV FY2026 list 1.4 RecordType 200: bed night (4.14)

# Columns that are the record's plumbing, not its content.
_SKIP = {"source", "export", "legacy", "client", "enrollment", "project", "user_id", "date_deleted"}
# HUD records kept per stage (DataCollectionStage) or per event, in the order a case file lists them.
STAGE_MODELS: tuple[type[models.Model], ...] = (
    IncomeBenefits,
    HealthAndDV,
    Disabilities,
    EmploymentEducation,
    YouthEducationStatus,
)
EVENT_MODELS: tuple[type[models.Model], ...] = (Assessment, Event)


def label(field: models.Field[Any, Any], value: Any) -> str | None:
    """HUD's label for a coded value (from the spec's lists), or None."""
    if value is None or not isinstance(field, HudCodeField):
        return None
    spec = current()
    column = spec.record(field.hud_record).column(field.hud_column)
    for list_id in column.lists:
        found = spec.lists[list_id].label(value)
        if found is not None:
            return found
    return None


def plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def hud_row(instance: models.Model) -> dict[str, Any]:
    """A HUD record as {HUD column: value}, with {column: label} for coded values, empty columns left out."""
    values: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SKIP or field.name == "id":
            continue
        value = getattr(instance, field.attname)
        if value is None or value == "":
            continue
        column = str(field.verbose_name)
        if field.name == "ssn":
            value = masked_ssn(value)
        values[column] = plain(value)
        found = label(field, value)
        if found is not None:
            labels[column] = found
    return {"record": getattr(instance, "HUD_RECORD", type(instance).__name__), "values": values, "labels": labels}


def masked_ssn(ssn: str | None) -> str | None:
    if not ssn:
        return None
    return f"•••-••-{ssn[-4:]}"


def _by_enrollment(rows: Iterable[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.enrollment_id].append(row)
    return grouped


def client_record(user: Any, client: Client) -> dict[str, Any]:
    """Everything ``user`` may see of ``client`` (already looked up with get_client_for)."""
    enrollments = list(
        lookups.enrollments_for(user)
        .filter(client_id=client.pk)
        .select_related("project__organization")
        .order_by("entry_date", "pk")
    )
    ids = [e.pk for e in enrollments]
    exits = {x.enrollment_id: x for x in lookups.exits_for(user).filter(enrollment_id__in=ids)}
    stage_rows: dict[int, list[Any]] = defaultdict(list)
    for model in (*STAGE_MODELS, *EVENT_MODELS):
        # Health and disabilities of another agency's enrollment only where the client's release shares them.
        rows = lookups.enrollment_records_for(user, model).filter(enrollment_id__in=ids).order_by("pk")
        for enrollment_id, found in _by_enrollment(rows).items():
            stage_rows[enrollment_id].extend(found)
    services = _by_enrollment(lookups.services_for(user).filter(enrollment_id__in=ids).order_by("date_provided", "pk"))
    local = _by_enrollment(
        lookups.local_services_for(user)
        .filter(enrollment_id__in=ids)
        .select_related("service_type")
        .order_by("date_provided", "pk")
    )
    contacts = _by_enrollment(
        lookups.living_situations_for(user).filter(enrollment_id__in=ids).order_by("information_date", "pk")
    )

    record: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": plain(timezone.now()),
        "client": {"hearth_id": client.pk, **hud_row(client)},
        "enrollments": [],
    }
    for enrollment in enrollments:
        row = hud_row(enrollment)
        all_services = services.get(enrollment.pk, [])
        record["enrollments"].append(
            {
                "hearth_id": enrollment.pk,
                "project": enrollment.project.project_name,
                "organization": enrollment.project.organization.organization_name,
                **row,
                "exit": hud_row(exits[enrollment.pk]) if enrollment.pk in exits else None,
                "assessments": [
                    _dv_masked(user, enrollment.project_id, hud_row(r)) for r in stage_rows.get(enrollment.pk, [])
                ],
                "services": [hud_row(s) for s in all_services if s.record_type != BED_NIGHT],
                "bed_nights": [plain(s.date_provided) for s in all_services if s.record_type == BED_NIGHT],
                "local_services": [
                    {"date": plain(s.date_provided), "service": s.service_type.name, "quantity": s.quantity}
                    for s in local.get(enrollment.pk, [])
                ],
                "contacts": [hud_row(c) for c in contacts.get(enrollment.pk, [])],
            }
        )
    record["case_notes"] = _notes(user, client)
    record["files"] = _files(user, client)
    record.update(_consent(user, client))
    record["correction_requests"] = _corrections(user, client)
    return record


def _dv_masked(user: Any, project_id: int, row: dict[str, Any]) -> dict[str, Any]:
    """Domestic violence answers (4.11) only for the agency that recorded them, whatever the sharing
    (hearth.access.dv: the one rule every page and export asks)."""
    values = dv.mask_values(user, project_id, row["record"], row["values"])
    return {**row, "values": values, "labels": {k: v for k, v in row["labels"].items() if k in values}}


def _notes(user: Any, client: Client) -> list[dict[str, Any]] | None:
    """Case notes, when the user may read them (None: not shown to this user, unlike an empty list)."""
    if reach(user, Permission.VIEW_CASE_NOTES).empty:
        return None
    notes = (
        lookups.notes_for(user)
        .filter(client_id=client.pk)
        .select_related("author", "organization")
        .order_by("contact_date", "pk")
    )
    return [
        {
            "date": plain(n.contact_date),
            "organization": n.organization.organization_name,
            "author": n.author.get_full_name() or n.author.get_username(),
            "text": n.text,
        }
        for n in notes
    ]


def _files(user: Any, client: Client) -> list[dict[str, Any]]:
    """The documents kept about the client: their list, not their content."""
    found = lookups.files_for(user).filter(client_id=client.pk).select_related("organization").order_by("uploaded_at")
    return [
        {
            "name": f.original_name,
            "kind": f.get_kind_display(),
            "organization": f.organization.organization_name,
            "uploaded_at": plain(f.uploaded_at),
            "size": f.size,
        }
        for f in found
    ]


def _corrections(user: Any, client: Client) -> list[dict[str, Any]]:
    from hearth.rights.corrections import corrections_for

    return [
        {
            "requested_on": plain(c.requested_on),
            "organization": c.organization.organization_name,
            "elements": c.elements,
            "request": c.request,
            "outcome": c.get_outcome_display(),
            "reason": c.reason,
            "decided_on": plain(c.decided_on),
        }
        for c in corrections_for(user).filter(client_id=client.pk).select_related("organization").order_by("pk")
    ]


def _consent(user: Any, client: Client) -> dict[str, Any]:
    """Releases of information and the disclosure log, read through consent's own guarded lookups
    (hearth.consent.release_lookups: releases covering a client the user reaches; the log only for those who
    may read it)."""
    try:
        consent_lookups = importlib.import_module("hearth.consent.release_lookups")
    except ImportError:
        return {}
    releases = consent_lookups.releases_for(user).filter(members__client_id=client.pk).distinct().order_by("pk")
    disclosures = consent_lookups.disclosures_for(user, client).order_by("pk")
    return {"releases": [hud_like(r) for r in releases], "disclosures": [hud_like(d) for d in disclosures]}


def hud_like(instance: models.Model) -> dict[str, Any]:
    """A Hearth record's plain columns (no file contents, no drawn signature)."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in {"id", "signature_svg"} or isinstance(field, models.BinaryField):
            continue
        value = getattr(instance, field.attname)
        if value is None or value == "":
            continue
        values[field.name] = plain(value)
    return values


def size(record: dict[str, Any]) -> int:
    """Rows in the record: what decides whether the export is made in the request or as a background job."""
    total = 1 + len(record["case_notes"] or []) + len(record["files"])
    for enrollment in record["enrollments"]:
        total += 1 + len(enrollment["assessments"]) + len(enrollment["services"]) + len(enrollment["bed_nights"])
        total += len(enrollment["local_services"]) + len(enrollment["contacts"])
    return total
