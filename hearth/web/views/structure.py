"""Pages for the HMIS Lead and agency administrators: CoCs → organizations → projects with HUD's project
descriptor data (HMIS Data Standards FY2026 2.01-2.09).

Reads go through the guarded structure lookups (hearth.access.lookups.managed_*: missing and not allowed are
the same 404); writes through hearth.structure's actions. Forms validate inline: on a change, htmx posts the
form with ``HX-Validate`` and the page swaps in only the messages, so nothing typed is ever replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access.lookups import (
    NotFound,
    get_managed_continuum,
    get_managed_organization,
    get_managed_project,
    managed_continuums,
    managed_organizations,
)
from hearth.access.roles import Permission
from hearth.access.scope import reach
from hearth.audit.actor import Actor
from hearth.hmis.models import Project
from hearth.structure import descriptors
from hearth.structure.authority import may_create_continuum, may_manage_continuum
from hearth.structure.confidential import (
    ADDRESS_FIELDS,
    flagged,
    is_confidential,
    mask_address,
    masked_projects,
    may_read_address,
    set_address_confidential,
)
from hearth.structure.continuums import create_continuum, update_continuum
from hearth.structure.organizations import create_organization, update_organization
from hearth.structure.projects import (
    add_affiliation,
    affiliation_candidates,
    create_project,
    remove_affiliation,
    update_project,
)
from hearth.structure.quality import descriptor_issues
from hearth.structure.records import RuleError
from hearth.structure.rules import YES, has_residential_affiliation_question
from hearth.web.forms import structure as forms


def _validating(request: HttpRequest) -> bool:
    return request.method == "POST" and request.headers.get("HX-Validate") == "true"


def _feedback(request: HttpRequest, form: forms.StructureForm) -> HttpResponse:
    """Inline validation: each field's message (or none), swapped in by id; the form itself is left alone."""
    form.is_valid()
    form.without_required_errors()
    return render(request, "web/structure/_feedback.html", {"form": form})


def _form_page(
    request: HttpRequest,
    form: forms.StructureForm,
    *,
    title: str,
    submit: str,
    back: str,
    crumbs: list[Any],
    remove: str | None = None,
) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "back": back, "crumbs": crumbs, "remove": remove}
    return render(request, "web/structure/form_page.html", context, status=400 if form.errors else 200)


def _rule_errors(form: forms.StructureForm, error: RuleError) -> None:
    """A rule the form could not check (another change landed first): shown on its field, nothing written."""
    for name, message in error.problems.items():
        form.add_error(name if name in form.fields else None, message)


def _crumbs_for_organization(user: Any, organization: Any) -> list[tuple[str, str]]:
    crumbs = [("Agencies", reverse("web:structure"))]
    continuum = organization.continuum
    if continuum is not None and may_manage_continuum(user, continuum):
        crumbs.append((f"CoC {continuum.code}", reverse("web:structure-continuum", args=[continuum.pk])))
    return crumbs


def _crumbs_for_project(user: Any, project: Project) -> list[tuple[str, str]]:
    organization = project.organization
    return [
        *_crumbs_for_organization(user, organization),
        (organization.organization_name, reverse("web:structure-organization", args=[organization.pk])),
    ]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    live_orgs = Q(organizations__date_deleted__isnull=True)
    continuums = managed_continuums(user).annotate(organization_count=Count("organizations", filter=live_orgs))
    organizations = (
        managed_organizations(user)
        .exclude(continuum__in=managed_continuums(user))
        .select_related("continuum")
        .annotate(project_count=Count("projects", filter=Q(projects__date_deleted__isnull=True)))
        .order_by("organization_name")
    )
    can_create_continuum = may_create_continuum(user)
    # Nothing to manage answers like a missing page (the reach queries above are cached for the request).
    if not (can_create_continuum or reach(user, Permission.MANAGE_CONTINUUM).continuums) and not (
        reach(user, Permission.MANAGE_PROJECTS).organizations or reach(user, Permission.MANAGE_PROJECTS).projects
    ):
        raise NotFound("page")
    context = {
        "continuums": continuums.order_by("code"),
        "organizations": organizations,
        "can_create_continuum": can_create_continuum,
    }
    return render(request, "web/structure/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def continuum_new(request: HttpRequest) -> HttpResponse:
    if not may_create_continuum(request.user):
        raise NotFound("page")
    form = forms.ContinuumForm(request.POST or None)
    if _validating(request):
        return _feedback(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            continuum = create_continuum(
                code=form.cleaned_data["code"], name=form.cleaned_data["name"], by=Actor.from_request(request)
            )
        except RuleError as error:
            _rule_errors(form, error)
        else:
            messages.success(request, f"CoC {continuum.code} added.")
            return redirect("web:structure-continuum", continuum_id=continuum.pk)
    back = reverse("web:structure")
    return _form_page(request, form, title="Add a CoC", submit="Add the CoC", back=back, crumbs=[("Agencies", back)])


@login_required
@require_http_methods(["GET", "POST"])
def continuum(request: HttpRequest, continuum_id: int) -> HttpResponse:
    found = get_managed_continuum(request.user, continuum_id)
    form = forms.ContinuumForm(request.POST or None, initial={"code": found.code, "name": found.name})
    if _validating(request):
        return _feedback(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            changed = update_continuum(
                continuum=found,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                by=Actor.from_request(request),
            )
        except RuleError as error:
            _rule_errors(form, error)
        else:
            messages.success(request, "CoC saved." if changed else "Nothing changed.")
            return redirect("web:structure-continuum", continuum_id=found.pk)
    organizations = (
        found.organizations.filter(date_deleted__isnull=True)
        .annotate(project_count=Count("projects", filter=Q(projects__date_deleted__isnull=True)))
        .order_by("organization_name")
    )
    crumbs = [("Agencies", reverse("web:structure"))]
    context = {"continuum": found, "form": form, "organizations": organizations, "crumbs": crumbs}
    return render(request, "web/structure/continuum.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def organization_new(request: HttpRequest, continuum_id: int) -> HttpResponse:
    found = get_managed_continuum(request.user, continuum_id)
    form = forms.OrganizationForm(request.POST or None, initial={"victim_service_provider": 0})
    if _validating(request):
        return _feedback(request, form)
    if request.method == "POST" and form.is_valid():
        organization = create_organization(continuum=found, data=form.to_data(), by=Actor.from_request(request))
        messages.success(request, f"{organization.organization_name} added.")
        return redirect("web:structure-organization", organization_id=organization.pk)
    back = reverse("web:structure-continuum", args=[found.pk])
    crumbs = [("Agencies", reverse("web:structure")), (f"CoC {found.code}", back)]
    return _form_page(
        request,
        form,
        title=f"Add an organization to {found.code}",
        submit="Add the organization",
        back=back,
        crumbs=crumbs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization(request: HttpRequest, organization_id: int) -> HttpResponse:
    found = get_managed_organization(request.user, organization_id)
    may_set_vsp = may_manage_continuum(request.user, found.continuum)
    form = forms.OrganizationForm(
        request.POST or None,
        initial=forms.OrganizationForm.initial_for(found),
        may_set_vsp=may_set_vsp,
        current_vsp=found.victim_service_provider,
    )
    if _validating(request):
        return _feedback(request, form)
    if request.method == "POST" and form.is_valid():
        changed = update_organization(organization=found, data=form.to_data(), by=Actor.from_request(request))
        messages.success(request, "Organization saved." if changed else "Nothing changed.")
        return redirect("web:structure-organization", organization_id=found.pk)
    projects = found.projects.filter(date_deleted__isnull=True).order_by("project_name")
    context = {
        "organization": found,
        "form": form,
        "projects": projects,
        "crumbs": _crumbs_for_organization(request.user, found),
    }
    return render(request, "web/structure/organization.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest, organization_id: int) -> HttpResponse:
    found = get_managed_organization(request.user, organization_id)
    form = forms.ProjectForm(request.POST or None, initial={"continuum_project": YES})
    if _validating(request):
        return _feedback(request, form)
    if request.method == "POST" and form.is_valid():
        project = create_project(organization=found, data=form.to_data(), by=Actor.from_request(request))
        messages.success(
            request, f"{project.project_name} added. Now add its CoC, funders, inventory and participation."
        )
        return redirect("web:structure-project", project_id=project.pk)
    back = reverse("web:structure-organization", args=[found.pk])
    crumbs = [*_crumbs_for_organization(request.user, found), (found.organization_name, back)]
    return _form_page(
        request,
        form,
        title=f"Add a project to {found.organization_name}",
        submit="Add the project",
        back=back,
        crumbs=crumbs,
    )


@login_required
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    found = get_managed_project(request.user, project_id)
    live = {"date_deleted__isnull": True}
    affiliated = has_residential_affiliation_question(found.project_type, found.rrh_sub_type) and (
        found.residential_affiliation == YES
    )
    project_cocs = list(found.project_cocs.filter(**live).order_by("coc_code"))
    if masked_projects(request.user, [found.pk]):
        # A confidential location: shown to the project's own organization only (hearth.structure.confidential).
        project_cocs = [mask_address(row) for row in project_cocs]
    records: dict[str, list[Any]] = {
        "project_cocs": project_cocs,
        "funders": list(found.funders.filter(**live).order_by("-start_date", "pk")),
        "inventories": list(found.inventories.filter(**live).order_by("-inventory_start_date", "pk")),
        "hmis_participations": list(
            found.hmis_participations.filter(**live).order_by("-hmis_participation_status_start_date")
        ),
    }
    context = {
        "project": found,
        "crumbs": _crumbs_for_project(request.user, found),
        **records,
        "issues": descriptor_issues(found, **records),
        "ce_participations": found.ce_participations.filter(**live).order_by("-ce_participation_status_start_date"),
        "affiliated": affiliated,
        "affiliations": found.affiliations.filter(**live).select_related("res_project__organization")
        if affiliated
        else [],
        "affiliation_form": forms.AffiliationForm(candidates=affiliation_candidates(found)) if affiliated else None,
        "address_confidential": is_confidential(found),
        "address_flagged": flagged(found),
        "victim_service_provider": found.organization.victim_service_provider == 1,
    }
    return render(request, "web/structure/project.html", context)


@login_required
@require_POST
def address_confidential(request: HttpRequest, project_id: int) -> HttpResponse:
    """Set or clear the project's "address is confidential" flag (a VSP's projects are confidential always)."""
    found = get_managed_project(request.user, project_id)
    wanted = request.POST.get("confidential") == "1"
    changed = set_address_confidential(project=found, confidential=wanted, by=Actor.from_request(request))
    if not changed:
        messages.info(request, "Nothing changed.")
    elif wanted:
        messages.success(request, "The project's address is now confidential: only its own agency sees it.")
    else:
        messages.success(request, "The project's address is no longer confidential.")
    return redirect(reverse("web:structure-project", args=[found.pk]) + "#address-confidentiality")


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    found = get_managed_project(request.user, project_id)
    form = forms.ProjectForm(request.POST or None, initial=forms.ProjectForm.initial_for(found), project=found)
    if _validating(request):
        return _feedback(request, form)
    if request.method == "POST" and form.is_valid():
        changed = update_project(project=found, data=form.to_data(), by=Actor.from_request(request))
        messages.success(request, "Project saved." if changed else "Nothing changed.")
        return redirect("web:structure-project", project_id=found.pk)
    back = reverse("web:structure-project", args=[found.pk])
    crumbs = [*_crumbs_for_project(request.user, found), (found.project_name, back)]
    return _form_page(request, form, title=f"Edit {found.project_name}", submit="Save", back=back, crumbs=crumbs)


@dataclass(frozen=True)
class Kind:
    """One kind of descriptor record: its form, where it hangs off the project, and its actions."""

    noun: str
    form: type[forms.DescriptorForm]
    related: str
    create: Any
    update: Any
    record_argument: str


KINDS: dict[str, Kind] = {
    "funders": Kind(
        "funder", forms.FunderForm, "funders", descriptors.create_funder, descriptors.update_funder, "funder"
    ),
    "cocs": Kind(
        "CoC information",
        forms.ProjectCoCForm,
        "project_cocs",
        descriptors.create_project_coc,
        descriptors.update_project_coc,
        "project_coc",
    ),
    "inventory": Kind(
        "inventory",
        forms.InventoryForm,
        "inventories",
        descriptors.create_inventory,
        descriptors.update_inventory,
        "inventory",
    ),
    "hmis-participation": Kind(
        "HMIS participation",
        forms.HMISParticipationForm,
        "hmis_participations",
        descriptors.create_hmis_participation,
        descriptors.update_hmis_participation,
        "participation",
    ),
    "ce-participation": Kind(
        "CE participation",
        forms.CEParticipationForm,
        "ce_participations",
        descriptors.create_ce_participation,
        descriptors.update_ce_participation,
        "participation",
    ),
}


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise NotFound("page")
    return KINDS[slug]


def _descriptor_form(kind: Kind, request: HttpRequest, project: Project, record: Any = None) -> forms.DescriptorForm:
    extra: dict[str, Any] = {}
    if kind.form is forms.InventoryForm:
        codes = project.project_cocs.filter(date_deleted__isnull=True).order_by("coc_code")
        extra["coc_codes"] = list(codes.values_list("coc_code", flat=True))
    initial = kind.form.initial_for(record) if record is not None else None
    form = kind.form(
        request.POST or None, initial=initial, project=project, record_pk=getattr(record, "pk", None), **extra
    )
    if kind.form is forms.ProjectCoCForm and not may_read_address(request.user, project):
        # A confidential location the user may not read: its address is neither shown nor changed here.
        for name in ADDRESS_FIELDS:
            form.fields.pop(name, None)
        form.address_withheld = True  # type: ignore[attr-defined]
    return form


def _form_data(form: forms.DescriptorForm, record: Any = None) -> Any:
    """The action's data; a withheld address keeps the record's own values (none for a new record)."""
    data = form.to_data()
    if getattr(form, "address_withheld", False):
        data = dataclass_replace(data, **{name: getattr(record, name, None) for name in ADDRESS_FIELDS})
    return data


def _descriptor(project: Project, kind: Kind, record_id: int) -> Any:
    record = getattr(project, kind.related).filter(pk=record_id, date_deleted__isnull=True).first()
    if record is None:
        raise NotFound("record")
    return record


@login_required
@require_http_methods(["GET", "POST"])
def descriptor_new(request: HttpRequest, project_id: int, kind: str) -> HttpResponse:
    found = get_managed_project(request.user, project_id)
    chosen = _kind(kind)
    form = _descriptor_form(chosen, request, found)
    if _validating(request):
        return _feedback(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            chosen.create(project=found, data=_form_data(form), by=Actor.from_request(request))
        except RuleError as error:
            _rule_errors(form, error)
        else:
            messages.success(request, f"{chosen.noun[:1].upper()}{chosen.noun[1:]} added.")
            return redirect(reverse("web:structure-project", args=[found.pk]) + f"#{kind}")
    back = reverse("web:structure-project", args=[found.pk])
    crumbs = [*_crumbs_for_project(request.user, found), (found.project_name, back)]
    return _form_page(request, form, title=f"Add {chosen.noun}", submit="Add", back=back, crumbs=crumbs)


@login_required
@require_http_methods(["GET", "POST"])
def descriptor_edit(request: HttpRequest, project_id: int, kind: str, record_id: int) -> HttpResponse:
    found = get_managed_project(request.user, project_id)
    chosen = _kind(kind)
    record = _descriptor(found, chosen, record_id)
    form = _descriptor_form(chosen, request, found, record)
    if _validating(request):
        return _feedback(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            changed = chosen.update(
                **{chosen.record_argument: record}, data=_form_data(form, record), by=Actor.from_request(request)
            )
        except RuleError as error:
            _rule_errors(form, error)
        else:
            messages.success(request, "Saved." if changed else "Nothing changed.")
            return redirect(reverse("web:structure-project", args=[found.pk]) + f"#{kind}")
    back = reverse("web:structure-project", args=[found.pk])
    crumbs = [*_crumbs_for_project(request.user, found), (found.project_name, back)]
    remove = reverse("web:structure-descriptor-remove", args=[found.pk, kind, record.pk])
    title = f"Edit {chosen.noun}"
    return _form_page(request, form, title=title, submit="Save", back=back, crumbs=crumbs, remove=remove)


@login_required
@require_POST
def descriptor_remove(request: HttpRequest, project_id: int, kind: str, record_id: int) -> HttpResponse:
    """Remove a record entered in error (DateDeleted); ended grants and inventory keep their end date instead."""
    found = get_managed_project(request.user, project_id)
    chosen = _kind(kind)
    record = _descriptor(found, chosen, record_id)
    try:
        descriptors.remove_descriptor(record=record, by=Actor.from_request(request))
    except RuleError as error:
        messages.error(request, " ".join(error.problems.values()))
    else:
        messages.success(request, f"{chosen.noun[:1].upper()}{chosen.noun[1:]} removed.")
    return redirect(reverse("web:structure-project", args=[found.pk]) + f"#{kind}")


@login_required
@require_POST
def affiliation_add(request: HttpRequest, project_id: int) -> HttpResponse:
    found = get_managed_project(request.user, project_id)
    candidates = affiliation_candidates(found)
    form = forms.AffiliationForm(request.POST, candidates=candidates)
    if form.is_valid():
        chosen = next(p for p in candidates if p.pk == form.cleaned_data["res_project"])
        try:
            add_affiliation(project=found, res_project=chosen, by=Actor.from_request(request))
        except RuleError as error:
            messages.error(request, " ".join(error.problems.values()))
        else:
            messages.success(request, f"Affiliated with {chosen.project_name}.")
    else:
        messages.error(request, "Choose a residential project from the list.")
    return redirect(reverse("web:structure-project", args=[found.pk]) + "#affiliations")


@login_required
@require_POST
def affiliation_remove(request: HttpRequest, project_id: int, affiliation_id: int) -> HttpResponse:
    found = get_managed_project(request.user, project_id)
    affiliation = found.affiliations.filter(pk=affiliation_id, date_deleted__isnull=True).first()
    if affiliation is None:
        raise NotFound("record")
    remove_affiliation(affiliation=affiliation, by=Actor.from_request(request))
    messages.success(request, "Affiliation removed.")
    return redirect(reverse("web:structure-project", args=[found.pk]) + "#affiliations")
