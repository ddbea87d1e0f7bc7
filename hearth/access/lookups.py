"""Guarded lookups: the only way pages, the API and exports-on-demand read client data.

Each applies role and scope in one place and answers "not found" alike for a record that does not exist and
one the user may not see, so a URL cannot be used to probe who is in the HMIS. Consent to share (its own
issue) widens ``_visible`` with the clients who agreed to share with the user's organization; nothing else
changes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from hearth.access.models import ClientOrigin
from hearth.access.roles import Permission
from hearth.access.scope import Reach, reach
from hearth.hmis.models import Client, Enrollment, Exit, Organization, Project


class NotFound(Http404):
    """The record does not exist, or the user may not see it: deliberately the same."""

    def __init__(self, what: str = "record") -> None:
        super().__init__(f"No such {what}.")


def _visible(scope: Reach) -> Q:
    enrolled_here = Enrollment.objects.filter(
        client_id=OuterRef("pk"), project_id__in=scope.projects, date_deleted__isnull=True
    )
    registered_here = ClientOrigin.objects.filter(
        client_id=OuterRef("pk"), organization_id__in=scope.origin_organizations
    )
    return Q(Exists(enrolled_here)) | Q(Exists(registered_here))


def clients_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[Client]:
    scope = reach(user, permission)
    if scope.empty:
        return Client.objects.none()
    return Client.objects.filter(date_deleted__isnull=True).filter(_visible(scope))


def get_client_for(user: Any, client_id: Any, permission: Permission = Permission.VIEW_CLIENTS) -> Client:
    try:
        pk = int(client_id)
    except (TypeError, ValueError):
        raise NotFound("client") from None
    client = clients_for(user, permission).filter(pk=pk).first()
    if client is None:
        raise NotFound("client")
    return client


def enrollments_for(user: Any, permission: Permission = Permission.VIEW_CLIENTS) -> QuerySet[Enrollment]:
    """Enrollments in projects the user reaches (another agency's enrollment of the same client stays hidden
    until consent to share says otherwise)."""
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
