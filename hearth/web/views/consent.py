"""Consent to share on the client's record (issue 4 §1-2): the profile panel, recording a release (signature
drawn or typed, signed form uploaded), revoking it with a confirmation, the printed forms in English and
Spanish, and the client's disclosure log.

Every read goes through the guarded lookups (hearth.access.lookups, hearth.consent.release_lookups); every
write through the consent actions. Printed forms are client data: audited, never cached, and neither the
address nor the file name carries anything but record numbers and a language.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hearth.access.lookups import (
    NotFound,
    enrollments_for,
    files_for,
    get_client_for,
    household_for,
    may_for_client,
)
from hearth.access.roles import Permission
from hearth.access.scope import VSP_YES
from hearth.audit.actor import Actor
from hearth.casework.files import max_bytes
from hearth.consent import documents
from hearth.consent.form_texts import CATEGORY_SHORT, LANGUAGES, TEXTS
from hearth.consent.forms_pdf import consent_pdf, disclosure_pdf, revocation_pdf
from hearth.consent.models import Category, Method, Release
from hearth.consent.paperwork import Upload, attach_signed_form, record_with_document, revoke_with_document
from hearth.consent.release_lookups import (
    covered_people,
    disclosures_for,
    get_release_for,
    may_read_disclosures,
    recording_organizations,
    releases_for,
)
from hearth.consent.signature_pad import from_svg
from hearth.hmis.models import Client, Organization, Project
from hearth.web.forms.consent import PeriodForm, ReleaseForm, RevokeForm, SignedFormForm, language
from hearth.web.panels import panel

LOG_ROWS = 500


def status(release: Release, on: date | None = None) -> str:
    """active / not yet started / expired / revoked (an expired release acts as revoked: issue 4 §2)."""
    on = on or timezone.localdate()
    if release.revoked_at is not None:
        return "revoked"
    if release.starts_on > on:
        return "not yet started"
    if release.ends_on is not None and release.ends_on < on:
        return "expired"
    return "active"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _upload(form: Any) -> Upload | None:
    document = form.cleaned_data.get("document")
    if not document:
        return None
    return Upload(name=document.name or "", size=document.size or 0, chunks=document.chunks())


def _form_errors(form: Any, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        target = field if field in form.fields else None
        if field == "signature_svg":
            target = "signature"
        form.add_error(target, problems)


# --- The profile panel ---------------------------------------------------------------------------------------


def _category_labels(release: Release) -> list[str]:
    """The release's categories in the order the form lists them."""
    return [label for value, label in Category.choices if value in release.categories]


def _scope_summary(release: Release) -> str:
    if release.coc_wide:
        return "Every agency in the CoC"
    names = [o.organization_name for o in release.organizations.all()]
    names += [p.project_name for p in release.projects.all()]
    return ", ".join(sorted(n for n in names if n)) or "—"


@panel("consent", template="web/consent/_panel.html", order=15)
def consent_panel(request: HttpRequest, client: Client) -> dict[str, Any] | None:
    user = request.user
    releases = list(
        releases_for(user)
        .filter(members__client_id=client.pk)
        .select_related("organization")
        .prefetch_related("organizations", "projects")
        .order_by("-starts_on", "-pk")
    )
    today = timezone.localdate()
    may_revoke = may_for_client(user, client.pk, Permission.EDIT_CLIENTS)
    may_attach = bool(recording_organizations(user, client))
    documents_named = {pk for r in releases for pk in (r.document_id, r.revocation_document_id) if pk is not None}
    visible_files = (
        set(files_for(user).filter(pk__in=documents_named).values_list("pk", flat=True)) if documents_named else set()
    )
    rows = []
    for release in releases:
        state = status(release, today)
        rows.append(
            {
                "release": release,
                "reference": documents.reference(release),
                "status": state,
                "scope": _scope_summary(release),
                "categories": [label.split(" (")[0] for label in _category_labels(release)],
                "revocable": may_revoke and state in {"active", "not yet started"},
                "attachable": may_attach and release.document_id is None and release.revoked_at is None,
                "document": release.document_id if release.document_id in visible_files else None,
                "revocation_document": release.revocation_document_id
                if release.revocation_document_id in visible_files
                else None,
            }
        )
    return {
        "client": client,
        "rows": rows,
        "may_record": may_attach,
        "may_read_log": may_read_disclosures(user, client),
    }


# --- Recording a release ---------------------------------------------------------------------------------


def _household(user: Any, client: Client) -> list[Client]:
    """The client's household members the user sees (the households of the client's enrollments in reach)."""
    members: dict[int, Client] = {}
    for enrollment in enrollments_for(user).filter(client_id=client.pk).select_related("project"):
        for other in household_for(user, enrollment):
            if other.client_id != client.pk:
                members[other.client_id] = other.client
    return sorted(members.values(), key=lambda c: (c.last_name or "", c.first_name or "", c.pk))


def _sharing_choices(organization: Organization) -> tuple[list[Organization], list[Project]]:
    """The agencies and projects of the recording agency's CoC a release may name (no victim service
    providers: their clients are not shared, and they see no one else's through it)."""
    organizations = list(
        Organization.objects.filter(continuum=organization.continuum, date_deleted__isnull=True)
        .exclude(victim_service_provider=VSP_YES)
        .order_by("organization_name")
    )
    projects = list(
        Project.objects.filter(organization__in=organizations, date_deleted__isnull=True)
        .select_related("organization")
        .order_by("organization__organization_name", "project_name")
    )
    return organizations, projects


def _chosen(items: list[Any], ids: list[str]) -> list[Any]:
    wanted = set(ids)
    return [item for item in items if str(item.pk) in wanted]


def _language(value: str) -> str:
    """The printed forms' languages only: any other in the address is a page that does not exist."""
    if value not in LANGUAGES:
        raise NotFound("form")
    return value


def _bound(request: HttpRequest) -> tuple[Any, Any]:
    """A POST binds the form even when empty (an empty submission shows its errors)."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


@login_required
@require_http_methods(["GET", "POST"])
def new_release(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for(request.user, client_id, Permission.EDIT_CLIENTS)
    recorders = recording_organizations(request.user, client)
    if not recorders:
        raise NotFound("client")
    chosen_org = request.POST.get("organization") or str(recorders[0].pk)
    organization = next((o for o in recorders if str(o.pk) == chosen_org), None)
    organizations, projects = _sharing_choices(organization or recorders[0])
    household = _household(request.user, client)
    form = ReleaseForm(
        *_bound(request),
        organizations=organizations,
        projects=projects,
        household=household,
    )
    actor = Actor.from_request(request)
    action = request.POST.get("action", "record")
    if request.method == "POST" and organization is None:
        form.add_error(None, "Choose one of your agencies.")
    if request.method == "POST" and organization is not None and form.is_valid():
        data = form.cleaned_data
        chosen_orgs = _chosen(organizations, data["organizations"])
        chosen_projects = _chosen(projects, data["projects"])
        members = form.members()
        if action in {"print-en", "print-es"}:
            lang = language(action.removeprefix("print-"))
            draft = documents.draft_form(
                client=client,
                members=[(client, "self"), *members],
                organization=organization,
                coc_wide=data["scope"] == "coc",
                organizations=chosen_orgs,
                projects=chosen_projects,
                categories=data["categories"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                method=data["method"],
                follow_up_due=data["follow_up_due"],
                obtained_by=actor.name,
            )
            actor.record("consent_form.printed", object_type="Client", object_id=client.pk, form="consent", lang=lang)
            return _pdf(consent_pdf(draft, lang), f"consent-to-share-H{client.pk}-{lang}.pdf")
        try:
            release = record_with_document(
                client=client,
                organization=organization,
                upload=_upload(form),
                by=actor,
                categories=data["categories"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                method=data["method"],
                coc_wide=data["scope"] == "coc",
                organizations=chosen_orgs,
                projects=chosen_projects,
                follow_up_due=data["follow_up_due"],
                signature_svg=form.signed.svg()
                if form.signed and data["method"] == Method.ELECTRONIC_SIGNATURE
                else None,
                members=members,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"Consent {documents.reference(release)} recorded.")
            return redirect(reverse("web:client", kwargs={"client_id": client.pk}) + "#panel-consent")
    actor.record("client.viewed", object_type="Client", object_id=client.pk, page="release-new")
    context = {
        "client": client,
        "form": form,
        "organizations": recorders,
        "chosen": chosen_org,
        "notice_version": documents.privacy_notice_version((organization or recorders[0]).continuum_id),
        "max_mb": max(1, max_bytes() // 1_048_576),
    }
    return render(request, "web/consent/release_new.html", context, status=400 if form.errors else 200)


# --- A recorded release: its forms, its revocation ---------------------------------------------------------


def _release_context(request: HttpRequest, release: Release) -> tuple[Client, list[tuple[Client, str]]]:
    """The person the release's forms are about (the signer, or the covered person the user reaches), read
    through get_client_for so a reader who reaches them only through sharing is in their disclosure log."""
    people = covered_people(request.user, release)
    if not people:
        raise NotFound("release")
    signer = next((c for c, _ in people if c.pk == release.client_id), people[0][0])
    return get_client_for(request.user, signer.pk), people


@login_required
@require_GET
def release_form(request: HttpRequest, release_id: int, lang: str) -> HttpResponse:
    """The filled Consent to Share form of a recorded release, in English or Spanish."""
    lang = _language(lang)
    release = get_release_for(request.user, release_id)
    client, people = _release_context(request, release)
    form = documents.release_form(release, client=client, members=people)
    Actor.from_request(request).record(
        "consent_form.printed", object_type="Release", object_id=release.pk, client=client.pk, form="consent", lang=lang
    )
    return _pdf(consent_pdf(form, lang), f"consent-to-share-{documents.reference(release)}-{lang}.pdf")


@login_required
@require_GET
def revocation_form(request: HttpRequest, release_id: int, lang: str) -> HttpResponse:
    """The Revocation of Consent form: filled with the revocation once recorded, else ready to sign."""
    lang = _language(lang)
    release = get_release_for(request.user, release_id)
    client, people = _release_context(request, release)
    # The agency line names the printing user's agency serving the client (who files the signed form).
    filers = recording_organizations(request.user, client)
    agency = (filers[0].organization_name or "") if filers else ""
    form = documents.revocation_form(release, client=client, members=people, agency=agency)
    Actor.from_request(request).record(
        "consent_form.printed",
        object_type="Release",
        object_id=release.pk,
        client=client.pk,
        form="revocation",
        lang=lang,
    )
    return _pdf(revocation_pdf(form, lang), f"revocation-{documents.reference(release)}-{lang}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, release_id: int) -> HttpResponse:
    release = get_release_for(request.user, release_id, Permission.EDIT_CLIENTS)
    client, people = _release_context(request, release)
    state = status(release)
    if state not in {"active", "not yet started"}:
        messages.info(request, f"Consent {documents.reference(release)} is already {state}.")
        return redirect(reverse("web:client", kwargs={"client_id": client.pk}) + "#panel-consent")
    # The signed revocation is filed with an agency serving the client that the user works for, if any.
    filers = recording_organizations(request.user, client)
    form = RevokeForm(*_bound(request))
    actor = Actor.from_request(request)
    if request.method == "POST" and form.is_valid():
        upload = _upload(form)
        if upload is not None and not filers:
            form.add_error("document", "Your agency does not serve this client: file the signed form with theirs.")
        else:
            try:
                revoke_with_document(
                    release=release,
                    client=client,
                    organization=filers[0] if filers else release.organization,
                    reason=form.cleaned_data["reason"],
                    upload=upload,
                    by=actor,
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request, f"Consent {documents.reference(release)} revoked. Sharing under it has stopped."
                )
                return redirect(reverse("web:client", kwargs={"client_id": client.pk}) + "#panel-consent")
    actor.record("client.viewed", object_type="Client", object_id=client.pk, page="release-revoke")
    context = {
        "client": client,
        "release": release,
        "reference": documents.reference(release),
        "people": people,
        "scope": _scope_summary(release),
        "categories": _category_labels(release),
        "status": state,
        "form": form,
        "may_file": bool(filers),
        "signature": signature_data_uri(release) if release.signature_svg else "",
    }
    return render(request, "web/consent/revoke.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def signed_form(request: HttpRequest, release_id: int) -> HttpResponse:
    """Upload the signed form of a release recorded without it (a verbal consent's written follow-up)."""
    release = get_release_for(request.user, release_id, Permission.EDIT_CLIENTS)
    client, people = _release_context(request, release)
    filers = recording_organizations(request.user, client)
    if not filers:
        raise NotFound("release")
    if release.document_id is not None or release.revoked_at is not None:
        messages.info(request, f"Consent {documents.reference(release)} needs no signed form now.")
        return redirect(reverse("web:client", kwargs={"client_id": client.pk}) + "#panel-consent")
    chosen = request.POST.get("organization") or str(filers[0].pk)
    organization = next((o for o in filers if str(o.pk) == chosen), None)
    form = SignedFormForm(*_bound(request))
    actor = Actor.from_request(request)
    if request.method == "POST" and organization is None:
        form.add_error(None, "Choose one of your agencies.")
    if request.method == "POST" and organization is not None and form.is_valid():
        upload = _upload(form)
        assert upload is not None
        try:
            attach_signed_form(release=release, client=client, organization=organization, upload=upload, by=actor)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"Signed form of consent {documents.reference(release)} uploaded.")
            return redirect(reverse("web:client", kwargs={"client_id": client.pk}) + "#panel-consent")
    actor.record("client.viewed", object_type="Client", object_id=client.pk, page="release-signed-form")
    context = {
        "client": client,
        "release": release,
        "reference": documents.reference(release),
        "people": people,
        "form": form,
        "organizations": filers,
        "chosen": chosen,
        "max_mb": max(1, max_bytes() // 1_048_576),
    }
    return render(request, "web/consent/signed_form.html", context, status=400 if form.errors else 200)


# --- The disclosure log --------------------------------------------------------------------------------------


def what_label(what: str) -> str:
    if what in CATEGORY_SHORT["en"]:
        return CATEGORY_SHORT["en"][what]
    return TEXTS["en"].get(f"what_{what}", what)


def _log(request: HttpRequest, client_id: int) -> tuple[Client, PeriodForm, date, date, Any]:
    client = get_client_for(request.user, client_id)
    if not may_read_disclosures(request.user, client):
        raise NotFound("client")
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    first, last = documents.day_bounds(start, end)
    rows = disclosures_for(request.user, client).filter(Q(at__gte=first) & Q(at__lt=last)).order_by("-at", "-pk")
    return client, period, start, end, rows


@login_required
@require_GET
def disclosures(request: HttpRequest, client_id: int) -> HttpResponse:
    client, period, start, end, rows = _log(request, client_id)
    shown = list(rows[: LOG_ROWS + 1])
    Actor.from_request(request).record("client.viewed", object_type="Client", object_id=client.pk, page="disclosures")
    context = {
        "client": client,
        "period": period,
        "start": start,
        "end": end,
        "rows": [{**row.__dict__, "what": what_label(row.what)} for row in documents.disclosure_rows(shown[:LOG_ROWS])],
        "more": len(shown) > LOG_ROWS,
        "limit": LOG_ROWS,
        "query": request.GET.urlencode(),
    }
    return render(request, "web/consent/disclosures.html", context)


@login_required
@require_GET
def disclosures_pdf(request: HttpRequest, client_id: int, lang: str) -> HttpResponse:
    lang = _language(lang)
    client, _, start, end, rows = _log(request, client_id)
    continuum = None
    origin = recording_organizations(request.user, client)
    if origin:
        continuum = origin[0].continuum
    log = documents.disclosure_log(client=client, continuum=continuum, start=start, end=end, disclosures=rows)
    Actor.from_request(request).record(
        "disclosure_log.printed",
        object_type="Client",
        object_id=client.pk,
        start=start.isoformat(),
        end=end.isoformat(),
        rows=len(log.rows),
        lang=lang,
    )
    return _pdf(disclosure_pdf(log, lang), f"disclosure-log-H{client.pk}-{lang}.pdf")


def signature_data_uri(release: Release) -> str:
    """The stored signature as an image address (an SVG shown as an image runs no script)."""
    signature = from_svg(release.signature_svg)
    svg = signature.svg() if signature is not None else (release.signature_svg or "")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
