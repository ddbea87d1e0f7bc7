"""Consent through the pages: a release opens a client to another agency at once and a revocation closes it
at the next request; what sharing shows is read-only; reads through sharing are logged once per page; a
revocation in a de-identifying CoC detaches the identity from what other agencies see; sharing adds no
per-row queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client as Browser
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearth.access.lookups import clients_for, drilldown_clients_for
from hearth.access.models import RoleAssignment
from hearth.audit.actor import Actor
from hearth.consent import actions
from hearth.consent.disclosures import disclosures_for
from hearth.consent.identity import held_identity_for
from hearth.consent.models import Disclosure, Method, Policy, Release
from hearth.hmis.models import Client, Enrollment, Exit
from hearth.search import SearchQuery
from hearth.search.index import rebuild
from tests import factories as make
from tests.web.personas import World


@pytest.fixture
def staff_b(world: World) -> Any:
    user = get_user_model().objects.create_user("manager_b", "b@example.org", None)
    RoleAssignment.objects.create(user=user, role="case_manager", organization=world.orgs["b"])
    return user


def _browser(user: Any) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def _release(world: World, **overrides: Any) -> Release:
    lead = world.users["manager_a"]
    values: dict[str, Any] = {
        "client": world.clients["at_a"],
        "organization": world.orgs["a"],
        "categories": ["identity", "enrollment_history"],
        "starts_on": timezone.localdate() - timedelta(days=1),
        "method": Method.WRITTEN,
        "organizations": [world.orgs["b"]],
        "by": Actor(user=lead, name=lead.username),
    }
    values.update(overrides)
    return actions.record_release(**values)


def test_a_release_opens_the_client_and_a_revocation_closes_it_at_the_next_request(world: World, staff_b: Any) -> None:
    browser = _browser(staff_b)
    url = f"/clients/{world.clients['at_a'].pk}/"
    assert browser.get(url).status_code == 404
    release = _release(world)
    page = browser.get(url)
    assert page.status_code == 200
    assert "Lopez" in page.content.decode()
    actions.revoke_release(release=release, reason="Client asked", by=Actor(user=None, name="front desk"))
    assert browser.get(url).status_code == 404


def test_an_expired_release_acts_as_revoked(world: World, staff_b: Any) -> None:
    today = timezone.localdate()
    _release(world, starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1))
    assert _browser(staff_b).get(f"/clients/{world.clients['at_a'].pk}/").status_code == 404
    assert not clients_for(staff_b).filter(pk=world.clients["at_a"].pk).exists()


def test_reads_through_sharing_are_logged_once_per_page_and_direct_reads_are_not(world: World, staff_b: Any) -> None:
    release = _release(world)
    client = world.clients["at_a"]
    _browser(staff_b).get(f"/clients/{client.pk}/")
    _browser(world.users["manager_a"]).get(f"/clients/{client.pk}/")
    logged = list(disclosures_for(client))
    assert [(d.user_id, d.organization_id, d.release_id, d.what, d.object_type, d.object_id) for d in logged] == [
        (staff_b.pk, world.orgs["b"].pk, release.pk, "profile", "Client", str(client.pk))
    ]


def test_another_agencys_enrollment_is_read_only(world: World, staff_b: Any) -> None:
    _release(world)
    enrollment = Enrollment.objects.get(client=world.clients["at_a"])
    browser = _browser(staff_b)
    assert browser.get(f"/enrollments/{enrollment.pk}/").status_code == 200
    logged = Disclosure.objects.get(what="enrollment_history")
    assert (logged.object_type, logged.object_id) == ("Enrollment", str(enrollment.pk))
    exits = Exit.objects.count()
    response = browser.post(f"/enrollments/{enrollment.pk}/exit/", {"exit_date": "2026-02-01", "destination": "410"})
    assert response.status_code == 404
    assert Exit.objects.count() == exits


def test_without_enrollment_history_the_other_agencys_enrollment_stays_hidden(world: World, staff_b: Any) -> None:
    _release(world, categories=["identity"])
    enrollment = Enrollment.objects.get(client=world.clients["at_a"])
    browser = _browser(staff_b)
    assert browser.get(f"/clients/{world.clients['at_a'].pk}/").status_code == 200
    assert browser.get(f"/enrollments/{enrollment.pk}/").status_code == 404


def test_report_drilldown_logs_only_clients_reached_through_sharing(world: World, staff_b: Any) -> None:
    _release(world)
    ids = [world.clients[name].pk for name in ("at_a", "at_b", "at_v", "at_z")]
    shown = set(drilldown_clients_for(staff_b, ids).values_list("pk", flat=True))
    assert shown == {world.clients["at_a"].pk, world.clients["at_b"].pk}
    assert list(Disclosure.objects.values_list("client_id", "what")) == [(world.clients["at_a"].pk, "report_drilldown")]
    # A CoC analyst identifies nobody and nothing is logged.
    assert not drilldown_clients_for(world.users["analyst_a"], ids).exists()
    assert Disclosure.objects.count() == 1


def test_search_finds_a_shared_client_only_while_the_release_is_active(world: World, staff_b: Any) -> None:
    from hearth.access.client_search import search_clients_for

    rebuild()
    query = SearchQuery(first="Maria", last="Lopez", dob=date(1987, 3, 14))
    assert search_clients_for(staff_b, query).found == []
    release = _release(world)
    found = search_clients_for(get_user_model().objects.get(pk=staff_b.pk), query).found
    assert [f.client.pk for f in found] == [world.clients["at_a"].pk]
    actions.revoke_release(release=release, reason="", by=Actor(user=None, name="desk"))
    assert search_clients_for(get_user_model().objects.get(pk=staff_b.pk), query).found == []


def test_revocation_detaches_the_identity_from_other_agencies(world: World, staff_b: Any) -> None:
    lead = world.users["lead_a"]
    actions.set_sharing_policy(
        continuum=world.continuums["a"],
        policy=Policy.CONSENT,
        deidentify_on_revocation=True,
        privacy_notice_version="2026-01",
        by=Actor(user=lead, name=lead.username),
    )
    client = world.clients["at_a"]
    release = _release(world)
    # Agency B serves the client too (found through sharing), then the client revokes.
    make.enrollment(client, world.projects["b_rrh"])
    actions.revoke_release(release=release, reason="", by=Actor(user=None, name="desk"))
    page = _browser(staff_b).get(f"/clients/{client.pk}/")
    assert page.status_code == 200  # B still serves the person, and counts them
    text = page.content.decode()
    assert "Lopez" not in text
    assert "1987" not in text
    shared = Client.objects.get(pk=client.pk)
    assert (shared.first_name, shared.last_name, shared.dob) == (None, None, None)
    assert Enrollment.objects.filter(client=client).count() == 2
    # Agency A, which took the release, holds the identity; B does not.
    held = held_identity_for(world.users["manager_a"], client.pk)
    assert held is not None
    assert (held.first_name, held.last_name, held.dob) == ("Maria", "Lopez", date(1987, 3, 14))
    assert held_identity_for(staff_b, client.pk) is None
    # On the profile: B is told the identity is withheld; A sees what it holds.
    assert "Identity withheld" in text
    own = _browser(world.users["manager_a"]).get(f"/clients/{client.pk}/").content.decode()
    assert "Identity held by your agency" in own
    assert "Maria Lopez" in own
    assert "03/14/1987" in own


def _reads(browser: Browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return sum(
        1
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "django_session" not in q["sql"] and "audit_event" not in q["sql"]
    )


def test_a_shared_profile_reads_do_not_grow_with_shared_enrollments(world: World, staff_b: Any) -> None:
    client = world.clients["at_a"]
    _release(world)
    browser = _browser(staff_b)
    browser.get("/")
    one = _reads(browser, f"/clients/{client.pk}/")
    for n in range(6):
        make.enrollment(client, world.projects["a_shelter"], entry=date(2024, 1, 1 + n))
    seven = _reads(browser, f"/clients/{client.pk}/")
    page = browser.get(f"/clients/{client.pk}/").content.decode()
    assert page.count('href="/enrollments/') >= 7
    assert seven == one


def _record_parts(user: Any, client: Client) -> tuple[list[str], list[str], int]:
    """(projects, records under them, services) of the client's record as ``user`` may see it."""
    from hearth.rights.record import client_record

    record = client_record(user, client)
    enrollments = record["enrollments"]
    kinds = sorted(a["record"] for e in enrollments for a in e["assessments"])
    services = sum(len(e["services"]) + len(e["bed_nights"]) for e in enrollments)
    return [e["project"] for e in enrollments], kinds, services


@pytest.mark.parametrize(
    ("categories", "kinds", "services"),
    [
        (["identity", "enrollment_history"], ["IncomeBenefits"], 0),
        (["identity", "enrollment_history", "services"], ["IncomeBenefits"], 1),
        (
            ["identity", "enrollment_history", "services", "health_dv"],
            ["Disabilities", "HealthAndDV", "IncomeBenefits"],
            1,
        ),
    ],
)
def test_services_and_health_of_a_shared_enrollment_follow_the_release_categories(
    world: World, staff_b: Any, categories: list[str], kinds: list[str], services: int
) -> None:
    """A release sharing enrollment history shows where the client stayed; their services and their health and
    disabilities only when it shares those categories too — and the DV answers (4.11) never."""
    from hearth.hmis.models import HealthAndDV, IncomeBenefits

    client = world.clients["at_a"]
    enrollment = Enrollment.objects.get(client=client)
    make.service(enrollment)
    make.disability(enrollment)
    stamp = {"source": enrollment.source, "date_created": timezone.now(), "date_updated": timezone.now()}
    common = {"enrollment": enrollment, "client": client, "information_date": enrollment.entry_date, "user_id": "T1"}
    HealthAndDV.objects.create(
        hud_id="HDV1", data_collection_stage=1, domestic_violence_survivor=1, general_health_status=3, **common, **stamp
    )
    IncomeBenefits.objects.create(hud_id="IB1", data_collection_stage=1, income_from_any_source=0, **common, **stamp)
    assert _record_parts(staff_b, client) == ([], [], 0)  # no release: not even the enrollment

    _release(world, categories=categories)
    projects, seen, services_seen = _record_parts(staff_b, client)
    assert projects == [enrollment.project.project_name]
    assert (seen, services_seen) == (kinds, services)
    # The serving agency sees everything, whatever the release.
    assert _record_parts(world.users["manager_a"], client) == (
        projects,
        ["Disabilities", "HealthAndDV", "IncomeBenefits"],
        1,
    )
    if "HealthAndDV" in kinds:
        from hearth.rights.record import client_record

        health = next(
            a for a in client_record(staff_b, client)["enrollments"][0]["assessments"] if a["record"] == "HealthAndDV"
        )
        assert health["values"]["GeneralHealthStatus"] == 3
        assert "DomesticViolenceSurvivor" not in health["values"]


def test_the_services_page_of_an_enrollment_shared_without_services_says_so(world: World, staff_b: Any) -> None:
    enrollment = Enrollment.objects.get(client=world.clients["at_a"])
    make.service(enrollment)
    _release(world)  # identity and enrollment history only
    page = _browser(staff_b).get(f"/enrollments/{enrollment.pk}/services/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "shared with yours without its services" in text
    assert "Bed night" not in text
    assert "No services recorded" not in text


@pytest.mark.parametrize(("categories", "shown"), [(["identity", "enrollment_history"], False), (None, True)])
def test_a_stage_recorded_only_in_health_records_shows_only_where_health_is_shared(
    world: World, staff_b: Any, categories: list[str] | None, shown: bool
) -> None:
    from hearth.web.views.assessments import assessments_panel

    client = world.clients["at_a"]
    enrollment = Enrollment.objects.get(client=client)
    Enrollment.objects.filter(pk=enrollment.pk).update(disabling_condition=None)
    make.disability(enrollment)  # the stage's only record
    _release(world, categories=categories or ["identity", "enrollment_history", "health_dv"])
    request = RequestFactory().get("/")
    request.user = staff_b
    panel = assessments_panel(request, client)
    assert panel is not None
    (row,) = panel["rows"]
    assert [r.stage for r in row["recorded"]] == (["start"] if shown else [])
    # The agency that recorded it always sees it.
    request.user = world.users["manager_a"]
    own = assessments_panel(request, client)
    assert own is not None
    assert [r.stage for r in own["rows"][0]["recorded"]] == ["start"]
