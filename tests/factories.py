"""Small factories for HUD records in tests: only what each model requires, with overridable defaults."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.utils import timezone

from hearth.hmis.models import Client, Continuum, Enrollment, Exit, Organization, Project, Source

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
