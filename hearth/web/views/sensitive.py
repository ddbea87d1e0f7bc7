"""Sensitive fields: the HMIS Lead chooses which of the reviewed candidate fields are encrypted at rest
(hearth.crypto.sensitive; docs/adr/0015-audit-integrity-and-data-protection.md). The choice is the
deployment's (one database), so any CoC's HMIS Lead — MANAGE_CONTINUUM held CoC-wide — or the deployment's
superuser may make it; everyone else gets "not found"."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hearth.access.lookups import NotFound
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.crypto import sensitive
from hearth.jobs.models import Job


def may_choose(user: Any) -> bool:
    return bool(user.is_superuser or reach(user, Permission.MANAGE_CONTINUUM).continuums)


@login_required
@require_http_methods(["GET", "POST"])
def sensitive_fields(request: HttpRequest) -> HttpResponse:
    if not may_choose(request.user):
        raise NotFound("page")
    if request.method == "POST":
        column = request.POST.get("column", "")
        if column not in sensitive.BY_KEY:
            raise NotFound("field")
        sensitive.set_sealed(column=column, sealed=request.POST.get("sealed") == "1", by=Actor.from_request(request))
        return redirect("web:sensitive-fields")
    sealed = sensitive.sealed_columns(fresh=True)
    jobs = {
        str(job.parameters.get("column")): job
        for job in Job.objects.filter(kind=sensitive.SEAL_JOB).order_by("created_at", "pk")
    }
    rows = [(c, c.key in sealed, sensitive.counts(c.key), jobs.get(c.key)) for c in sensitive.CANDIDATES]
    return render(request, "web/audit/sensitive_fields.html", {"rows": rows})
