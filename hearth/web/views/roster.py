"""The nightly bed roster of an Emergency Shelter – Night-by-Night project (HMIS Data Standards FY2026 4.14).

Staff at the door check dozens of people in within a minute: everyone enrolled and open that night is listed
(filtered as you type, in the browser, so no name leaves the page), checked in with one submit or one tap per
row (htmx). A person not on the list is found through client search and enrolled there. The page reads a fixed
number of queries whatever the number of guests.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hearth.access.lookups import NotFound, enrollments_for, exits_for, get_project_for, projects_for, services_for
from hearth.access.roles import Permission
from hearth.audit.actor import Actor
from hearth.casework.roster import check_in, nbn_exit_date, undo_check_in
from hearth.casework.services import BED_NIGHT, ES_NIGHT_BY_NIGHT
from hearth.hmis.models import Enrollment, Project
from hearth.web.forms.services import RosterNightForm

RECENT_DAYS = 30  # guests exited this recently are offered for re-enrollment
# Night-by-night enrollments stay open until the shelter exits them; HUD leaves the "no longer coming" rule to
# the CoC (HMIS Data Standards FY2026, ES night-by-night: exit date = the day after the last bed night). Guests
# away this many nights are listed for exit.
AWAY_NIGHTS = 30


def _night(request: HttpRequest) -> tuple[date, RosterNightForm]:
    form = RosterNightForm(request.GET if "night" in request.GET else {"night": timezone.localdate()})
    if form.is_valid():
        return form.cleaned_data["night"], form
    return timezone.localdate(), form


def _project(request: HttpRequest, project_id: int) -> Project:
    project = get_project_for(request.user, project_id, Permission.RECORD_SERVICES)
    if project.project_type != ES_NIGHT_BY_NIGHT:
        raise NotFound("roster")
    return project


def open_on(user: Any, project: Project, night: date) -> QuerySet[Enrollment]:
    """Enrollments of the project open on ``night``: started on or before it, no exit on or before it (4.14)."""
    exited = exits_for(user, Permission.RECORD_SERVICES).filter(enrollment_id=OuterRef("pk"), exit_date__lte=night)
    return (
        enrollments_for(user, Permission.RECORD_SERVICES)
        .filter(project_id=project.pk, entry_date__lte=night, client__date_deleted__isnull=True)
        .exclude(Exists(exited))
    )


def _enroll_url(client_id: int) -> str:
    try:
        return reverse("web:enroll", kwargs={"client_id": client_id})
    except NoReverseMatch:  # the households pages are not installed: the agreed path still answers later
        return f"/clients/{client_id}/enroll/"


def _exit_url(enrollment_id: int) -> str:
    try:
        return reverse("web:exit", kwargs={"enrollment_id": enrollment_id})
    except NoReverseMatch:  # the households pages are not installed: the agreed path
        return f"/enrollments/{enrollment_id}/exit/"


def _rows(user: Any, project: Project, night: date) -> list[dict[str, Any]]:
    enrollments = list(
        open_on(user, project, night)
        .select_related("client")
        .only("pk", "entry_date", "client_id", "client__first_name", "client__last_name", "client__dob")
        .order_by("client__last_name", "client__first_name", "pk")
    )
    stayed = set(
        services_for(user, Permission.RECORD_SERVICES)
        .filter(enrollment__project_id=project.pk, record_type=BED_NIGHT, date_provided=night)
        .values_list("client_id", flat=True)
    )
    last_nights = dict(
        services_for(user, Permission.RECORD_SERVICES)
        .filter(enrollment_id__in=[e.pk for e in enrollments], record_type=BED_NIGHT, date_provided__lte=night)
        .values("enrollment_id")
        .annotate(last=Max("date_provided"))
        .values_list("enrollment_id", "last")
    )
    # URLs and text made once per page, not per row: a full shelter has a few hundred rows.
    toggle = reverse("web:roster-toggle", kwargs={"project_id": project.pk, "enrollment_id": 0}).removesuffix(
        "0/toggle/"
    )
    profile = reverse("web:client", kwargs={"client_id": 0}).removesuffix("0/")
    exit_prefix = _exit_url(0).removesuffix("0/exit/")
    rows = []
    for e in enrollments:
        client = e.client
        name = f"{client.last_name or '(no last name)'}, {client.first_name or '(no first name)'}"
        rows.append(
            {
                "enrollment": e,
                "client": client,
                "name": name,
                "search": f"{name} {client.first_name or ''} {client.pk}".lower(),
                "dob": client.dob.strftime("%m/%d/%Y") if client.dob else "—",
                "toggle_url": f"{toggle}{e.pk}/toggle/",
                "profile_url": f"{profile}{client.pk}/",
                "checked_in": e.client_id in stayed,
                "last_night": last_nights.get(e.pk),
                "away": (last_nights.get(e.pk) or e.entry_date) <= night - timedelta(days=AWAY_NIGHTS),
                "exit_on": nbn_exit_date(last_nights[e.pk]) if e.pk in last_nights else None,
                "exit_url": f"{exit_prefix}{e.pk}/exit/",
            }
        )
    return rows


def _recent_guests(user: Any, project: Project, night: date, open_clients: set[int]) -> list[dict[str, Any]]:
    """People whose enrollment here ended in the last RECENT_DAYS days and who are not open tonight: the
    night-by-night shelter's returning guests, to re-enroll (HMIS Data Standards: a new enrollment after exit)."""
    exited = (
        exits_for(user, Permission.RECORD_SERVICES)
        .filter(
            enrollment__project_id=project.pk,
            exit_date__lte=night,
            exit_date__gt=night - timedelta(days=RECENT_DAYS),
            enrollment__client__date_deleted__isnull=True,
        )
        .select_related("enrollment__client")
        .only(
            "exit_date",
            "enrollment__client_id",
            "enrollment__client__first_name",
            "enrollment__client__last_name",
        )
        .order_by("-exit_date")
    )
    seen: dict[int, dict[str, Any]] = {}
    for x in exited[:200]:
        client = x.enrollment.client
        if client.pk in open_clients or client.pk in seen:
            continue
        seen[client.pk] = {
            "client": client,
            "name": f"{client.last_name or '(no last name)'}, {client.first_name or '(no first name)'}",
            "exit_date": x.exit_date,
            "enroll_url": _enroll_url(client.pk),
        }
    return sorted(seen.values(), key=lambda r: r["name"])


@login_required
def rosters(request: HttpRequest) -> HttpResponse:
    """The night-by-night shelters the user checks people into (straight to the roster when there is one)."""
    projects = list(
        projects_for(request.user, Permission.RECORD_SERVICES)
        .filter(project_type=ES_NIGHT_BY_NIGHT)
        .select_related("organization")
        .order_by("organization__organization_name", "project_name")
    )
    if len(projects) == 1:
        return redirect("web:roster", project_id=projects[0].pk)
    return render(request, "web/services/rosters.html", {"projects": projects})


@login_required
def roster(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    night, form = _night(request)
    rows = _rows(request.user, project, night)
    open_clients = {r["client"].pk for r in rows}
    recent = _recent_guests(request.user, project, night, open_clients)
    # A roster shows many clients at once: one audited view naming them all.
    Actor.from_request(request).record(
        "roster.viewed",
        object_type="Project",
        object_id=project.pk,
        night=night.isoformat(),
        clients=sorted(open_clients | {r["client"].pk for r in recent}),
    )
    context = {
        "project": project,
        "night": night,
        "night_iso": night.isoformat(),
        "form": form,
        "rows": rows,
        "recent": recent,
        "checked_in": sum(1 for r in rows if r["checked_in"]),
        "away": [r for r in rows if r["away"] and not r["checked_in"]],
        "away_nights": AWAY_NIGHTS,
        "previous": night - timedelta(days=1),
        "next": night + timedelta(days=1) if night < timezone.localdate() else None,
        "is_today": night == timezone.localdate(),
    }
    return render(request, "web/services/roster.html", context, status=400 if form.errors else 200)


def _chosen(request: HttpRequest, project: Project, night: date, ids: list[str]) -> list[Enrollment]:
    wanted = {int(i) for i in ids if i.isdigit()}
    chosen = list(open_on(request.user, project, night).filter(pk__in=wanted))
    if len(chosen) != len(wanted):
        raise NotFound("enrollment")
    return chosen


def _posted_night(request: HttpRequest) -> date:
    form = RosterNightForm(request.POST)
    if not form.is_valid():
        raise NotFound("night")
    night: date = form.cleaned_data["night"]
    return night


@login_required
@require_POST
def roster_check_in(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project(request, project_id)
    night = _posted_night(request)
    chosen = _chosen(request, project, night, request.POST.getlist("enrollment"))
    url = f"{reverse('web:roster', kwargs={'project_id': project.pk})}?night={night.isoformat()}"
    if not chosen:
        messages.warning(request, "Nobody was chosen: tick the people to check in.")
        return redirect(url)
    try:
        result = check_in(project=project, night=night, enrollments=chosen, by=Actor.from_request(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(url)
    text = f"Checked in {len(result.created)} for the night of {night:%m/%d/%Y}."
    if result.already:
        text += f" {len(result.already)} already checked in."
    messages.success(request, text)
    return redirect(url)


@login_required
@require_POST
def roster_toggle(request: HttpRequest, project_id: int, enrollment_id: int) -> HttpResponse:
    """One row's check-in or undo (htmx swaps the row; without JavaScript, back to the roster)."""
    project = _project(request, project_id)
    night = _posted_night(request)
    chosen = _chosen(request, project, night, [str(enrollment_id)])
    actor = Actor.from_request(request)
    if request.POST.get("action") == "undo":
        undo_check_in(project=project, night=night, enrollments=chosen, by=actor)
    else:
        try:
            check_in(project=project, night=night, enrollments=chosen, by=actor)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    if request.headers.get("HX-Request") != "true":
        return redirect(f"{reverse('web:roster', kwargs={'project_id': project.pk})}?night={night.isoformat()}")
    rows = _rows(request.user, project, night)
    row = next(r for r in rows if r["enrollment"].pk == enrollment_id)
    context = {
        "row": row,
        "project": project,
        "night": night,
        "night_iso": night.isoformat(),
        "rows": rows,
        "checked_in": sum(1 for r in rows if r["checked_in"]),
        "oob": True,
    }
    return render(request, "web/services/_roster_row.html", context)
