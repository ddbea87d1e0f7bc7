"""Find, register, view and correct clients.

Names and dates of birth are personal data, so searches are POSTed (never in a URL, a log line or browser
history); client pages are addressed by Hearth ID only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from hearth.access.client_search import search_clients_for
from hearth.access.lookups import NotFound, enrollments_for, exits_for, get_client_for, may_for_client
from hearth.access.models import ClientOrigin
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.casework.clients import register_client, update_client
from hearth.hmis.models import Organization
from hearth.search import SearchQuery
from hearth.search.keys import ssn_full
from hearth.web.forms.clients import ClientForm, SearchForm
from hearth.web.panels import panels_for


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid() and form.cleaned_data["q"].strip():
        query = SearchQuery.parse(form.cleaned_data["q"])
        results = search_clients_for(request.user, query)
        Actor.from_request(request).record("client.searched", results=len(results.found))
    context = {"form": form, "results": results, "can_register": _intake_organizations(request.user).exists()}
    template = "web/clients/_results.html" if _is_htmx(request) else "web/clients/search.html"
    return render(request, template, context)


def _intake_organizations(user: Any) -> Any:
    """Organizations the user registers clients for: where they may edit clients (a project grant counts
    for its organization)."""
    scope = reach(user, Permission.EDIT_CLIENTS)
    return Organization.objects.filter(pk__in=scope.origin_organizations, date_deleted__isnull=True).order_by(
        "organization_name"
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    organizations = list(_intake_organizations(request.user))
    if not organizations:
        raise NotFound("page")
    form = ClientForm(request.POST or None)
    back = _safe_next(request)
    context: dict[str, Any] = {"form": form, "organizations": organizations, "next": back}
    if request.method == "POST" and form.is_valid():
        chosen = request.POST.get("organization", str(organizations[0].pk))
        organization = next((o for o in organizations if str(o.pk) == chosen), None)
        if organization is None:
            raise NotFound("organization")
        data = form.client_data()
        # Duplicate prevention at intake (issue #3): show likely matches first; the worker confirms a new person.
        if request.POST.get("confirmed") != "new":
            query = SearchQuery(
                first=data.first_name,
                last=data.last_name,
                dob=data.dob,
                ssn_last4=(data.ssn or "")[-4:] if data.ssn and data.ssn[-4:].isdigit() else None,
                # The whole number too: the blind index finds the same SSN whatever the names (docs/adr/0015).
                ssn=ssn_full(data.ssn),
            )
            results = search_clients_for(request.user, query, limit=10)
            if results.found:
                context.update(results=results, organization=organization)
                return render(request, "web/clients/register.html", context)
        client = register_client(data=data, organization=organization, by=Actor.from_request(request))
        if back:
            # Registered from another workflow (a household being enrolled): go back to it.
            return redirect(back)
        return redirect("web:client", client_id=client.pk)
    return render(request, "web/clients/register.html", context, status=400 if form.errors else 200)


def _safe_next(request: HttpRequest) -> str | None:
    """A page of this site to return to after registering (never another host: no open redirect)."""
    back = request.POST.get("next") or request.GET.get("next")
    if back and back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return None


@login_required
def profile(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id)
    Actor.from_request(request).record("client.viewed", object_type="Client", object_id=client.pk)
    enrollments = list(
        enrollments_for(request.user)
        .filter(client_id=client.pk)
        .select_related("project__organization")
        .only(
            "entry_date",
            "relationship_to_hoh",
            "project__project_name",
            "project__organization__organization_name",
        )
        .order_by("-entry_date", "-pk")
    )
    exits = {
        x.enrollment_id: x
        for x in exits_for(request.user)
        .filter(enrollment_id__in=[e.pk for e in enrollments])
        .only("enrollment_id", "exit_date", "destination")
    }
    origin = ClientOrigin.objects.filter(client_id=client.pk).select_related("organization").first()
    context = {
        "client": client,
        "enrollments": [(e, exits.get(e.pk)) for e in enrollments],
        "origin": origin,
        "can_edit": _may(request.user, client.pk, Permission.EDIT_CLIENTS),
        "can_audit": _may(request.user, client.pk, Permission.VIEW_AUDIT),
        "can_reveal": bool(client.ssn) and _may(request.user, client.pk, Permission.REVEAL_SSN),
        "panels": panels_for(request, client),
    }
    return render(request, "web/clients/profile.html", context)


def _may(user: Any, client_id: int, permission: Permission) -> bool:
    return may_for_client(user, client_id, permission)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id, Permission.EDIT_CLIENTS)
    form = ClientForm(request.POST or None, initial=ClientForm.initial_for(client), ssn_on_record=client.ssn)
    if request.method == "POST" and form.is_valid():
        update_client(client=client, data=form.client_data(), by=Actor.from_request(request))
        return redirect("web:client", client_id=client.pk)
    Actor.from_request(request).record("client.viewed", object_type="Client", object_id=client.pk, page="edit")
    return render(
        request, "web/clients/edit.html", {"client": client, "form": form}, status=400 if form.errors else 200
    )
