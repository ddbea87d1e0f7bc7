"""Outreach: current living situation contacts (HMIS Data Standards FY2026 4.12) and the date of engagement
(4.13), for street outreach, night-by-night shelters, services-only and coordinated entry projects.

The contact form is made for a phone in the street: one column, native date and select controls, the
follow-up questions asked only when they apply.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hearth.access.lookups import enrollments_for, get_enrollment_for, living_situations_for
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.casework.outreach import (
    CONTACT_PROJECT_TYPES,
    COORDINATED_ENTRY,
    ENGAGEMENT_PROJECT_TYPES,
    record_contact,
    set_date_of_engagement,
)
from hearth.casework.services import label
from hearth.hmis.models import Client
from hearth.web.forms.services import ContactForm, EngagementForm
from hearth.web.panels import panel

PANEL_ROWS = 10


@panel("outreach", template="web/services/_outreach_panel.html", order=40)
def outreach_panel(request: HttpRequest, client: Client) -> dict[str, Any] | None:
    enrollments = list(
        enrollments_for(request.user)
        .filter(client_id=client.pk, project__project_type__in=CONTACT_PROJECT_TYPES)
        .select_related("project")
        .only("pk", "project_id", "entry_date", "date_of_engagement", "project__project_name", "project__project_type")
        .order_by("-entry_date", "-pk")
    )
    if not enrollments:
        return None
    names = {e.pk: e.project.project_name for e in enrollments}
    contacts = list(
        living_situations_for(request.user)
        .filter(enrollment_id__in=list(names))
        .only("pk", "enrollment_id", "information_date", "current_living_situation", "location_details")
        .order_by("-information_date", "-pk")[:PANEL_ROWS]
    )
    recordable = reach(request.user, Permission.RECORD_SERVICES).projects
    can_record = {e.pk for e in enrollments if e.project_id in recordable}
    return {
        "contacts": [
            {
                "date": c.information_date,
                "situation": label("3.12.1", c.current_living_situation),
                "location": c.location_details,
                "project": names[c.enrollment_id],
            }
            for c in contacts
        ],
        "enrollments": [
            {
                "enrollment": e,
                "can_record": e.pk in can_record,
                "engagement": e.project.project_type in ENGAGEMENT_PROJECT_TYPES,
            }
            for e in enrollments
        ],
        "limit": PANEL_ROWS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def new_contact(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = get_enrollment_for(request.user, enrollment_id, Permission.RECORD_SERVICES)
    if enrollment.project.project_type not in CONTACT_PROJECT_TYPES:
        messages.info(request, "This project does not record current living situation contacts.")
        return redirect("web:client", client_id=enrollment.client_id)
    coordinated_entry = enrollment.project.project_type == COORDINATED_ENTRY
    initial = {"information_date": timezone.localdate()}
    form = ContactForm(request.POST or None, initial=initial, coordinated_entry=coordinated_entry)
    actor = Actor.from_request(request)
    if request.method == "POST" and form.is_valid():
        try:
            record_contact(enrollment=enrollment, data=form.contact_data(), by=actor)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Contact recorded.")
            return redirect("web:client", client_id=enrollment.client_id)
    actor.record("client.viewed", object_type="Client", object_id=enrollment.client_id, page="contact-new")
    context = {"form": form, "enrollment": enrollment}
    return render(request, "web/services/contact.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def engagement(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = get_enrollment_for(request.user, enrollment_id, Permission.RECORD_SERVICES)
    if enrollment.project.project_type not in ENGAGEMENT_PROJECT_TYPES:
        messages.info(request, "This project does not record a date of engagement.")
        return redirect("web:client", client_id=enrollment.client_id)
    form = EngagementForm(request.POST or None, initial={"date_of_engagement": enrollment.date_of_engagement})
    actor = Actor.from_request(request)
    if request.method == "POST" and form.is_valid():
        try:
            changed = set_date_of_engagement(
                enrollment=enrollment, engaged=form.cleaned_data["date_of_engagement"], by=actor
            )
        except ValidationError as error:
            form.add_error("date_of_engagement", error.message_dict["date_of_engagement"])
        else:
            messages.success(request, "Date of engagement saved." if changed else "No change.")
            return redirect("web:client", client_id=enrollment.client_id)
    actor.record("client.viewed", object_type="Client", object_id=enrollment.client_id, page="engagement")
    context = {"form": form, "enrollment": enrollment}
    return render(request, "web/services/engagement.html", context, status=400 if form.errors else 200)
