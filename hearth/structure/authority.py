"""Who may change which part of the structure. Every action asks here; pages read through the guarded
lookups (hearth.access.lookups.managed_*), so a page and its action never disagree.

- The deployment's superuser creates CoCs (a statewide deployment adds a CoC rarely, together with its HMIS
  Lead's first account) and may manage everything structural; structure holds no client data.
- An HMIS Lead (MANAGE_CONTINUUM over a CoC; a statewide Lead holds a grant on each CoC) renames the CoC,
  adds its organizations, sets the victim service provider flag, and manages every project of the CoC.
- An agency administrator (MANAGE_PROJECTS over an organization) manages the organization's name and its
  projects with their descriptor data, but not the victim service provider flag: that flag decides whether
  CoC-wide roles reach the organization's clients, so it is the HMIS Lead's decision.
- Commands (``by.user`` is None) run as the deployment.
"""

from __future__ import annotations

from typing import Any

from hearth.access.actions import NotPermitted
from hearth.access.lookups import managed_continuums, managed_organizations, managed_projects
from hearth.hmis.models import Continuum, Organization, Project


def _deployment(user: Any) -> bool:
    return user is None or bool(getattr(user, "is_superuser", False) and user.is_active)


def may_create_continuum(user: Any) -> bool:
    return _deployment(user)


def may_manage_continuum(user: Any, continuum: Continuum | None) -> bool:
    """Rename the CoC, add organizations to it, set their victim service provider flag."""
    if _deployment(user):
        return True
    return continuum is not None and managed_continuums(user).filter(pk=continuum.pk).exists()


def may_manage_organization(user: Any, organization: Organization) -> bool:
    """The organization's name and its projects."""
    return _deployment(user) or managed_organizations(user).filter(pk=organization.pk).exists()


def may_manage_project(user: Any, project: Project) -> bool:
    return _deployment(user) or managed_projects(user).filter(pk=project.pk).exists()


def require(allowed: bool, what: str) -> None:
    """Answer a refusal like a missing record (no probing), before anything is written."""
    if not allowed:
        raise NotPermitted(what)
