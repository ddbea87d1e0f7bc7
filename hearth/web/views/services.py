"""Services recorded for an enrollment: HUD's by funder (Services.csv) and the CoC's own service types.

Pages: the enrollment's services (``enrollments/<id>/services/``), record one (``…/services/new/``), withdraw
one; and the client profile's services panel. Reads go through hearth.access.lookups; writes through
hearth.casework.services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access.lookups import (
    NotFound,
    enrollments_for,
    get_enrollment_for,
    local_services_for,
    services_for,
)
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.casework.models import ServiceType
from hearth.casework.outreach import CONTACT_PROJECT_TYPES, ENGAGEMENT_PROJECT_TYPES
from hearth.casework.services import (
    BED_NIGHT,
    ES_NIGHT_BY_NIGHT,
    define_service_type,
    delete_local_service,
    delete_service,
    label,
    project_record_types,
    record_local_service,
    record_service,
    retire_service_type,
    service_types_for_continuum,
    type_provided_list,
)
from hearth.consent.models import Category
from hearth.hmis.models import Client, Continuum, Enrollment, Services
from hearth.web.enrollment_sections import enrollment_section
from hearth.web.forms.services import ServiceForm
from hearth.web.panels import panel

PANEL_ROWS = 10


def may(user: Any, enrollment_id: int, permission: Permission) -> bool:
    return enrollments_for(user, permission).filter(pk=enrollment_id).exists()


def describe(service: Services) -> str:
    """'PATH service: Case management' from HUD's lists (TypeProvided's list chosen by RecordType)."""
    kind = label("1.4", service.record_type)
    detail = label(type_provided_list(service.record_type), service.type_provided)
    if service.record_type == BED_NIGHT:
        return kind
    other = service.other_type_provided or service.moving_on_other_type
    return f"{kind}: {detail}" + (f" ({other})" if other else "")


def rows_for(user: Any, enrollment_ids: list[int], limit: int | None = None) -> list[dict[str, Any]]:
    """HUD and CoC services of these enrollments, newest first, as rows for a table (two queries)."""
    hud = services_for(user).filter(enrollment_id__in=enrollment_ids).order_by("-date_provided", "-pk")
    local = (
        local_services_for(user)
        .filter(enrollment_id__in=enrollment_ids)
        .select_related("service_type")
        .order_by("-date_provided", "-pk")
    )
    if limit is not None:
        hud, local = hud[:limit], local[:limit]
    rows = [
        {
            "kind": "hud",
            "pk": s.pk,
            "date": s.date_provided,
            "what": describe(s),
            "amount": s.fa_amount,
            "enrollment_id": s.enrollment_id,
        }
        for s in hud
    ]
    rows += [
        {
            "kind": "local",
            "pk": s.pk,
            "date": s.date_provided,
            "what": f"{s.service_type.name} (CoC service)" + (f" × {s.quantity}" if s.quantity > 1 else ""),
            "amount": None,
            "enrollment_id": s.enrollment_id,
        }
        for s in local
    ]
    rows.sort(key=lambda r: (r["date"], r["pk"]), reverse=True)
    return rows[:limit] if limit is not None else rows


@panel("services", template="web/services/_panel.html", order=30)
def services_panel(request: HttpRequest, client: Client) -> dict[str, Any] | None:
    enrollments = list(
        enrollments_for(request.user)
        .filter(client_id=client.pk)
        .select_related("project")
        .only("pk", "project_id", "project__project_name", "entry_date")
    )
    if not enrollments:
        return None
    # The same rule as enrollments_for(RECORD_SERVICES), answered from the reach already computed.
    recordable = reach(request.user, Permission.RECORD_SERVICES).projects
    can_record = {e.pk for e in enrollments if e.project_id in recordable}
    names = {e.pk: e.project.project_name for e in enrollments}
    rows = rows_for(request.user, list(names), limit=PANEL_ROWS)
    for row in rows:
        row["project"] = names[row["enrollment_id"]]
    return {
        "rows": rows,
        "record": [(e, names[e.pk]) for e in enrollments if e.pk in can_record],
        "limit": PANEL_ROWS,
    }


@login_required
def enrollment_services(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = get_enrollment_for(request.user, enrollment_id)
    Actor.from_request(request).record(
        "client.viewed", object_type="Client", object_id=enrollment.client_id, page="services"
    )
    context = {
        "enrollment": enrollment,
        "rows": rows_for(request.user, [enrollment.pk]),
        "can_record": may(request.user, enrollment.pk, Permission.RECORD_SERVICES),
        # Another agency's enrollment may be shared without its services (the release's categories): say so,
        # rather than "no services".
        "shared_without_services": not enrollments_for(request.user, category=Category.SERVICES)
        .filter(pk=enrollment.pk)
        .exists(),
    }
    return render(request, "web/services/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_service(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = get_enrollment_for(request.user, enrollment_id, Permission.RECORD_SERVICES)
    record_types = [rt for rt in project_record_types(enrollment) if rt != BED_NIGHT]
    local_types = service_types_for_continuum(enrollment.project.organization.continuum_id)
    form = ServiceForm(request.POST or None, record_types=record_types, local_types=local_types)
    actor = Actor.from_request(request)
    # The kind of service changed (htmx, or the "Show the questions" button without JavaScript): redraw the
    # form with the questions of that kind, keeping what was typed, without saving or showing errors.
    if request.method == "POST" and "refresh" in request.POST:
        answers = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "refresh")}
        form = ServiceForm(initial=answers, record_types=record_types, local_types=local_types)
        context = {"form": form, "enrollment": enrollment, "has_kinds": True}
        if request.headers.get("HX-Request") == "true":
            return render(request, "web/services/_service_fields.html", context)
        return render(request, "web/services/new.html", context)
    if request.method == "POST" and form.is_valid():
        try:
            local_type = form.local_type
            if local_type is not None:
                record_local_service(
                    enrollment=enrollment,
                    service_type=local_type,
                    date_provided=form.cleaned_data["date_provided"],
                    quantity=form.cleaned_data.get("quantity") or 1,
                    by=actor,
                )
            else:
                record_service(enrollment=enrollment, data=form.service_data(), by=actor)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Service recorded.")
            return redirect("web:enrollment-services", enrollment_id=enrollment.pk)
    actor.record("client.viewed", object_type="Client", object_id=enrollment.client_id, page="service-new")
    manages = (
        enrollment.project.organization.continuum_id in reach(request.user, Permission.MANAGE_CONTINUUM).continuums
    )
    context = {
        "form": form,
        "enrollment": enrollment,
        "has_kinds": bool(record_types or local_types),
        "manages_types": manages,
    }
    return render(request, "web/services/new.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def remove_service(request: HttpRequest, enrollment_id: int, kind: str, service_id: int) -> HttpResponse:
    enrollment = get_enrollment_for(request.user, enrollment_id, Permission.RECORD_SERVICES)
    actor = Actor.from_request(request)
    if kind == "hud":
        found: Any = services_for(request.user, Permission.RECORD_SERVICES).filter(
            pk=service_id, enrollment_id=enrollment.pk
        )
        service = found.first()
        if service is None:
            raise NotFound("service")
        delete_service(service=service, by=actor)
    elif kind == "local":
        local = (
            local_services_for(request.user, Permission.RECORD_SERVICES)
            .filter(pk=service_id, enrollment_id=enrollment.pk)
            .first()
        )
        if local is None:
            raise NotFound("service")
        delete_local_service(service=local, by=actor)
    else:
        raise NotFound("service")
    messages.success(request, "Service withdrawn.")
    return redirect("web:enrollment-services", enrollment_id=enrollment.pk)


def enrollment_label(enrollment: Enrollment) -> str:
    return f"{enrollment.project.project_name} (from {enrollment.entry_date:%m/%d/%Y})"


@login_required
@require_http_methods(["GET", "POST"])
def service_types(request: HttpRequest) -> HttpResponse:
    """The CoC's own service types, kept by those who manage the CoC (MANAGE_CONTINUUM: the HMIS Lead)."""
    continuums = list(
        Continuum.objects.filter(pk__in=reach(request.user, Permission.MANAGE_CONTINUUM).continuums).order_by("code")
    )
    if not continuums:
        raise NotFound("page")
    actor = Actor.from_request(request)
    errors: dict[str, str] = {}
    values = {"name": "", "description": "", "continuum": str(continuums[0].pk)}
    if request.method == "POST":
        values = {key: request.POST.get(key, default).strip() for key, default in values.items()}
        continuum = next((c for c in continuums if str(c.pk) == values["continuum"]), None)
        retire = request.POST.get("retire", "")
        if continuum is None:
            raise NotFound("continuum")
        if retire.isdigit():
            kind = ServiceType.objects.filter(pk=int(retire), continuum=continuum).first()
            if kind is None:
                raise NotFound("service type")
            retire_service_type(service_type=kind, by=actor)
            messages.success(request, f"“{kind.name}” is no longer offered.")
            return redirect("web:service-types")
        try:
            kind = define_service_type(
                continuum=continuum, name=values["name"], description=values["description"], by=actor
            )
        except ValidationError as error:
            errors = {field: " ".join(problems) for field, problems in error.message_dict.items()}
        else:
            messages.success(request, f"“{kind.name}” added.")
            return redirect("web:service-types")
    types = ServiceType.objects.filter(continuum__in=continuums).order_by("continuum__code", "-active", "name")
    context = {"continuums": continuums, "types": types, "errors": errors, "values": values}
    return render(request, "web/services/service_types.html", context, status=400 if errors else 200)


@enrollment_section("services", template="web/services/_enrollment_section.html", order=30)
def services_section(request: HttpRequest, enrollment: Enrollment) -> dict[str, Any] | None:
    """The enrollment page's services, bed nights, contacts and date of engagement, with their actions."""
    project_type = enrollment.project.project_type
    return {
        "enrollment": enrollment,
        "rows": rows_for(request.user, [enrollment.pk], limit=PANEL_ROWS),
        "limit": PANEL_ROWS,
        "can_record": enrollment.project_id in reach(request.user, Permission.RECORD_SERVICES).projects,
        "roster": project_type == ES_NIGHT_BY_NIGHT,
        "contacts": project_type in CONTACT_PROJECT_TYPES,
        "engagement": project_type in ENGAGEMENT_PROJECT_TYPES,
    }
