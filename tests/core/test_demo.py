"""hearth demo: a working demo CoC with one login per role, and idempotent on the next start."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from hearth.access.models import RoleAssignment, UserAgreement
from hearth.casework.models import ServiceType
from hearth.core.demo_people import DEMO_SERVICE_TYPES
from hearth.hmis.models import Client, Continuum, Organization
from hearth.search.models import ClientSearchKey


@pytest.mark.django_db
def test_demo_seeds_structure_logins_and_search(tmp_path: Path, settings: pytest.FixtureRequest) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    out = StringIO()
    call_command("demo", "--no-serve", "--clients", "150", "--seed", "7", stdout=out)
    text = out.getvalue()
    password = (tmp_path / "demo-login.txt").read_text().strip()
    assert f"all with the password {password!r}" in text
    assert list(Continuum.objects.values_list("code", "name")) == [
        ("XX-501", "Riverton City CoC"),
        ("XX-502", "Riverton Balance of County CoC"),
    ]
    assert not Organization.objects.filter(continuum__isnull=True, date_deleted__isnull=True).exists()
    assert UserAgreement.objects.count() == 2
    service_types = sorted(ServiceType.objects.values_list("continuum__code", "name"))
    assert service_types == sorted((code, name) for code in ("XX-501", "XX-502") for name in DEMO_SERVICE_TYPES)
    grants = sorted(RoleAssignment.objects.values_list("user__username", "role"))
    assert grants == [
        ("agency.admin", "agency_admin"),
        ("auditor", "auditor"),
        ("case.manager", "case_manager"),
        ("coc.analyst", "coc_analyst"),
        ("hmis.lead", "hmis_lead"),
        ("intake.worker", "intake_worker"),
        ("outreach.worker", "case_manager"),
    ]
    for username, _ in grants:
        assert f"    {username:<16} " in text
    indexed = ClientSearchKey.objects.values("client_id").distinct().count()
    assert indexed == Client.objects.filter(date_deleted__isnull=True).count()

    again = StringIO()
    call_command("demo", "--no-serve", "--clients", "150", "--seed", "7", stdout=again)
    assert f"all with the password {password!r}" in again.getvalue()
    assert sorted(RoleAssignment.objects.values_list("user__username", "role")) == grants
    assert UserAgreement.objects.count() == 2
    assert sorted(ServiceType.objects.values_list("continuum__code", "name")) == service_types
