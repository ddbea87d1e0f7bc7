"""The start page: find a client, and the user's projects."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hearth.access.lookups import projects_for
from hearth.access.models import RoleAssignment
from hearth.access.roles import Permission
from hearth.web.forms.clients import SearchForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    assert request.user.pk is not None  # login_required
    grants = RoleAssignment.objects.filter(user_id=request.user.pk).select_related(
        "continuum", "organization", "project"
    )
    projects = (
        projects_for(request.user, Permission.VIEW_CLIENTS)
        .select_related("organization")
        .order_by("organization__organization_name", "project_name")
    )
    return render(
        request,
        "web/home.html",
        {"grants": grants, "projects": projects[:50], "search_form": SearchForm()},
    )
