"""The access-matrix world (tests/web/personas.py) with what victim-service and DV rules need on top:

- ``both``: a person served by agency A and by the VSP (an export's client row is A's, the VSP enrollment is
  not) — as imported data can hold;
- ``registered_v``: registered by the VSP and never enrolled;
- each enrollment's HealthAndDV answers (4.11) at project start, a ``Yes`` for the survivors;
- ProjectCoC rows with a street address for A's shelter, the VSP's shelter, and B's project, which B's
  administrator flags as a confidential location (a DV shelter run by an agency that is not a VSP).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from hearth.access.models import ClientOrigin, RoleAssignment
from hearth.hmis.models import Enrollment, HealthAndDV, ProjectCoC, Source
from hearth.structure.models import ConfidentialAddress
from tests import factories as make
from tests.web.personas import World, build_world


@dataclass
class VspWorld:
    w: World
    enrollments: dict[str, Enrollment] = field(default_factory=dict)
    addresses: dict[str, ProjectCoC] = field(default_factory=dict)

    def user(self, name: str) -> Any:
        # A fresh object per use: no per-request cache carried from one check to the next.
        return get_user_model().objects.get(pk=self.w.users[name].pk)


def health_and_dv(enrollment: Enrollment, *, survivor: int, fleeing: int | None, when: int | None) -> HealthAndDV:
    now = timezone.now()
    return HealthAndDV.objects.create(
        source=Source.local(),
        hud_id=uuid.uuid4().hex,
        enrollment=enrollment,
        client=enrollment.client,
        information_date=enrollment.entry_date,
        domestic_violence_survivor=survivor,
        when_occurred=when,
        currently_fleeing=fleeing,
        data_collection_stage=1,
        date_created=now,
        date_updated=now,
        user_id="T1",
    )


def project_coc(project: Any, *, address: str, city: str, zip_code: str) -> ProjectCoC:
    now = timezone.now()
    return ProjectCoC.objects.create(
        source=Source.local(),
        hud_id=uuid.uuid4().hex,
        project=project,
        coc_code="XX-500",
        geocode="069999",
        address1=address,
        address2="Unit 2",
        city=city,
        state="CA",
        zip=zip_code,
        geography_type=1,
        date_created=now,
        date_updated=now,
        user_id="T1",
    )


def build_vsp_world() -> VspWorld:
    w = build_world()
    vw = VspWorld(w)
    w.clients["both"] = make.client("Rosa", "Delgado", dob=date(1985, 7, 7))
    w.clients["registered_v"] = make.client("Iris", "Moon", dob=date(1999, 12, 1))
    ClientOrigin.objects.create(client=w.clients["registered_v"], organization=w.orgs["v"])
    vw.enrollments["both_a"] = make.enrollment(w.clients["both"], w.projects["a_shelter"])
    vw.enrollments["both_v"] = make.enrollment(w.clients["both"], w.projects["v_shelter"])
    for name in ("at_a", "at_b", "at_v"):
        vw.enrollments[name] = Enrollment.objects.get(client=w.clients[name])
    health_and_dv(vw.enrollments["at_a"], survivor=1, fleeing=1, when=1)
    health_and_dv(vw.enrollments["at_b"], survivor=1, fleeing=0, when=3)
    health_and_dv(vw.enrollments["at_v"], survivor=1, fleeing=1, when=1)
    health_and_dv(vw.enrollments["both_a"], survivor=0, fleeing=None, when=None)
    health_and_dv(vw.enrollments["both_v"], survivor=1, fleeing=1, when=2)
    for key, project, street, zip_code in (
        ("a", "a_shelter", "12 Open Street", "90001"),
        ("v", "v_shelter", "77 Hidden Lane", "90002"),
        ("b", "b_rrh", "5 Quiet Court", "90003"),
    ):
        vw.addresses[key] = project_coc(w.projects[project], address=street, city="Harbor City", zip_code=zip_code)
    ConfidentialAddress.objects.create(project=w.projects["b_rrh"], set_by="admin_b")
    # B's staff: an agency administrator (reads B's confidential address).
    admin_b = get_user_model().objects.create_user("admin_b", "admin_b@example.org", "correct horse battery staple")
    RoleAssignment.objects.create(user=admin_b, role="agency_admin", organization=w.orgs["b"])
    w.users["admin_b"] = admin_b
    return vw
