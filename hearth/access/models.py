"""Role grants, the HMIS user agreement, and which organization registered a client."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hearth.access.roles import ROLE_CHOICES, ROLES, Role, Scope


class RoleAssignment(models.Model):
    """One role held by one account at exactly one scope: a CoC, an organization or a project."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)
    continuum = models.ForeignKey("hmis.Continuum", models.CASCADE, null=True, blank=True, related_name="+")
    organization = models.ForeignKey("hmis.Organization", models.CASCADE, null=True, blank=True, related_name="+")
    project = models.ForeignKey("hmis.Project", models.CASCADE, null=True, blank=True, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "access_role_assignment"
        constraints = [
            models.CheckConstraint(
                name="access_role_assignment_one_scope",
                condition=(
                    models.Q(continuum__isnull=False, organization__isnull=True, project__isnull=True)
                    | models.Q(continuum__isnull=True, organization__isnull=False, project__isnull=True)
                    | models.Q(continuum__isnull=True, organization__isnull=True, project__isnull=False)
                ),
            ),
            # The same grant twice is one grant (one constraint per scope: NULLs are distinct in SQL).
            *(
                models.UniqueConstraint(
                    fields=["user", "role", scope],
                    condition=models.Q(**{f"{scope}__isnull": False}),
                    name=f"access_role_assignment_{scope[:4]}_uniq",
                )
                for scope in ("continuum", "organization", "project")
            ),
        ]

    def __str__(self) -> str:
        target = self.continuum or self.organization or self.project
        return f"{self.definition.name} at {target}"

    @property
    def definition(self) -> Role:
        return ROLES[self.role]

    @property
    def scope(self) -> Scope:
        if self.continuum_id is not None:
            return Scope.CONTINUUM
        if self.organization_id is not None:
            return Scope.ORGANIZATION
        return Scope.PROJECT


class UserAgreement(models.Model):
    """A version of the CoC's HMIS user agreement; every account accepts the current one before working."""

    continuum = models.ForeignKey("hmis.Continuum", models.CASCADE, related_name="user_agreements")
    version = models.CharField(max_length=20)
    text = models.TextField()
    effective_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "access_user_agreement"
        constraints = [
            models.UniqueConstraint(fields=["continuum", "version"], name="access_user_agreement_version_uniq")
        ]
        ordering = ["-effective_at"]

    def __str__(self) -> str:
        return f"{self.continuum.code} user agreement {self.version}"


class AgreementAcceptance(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="agreement_acceptances")
    agreement = models.ForeignKey(UserAgreement, models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "access_agreement_acceptance"
        constraints = [models.UniqueConstraint(fields=["user", "agreement"], name="access_agreement_acceptance_uniq")]

    def __str__(self) -> str:
        return f"agreement {self.agreement_id} accepted at {self.accepted_at:%Y-%m-%d %H:%M}"


class ClientOrigin(models.Model):
    """The organization whose staff registered a client in Hearth, so the client is in that organization's
    scope before any enrollment exists (imported clients are in scope through their enrollments)."""

    client = models.OneToOneField("hmis.Client", models.CASCADE, related_name="origin", db_constraint=False)
    organization = models.ForeignKey("hmis.Organization", models.PROTECT, related_name="+")

    class Meta:
        db_table = "access_client_origin"

    def __str__(self) -> str:
        return f"client {self.client_id} registered by organization {self.organization_id}"
