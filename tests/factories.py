"""Small factories for HUD records in tests: only what each model requires, with overridable defaults."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.utils import timezone

from hearth.hmis.models import (
    Client,
    Continuum,
    Disabilities,
    Enrollment,
    Exit,
    Organization,
    Project,
    Services,
    Source,
)

_ids = itertools.count(1)


def _stamp() -> dict[str, Any]:
    now = timezone.now()
    return {"source": Source.local(), "date_created": now, "date_updated": now, "user_id": "T1"}


def continuum(code: str = "XX-500", name: str = "Test CoC") -> Continuum:
    return Continuum.objects.create(code=code, name=name)


def organization(name: str, *, continuum: Continuum | None = None, vsp: bool = False) -> Organization:
    return Organization.objects.create(
        hud_id=f"O{next(_ids)}",
        organization_name=name,
        victim_service_provider=1 if vsp else 0,
        continuum=continuum,
        **_stamp(),
    )


def project(name: str, organization: Organization, *, project_type: int = 0) -> Project:
    return Project.objects.create(
        hud_id=f"P{next(_ids)}",
        organization=organization,
        project_name=name,
        project_type=project_type,
        operating_start_date=date(2020, 1, 1),
        continuum_project=1,
        **_stamp(),
    )


def client(first: str = "Maria", last: str = "Lopez", *, dob: date | None = date(1987, 3, 14), **fields: Any) -> Client:
    values: dict[str, Any] = {
        "hud_id": f"C{next(_ids)}",
        "first_name": first,
        "last_name": last,
        "name_data_quality": 1,
        "ssn_data_quality": 99,
        "dob": dob,
        "dob_data_quality": 1 if dob else 99,
        "am_ind_ak_native": 0,
        "asian": 0,
        "black_af_american": 0,
        "hispanic_latinao": 1,
        "mid_east_n_african": 0,
        "native_hi_pacific": 0,
        "white": 0,
        "sex": 0,
        "veteran_status": 0,
        **_stamp(),
    }
    values.update(fields)
    return Client.objects.create(**values)


def enrollment(
    client: Client,
    project: Project,
    *,
    entry: date = date(2026, 1, 5),
    household: str | None = None,
    relationship: int = 1,
) -> Enrollment:
    return Enrollment.objects.create(
        hud_id=f"E{next(_ids)}",
        client=client,
        project=project,
        entry_date=entry,
        household_id=household or f"H{next(_ids)}",
        relationship_to_hoh=relationship,
        **_stamp(),
    )


def exit_(enrollment: Enrollment, *, on: date, destination: int = 410) -> Exit:
    return Exit.objects.create(
        hud_id=f"X{next(_ids)}",
        enrollment=enrollment,
        client=enrollment.client,
        exit_date=on,
        destination=destination,
        **_stamp(),
    )


def service(enrollment: Enrollment, *, on: date = date(2026, 1, 6), record_type: int = 200) -> Services:
    """A HUD service (default: a bed night, RecordType 200 / TypeProvided 200)."""
    return Services.objects.create(
        hud_id=f"S{next(_ids)}",
        enrollment=enrollment,
        client=enrollment.client,
        date_provided=on,
        record_type=record_type,
        type_provided=200,
        **_stamp(),
    )


def disability(enrollment: Enrollment, *, disability_type: int = 9, response: int = 1) -> Disabilities:
    """A disability record at project start (default: 4.09 mental health disorder, yes)."""
    return Disabilities.objects.create(
        hud_id=f"D{next(_ids)}",
        enrollment=enrollment,
        client=enrollment.client,
        information_date=enrollment.entry_date,
        disability_type=disability_type,
        disability_response=response,
        data_collection_stage=1,
        **_stamp(),
    )
