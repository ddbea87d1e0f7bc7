"""The CoC's sharing policy and its sharing groups: the HMIS Lead's pages (MANAGE_CONTINUUM over the CoC).

HUD's HMIS Privacy and Security Standards (69 FR 45888, 4.1) leave the consent model to the CoC: open
(inferred consent with a posted notice), consent-based, or closed. The rules that apply them are
hearth.consent.rules; these pages only set them, through hearth.consent.actions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hearth.access.lookups import NotFound
from hearth.access.roles import Permission
from hearth.access.scope import VSP_YES, reach
from hearth.audit.actor import Actor
from hearth.consent.actions import save_sharing_group, set_sharing_policy
from hearth.consent.models import ContinuumSharing, Policy, SharingGroup
from hearth.hmis.models import Continuum, Organization
from hearth.web.forms.consent import SharingGroupForm, SharingPolicyForm


def sharing_continuums(user: Any) -> Any:
    """CoCs whose sharing the user decides: MANAGE_CONTINUUM granted over the CoC (the HMIS Lead)."""
    return Continuum.objects.filter(pk__in=reach(user, Permission.MANAGE_CONTINUUM).continuums).order_by("code")


def _continuum(user: Any, continuum_id: Any) -> Continuum:
    try:
        pk = int(continuum_id)
    except (TypeError, ValueError):
        raise NotFound("CoC") from None
    found = sharing_continuums(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("CoC")
    return found


def _group(user: Any, group_id: Any) -> SharingGroup:
    try:
        pk = int(group_id)
    except (TypeError, ValueError):
        raise NotFound("group") from None
    found = SharingGroup.objects.filter(pk=pk, continuum__in=sharing_continuums(user)).select_related("continuum")
    group = found.first()
    if group is None:
        raise NotFound("group")
    return group


def _agencies(continuum: Continuum) -> list[Organization]:
    # Victim service providers never take part in sharing (HMIS Data Standards Manual, "Victim Service
    # Providers"); they are not offered.
    return list(
        Organization.objects.filter(continuum=continuum, date_deleted__isnull=True)
        .exclude(victim_service_provider=VSP_YES)
        .order_by("organization_name")
    )


def _apply_errors(form: Any, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _bound(request: HttpRequest) -> tuple[Any, Any]:
    """A POST binds the form even when empty (an empty submission shows its errors)."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    continuums = list(sharing_continuums(request.user))
    if not continuums:
        raise NotFound("page")
    policies = {s.continuum_id: s for s in ContinuumSharing.objects.filter(continuum__in=continuums)}
    groups = dict(
        SharingGroup.objects.filter(continuum__in=continuums)
        .values("continuum_id")
        .annotate(n=Count("pk"))
        .values_list("continuum_id", "n")
    )
    rows = [
        {
            "continuum": c,
            "policy": (policies[c.pk].get_policy_display() if c.pk in policies else Policy.CONSENT.label),
            "notice": policies[c.pk].privacy_notice_version if c.pk in policies else "",
            "groups": groups.get(c.pk, 0),
        }
        for c in continuums
    ]
    return render(request, "web/consent/sharing_index.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest, continuum_id: int) -> HttpResponse:
    continuum = _continuum(request.user, continuum_id)
    current = ContinuumSharing.objects.filter(continuum=continuum).first()
    initial = {
        "policy": current.policy if current else Policy.CONSENT,
        "deidentify_on_revocation": current.deidentify_on_revocation if current else False,
        "privacy_notice_version": current.privacy_notice_version if current else "",
    }
    form = SharingPolicyForm(*_bound(request)[:1], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_sharing_policy(continuum=continuum, by=Actor.from_request(request), **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Sharing policy saved. It applies from the next page anyone opens.")
            return redirect("web:sharing-policy", continuum_id=continuum.pk)
    groups = SharingGroup.objects.filter(continuum=continuum).prefetch_related("organizations").order_by("name")
    context = {"continuum": continuum, "form": form, "groups": groups}
    return render(request, "web/consent/sharing_policy.html", context, status=400 if form.errors else 200)


def _group_page(request: HttpRequest, continuum: Continuum, group: SharingGroup | None) -> HttpResponse:
    agencies = _agencies(continuum)
    initial = {}
    if group is not None:
        initial = {"name": group.name, "organizations": [str(o.pk) for o in group.organizations.all()]}
    form = SharingGroupForm(*_bound(request)[:1], initial=initial, organizations=agencies)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["organizations"])
        try:
            saved = save_sharing_group(
                continuum=continuum,
                name=form.cleaned_data["name"],
                organizations=[o for o in agencies if str(o.pk) in chosen],
                group=group,
                by=Actor.from_request(request),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Sharing group “{saved.name}” saved.")
            return redirect("web:sharing-policy", continuum_id=continuum.pk)
    context = {"continuum": continuum, "group": group, "form": form}
    return render(request, "web/consent/sharing_group.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest, continuum_id: int) -> HttpResponse:
    return _group_page(request, _continuum(request.user, continuum_id), None)


@login_required
@require_http_methods(["GET", "POST"])
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    found = _group(request.user, group_id)
    return _group_page(request, found.continuum, found)
