"""The access-matrix world: two CoCs, agencies A and B, a victim service provider, one account per role.

Every view test runs each persona against each client; the expected reach is written out here once, in
plain sets, so the matrix is tested whole rather than sampled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from hearth.access.models import ClientOrigin, RoleAssignment
from tests import factories as make

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    clients: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    orgs: dict[str, Any] = field(default_factory=dict)
    projects: dict[str, Any] = field(default_factory=dict)
    continuums: dict[str, Any] = field(default_factory=dict)


PERSONAS = (
    "lead_a",
    "analyst_a",
    "admin_a",
    "manager_a",
    "outreach_worker",
    "intake_a",
    "auditor_a",
    "admin_v",
    "lead_b",
    "nobody",
    "superuser",
)
CLIENTS = ("at_a", "at_a_outreach", "at_b", "at_v", "at_z", "registered_a", "deleted_a")

_A_STAFF = {"at_a", "at_a_outreach", "registered_a"}
# Who may see (VIEW_CLIENTS) each client: the rule of hearth.access, written out by hand.
CAN_VIEW: dict[str, set[str]] = {
    "lead_a": {"at_a", "at_a_outreach", "at_b", "registered_a"},  # CoC-wide, but never the VSP's clients
    "analyst_a": set(),  # reports only
    "admin_a": _A_STAFF,
    "manager_a": _A_STAFF,
    "outreach_worker": {"at_a_outreach", "registered_a"},  # project grant; sees what its agency registered
    "intake_a": _A_STAFF,
    "auditor_a": {"at_a", "at_a_outreach", "at_b", "registered_a"},
    "admin_v": {"at_v"},
    "lead_b": {"at_z"},
    "nobody": set(),
    "superuser": set(),  # runs the deployment; client data needs a role
}
CAN_EDIT: dict[str, set[str]] = {**CAN_VIEW, "auditor_a": set()}


def build_world() -> World:
    w = World()
    w.continuums["a"] = make.continuum("XX-500", "Harbor City CoC")
    w.continuums["b"] = make.continuum("YY-600", "Far County CoC")
    w.orgs["a"] = make.organization("Harbor House", continuum=w.continuums["a"])
    w.orgs["b"] = make.organization("Bridge Services", continuum=w.continuums["a"])
    w.orgs["v"] = make.organization("Safe Harbor DV", continuum=w.continuums["a"], vsp=True)
    w.orgs["z"] = make.organization("Far County Shelter", continuum=w.continuums["b"])
    w.projects["a_shelter"] = make.project("Harbor Night Shelter", w.orgs["a"], project_type=0)
    w.projects["a_outreach"] = make.project("Harbor Street Outreach", w.orgs["a"], project_type=4)
    w.projects["b_rrh"] = make.project("Bridge Rapid Rehousing", w.orgs["b"], project_type=13)
    w.projects["v_shelter"] = make.project("Safe Harbor Shelter", w.orgs["v"], project_type=0)
    w.projects["z_shelter"] = make.project("Far County Shelter", w.orgs["z"], project_type=0)

    w.clients["at_a"] = make.client("Maria", "Lopez", dob=date(1987, 3, 14))
    w.clients["at_a_outreach"] = make.client("James", "Carter", dob=date(1975, 6, 2))
    w.clients["at_b"] = make.client("Ana", "Reyes", dob=date(1990, 11, 30))
    w.clients["at_v"] = make.client("Dana", "Hill", dob=date(1992, 1, 9))
    w.clients["at_z"] = make.client("Tom", "Baker", dob=date(1969, 8, 21))
    w.clients["registered_a"] = make.client("Lee", "Nguyen", dob=date(2001, 4, 5))
    w.clients["deleted_a"] = make.client("Sam", "Ortiz", dob=date(1980, 2, 2), date_deleted=timezone.now())
    make.enrollment(w.clients["at_a"], w.projects["a_shelter"])
    make.enrollment(w.clients["at_a_outreach"], w.projects["a_outreach"])
    make.enrollment(w.clients["at_b"], w.projects["b_rrh"])
    make.enrollment(w.clients["at_v"], w.projects["v_shelter"])
    make.enrollment(w.clients["at_z"], w.projects["z_shelter"])
    make.enrollment(w.clients["deleted_a"], w.projects["a_shelter"])
    ClientOrigin.objects.create(client=w.clients["registered_a"], organization=w.orgs["a"])

    grants: dict[str, tuple[str, dict[str, Any]] | None] = {
        "lead_a": ("hmis_lead", {"continuum": w.continuums["a"]}),
        "analyst_a": ("coc_analyst", {"continuum": w.continuums["a"]}),
        "admin_a": ("agency_admin", {"organization": w.orgs["a"]}),
        "manager_a": ("case_manager", {"organization": w.orgs["a"]}),
        "outreach_worker": ("case_manager", {"project": w.projects["a_outreach"]}),
        "intake_a": ("intake_worker", {"organization": w.orgs["a"]}),
        "auditor_a": ("auditor", {"continuum": w.continuums["a"]}),
        "admin_v": ("agency_admin", {"organization": w.orgs["v"]}),
        "lead_b": ("hmis_lead", {"continuum": w.continuums["b"]}),
        "nobody": None,
        "superuser": None,
    }
    user_model = get_user_model()
    for name, grant in grants.items():
        if name == "superuser":
            user = user_model.objects.create_superuser(name, f"{name}@example.org", PASSWORD)
        else:
            user = user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)
        if grant is not None:
            role, scope = grant
            RoleAssignment.objects.create(user=user, role=role, **scope)
        w.users[name] = user
    return w
