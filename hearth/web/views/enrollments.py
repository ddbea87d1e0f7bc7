"""Households and enrollments: enroll a household from a client's profile, the enrollment page with its
members, joins, relationships, a new head, exits (HMIS Data Standards FY2026 3.10, 3.11, 3.12, 3.15, 3.16, 5.09),
and the reminders of annual assessments and clients who turned 18.

Reads go through hearth.access.lookups, writes through hearth.casework actions; every page showing a client's
record is audited. Names searched for are POSTed, never in a URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hearth.access.client_search import search_clients_for
from hearth.access.lookups import (
    NotFound,
    clients_for,
    enrollments_for,
    exits_for,
    get_client_for,
    get_enrollment_for,
    household_for,
    may_for_client,
    own_enrollments_for,
    projects_for,
)
from hearth.access.roles import Permission
from hearth.audit.actor import Actor
from hearth.casework.enrollments import HEAD, coc_choices, enroll_household, overlapping
from hearth.casework.exits import exit_household, undo_exit
from hearth.casework.households import add_member, change_head, remove_member, set_relationship
from hearth.casework.reminders import reminders_for
from hearth.search import SearchQuery
from hearth.web.enrollment_sections import sections_for
from hearth.web.forms.enrollments import (
    AddMemberForm,
    ChangeHeadForm,
    EnrollForm,
    ExitForm,
    MemberSearchForm,
    RelationshipForm,
    apply_errors,
    relationship_field,
)
from hearth.web.panels import panel

STAGES = (
    ("start", "Project start"),
    ("update", "Update"),
    ("annual", "Annual"),
    ("exit", "Exit"),
    ("post-exit", "Post-exit"),
)


def assessment_url(enrollment_id: int, stage: str) -> str:
    """The collection area's stage page (web:assessment); by its agreed path until that name is registered."""
    try:
        return reverse("web:assessment", kwargs={"enrollment_id": enrollment_id, "stage": stage})
    except NoReverseMatch:
        return f"/enrollments/{enrollment_id}/assessments/{stage}/"


def _viewed(request: HttpRequest, client_ids: list[int], page: str) -> None:
    actor = Actor.from_request(request)
    for client_id in client_ids:
        actor.record("client.viewed", object_type="Client", object_id=client_id, page=page)


def _may_enroll(request: HttpRequest, enrollment_id: int) -> bool:
    return enrollments_for(request.user, Permission.ENROLL).filter(pk=enrollment_id).exists()


# --- Enroll ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def enroll(request: HttpRequest, client_id: int) -> HttpResponse:
    """Enroll the client, and the people who come with them, as one household (5.09)."""
    client = get_client_for(request.user, client_id, Permission.ENROLL)
    projects = list(
        projects_for(request.user, Permission.ENROLL)
        .select_related("organization__continuum")
        .order_by("project_name", "pk")
    )
    if not projects:
        raise NotFound("page")
    data = request.POST if request.method == "POST" else None
    confirmed = request.POST.get("confirmed") == "overlap"
    action = "enroll" if confirmed else request.POST.get("action", "")
    # Only the final "Enroll" validates; searching and adding people keep what was typed without error messages.
    if action == "enroll":
        form = EnrollForm(data, projects=projects, cocs=coc_choices(projects))
    else:
        form = EnrollForm(initial=(data.dict() if data else {}), projects=projects, cocs=coc_choices(projects))
    form.fields["relationship"].label = f"{_name(client)}: relationship to head of household"
    search = MemberSearchForm(data)
    chosen = _chosen_members(request, exclude=client.pk)
    results = None
    overlaps: list[Any] = []
    if action == "search" and search.is_valid() and search.cleaned_data["q"].strip():
        found = search_clients_for(
            request.user, SearchQuery.parse(search.cleaned_data["q"]), permission=Permission.ENROLL
        )
        taken = {client.pk, *(c.pk for c, _ in chosen)}
        results = [f for f in found.found if f.client.pk not in taken]
        Actor.from_request(request).record("client.searched", results=len(results))
    elif action == "enroll" and form.is_valid():
        project = next(p for p in projects if p.pk == form.cleaned_data["project"])
        members = [(client, form.cleaned_data["relationship"]), *chosen]
        entry_date = form.cleaned_data["entry_date"]
        overlaps = overlapping(
            user=request.user, project=project, client_ids=[c.pk for c, _ in members], entry_date=entry_date
        )
        if not overlaps or confirmed:
            try:
                enrolled = enroll_household(
                    project=project,
                    entry_date=entry_date,
                    members=members,
                    enrollment_coc=form.cleaned_data["enrollment_coc"] or None,
                    by=Actor.from_request(request),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, f"Enrolled a household of {len(enrolled.enrollments)} in {project.project_name}."
                )
                return redirect("web:enrollment", enrollment_id=enrolled.head.pk)
    if request.method == "GET":
        _viewed(request, [client.pk], "enroll")
    names = {c.pk: c for c, _ in chosen}
    context = {
        "client": client,
        "form": form,
        "search": search,
        "results": results,
        "chosen": chosen,
        "overlaps": [(o, names.get(o.client_id, client)) for o in overlaps],
        "relationships": relationship_field().choices,
        "register_url": reverse("web:client-new") + f"?next={request.path}",
    }
    return render(request, "web/enrollments/enroll.html", context, status=400 if form.errors else 200)


def _name(client: Any) -> str:
    return f"{client.first_name or '(no first name)'} {client.last_name or '(no last name)'}"


def _chosen_members(request: HttpRequest, *, exclude: int) -> list[tuple[Any, int]]:
    """The people added so far (hidden ``member`` inputs), read again through the guard on every request."""
    ids: list[int] = []
    for raw in [*request.POST.getlist("member"), request.POST.get("add", "")]:
        if raw.isdigit() and int(raw) != exclude and int(raw) not in ids:
            ids.append(int(raw))
    dropped = request.POST.get("drop", "")
    ids = [i for i in ids if str(i) != dropped]
    found = {c.pk: c for c in clients_for(request.user, Permission.ENROLL).filter(pk__in=ids)}
    chosen = []
    for pk in ids:
        if pk in found:
            raw = request.POST.get(f"relationship_{pk}", "2")
            chosen.append((found[pk], int(raw) if raw.isdigit() else 2))
    return chosen


# --- The enrollment page ---------------------------------------------------------------------------------------


@login_required
def enrollment(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    current = get_enrollment_for(request.user, enrollment_id)
    members = _members(request, current)
    Actor.from_request(request).record("enrollment.viewed", object_type="Enrollment", object_id=current.pk)
    _viewed(request, [m.client_id for m, _ in members], "enrollment")
    head = next((m for m, _ in members if m.relationship_to_hoh == HEAD), current)
    may_enroll = _may_enroll(request, current.pk)
    household = household_for(request.user, current)
    context = {
        "enrollment": current,
        "head": head,
        "members": [
            (m, x, RelationshipForm(prefix=f"m{m.pk}", initial={"relationship": m.relationship_to_hoh}))
            for m, x in members
        ],
        "open_members": [m for m, x in members if x is None],
        "may_enroll": may_enroll,
        "reminders": _linked(reminders_for(household, today=timezone.localdate())),
        "stages": [(label, assessment_url(current.pk, stage)) for stage, label in STAGES],
        "sections": sections_for(request, current),
    }
    return render(request, "web/enrollments/enrollment.html", context)


def _members(
    request: HttpRequest, current: Any, permission: Permission = Permission.VIEW_CLIENTS
) -> list[tuple[Any, Any]]:
    rows = sorted(
        household_for(request.user, current, permission),
        key=lambda e: (e.relationship_to_hoh != HEAD, e.entry_date, e.pk),
    )
    exits = {
        x.enrollment_id: x for x in exits_for(request.user, permission).filter(enrollment_id__in=[e.pk for e in rows])
    }
    return [(e, exits.get(e.pk)) for e in rows]


# --- Members -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """A person joins the household later, with their own project start date."""
    current = get_enrollment_for(request.user, enrollment_id, Permission.ENROLL)
    data = request.POST if request.method == "POST" else None
    search = MemberSearchForm(data)
    picked_raw = request.POST.get("client", "") if data else ""
    picked = None
    if picked_raw.isdigit():
        picked = get_client_for(request.user, picked_raw, Permission.ENROLL)
    form = AddMemberForm(
        data if request.POST.get("action") == "add" else None, initial={"entry_date": timezone.localdate()}
    )
    results = None
    if (
        data is not None
        and request.POST.get("action") == "search"
        and search.is_valid()
        and search.cleaned_data["q"].strip()
    ):
        found = search_clients_for(
            request.user, SearchQuery.parse(search.cleaned_data["q"]), permission=Permission.ENROLL
        )
        here = {m.client_id for m, x in _members(request, current) if x is None}
        results = [f for f in found.found if f.client.pk not in here]
        Actor.from_request(request).record("client.searched", results=len(results))
    if picked is not None and request.POST.get("action") == "add" and form.is_valid():
        try:
            add_member(
                household_of=current,
                client=picked,
                relationship=form.cleaned_data["relationship"],
                entry_date=form.cleaned_data["entry_date"],
                by=Actor.from_request(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Added a household member.")
            return redirect("web:enrollment", enrollment_id=current.pk)
    if picked is not None and request.POST.get("action") != "add":
        _viewed(request, [picked.pk], "add-member")
    context = {
        "enrollment": current,
        "search": search,
        "results": results,
        "picked": picked,
        "form": form,
        "register_url": reverse("web:client-new") + f"?next={request.path}",
    }
    return render(request, "web/enrollments/add_member.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def relationship(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    member = get_enrollment_for(request.user, enrollment_id, Permission.ENROLL)
    form = RelationshipForm(request.POST, prefix=f"m{member.pk}")
    if form.is_valid():
        try:
            if set_relationship(
                enrollment=member, relationship=form.cleaned_data["relationship"], by=Actor.from_request(request)
            ):
                messages.success(request, "Relationship saved.")
        except ValidationError as error:
            messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
    else:
        messages.error(request, "Choose a relationship to the head of household from HUD's list (3.15.1).")
    return redirect("web:enrollment", enrollment_id=member.pk)


@login_required
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Delete an enrollment entered in error (a person who left is exited instead)."""
    member = get_enrollment_for(request.user, enrollment_id, Permission.ENROLL)
    others = [m for m, _ in _members(request, member, Permission.ENROLL) if m.pk != member.pk]
    error = None
    if request.method == "POST":
        try:
            remove_member(enrollment=member, by=Actor.from_request(request))
        except ValidationError as problem:
            error = " ".join(m for ms in problem.message_dict.values() for m in ms)
        else:
            messages.success(request, "Removed the enrollment entered in error.")
            if others:
                return redirect("web:enrollment", enrollment_id=others[0].pk)
            return redirect("web:client", client_id=member.client_id)
    else:
        _viewed(request, [member.client_id], "remove")
    context = {"member": member, "error": error, "others": others}
    return render(request, "web/enrollments/remove.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def head(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    current = get_enrollment_for(request.user, enrollment_id, Permission.ENROLL)
    members = _members(request, current, Permission.ENROLL)
    candidates = [m for m, x in members if x is None and m.relationship_to_hoh != HEAD]
    form = ChangeHeadForm(request.POST or None, members=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in candidates if m.pk == form.cleaned_data["new_head"])
        try:
            change_head(
                new_head=chosen,
                former_head_relationship=form.cleaned_data["former_head_relationship"],
                by=Actor.from_request(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Changed the head of household.")
            return redirect("web:enrollment", enrollment_id=current.pk)
    if request.method == "GET":
        _viewed(request, [m.client_id for m, _ in members], "change-head")
    context = {"enrollment": current, "form": form, "members": members, "candidates": candidates}
    return render(request, "web/enrollments/head.html", context, status=400 if form.errors else 200)


# --- Exits ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exit_(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Exit one or more members (3.11, 3.12), then collect the exit-stage data (web:assessment)."""
    current = get_enrollment_for(request.user, enrollment_id, Permission.ENROLL)
    members = _members(request, current, Permission.ENROLL)
    open_members = [m for m, x in members if x is None]
    if not open_members:
        messages.info(request, "Everyone in this household has exited.")
        return redirect("web:enrollment", enrollment_id=current.pk)
    # The head's page proposes the whole household; a member's page proposes that member.
    preselected = [m.pk for m in open_members] if current.relationship_to_hoh == HEAD else [current.pk]
    form = ExitForm(
        request.POST or None,
        leaving=open_members,
        staying=[m for m in open_members if m.relationship_to_hoh != HEAD],
        initial={"members": preselected, "exit_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        leaving = [m for m in open_members if m.pk in form.cleaned_data["members"]]
        new_head = next((m for m in open_members if m.pk == form.cleaned_data.get("new_head")), None)
        try:
            exit_household(
                enrollments=leaving,
                exit_date=form.cleaned_data["exit_date"],
                destination=form.cleaned_data["destination"],
                destination_subsidy_type=form.cleaned_data.get("destination_subsidy_type"),
                other_destination=form.cleaned_data.get("other_destination") or None,
                new_head=new_head,
                former_head_relationship=form.cleaned_data.get("former_head_relationship"),
                by=Actor.from_request(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Exited {len(leaving)} household member{'s' if len(leaving) != 1 else ''}.")
            return redirect(assessment_url(leaving[0].pk, "exit"))
    if request.method == "GET":
        _viewed(request, [m.client_id for m in open_members], "exit")
    context = {"enrollment": current, "form": form, "members": members}
    return render(request, "web/enrollments/exit.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def undo(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    """Reopen an enrollment whose exit was recorded in error."""
    member = get_enrollment_for(request.user, enrollment_id, Permission.ENROLL)
    recorded = exits_for(request.user, Permission.ENROLL).filter(enrollment_id=member.pk).first()
    if recorded is None:
        raise NotFound("exit")
    if request.method == "POST":
        undo_exit(exit=recorded, by=Actor.from_request(request))
        messages.success(request, "Undid the exit: the member is active again.")
        return redirect("web:enrollment", enrollment_id=member.pk)
    _viewed(request, [member.client_id], "undo-exit")
    return render(request, "web/enrollments/undo.html", {"member": member, "exit": recorded})


# --- Reminders and the profile panel ------------------------------------------------------------------------


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    """Annual assessments due and clients who turned 18, over the open enrollments the user can see."""
    # The agency's own enrollments: another agency's, shown through sharing, are not this user's work.
    found = reminders_for(own_enrollments_for(request.user), today=timezone.localdate())
    if found:  # a list that names no client shows no client data: nothing to audit
        Actor.from_request(request).record("reminders.viewed", results=len(found))
    partial = request.headers.get("HX-Request") == "true"
    template = "web/enrollments/_reminders.html" if partial else "web/enrollments/reminders.html"
    return render(request, template, {"reminders": _linked(found), "home": partial})


def _linked(found: list[Any]) -> list[tuple[Any, str]]:
    return [(r, assessment_url(r.enrollment.pk, r.stage)) for r in found]


@panel("households", template="web/enrollments/_panel.html", order=10)
def households_panel(request: HttpRequest, client: Any) -> dict[str, Any] | None:
    """The client's households: who else is in each, and the button to enroll."""
    # Only the columns the panel shows: HUD's enrollment and client rows are wide, and building the SQL for
    # every column is most of a panel's cost (docs/PERFORMANCE.md, load test).
    own = list(
        enrollments_for(request.user)
        .filter(client_id=client.pk)
        .select_related("project")
        .only("project__project_name", "household_id", "entry_date", "relationship_to_hoh")
    )
    members = (
        enrollments_for(request.user)
        .filter(household_id__in={e.household_id for e in own}, project_id__in={e.project_id for e in own})
        .select_related("client")
        .only("project_id", "household_id", "relationship_to_hoh", "client__first_name", "client__last_name")
        .exclude(client_id=client.pk)
        .filter(client__date_deleted__isnull=True)
    )
    others: dict[tuple[int, str], list[Any]] = {}
    for member in members.order_by("relationship_to_hoh", "pk") if own else []:
        others.setdefault((member.project_id, member.household_id), []).append(member)
    may_enroll = may_for_client(request.user, client.pk, Permission.ENROLL)
    rows = [
        (e, others.get((e.project_id, e.household_id), []))
        for e in sorted(own, key=lambda e: (e.entry_date, e.pk), reverse=True)
    ]
    return {"client": client, "households": rows, "may_enroll": may_enroll}
