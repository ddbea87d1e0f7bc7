"""The demo CoC's structure and staff: CoC names, a user agreement, one account per role (synthetic people)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from hearth.access.models import RoleAssignment, UserAgreement
from hearth.audit.actor import Actor
from hearth.casework.models import ServiceType
from hearth.casework.services import define_service_type
from hearth.hmis.models import Continuum, Organization, Project

CONTINUUM_NAMES = {"XX-501": "Riverton City CoC", "XX-502": "Riverton Balance of County CoC"}
AGREEMENT = """I will keep client information confidential and use Hearth only for my work with clients.
I will look up a client only when my work with that client needs it; every view is recorded.
I will not share my password, and I will sign out on shared computers.
I will enter information accurately and promptly, as the HMIS Data Standards and our CoC's policies ask.
I will report any suspected breach of client confidentiality to the HMIS Lead at once."""


def _describe(target: object) -> str:
    if isinstance(target, Organization):
        return target.organization_name
    if isinstance(target, Project):
        return f"{target.project_name} ({target.organization.organization_name})"
    return str(target)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    where: str


# The CoC's own service types (Hearth records, not in the HMIS CSV: docs/adr/0008), as a CoC might define them.
DEMO_SERVICE_TYPES = ("Bus pass", "Hygiene kit", "Laundry", "Phone charging", "Storage locker")


def _service_types(continuum: Continuum) -> None:
    have = set(ServiceType.objects.filter(continuum=continuum).values_list("name", flat=True))
    for name in DEMO_SERVICE_TYPES:
        if name not in have:
            define_service_type(continuum=continuum, name=name, by=Actor.command_line())


def seed_people(password: str) -> list[DemoLogin]:
    """Idempotent: names the demo CoCs, adds the agreement, and (re)creates one account per role."""
    with transaction.atomic():
        for code, name in CONTINUUM_NAMES.items():
            Continuum.objects.filter(code=code, name=f"CoC {code}").update(name=name)
        city = Continuum.objects.filter(code="XX-501").first() or Continuum.objects.order_by("code").first()
        if city is None:
            return []
        for continuum in Continuum.objects.all():
            UserAgreement.objects.get_or_create(continuum=continuum, version="2026.1", defaults={"text": AGREEMENT})
            _service_types(continuum)
        agencies = list(
            Organization.objects.filter(continuum=city, date_deleted__isnull=True)
            .exclude(victim_service_provider=1)
            .order_by("organization_name")[:2]
        )
        # Street outreach (HUD project type 4) of any non-VSP agency in the city CoC.
        outreach = (
            Project.objects.filter(organization__continuum=city, project_type=4, date_deleted__isnull=True)
            .exclude(organization__victim_service_provider=1)
            .order_by("project_name")
            .first()
        )
        plan: list[tuple[str, str, dict[str, object]]] = [
            ("hmis.lead", "hmis_lead", {"continuum": city}),
            ("coc.analyst", "coc_analyst", {"continuum": city}),
            ("auditor", "auditor", {"continuum": city}),
        ]
        if agencies:
            plan += [
                ("agency.admin", "agency_admin", {"organization": agencies[0]}),
                ("case.manager", "case_manager", {"organization": agencies[0]}),
                ("intake.worker", "intake_worker", {"organization": agencies[-1]}),
            ]
        if outreach is not None:
            plan.append(("outreach.worker", "case_manager", {"project": outreach}))
        logins = []
        user_model = get_user_model()
        for username, role, scope in plan:
            user, _ = user_model.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.org", "first_name": username.split(".")[0].title()},
            )
            user.set_password(password)
            if username == "hmis.lead":
                user.is_staff = user.is_superuser = True
            user.save()
            RoleAssignment.objects.get_or_create(user=user, role=role, **scope)  # type: ignore[arg-type]
            logins.append(DemoLogin(username, role, _describe(next(iter(scope.values())))))
        return logins
