"""The consent access matrix (issue 4 §8), generated: role × own / other / sharing-group agency × CoC policy
(open, consent, closed) × consent state (none, active, expired, revoked, not yet started) × release scope
(CoC-wide, the agency, one of its projects) × data categories × victim service provider — for search,
profile, enrollments, files, case notes and report drill-downs, with the disclosure log, and nothing written
on denial.

The world is built once for the module (three CoCs, one per policy, each with the same agencies and ~90
clients); each viewer's test compares every lookup's answer, client by client, with ``expected``: the rule
written out plainly here, independently of hearth.consent.rules.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hearth.access.lookups import (
    NotFound,
    clients_for,
    drilldown_clients_for,
    enrollment_records_for,
    enrollments_for,
    files_for,
    get_client_for,
    get_enrollment_for,
    get_file_for,
    get_note_for,
    notes_for,
    services_for,
)
from hearth.access.models import ClientOrigin, RoleAssignment
from hearth.access.roles import ROLES, Permission
from hearth.audit.actor import Actor
from hearth.casework.models import CaseNote, ClientFile, FileKind
from hearth.consent import actions
from hearth.consent.models import Category, Disclosure, Method, Policy, Release, ReleaseMember, category_mask
from hearth.hmis.models import Disabilities
from tests import factories as make

pytestmark = pytest.mark.slow

POLICIES = (Policy.OPEN, Policy.CONSENT, Policy.CLOSED)
STATES = ("none", "active", "expired", "revoked", "future")
SCOPES = ("coc_wide", "agency_b", "project_b")
CATEGORY_SETS: dict[str, tuple[str, ...]] = {
    "identity": (Category.IDENTITY,),
    "history": (Category.IDENTITY, Category.ENROLLMENT_HISTORY),
    "services": (Category.IDENTITY, Category.ENROLLMENT_HISTORY, Category.SERVICES),
    "all": tuple(Category.values),
}
# Viewers of each CoC: (role, agency, grant scope). Agencies: a serves the clients, b is another agency, g is
# in a sharing group with a, v is a victim service provider; "coc" is a CoC-wide grant.
VIEWERS = (
    ("case_manager", "a", "organization"),
    ("case_manager", "b", "organization"),
    ("intake_worker", "b", "organization"),
    ("agency_admin", "b", "organization"),
    ("auditor", "b", "organization"),
    ("case_manager", "b", "project"),
    ("case_manager", "g", "organization"),
    ("intake_worker", "g", "organization"),
    ("agency_admin", "v", "organization"),
    ("hmis_lead", "coc", "continuum"),
    ("auditor", "coc", "continuum"),
    ("coc_analyst", "coc", "continuum"),
)


@dataclass(frozen=True)
class Case:
    """One client of one CoC: how it is served and what its release says."""

    policy: str
    state: str  # of the release
    scope: str  # of the release
    categories: str
    vsp: bool  # also served by the victim service provider
    served_by: str = "a"  # "a", "b", "g" (enrolled), "g_registered", "v_only"


@dataclass
class Built:
    cases: dict[int, Case] = field(default_factory=dict)  # client pk -> case
    enrollment_of: dict[int, int] = field(default_factory=dict)  # client pk -> its first agency enrollment
    vsp_enrollment_of: dict[int, int] = field(default_factory=dict)
    note_of: dict[int, int] = field(default_factory=dict)  # client pk -> the serving agency's note
    file_of: dict[int, int] = field(default_factory=dict)
    service_of: dict[int, int] = field(default_factory=dict)  # client pk -> a service of its agency enrollment
    disability_of: dict[int, int] = field(default_factory=dict)  # client pk -> a disability record of it
    users: dict[tuple[str, str, str, str], Any] = field(default_factory=dict)  # (policy, role, agency, scope)
    other_coc_client: int = 0


def _cases(policy: str) -> Iterator[Case]:
    for state, scope, categories, vsp in itertools.product(STATES, SCOPES, CATEGORY_SETS, (False, True)):
        if state == "none" and (scope, categories) != ("coc_wide", "all"):
            continue  # without a release, scope and categories mean nothing
        yield Case(policy, state, scope, categories, vsp)
    for served_by in ("b", "g", "g_registered", "v_only"):
        yield Case(policy, "none", "coc_wide", "all", served_by == "v_only", served_by)


def _build() -> Built:
    built = Built()
    today = timezone.localdate()
    writer = get_user_model().objects.create_user("matrix-writer", "w@example.org", None)
    by = Actor(user=writer, name="matrix-writer")
    for number, policy in enumerate(POLICIES):
        coc = make.continuum(f"XX-5{number}0", f"{policy} CoC")
        actions.set_sharing_policy(
            continuum=coc, policy=policy, deidentify_on_revocation=False, privacy_notice_version="1", by=by
        )
        orgs = {
            name: make.organization(f"{policy} {name}", continuum=coc, vsp=name == "v") for name in ("a", "b", "g", "v")
        }
        projects = {name: make.project(f"{policy} {name} shelter", org) for name, org in orgs.items()}
        actions.save_sharing_group(continuum=coc, name="Group", organizations=[orgs["a"], orgs["g"]], by=by)
        for n, case in enumerate(_cases(policy)):
            client = make.client(f"P{number}", f"Case{n}")
            built.cases[client.pk] = case
            serving = case.served_by.split("_")[0]
            if case.served_by == "g_registered":
                ClientOrigin.objects.create(client=client, organization=orgs["g"])
            elif case.served_by != "v_only":
                served = make.enrollment(client, projects[serving])
                built.enrollment_of[client.pk] = served.pk
                built.service_of[client.pk] = make.service(served).pk
                built.disability_of[client.pk] = make.disability(served).pk
            if case.vsp:
                built.vsp_enrollment_of[client.pk] = make.enrollment(client, projects["v"]).pk
            writer_org = orgs["v"] if case.served_by == "v_only" else orgs[serving]
            now = timezone.now()
            built.note_of[client.pk] = CaseNote.objects.create(
                client=client, organization=writer_org, contact_date=today, text="note", author=writer, created_at=now
            ).pk
            built.file_of[client.pk] = ClientFile.objects.create(
                client=client,
                organization=writer_org,
                kind=FileKind.OTHER,
                original_name="f.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
                stored_name=f"s{client.pk}",
                uploaded_by=writer,
                uploaded_at=now,
            ).pk
            if case.state == "none":
                continue
            starts, ends = {
                "active": (today - timedelta(days=10), None),
                "revoked": (today - timedelta(days=10), None),
                "expired": (today - timedelta(days=30), today - timedelta(days=1)),
                "future": (today + timedelta(days=3), None),
            }[case.state]
            # Written directly (the actions are tested in test_actions.py): the matrix builds ~200 releases.
            release = Release.objects.create(
                client=client,
                organization=orgs["a"],
                continuum=coc,
                coc_wide=case.scope == "coc_wide",
                categories=list(CATEGORY_SETS[case.categories]),
                category_mask=category_mask(CATEGORY_SETS[case.categories]),
                starts_on=starts,
                ends_on=ends,
                method=Method.WRITTEN,
                obtained_by=writer,
                obtained_by_name="matrix-writer",
                revoked_at=timezone.now() if case.state == "revoked" else None,
                revoked_by_name="matrix-writer" if case.state == "revoked" else "",
            )
            ReleaseMember.objects.create(release=release, client=client)
            if case.scope == "agency_b":
                release.organizations.set([orgs["b"]])
            if case.scope == "project_b":
                release.projects.set([projects["b"]])
        for role, agency, scope in VIEWERS:
            user = get_user_model().objects.create_user(f"{policy}-{role}-{agency}-{scope}", "u@example.org", None)
            targets: dict[str, dict[str, Any]] = {
                "continuum": {"continuum": coc},
                "organization": {"organization": orgs.get(agency)},
                "project": {"project": projects.get(agency)},
            }
            target = targets[scope]
            RoleAssignment.objects.create(user=user, role=role, **target)
            built.users[(policy, role, agency, scope)] = user
    # A client of a fourth CoC: never seen from the three.
    far = make.continuum("YY-600", "Far CoC")
    far_client = make.client("Far", "Away")
    make.enrollment(far_client, make.project("Far shelter", make.organization("Far agency", continuum=far)))
    built.other_coc_client = far_client.pk
    return built


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[Built]:
    # Built once for the module inside a transaction rolled back at its end; each test runs in a savepoint.
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


# --- The rule, written out ----------------------------------------------------------------------------------


def _has(role: str, permission: Permission) -> bool:
    return permission in ROLES[role].permissions


def _direct(case: Case, agency: str) -> bool:
    """The viewer's agency (or a CoC-wide grant) served the client itself."""
    serving = case.served_by.split("_")[0]
    if agency == "coc":
        return case.served_by != "v_only"  # CoC-wide reach never includes the VSP
    if agency == "v":
        return case.vsp
    return serving == agency


def _grouped(case: Case, agency: str) -> bool:
    """Agencies a and g share a group: each sees what the other served."""
    return agency in ("a", "g") and case.served_by.split("_")[0] in ("a", "g")


def _release_covers(case: Case, agency: str, scope: str, category: str) -> bool:
    if case.state != "active" or category not in CATEGORY_SETS[case.categories]:
        return False
    if case.scope == "coc_wide":
        return agency in ("a", "b", "g")
    # Named agency b, or b's project: an organization-wide grant at b and the project grant at b's project.
    return agency == "b"


def _shared(case: Case, agency: str, scope: str, category: str) -> bool:
    if agency in ("v", "coc") or case.policy == Policy.CLOSED or case.vsp or case.served_by == "v_only":
        return False
    by_policy = category in (Category.IDENTITY, Category.ENROLLMENT_HISTORY, Category.SERVICES) and (
        case.policy == Policy.OPEN or _grouped(case, agency)
    )
    return by_policy or _release_covers(case, agency, scope, category)


def sees_client(case: Case, role: str, agency: str, scope: str) -> bool:
    if not _has(role, Permission.VIEW_CLIENTS):
        return False
    return _direct(case, agency) or _shared(case, agency, scope, Category.IDENTITY)


def sees_enrollment(case: Case, role: str, agency: str, scope: str) -> bool:
    """The serving agency's enrollment (a, b or g; none for v_only and g_registered)."""
    if not _has(role, Permission.VIEW_CLIENTS) or case.served_by in ("v_only", "g_registered"):
        return False
    if _direct(case, agency) and agency != "v":
        return True
    if not _shared(case, agency, scope, Category.ENROLLMENT_HISTORY):
        return False
    # By policy, the enrollment must itself be at an agency shared by policy (open CoC, or the group).
    by_release = _release_covers(case, agency, scope, Category.ENROLLMENT_HISTORY)
    by_policy = case.policy == Policy.OPEN or _grouped(case, agency)
    return by_release or by_policy


def sees_enrollment_record(case: Case, role: str, agency: str, scope: str, category: str) -> bool:
    """A service (``category`` services) or a disability record (health) of the serving agency's enrollment:
    the enrollment must be seen, and, through sharing, so must the category — services by policy or release,
    health by release only."""
    if not sees_enrollment(case, role, agency, scope):
        return False
    if _direct(case, agency):
        return True
    by_policy = category == Category.SERVICES and (case.policy == Policy.OPEN or _grouped(case, agency))
    return by_policy or _release_covers(case, agency, scope, category)


def sees_record(case: Case, role: str, agency: str, scope: str, category: str, permission: Permission) -> bool:
    """The serving agency's case note or document."""
    if not _has(role, permission):
        return False
    writer = "v" if case.served_by == "v_only" else case.served_by.split("_")[0]
    if agency == writer or (agency == "coc" and writer != "v"):
        return True
    return _shared(case, agency, scope, category) and _release_covers(case, agency, scope, category)


# One viewer of each kind of agency sharing can open to: another agency, a group member, the VSP.
WALKED = {
    ("case_manager", "b", "organization"),
    ("case_manager", "g", "organization"),
    ("agency_admin", "v", "organization"),
}


def viewer_ids() -> list[str]:
    return [f"{p}-{r}-{a}-{s}" for p in POLICIES for r, a, s in VIEWERS]


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", viewer_ids())
def test_every_lookup_for_every_client(built: Built, viewer: str) -> None:
    policy, role, agency, scope = viewer.split("-")
    user = built.users[(policy, role, agency, scope)]
    mine = {pk: case for pk, case in built.cases.items() if case.policy == policy}
    everyone = set(built.cases) | {built.other_coc_client}
    want_clients = {pk for pk, case in mine.items() if sees_client(case, role, agency, scope)}
    want_enrollments = {
        built.enrollment_of[pk] for pk, case in mine.items() if sees_enrollment(case, role, agency, scope)
    }
    if agency == "v" and _has(role, Permission.VIEW_CLIENTS):
        want_enrollments |= {e for pk, e in built.vsp_enrollment_of.items() if pk in mine}
    want_files = {
        built.file_of[pk]
        for pk, case in mine.items()
        if sees_record(case, role, agency, scope, Category.FILES, Permission.VIEW_CLIENTS)
    }
    want_notes = {
        built.note_of[pk]
        for pk, case in mine.items()
        if sees_record(case, role, agency, scope, Category.CASE_NOTES, Permission.VIEW_CASE_NOTES)
    }

    want_services = {
        built.service_of[pk]
        for pk, case in mine.items()
        if pk in built.service_of and sees_enrollment_record(case, role, agency, scope, Category.SERVICES)
    }
    want_disabilities = {
        built.disability_of[pk]
        for pk, case in mine.items()
        if pk in built.disability_of and sees_enrollment_record(case, role, agency, scope, Category.HEALTH_DV)
    }

    # Search and the report drill-down: one query each, over every client of every CoC.
    assert set(clients_for(user).values_list("pk", flat=True)) == want_clients
    assert set(drilldown_clients_for(user, everyone).values_list("pk", flat=True)) == want_clients
    assert set(enrollments_for(user).values_list("pk", flat=True)) == want_enrollments
    assert set(files_for(user).values_list("pk", flat=True)) == want_files
    assert set(notes_for(user).values_list("pk", flat=True)) == want_notes
    assert set(services_for(user).values_list("pk", flat=True)) == want_services
    disabilities = enrollment_records_for(user, Disabilities)
    assert set(disabilities.values_list("pk", flat=True)) == want_disabilities
    # What sharing shows is read-only: writes keep to direct service.
    want_writable: set[int] = set()
    if _has(role, Permission.ENROLL):
        if agency == "v":
            want_writable = {e for pk, e in built.vsp_enrollment_of.items() if pk in mine}
        else:
            want_writable = {
                e for pk, e in built.enrollment_of.items() if pk in mine and agency in ("coc", mine[pk].served_by)
            }
    assert set(enrollments_for(user, Permission.ENROLL).values_list("pk", flat=True)) == want_writable

    # Record by record (profile, enrollment, file, note pages): found exactly when expected, a read through
    # sharing disclosed, a denial writing nothing. These lookups filter the querysets checked above by id, so
    # they are walked for one viewer of each kind of agency (the set checks above cover every viewer).
    if (role, agency, scope) not in WALKED:
        return
    for pk in [*sorted(mine), built.other_coc_client]:
        before = Disclosure.objects.count()
        case = built.cases.get(pk)
        if pk in want_clients:
            assert case is not None
            assert get_client_for(user, pk).pk == pk
            disclosed = list(Disclosure.objects.filter(client_id=pk, user_id=user.pk, what="profile"))
            if _direct(case, agency):
                assert disclosed == []
            else:
                assert len(disclosed) == 1
                assert disclosed[0].what == "profile"
                # Named when a release let the user in; empty for an open policy or a group.
                assert (disclosed[0].release_id is not None) == _release_covers(case, agency, scope, "identity")
                Disclosure.objects.filter(pk=disclosed[0].pk).delete()
        else:
            with pytest.raises(NotFound):
                get_client_for(user, pk)
            assert Disclosure.objects.count() == before
    for enrollment_id in (e for pk, e in built.enrollment_of.items() if pk in mine):
        if enrollment_id in want_enrollments:
            assert get_enrollment_for(user, enrollment_id).pk == enrollment_id
        else:
            before = Disclosure.objects.count()
            with pytest.raises(NotFound):
                get_enrollment_for(user, enrollment_id)
            assert Disclosure.objects.count() == before
    for file_id in (f for pk, f in built.file_of.items() if pk in mine):
        if file_id in want_files:
            assert get_file_for(user, file_id).pk == file_id
        else:
            before = Disclosure.objects.count()
            with pytest.raises(NotFound):
                get_file_for(user, file_id)
            assert Disclosure.objects.count() == before
    for note_id in (n for pk, n in built.note_of.items() if pk in mine):
        if note_id in want_notes:
            assert get_note_for(user, note_id).pk == note_id
        else:
            with pytest.raises(NotFound):
                get_note_for(user, note_id)


@pytest.mark.django_db
def test_the_matrix_covers_every_dimension(built: Built) -> None:
    cases = list(built.cases.values())
    assert {c.policy for c in cases} == set(POLICIES)
    assert {c.state for c in cases} == set(STATES)
    assert {c.scope for c in cases} == set(SCOPES)
    assert {c.categories for c in cases} == set(CATEGORY_SETS)
    assert {c.vsp for c in cases} == {True, False}
    assert len(cases) == 3 * (4 * 3 * 4 * 2 + 2 + 4)
    # Each outcome occurs: the matrix cannot pass by denying (or allowing) everything.
    outcomes = {
        sees_client(case, role, agency, scope)
        for case in cases
        for role, agency, scope in VIEWERS
        if not _direct(case, agency)
    }
    assert outcomes == {True, False}
    # An enrollment seen through sharing with its services and health, with its services only, and alone.
    seen_through_sharing = {
        (
            sees_enrollment_record(case, role, agency, scope, Category.SERVICES),
            sees_enrollment_record(case, role, agency, scope, Category.HEALTH_DV),
        )
        for case in cases
        for role, agency, scope in VIEWERS
        if not _direct(case, agency) and sees_enrollment(case, role, agency, scope)
    }
    assert seen_through_sharing == {(True, True), (True, False), (False, False)}
