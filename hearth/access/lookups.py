"""Guarded lookups: the only way pages, the API and exports-on-demand read client data.

Each applies role and scope in one place and answers "not found" alike for a record that does not exist and
one the user may not see, so a URL cannot be used to probe who is in the HMIS. Consent to share widens
``_visible`` with the clients shared with the user's agency (hearth.consent.rules: the CoC's policy, sharing
groups, active releases, per data category; docs/adr/0012-consent-and-sharing.md), and a read of a client
reached only that way is written to the client's disclosure log (hearth.consent.disclosures).
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from hearth.access.models import ClientOrigin, RoleAssignment
from hearth.access.roles import ROLES, Permission
from hearth.access.scope import Reach, reach
from hearth.casework.models import CaseNote, ClientFile, LocalService
from hearth.consent import rules as sharing_rules
from hearth.consent.models import Category, DetachedIdentity
from hearth.hmis.models import (
    Client,
    Continuum,
    CurrentLivingSituation,
    Enrollment,
    Exit,
    Organization,
    Project,
    Services,
)


class NotFound(Http404):
    """The record does not exist, or the user may not see it: deliberately the same."""

    def __init__(self, what: str = "record") -> None:
        super().__init__(f"No such {what}.")


def _direct(scope: Reach) -> Q:
    """Direct service: enrolled in a project in reach, or registered by an organization in reach."""
    enrolled_here = Enrollment.objects.filter(
        client_id=OuterRef("pk"), project_id__in=scope.projects, date_deleted__isnull=True
    )
    registered_here = ClientOrigin.objects.filter(
        client_id=OuterRef("pk"), organization_id__in=scope.origin_organizations
    )
    return Q(Exists(enrolled_here)) | Q(Exists(registered_here))


def _visible(scope: Reach, user: Any = None, permission: Permission = Permission.VIEW_CLIENTS) -> Q:
    """Direct service, or sharing (identity) where ``permission`` is one sharing widens."""
    shared = sharing_rules.sharing_q(scope, permission, user=user)
    direct = _direct(scope)
    return direct if shared is None else direct | shared


def _kind(permission: Permission) -> str:
    """Which rule answers ``permission`` (answers are cached per reach and rule, not per permission): sharing
    widens some permissions, not others (audit history)."""
    return "shared" if permission in sharing_rules.SHARED_PERMISSIONS else "direct"


def clients_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[Client]:
    scope = reach(user, permission)
    if scope.empty:
        return Client.objects.none()
    return Client.objects.filter(date_deleted__isnull=True).filter(_visible(scope, user, permission))


def get_client_for(user: Any, client_id: Any, permission: Permission = Permission.VIEW_CLIENTS) -> Client:
    try:
        pk = int(client_id)
    except (TypeError, ValueError):
        raise NotFound("client") from None
    scope = reach(user, permission)
    found = clients_for(user, permission).filter(pk=pk)
    sharing = sharing_rules.sharing_for(user, scope) if _kind(permission) != "direct" else sharing_rules.NO_SHARING
    if not sharing.none:
        # Whether the client is served directly, in the same statement: a read through sharing is disclosed.
        found = found.annotate(_served_directly=ExpressionWrapper(_direct(scope), output_field=BooleanField()))
    # Whether the shared record was de-identified on a revocation (the profile then shows the agencies that
    # hold the identity what they hold: hearth.consent.identity), in the same statement.
    found = found.annotate(
        _identity_detached=Exists(DetachedIdentity.objects.filter(client_id=OuterRef("pk"), restored_at__isnull=True))
    )
    client = found.first()
    if client is None:
        raise NotFound("client")
    _answers(user)[(scope, pk, _kind(permission))] = True
    if not sharing.none and not getattr(client, "_served_directly", True):
        from hearth.consent.disclosures import PROFILE, record_disclosure

        record_disclosure(user, pk, PROFILE, object_type="Client", object_id=pk, permission=permission)
    return client


def reached_only_by_sharing(user: Any, client_ids: Any, permission: Permission = Permission.VIEW_CLIENTS) -> set[int]:
    """Of ``client_ids``, those ``user`` reaches through sharing and not by direct service (exports and report
    drill-downs log their disclosure)."""
    ids = {int(pk) for pk in client_ids}
    scope = reach(user, permission)
    if not ids or scope.empty or sharing_rules.sharing_for(user, scope).none:
        return set()
    return set(clients_for(user, permission).filter(pk__in=ids).exclude(_direct(scope)).values_list("pk", flat=True))


def drilldown_clients_for(user: Any, client_ids: Any, *, what: str = "report_drilldown") -> QuerySet[Client]:
    """The clients behind a report cell (or in an export) whom ``user`` may identify: ``clients_for`` over
    ``client_ids``, with the read logged in the disclosure log for those reached only through sharing
    (``what``: "report_drilldown", "export" or "referral"). Call once per page or file shown."""
    from hearth.consent.disclosures import record_disclosures

    ids = {int(pk) for pk in client_ids}
    record_disclosures(user, ids, what)
    return clients_for(user).filter(pk__in=ids)


def may_for_client(user: Any, client_id: int, permission: Permission) -> bool:
    """Whether ``permission`` reaches this client: the rule of clients_for, answered once per request for each
    distinct reach (a page and its panels ask about several permissions that mostly share one)."""
    scope = reach(user, permission)
    if scope.empty:
        return False
    answers = _answers(user)
    key = (scope, int(client_id), _kind(permission))
    if key not in answers:
        answers[key] = clients_for(user, permission).filter(pk=key[1]).exists()
    return answers[key]


def _answers(user: Any) -> dict[tuple[Reach, int, str], bool]:
    # Kept beside the reach cache on the user object, so it lives as long as one request and is dropped with
    # it by hearth.access.scope.forget.
    cache: dict[tuple[Reach, int, str], bool] = user.__dict__.setdefault("_hearth_client_answers", {})
    return cache


def enrollments_for(
    user: Any, permission: Permission = Permission.VIEW_CLIENTS, *, category: str = Category.ENROLLMENT_HISTORY
) -> QuerySet[Enrollment]:
    """Enrollments in projects the user reaches; to read (VIEW_CLIENTS) also another agency's enrollments the
    client's sharing shows (enrollment history: hearth.consent.rules), which are never changed through it.

    ``category``: what is to be read of them. Services, or health and disabilities, of another agency's
    enrollment are read only where sharing covers that category too (``services_for``, the client's record)."""
    scope = reach(user, permission)
    if scope.empty:
        return Enrollment.objects.none()
    mine = Q(project_id__in=scope.projects)
    if permission == Permission.VIEW_CLIENTS:
        shared = sharing_rules.shared_enrollments_q(sharing_rules.sharing_for(user, scope), category)
        if shared is not None:
            mine |= shared
    return Enrollment.objects.filter(mine, date_deleted__isnull=True)


def own_enrollments_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[Enrollment]:
    """Enrollments in the projects the user's own grants reach, without what sharing shows: work lists
    (reminders of assessments due) are about the agency's own clients."""
    scope = reach(user, permission)
    if scope.empty:
        return Enrollment.objects.none()
    return Enrollment.objects.filter(date_deleted__isnull=True, project_id__in=scope.projects)


def exits_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[Exit]:
    """Exits of the enrollments the user reaches."""
    return Exit.objects.filter(date_deleted__isnull=True, enrollment__in=enrollments_for(user, permission))


def get_enrollment_for(user: Any, enrollment_id: Any, permission: Permission = Permission.VIEW_CLIENTS) -> Enrollment:
    try:
        pk = int(enrollment_id)
    except (TypeError, ValueError):
        raise NotFound("enrollment") from None
    enrollment = enrollments_for(user, permission).select_related("client", "project").filter(pk=pk).first()
    if enrollment is None or enrollment.client.date_deleted is not None:
        raise NotFound("enrollment")
    if enrollment.project_id not in reach(user, permission).projects:
        from hearth.consent.disclosures import record_disclosure

        record_disclosure(
            user,
            enrollment.client_id,
            Category.ENROLLMENT_HISTORY,
            category=Category.ENROLLMENT_HISTORY,
            object_type="Enrollment",
            object_id=pk,
        )
    return enrollment


def projects_for(user: Any, permission: Permission) -> QuerySet[Project]:
    scope = reach(user, permission)
    return Project.objects.filter(pk__in=scope.projects, date_deleted__isnull=True)


def organizations_for(user: Any, permission: Permission) -> QuerySet[Organization]:
    scope = reach(user, permission)
    return Organization.objects.filter(pk__in=scope.organizations, date_deleted__isnull=True)


def get_project_for(user: Any, project_id: Any, permission: Permission) -> Project:
    try:
        pk = int(project_id)
    except (TypeError, ValueError):
        raise NotFound("project") from None
    project = projects_for(user, permission).select_related("organization").filter(pk=pk).first()
    if project is None:
        raise NotFound("project")
    return project


def can(user: Any, permission: Permission) -> bool:
    """Whether the user holds the permission anywhere (menus; every record is still checked by a lookup)."""
    return not reach(user, permission).empty


# Structure: CoCs, organizations and projects with their HUD descriptor data (hearth.structure). They hold no
# client data, so a CoC-wide grant reaches victim service providers' descriptors too, and the superuser who runs
# the deployment manages all of them (as with accounts). Same answer for missing and not allowed.


def _pk(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound(what) from None


def managed_continuums(user: Any) -> QuerySet[Continuum]:
    """CoCs whose organizations the user administers (MANAGE_CONTINUUM: the HMIS Lead)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Continuum.objects.all()
    return Continuum.objects.filter(pk__in=reach(user, Permission.MANAGE_CONTINUUM).continuums)


def get_managed_continuum(user: Any, continuum_id: Any) -> Continuum:
    continuum = managed_continuums(user).filter(pk=_pk(continuum_id, "CoC")).first()
    if continuum is None:
        raise NotFound("CoC")
    return continuum


def managed_organizations(user: Any) -> QuerySet[Organization]:
    """Organizations whose descriptor data and projects the user manages: MANAGE_PROJECTS over the
    organization (agency administrators), or MANAGE_CONTINUUM over its CoC."""
    live = Organization.objects.filter(date_deleted__isnull=True)
    if getattr(user, "is_superuser", False) and user.is_active:
        return live
    continuums = reach(user, Permission.MANAGE_CONTINUUM).continuums
    return live.filter(Q(pk__in=reach(user, Permission.MANAGE_PROJECTS).organizations) | Q(continuum_id__in=continuums))


def get_managed_organization(user: Any, organization_id: Any) -> Organization:
    organization = (
        managed_organizations(user).select_related("continuum").filter(pk=_pk(organization_id, "organization")).first()
    )
    if organization is None:
        raise NotFound("organization")
    return organization


def managed_projects(user: Any) -> QuerySet[Project]:
    """Projects whose HUD descriptor data the user manages (MANAGE_PROJECTS, or MANAGE_CONTINUUM over its CoC)."""
    live = Project.objects.filter(date_deleted__isnull=True)
    if getattr(user, "is_superuser", False) and user.is_active:
        return live
    granted = reach(user, Permission.MANAGE_PROJECTS).projects
    return live.filter(Q(organization__in=managed_organizations(user)) | Q(pk__in=granted))


def get_managed_project(user: Any, project_id: Any) -> Project:
    project = (
        managed_projects(user).select_related("organization__continuum").filter(pk=_pk(project_id, "project")).first()
    )
    if project is None:
        raise NotFound("project")
    return project


def manages_structure(user: Any) -> bool:
    """Whether the user manages any CoC, organization or project (the menu, in one query on every page; each
    record is still looked up)."""
    if getattr(user, "is_superuser", False):
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    wanted = {Permission.MANAGE_CONTINUUM, Permission.MANAGE_PROJECTS}
    roles = [slug for slug, role in ROLES.items() if role.permissions & wanted]
    return RoleAssignment.objects.filter(user_id=user.pk, role__in=roles).exists()


# --- Services, contacts, case notes and files (hearth/casework) -------------------------------------------
# HUD services and contacts follow their enrollment; case notes and files follow the organization they were
# written or uploaded for (docs/adr/0008-local-case-work-records.md).


def services_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[Services]:
    """Live HUD services (Services.csv, bed nights included) of the enrollments the user reaches, another
    agency's only where sharing covers services."""
    enrollments = enrollments_for(user, permission, category=Category.SERVICES)
    return Services.objects.filter(date_deleted__isnull=True, enrollment__in=enrollments)


def local_services_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[LocalService]:
    """Live CoC-defined services of the enrollments the user reaches, another agency's only where sharing
    covers services."""
    enrollments = enrollments_for(user, permission, category=Category.SERVICES)
    return LocalService.objects.filter(date_deleted__isnull=True, enrollment__in=enrollments)


def living_situations_for(
    user: Any, permission: Permission = Permission.VIEW_CLIENTS
) -> QuerySet[CurrentLivingSituation]:
    """Live current living situation contacts (4.12) of the enrollments the user reaches."""
    return CurrentLivingSituation.objects.filter(
        date_deleted__isnull=True, enrollment__in=enrollments_for(user, permission)
    )


# HUD records of the release category "health, disabilities and domestic violence" (HMIS Data Standards FY2026
# 4.05-4.10 disabilities; 4.11 domestic violence and R7-R10 health and pregnancy status, in HealthAndDV). Their
# DV answers are further kept to the recording agency (hearth.access.dv).
HEALTH_RECORDS = frozenset({"HealthAndDV", "Disabilities"})


def enrollment_records_for(user: Any, model: type[Any], permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet:
    """Live records kept under an enrollment (``model``: IncomeBenefits, HealthAndDV, Disabilities,
    EmploymentEducation, YouthEducationStatus, Assessment, Event…) of the enrollments the user reaches; health
    and disabilities of another agency's enrollment only where the client's release shares them."""
    category = Category.HEALTH_DV if model.HUD_RECORD in HEALTH_RECORDS else Category.ENROLLMENT_HISTORY
    enrollments = enrollments_for(user, permission, category=category)
    return model.objects.filter(date_deleted__isnull=True, enrollment__in=enrollments)


def _by_organization(user: Any, permission: Permission, category: str) -> tuple[Reach, Q]:
    """Records of the user's own organizations about clients it reaches, and, to read, other agencies' records
    of clients whose active release shares ``category`` with the user's agency."""
    scope = reach(user, permission)
    own = Q(organization_id__in=scope.origin_organizations) & Q(client__in=clients_for(user, permission))
    if permission in (Permission.VIEW_CLIENTS, Permission.VIEW_CASE_NOTES):
        shared = sharing_rules.shared_records_q(sharing_rules.sharing_for(user, scope), category)
        if shared is not None:
            own |= shared
    return scope, own


def notes_for(user: Any, permission: Permission = Permission.VIEW_CASE_NOTES) -> QuerySet[CaseNote]:
    """Live case notes written for an organization the user's case-note permission reaches, about clients it
    reaches."""
    scope, visible = _by_organization(user, permission, Category.CASE_NOTES)
    if scope.empty:
        return CaseNote.objects.none()
    return CaseNote.objects.filter(visible, deleted_at__isnull=True)


def get_note_for(user: Any, note_id: Any, permission: Permission = Permission.VIEW_CASE_NOTES) -> CaseNote:
    try:
        pk = int(note_id)
    except (TypeError, ValueError):
        raise NotFound("note") from None
    note = notes_for(user, permission).filter(pk=pk).first()
    if note is None:
        raise NotFound("note")
    if note.organization_id not in reach(user, permission).origin_organizations:
        from hearth.consent.disclosures import record_disclosure

        record_disclosure(
            user,
            note.client_id,
            Category.CASE_NOTES,
            category=Category.CASE_NOTES,
            object_type="CaseNote",
            object_id=pk,
            permission=permission,
        )
    return note


def files_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[ClientFile]:
    """Live documents uploaded for an organization the user reaches, about clients the user reaches."""
    scope, visible = _by_organization(user, permission, Category.FILES)
    if scope.empty:
        return ClientFile.objects.none()
    return ClientFile.objects.filter(visible, deleted_at__isnull=True)


def get_file_for(user: Any, file_id: Any, permission: Permission = Permission.VIEW_CLIENTS) -> ClientFile:
    try:
        pk = int(file_id)
    except (TypeError, ValueError):
        raise NotFound("file") from None
    found = files_for(user, permission).filter(pk=pk).first()
    if found is None:
        raise NotFound("file")
    if found.organization_id not in reach(user, permission).origin_organizations:
        from hearth.consent.disclosures import FILE, record_disclosure

        record_disclosure(
            user,
            found.client_id,
            FILE,
            category=Category.FILES,
            object_type="ClientFile",
            object_id=pk,
            permission=permission,
        )
    return found


def organizations_serving(user: Any, client_id: int, permission: Permission) -> list[Organization]:
    """The organizations a note or document about this client may be written for: those of the client's live
    enrollments and the one that registered the client, within the user's ``permission`` reach (the rule
    notes_for and files_for read by). The client's organizations are read once per request."""
    cache: dict[int, list[Organization]] = user.__dict__.setdefault("_hearth_client_organizations", {})
    if client_id not in cache:
        ids = set(
            Enrollment.objects.filter(client_id=client_id, date_deleted__isnull=True).values_list(
                "project__organization_id", flat=True
            )
        )
        ids |= set(ClientOrigin.objects.filter(client_id=client_id).values_list("organization_id", flat=True))
        cache[client_id] = list(
            Organization.objects.filter(pk__in=ids, date_deleted__isnull=True).order_by("organization_name")
        )
    scope = reach(user, permission)
    return [o for o in cache[client_id] if o.pk in scope.origin_organizations]


# --- Households (hearth/casework/households.py) ------------------------------------------------------------


def household_for(
    user: Any, enrollment: Enrollment, permission: Permission = Permission.VIEW_CLIENTS
) -> QuerySet[Enrollment]:
    """The live enrollments of ``enrollment``'s household (HMIS Data Standards 5.09 Household ID: the
    enrollments sharing a HouseholdID in one project) that the user reaches, with their clients."""
    return (
        enrollments_for(user, permission)
        .filter(
            source_id=enrollment.source_id,
            project_id=enrollment.project_id,
            household_id=enrollment.household_id,
            client__date_deleted__isnull=True,
        )
        .select_related("client")
    )
