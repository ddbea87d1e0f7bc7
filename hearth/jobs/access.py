"""Who may use the data-exchange pages, see a job, download its files, and which projects they may export.

HMIS CSV import and export are the HMIS Lead's work (Permission.IMPORT_EXPORT, hearth/access/roles.py). A
job is seen only by the account that requested it, and only while that account still holds IMPORT_EXPORT;
anything else answers "not found", as the guarded lookups do (docs/adr/0005-access-and-audit.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hearth.access.lookups import NotFound, can, organizations_for, projects_for
from hearth.access.roles import Permission
from hearth.access.scope import VSP_YES
from hearth.hmis.models import Organization, Project
from hearth.jobs.models import Job


def may_exchange(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and can(user, Permission.IMPORT_EXPORT))


def require_exchange(user: Any) -> None:
    if not may_exchange(user):
        raise NotFound("page")


EXCHANGE_KINDS = ("import", "export")


def jobs_for(user: Any, kinds: tuple[str, ...] = EXCHANGE_KINDS) -> QuerySet[Job]:
    """The user's own jobs of these kinds (the data-exchange pages show imports and exports only)."""
    if not may_exchange(user):
        return Job.objects.none()
    return Job.objects.filter(requested_by_id=user.pk, kind__in=kinds)


def get_job_for(user: Any, job_id: Any, kinds: tuple[str, ...] = EXCHANGE_KINDS) -> Job:
    try:
        pk = int(job_id)
    except (TypeError, ValueError):
        raise NotFound("job") from None
    job = jobs_for(user, kinds).filter(pk=pk).first()
    if job is None:
        raise NotFound("job")
    return job


def exportable_projects(user: Any) -> QuerySet[Project]:
    """Projects whose records the user may export: in reach of IMPORT_EXPORT, never a victim service
    provider's (its client data stays within the provider: HMIS Data Standards Manual, "Victim Service
    Providers"), as for every other CoC-wide reach of client data."""
    return (
        projects_for(user, Permission.IMPORT_EXPORT)
        .exclude(organization__victim_service_provider=VSP_YES)
        .select_related("organization", "source")
        .order_by("organization__organization_name", "project_name", "pk")
    )


def exportable_organizations(user: Any) -> QuerySet[Organization]:
    return (
        organizations_for(user, Permission.IMPORT_EXPORT)
        .exclude(victim_service_provider=VSP_YES)
        .select_related("source")
        .order_by("organization_name", "pk")
    )


def exports_everything(user: Any) -> bool:
    """Whether the user's reach covers every live project, so an export needs no project filter."""
    reachable = exportable_projects(user).values("pk")
    return not Project.objects.filter(date_deleted__isnull=True).exclude(pk__in=reachable).exists()
