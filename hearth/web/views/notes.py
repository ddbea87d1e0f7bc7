"""Case notes on the client profile (docs/adr/0008-local-case-work-records.md): written for one organization,
read by those whose case-note permission reaches it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access.lookups import NotFound, enrollments_for, get_client_for, get_note_for, notes_for
from hearth.access.lookups import organizations_serving as lookup_organizations_serving
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.casework.notes import add_note, delete_note
from hearth.hmis.models import Client, Organization
from hearth.web.forms.services import NoteForm
from hearth.web.panels import panel

PANEL_ROWS = 20


def organizations_serving(user: Any, client: Client, permission: Permission) -> list[Organization]:
    return lookup_organizations_serving(user, client.pk, permission)


def _enrollment_choices(user: Any, client: Client, organizations: list[Organization]) -> list[tuple[int, str]]:
    enrollments = (
        enrollments_for(user, Permission.WRITE_CASE_NOTES)
        .filter(client_id=client.pk, project__organization_id__in=[o.pk for o in organizations])
        .select_related("project")
        .order_by("-entry_date")
    )
    return [(e.pk, f"{e.project.project_name} (from {e.entry_date:%m/%d/%Y})") for e in enrollments]


@panel("notes", template="web/services/_notes_panel.html", order=50)
def notes_panel(request: HttpRequest, client: Client) -> dict[str, Any] | None:
    if reach(request.user, Permission.VIEW_CASE_NOTES).empty:
        return None
    notes = list(
        notes_for(request.user)
        .filter(client_id=client.pk)
        .select_related("author", "organization", "enrollment__project")
        .order_by("-contact_date", "-pk")[:PANEL_ROWS]
    )
    writers = organizations_serving(request.user, client, Permission.WRITE_CASE_NOTES)
    form = None
    if writers:
        form = NoteForm(initial={"contact_date": timezone.localdate()}, enrollments=[])
    return {"notes": notes, "form": form, "organizations": writers, "limit": PANEL_ROWS, "client": client}


@login_required
@require_http_methods(["GET", "POST"])
def new_note(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id, Permission.WRITE_CASE_NOTES)
    organizations = organizations_serving(request.user, client, Permission.WRITE_CASE_NOTES)
    if not organizations:
        raise NotFound("client")
    choices = _enrollment_choices(request.user, client, organizations)
    initial = {"contact_date": timezone.localdate()}
    form = NoteForm(request.POST or None, initial=initial, enrollments=choices)
    actor = Actor.from_request(request)
    chosen_org = request.POST.get("organization") or str(organizations[0].pk)
    organization = next((o for o in organizations if str(o.pk) == chosen_org), None)
    if request.method == "POST" and organization is None:
        form.add_error(None, "Choose one of your organizations.")
    if request.method == "POST" and organization is not None and form.is_valid():
        enrollment_id = form.cleaned_data.get("enrollment")
        enrollment = None
        if enrollment_id is not None:
            enrollment = enrollments_for(request.user, Permission.WRITE_CASE_NOTES).filter(pk=enrollment_id).first()
        try:
            add_note(
                client=client,
                organization=organization,
                enrollment=enrollment,
                text=form.cleaned_data["text"],
                contact_date=form.cleaned_data["contact_date"],
                by=actor,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Note saved.")
            return redirect(reverse("web:client", kwargs={"client_id": client.pk}) + "#panel-notes")
    actor.record("client.viewed", object_type="Client", object_id=client.pk, page="note-new")
    context = {"form": form, "client": client, "organizations": organizations, "chosen": chosen_org}
    return render(request, "web/services/note.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def remove_note(request: HttpRequest, note_id: int) -> HttpResponse:
    """Authors withdraw their own notes (they stay in the database, marked deleted, for the audit trail)."""
    note = get_note_for(request.user, note_id, Permission.WRITE_CASE_NOTES)
    if note.author_id != request.user.pk:
        raise NotFound("note")
    delete_note(note=note, by=Actor.from_request(request))
    messages.success(request, "Note withdrawn.")
    return redirect(reverse("web:client", kwargs={"client_id": note.client_id}) + "#panel-notes")
