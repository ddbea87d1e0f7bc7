"""Forms for staff accounts and their roles."""

from __future__ import annotations

from typing import Any

from django import forms

from hearth.access.actions import Target
from hearth.access.roles import ROLE_CHOICES, ROLES, Permission, Scope
from hearth.access.scope import reach
from hearth.hmis.models import Continuum, Organization, Project


def scope_choices(user: Any) -> list[tuple[str, str]]:
    """Every scope the user may grant roles at, as "kind:id" values."""
    superuser = bool(getattr(user, "is_superuser", False))
    continuums = Continuum.objects.all()
    organizations = Organization.objects.filter(date_deleted__isnull=True)
    projects = Project.objects.filter(date_deleted__isnull=True).select_related("organization")
    if not superuser:
        continuums = continuums.filter(pk__in=reach(user, Permission.MANAGE_CONTINUUM).continuums)
        managed = reach(user, Permission.MANAGE_USERS)
        organizations = organizations.filter(pk__in=managed.organizations)
        projects = projects.filter(pk__in=managed.projects)
    choices = [(f"continuum:{c.pk}", f"CoC {c.code} {c.name}") for c in continuums.order_by("code")]
    choices += [(f"organization:{o.pk}", o.organization_name) for o in organizations.order_by("organization_name")]
    choices += [
        (f"project:{p.pk}", f"{p.project_name} ({p.organization.organization_name})")
        for p in projects.order_by("organization__organization_name", "project_name")
    ]
    return choices


def target_from(value: str) -> Target:
    kind, _, pk = value.partition(":")
    if not pk.isdigit():
        raise forms.ValidationError("Choose where the role applies.")
    if kind == "continuum":
        return Target(continuum=Continuum.objects.get(pk=int(pk)))
    if kind == "organization":
        return Target(organization=Organization.objects.get(pk=int(pk)))
    if kind == "project":
        return Target(project=Project.objects.select_related("organization").get(pk=int(pk)))
    raise forms.ValidationError("Choose where the role applies.")


class GrantForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)
    scope = forms.ChoiceField(label="Where", choices=[])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = scope_choices(user)
        # Offer only roles the user can grant somewhere (an agency administrator never sees "HMIS Lead").
        kinds = {Scope(value.partition(":")[0]) for value, _ in field.choices}
        roles = self.fields["role"]
        assert isinstance(roles, forms.ChoiceField)
        roles.choices = [(slug, name) for slug, name in ROLE_CHOICES if ROLES[slug].scopes & kinds]

    def target(self) -> Target:
        return target_from(self.cleaned_data["scope"])


class AccountForm(GrantForm):
    username = forms.RegexField(
        label="Username",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text="Letters, digits and . @ + - _ only.",
    )
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Work email")

    field_order = ["username", "first_name", "last_name", "email", "role", "scope"]
