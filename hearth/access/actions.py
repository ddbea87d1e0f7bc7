"""Accounts and role grants: created only by an administrator of the account's own organization, the HMIS Lead
of the CoC, or the deployment's superuser (no self-registration). Each action checks the acting account's
authority over the scope it touches, writes in one transaction, and records an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from hearth.access.lookups import NotFound
from hearth.access.models import RoleAssignment
from hearth.access.roles import ROLES, Permission, Scope
from hearth.access.scope import forget, reach
from hearth.audit.actor import Actor
from hearth.hmis.models import Continuum, Organization, Project


class NotPermitted(NotFound):
    """The acting account has no authority over that scope; answered like a missing record."""


@dataclass(frozen=True)
class Target:
    """Where a role is granted: exactly one of the three."""

    continuum: Continuum | None = None
    organization: Organization | None = None
    project: Project | None = None

    @property
    def scope(self) -> Scope:
        if self.continuum is not None:
            return Scope.CONTINUUM
        return Scope.ORGANIZATION if self.organization is not None else Scope.PROJECT

    def as_fields(self) -> dict[str, Any]:
        return {"continuum": self.continuum, "organization": self.organization, "project": self.project}

    def __str__(self) -> str:
        if self.continuum is not None:
            return str(self.continuum)
        if self.organization is not None:
            return self.organization.organization_name
        assert self.project is not None
        return self.project.project_name


def may_grant(user: Any, role: str, target: Target) -> bool:
    """Superusers grant anything; otherwise MANAGE_USERS over the target, and only HMIS Leads (a CoC-wide
    MANAGE_CONTINUUM) grant CoC-wide roles."""
    definition = ROLES.get(role)
    if definition is None or target.scope not in definition.scopes:
        return False
    if getattr(user, "is_superuser", False):
        return True
    if target.scope is Scope.CONTINUUM:
        assert target.continuum is not None
        return target.continuum.pk in reach(user, Permission.MANAGE_CONTINUUM).continuums
    managed = reach(user, Permission.MANAGE_USERS)
    if target.scope is Scope.ORGANIZATION:
        assert target.organization is not None
        return target.organization.pk in managed.organizations
    assert target.project is not None
    return target.project.pk in managed.projects


def manages_account(user: Any, account: Any) -> bool:
    """Whether ``user`` may see and change ``account``: it holds a role somewhere ``user`` manages."""
    if getattr(user, "is_superuser", False):
        return True
    return any(
        may_grant(user, grant.role, Target(grant.continuum, grant.organization, grant.project))
        for grant in RoleAssignment.objects.filter(user=account).select_related("continuum", "organization", "project")
    )


@transaction.atomic
def create_account(
    *, username: str, first_name: str, last_name: str, email: str, role: str, target: Target, by: Actor
) -> Any:
    """A new account with its first role; it has no usable password until its owner sets one (setup link)."""
    if not may_grant(by.user, role, target):
        raise NotPermitted("scope")
    user_model = get_user_model()
    try:
        with transaction.atomic():
            account = user_model.objects.create_user(
                username=username, email=email, first_name=first_name, last_name=last_name
            )
    except IntegrityError:
        raise ValueError("That username is taken.") from None
    account.set_unusable_password()
    account.save(update_fields=["password"])
    RoleAssignment.objects.create(user=account, role=role, granted_by=by.user, **target.as_fields())
    by.record("account.created", object_type="User", object_id=account.pk, role=role, scope=target.scope.value)
    return account


@transaction.atomic
def grant_role(*, account: Any, role: str, target: Target, by: Actor) -> RoleAssignment:
    if not may_grant(by.user, role, target):
        raise NotPermitted("scope")
    grant, created = RoleAssignment.objects.get_or_create(
        user=account, role=role, **target.as_fields(), defaults={"granted_by": by.user}
    )
    if created:
        forget(account)
        by.record("role.granted", object_type="User", object_id=account.pk, role=role, scope=target.scope.value)
    return grant


@transaction.atomic
def revoke_role(*, grant: RoleAssignment, by: Actor) -> None:
    target = Target(grant.continuum, grant.organization, grant.project)
    if not may_grant(by.user, grant.role, target):
        raise NotPermitted("grant")
    account_id, role = grant.user_id, grant.role
    grant.delete()
    by.record("role.revoked", object_type="User", object_id=account_id, role=role, scope=target.scope.value)


@transaction.atomic
def set_active(*, account: Any, active: bool, by: Actor) -> None:
    """Deactivate (or reactivate) an account; its grants stay for the record but reach nothing while inactive."""
    if not manages_account(by.user, account) or account.pk == by.user.pk:
        raise NotPermitted("account")
    if account.is_active != active:
        account.is_active = active
        account.save(update_fields=["is_active"])
        by.record("account.activated" if active else "account.deactivated", object_type="User", object_id=account.pk)
        if not active:
            # A disabled account's sessions end at once, not at their next idle timeout (hearth.signin).
            from hearth.signin.sessions import DISABLED, end_sessions

            end_sessions(account, reason=DISABLED, by=by)
