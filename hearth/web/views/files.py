"""Documents on the client profile: upload (checked by content and size), guarded and audited download,
withdraw (docs/adr/0008-local-case-work-records.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access.lookups import NotFound, files_for, get_client_for, get_file_for
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.casework.files import delete_file, max_bytes, record_download, stored_path, upload_file
from hearth.hmis.models import Client
from hearth.web.forms.services import FileForm
from hearth.web.panels import panel
from hearth.web.views.notes import organizations_serving

PANEL_ROWS = 20


def _max_mb() -> int:
    return max(1, max_bytes() // 1_048_576)


@panel("files", template="web/services/_files_panel.html", order=60)
def files_panel(request: HttpRequest, client: Client) -> dict[str, Any] | None:
    files = list(
        files_for(request.user)
        .filter(client_id=client.pk)
        .select_related("organization", "uploaded_by")
        .order_by("-uploaded_at", "-pk")[:PANEL_ROWS]
    )
    uploaders = organizations_serving(request.user, client, Permission.EDIT_CLIENTS)
    removable = reach(request.user, Permission.EDIT_CLIENTS).origin_organizations
    for item in files:
        item.removable = item.organization_id in removable  # type: ignore[attr-defined]
    return {
        "files": files,
        "form": FileForm(max_mb=_max_mb()) if uploaders else None,
        "organizations": uploaders,
        "client": client,
        "limit": PANEL_ROWS,
    }


@login_required
@require_http_methods(["GET", "POST"])
def new_file(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id, Permission.EDIT_CLIENTS)
    organizations = organizations_serving(request.user, client, Permission.EDIT_CLIENTS)
    if not organizations:
        raise NotFound("client")
    form = FileForm(request.POST or None, request.FILES or None, max_mb=_max_mb())
    actor = Actor.from_request(request)
    chosen = request.POST.get("organization") or str(organizations[0].pk)
    organization = next((o for o in organizations if str(o.pk) == chosen), None)
    if request.method == "POST" and organization is None:
        form.add_error(None, "Choose one of your organizations.")
    if request.method == "POST" and organization is not None and form.is_valid():
        upload = form.cleaned_data["upload"]
        try:
            upload_file(
                client=client,
                organization=organization,
                kind=form.cleaned_data["kind"],
                name=upload.name or "",
                size=upload.size or 0,
                chunks=upload.chunks(),
                by=actor,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Document uploaded.")
            return redirect(reverse("web:client", kwargs={"client_id": client.pk}) + "#panel-files")
    actor.record("client.viewed", object_type="Client", object_id=client.pk, page="file-new")
    context = {"form": form, "client": client, "organizations": organizations, "chosen": chosen}
    return render(request, "web/services/file.html", context, status=400 if form.errors else 200)


@login_required
def download(request: HttpRequest, file_id: int) -> HttpResponseBase:
    document = get_file_for(request.user, file_id)
    path = stored_path(document.stored_name)
    if not path.is_file():
        raise NotFound("file")
    record_download(file=document, by=Actor.from_request(request))
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def remove_file(request: HttpRequest, file_id: int) -> HttpResponse:
    document = get_file_for(request.user, file_id, Permission.EDIT_CLIENTS)
    delete_file(file=document, by=Actor.from_request(request))
    messages.success(request, "Document withdrawn.")
    return redirect(reverse("web:client", kwargs={"client_id": document.client_id}) + "#panel-files")
