"""Staff accounts and roles, managed by agency administrators and the HMIS Lead (no self-registration)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access.actions import NotPermitted, create_account, grant_role, manages_account, revoke_role, set_active
from hearth.access.lookups import NotFound, can
from hearth.access.models import RoleAssignment
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.signin import throttle
from hearth.signin.policy import has_second_factor
from hearth.web.forms.people import AccountForm, GrantForm


def _require_manager(user: Any) -> None:
    if not (user.is_superuser or can(user, Permission.MANAGE_USERS)):
        raise NotFound("page")


def managed_accounts(user: Any) -> QuerySet[Any]:
    accounts = get_user_model().objects.all()
    if user.is_superuser:
        return accounts
    managed = reach(user, Permission.MANAGE_USERS)
    continuums = reach(user, Permission.MANAGE_CONTINUUM).continuums
    in_scope = RoleAssignment.objects.filter(
        Q(continuum_id__in=continuums)
        | Q(organization_id__in=managed.organizations)
        | Q(project_id__in=managed.projects)
    )
    return accounts.filter(pk__in=in_scope.values("user_id"))


def _can_audit(user: Any) -> bool:
    return bool(user.is_superuser or can(user, Permission.VIEW_AUDIT))


def _account(user: Any, account_id: int) -> Any:
    account = managed_accounts(user).filter(pk=account_id).first()
    if account is None or not manages_account(user, account):
        raise NotFound("account")
    return account


@login_required
def people(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    accounts = managed_accounts(request.user).order_by("last_name", "first_name", "username")
    return render(request, "web/people/list.html", {"accounts": accounts})


@login_required
@require_http_methods(["GET", "POST"])
def new_person(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = create_account(
                username=form.cleaned_data["username"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                target=form.target(),
                by=Actor.from_request(request),
            )
        except NotPermitted:
            form.add_error("scope", "You cannot grant that role there.")
        except ValueError as error:
            form.add_error("username", str(error))
        else:
            return redirect("web:person", account_id=account.pk)
    return render(request, "web/people/new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, account_id: int) -> HttpResponse:
    _require_manager(request.user)
    account = _account(request.user, account_id)
    form = GrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            grant_role(
                account=account, role=form.cleaned_data["role"], target=form.target(), by=Actor.from_request(request)
            )
        except NotPermitted:
            form.add_error("scope", "You cannot grant that role there.")
        else:
            return redirect("web:person", account_id=account.pk)
    grants = RoleAssignment.objects.filter(user=account).select_related("continuum", "organization", "project")
    context = {"account": account, "grants": grants, "form": form, "can_audit": _can_audit(request.user)}
    context["lock"] = throttle.lock_of(account)  # locked after failed sign-ins (hearth.signin)
    context["second_factor"] = has_second_factor(account)
    return render(request, "web/people/detail.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke(request: HttpRequest, account_id: int, grant_id: int) -> HttpResponse:
    _require_manager(request.user)
    account = _account(request.user, account_id)
    grant = RoleAssignment.objects.filter(user=account, pk=grant_id).first()
    if grant is None:
        raise NotFound("grant")
    revoke_role(grant=grant, by=Actor.from_request(request))
    return redirect("web:person", account_id=account.pk)


@login_required
@require_POST
def activation(request: HttpRequest, account_id: int) -> HttpResponse:
    _require_manager(request.user)
    account = _account(request.user, account_id)
    set_active(account=account, active=request.POST.get("active") == "yes", by=Actor.from_request(request))
    return redirect("web:person", account_id=account.pk)


@login_required
@require_POST
def setup_link(request: HttpRequest, account_id: int) -> HttpResponse:
    """A one-time link for the account's owner to choose a password (valid PASSWORD_RESET_TIMEOUT seconds)."""
    _require_manager(request.user)
    account = _account(request.user, account_id)
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    link = request.build_absolute_uri(
        reverse("web:account-setup", kwargs={"uidb64": uid, "token": default_token_generator.make_token(account)})
    )
    Actor.from_request(request).record("account.setup_link", object_type="User", object_id=account.pk)
    grants = RoleAssignment.objects.filter(user=account).select_related("continuum", "organization", "project")
    context = {
        "account": account,
        "grants": grants,
        "form": GrantForm(user=request.user),
        "setup_link": link,
        "can_audit": _can_audit(request.user),
        "lock": throttle.lock_of(account),
        "second_factor": has_second_factor(account),
    }
    return render(request, "web/people/detail.html", context)
