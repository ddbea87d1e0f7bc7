"""No path leaks a victim service provider's clients outside it: search, the intake duplicate check, profiles,
enrollment pages, notes and documents, the change history — for every persona, and whatever the CoC's
sharing settings (an open CoC, and a CoC-wide release recorded by the VSP itself)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as Browser
from django.utils import timezone

from hearth.access.lookups import (
    clients_for,
    enrollments_for,
    files_for,
    notes_for,
    services_for,
)
from hearth.access.roles import Permission
from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.casework.models import CaseNote, ClientFile
from hearth.consent.actions import record_release, set_sharing_policy
from hearth.hmis.models import Client, Enrollment
from hearth.search.index import rebuild
from tests.vsp.test_dv import PERSONAS
from tests.vsp.world import VspWorld

pytestmark = pytest.mark.django_db

VSP_ONLY = ("at_v", "registered_v")
# The VSP's names, and its organization's and project's names: none may appear on another agency's page.
VSP_TEXTS = ("Dana", "Iris", "Safe Harbor")
SHARING = ("closed", "open_with_release")
TARGETS = {"Dana Hill": "at_v", "Iris Moon": "registered_v", "Hill 1992-01-09": "at_v"}


@pytest.fixture(params=SHARING)
def sharing(request: pytest.FixtureRequest, vw: VspWorld) -> VspWorld:
    """The same world under a closed CoC, and under an open CoC where the VSP recorded a CoC-wide release of
    every category for each of its clients (which must still not let them out)."""
    w = vw.w
    if request.param == "open_with_release":
        set_sharing_policy(
            continuum=w.continuums["a"],
            policy="open",
            deidentify_on_revocation=False,
            privacy_notice_version="1",
            by=Actor(user=vw.user("lead_a"), name="lead_a"),
        )
        everything = ["identity", "enrollment_history", "services", "health_dv", "case_notes", "files"]
        # The VSP cannot take a release (hearth.consent refuses it)…
        with pytest.raises(ValidationError):
            record_release(
                client=w.clients["at_v"],
                organization=w.orgs["v"],
                categories=everything,
                starts_on=date(2026, 1, 1),
                method="written",
                coc_wide=True,
                by=Actor(user=vw.user("admin_v"), name="admin_v"),
            )
        # …and A's CoC-wide release of the person both serve shares A's records, never the VSP's.
        record_release(
            client=w.clients["both"],
            organization=w.orgs["a"],
            categories=everything,
            starts_on=date(2026, 1, 1),
            method="written",
            coc_wide=True,
            by=Actor(user=vw.user("admin_a"), name="admin_a"),
        )
    now = timezone.now()
    for name in ("at_v", "both"):
        CaseNote.objects.create(
            client=w.clients[name],
            organization=w.orgs["v"],
            contact_date=date(2026, 1, 6),
            text="safety plan reviewed",
            author=w.users["admin_v"],
            created_at=now,
        )
        ClientFile.objects.create(
            client=w.clients[name],
            organization=w.orgs["v"],
            kind="other",
            original_name="protective-order.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            stored_name=f"vsp-{name}",
            uploaded_by=w.users["admin_v"],
            uploaded_at=now,
        )
    rebuild()
    return vw


def browser_for(vw: VspWorld, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(vw.w.users[persona])
    return browser


def inside(persona: str) -> bool:
    return persona == "admin_v"


@pytest.mark.parametrize("persona", PERSONAS)
def test_lookups_never_reach_vsp_records(sharing: VspWorld, persona: str) -> None:
    w = sharing.w
    user = sharing.user(persona)
    vsp_enrollments = {sharing.enrollments[n].pk for n in ("at_v", "both_v")}
    only_vsp = {w.clients[n].pk for n in VSP_ONLY}
    for permission in (Permission.VIEW_CLIENTS, Permission.EDIT_CLIENTS, Permission.ENROLL, Permission.VIEW_AUDIT):
        seen = set(clients_for(user, permission).filter(pk__in=only_vsp).values_list("pk", flat=True))
        assert seen == (only_vsp if inside(persona) else set()), permission
    assert bool(enrollments_for(user).filter(pk__in=vsp_enrollments).exists()) is inside(persona)
    assert bool(services_for(user).filter(enrollment_id__in=vsp_enrollments).exists()) is False  # none recorded
    assert bool(notes_for(user).filter(organization=w.orgs["v"]).exists()) is inside(persona)
    assert bool(files_for(user).filter(organization=w.orgs["v"]).exists()) is inside(persona)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("query", ["Dana Hill", "Iris Moon", "Hill 1992-01-09"])
def test_search_never_finds_vsp_clients(sharing: VspWorld, persona: str, query: str) -> None:
    w = sharing.w
    response = browser_for(sharing, persona).post("/clients/", {"q": query}, HTTP_HX_REQUEST="true")
    if response.status_code == 404:
        assert not inside(persona)
        return
    page = response.content.decode()
    target = TARGETS[query]
    assert (f'href="/clients/{w.clients[target].pk}/"' in page) is inside(persona)
    other = ({"at_v", "registered_v"} - {target}).pop()
    assert f'href="/clients/{w.clients[other].pk}/"' not in page


@pytest.mark.parametrize("by_ssn", [False, True])
@pytest.mark.parametrize("persona", ["intake_a", "admin_a", "lead_a", "admin_b"])
def test_intake_duplicate_check_never_hints_at_vsp_clients(sharing: VspWorld, persona: str, by_ssn: bool) -> None:
    """Registering "Dana Hill, born 1992-01-09" at agency A (or someone else with her SSN, which the blind index
    matches whatever the name): the VSP's client is not offered as a likely match, so the new record is created
    (A keeps its own record of the person, as HUD intends for VSP clients)."""
    dana = sharing.w.clients["at_v"]
    dana.ssn, dana.ssn_data_quality = "123456789", 1
    dana.save(update_fields=["ssn", "ssn_data_quality"])
    rebuild()
    browser = browser_for(sharing, persona)
    form: dict[str, Any] = {
        "first_name": "Kim" if by_ssn else "Dana",
        "last_name": "Park" if by_ssn else "Hill",
        "name_data_quality": 1,
        "ssn": "123-45-6789" if by_ssn else "",
        "ssn_data_quality": 1 if by_ssn else 99,
        "dob": "1992-01-09",
        "dob_data_quality": 1,
        "races": ["white"],
        "sex": 1,
        "veteran_status": 0,
    }
    if persona == "lead_a":
        form["organization"] = str(sharing.w.orgs["a"].pk)
    response = browser.post("/clients/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Client.objects.filter(first_name=form["first_name"], last_name=form["last_name"]).count() == (
        1 if by_ssn else 2
    )
    assert Client.objects.filter(ssn="123456789").count() == (2 if by_ssn else 1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_profile_and_enrollment_pages(sharing: VspWorld, persona: str) -> None:
    w = sharing.w
    browser = browser_for(sharing, persona)
    missing = browser.get("/clients/999999/")
    for name in VSP_ONLY:
        response = browser.get(f"/clients/{w.clients[name].pk}/")
        if inside(persona):
            assert response.status_code == 200
        else:
            assert (response.status_code, response.content) == (404, missing.content)
    missing_enrollment = browser.get("/enrollments/999999/")
    for name in ("at_v", "both_v"):
        response = browser.get(f"/enrollments/{sharing.enrollments[name].pk}/")
        if inside(persona):
            assert response.status_code == 200
        else:
            assert (response.status_code, response.content) == (404, missing_enrollment.content)


@pytest.mark.parametrize("persona", ["lead_a", "admin_a", "manager_a", "intake_a", "auditor_a"])
def test_shared_person_profile_shows_nothing_of_the_vsp(sharing: VspWorld, persona: str) -> None:
    """Rosa is A's client and the VSP's: A's pages and the Lead's show A's record only."""
    w = sharing.w
    browser = browser_for(sharing, persona)
    page = browser.get(f"/clients/{w.clients['both'].pk}/").content.decode()
    assert "Rosa" in page
    for text in (*VSP_TEXTS, "safety plan", "protective-order"):
        assert text not in page, text
    if persona in ("lead_a", "admin_a", "auditor_a"):
        history = browser.get(f"/clients/{w.clients['both'].pk}/history/").content.decode()
        for text in VSP_TEXTS:
            assert text not in history


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin_v"])
def test_guessed_ids_answer_like_missing_ones_and_change_nothing(sharing: VspWorld, persona: str) -> None:
    """IDOR: another agency guessing the VSP's client, enrollment, note and document ids gets the same 404 as
    for an id that does not exist, and nothing is written (no enrollment, note, file change or audit event)."""
    w = sharing.w
    browser = browser_for(sharing, persona)
    note = CaseNote.objects.get(client=w.clients["at_v"])
    document = ClientFile.objects.get(client=w.clients["at_v"])
    a_enrollment = sharing.enrollments["at_a"]
    before = (
        Enrollment.objects.count(),
        CaseNote.objects.filter(deleted_at__isnull=True).count(),
        ClientFile.objects.filter(deleted_at__isnull=True).count(),
        AuditEvent.objects.exclude(action="client.searched").count(),
    )
    pairs = [
        (("get", f"/clients/{w.clients['at_v'].pk}/edit/"), ("get", "/clients/999999/edit/")),
        (("get", f"/clients/{w.clients['at_v'].pk}/history/"), ("get", "/clients/999999/history/")),
        (("get", f"/clients/{w.clients['at_v'].pk}/enroll/"), ("get", "/clients/999999/enroll/")),
        (("get", f"/files/{document.pk}/"), ("get", "/files/999999/")),
        (("post", f"/notes/{note.pk}/withdraw/"), ("post", "/notes/999999/withdraw/")),
        (("get", f"/enrollments/{sharing.enrollments['at_v'].pk}/services/"), ("get", "/enrollments/999999/services/")),
    ]
    for (method, url), (_, missing_url) in pairs:
        response = getattr(browser, method)(url)
        missing = getattr(browser, method)(missing_url)
        assert response.status_code == 404, url
        assert response.content == missing.content, url
    # Adding the VSP's client to A's household by guessing the id.
    response = browser.post(
        f"/enrollments/{a_enrollment.pk}/household/add/",
        {"action": "add", "client": str(w.clients["at_v"].pk), "relationship": "3", "entry_date": "2026-03-01"},
    )
    assert response.status_code == 404
    after = (
        Enrollment.objects.count(),
        CaseNote.objects.filter(deleted_at__isnull=True).count(),
        ClientFile.objects.filter(deleted_at__isnull=True).count(),
        AuditEvent.objects.exclude(action="client.searched").count(),
    )
    assert after == before


def test_intake_duplicate_check_offers_the_vsp_its_own_client(sharing: VspWorld) -> None:
    """The control for the test above: inside the VSP the same registration stops at the likely match."""
    browser = browser_for(sharing, "admin_v")
    form: dict[str, Any] = {
        "first_name": "Dana",
        "last_name": "Hill",
        "name_data_quality": 1,
        "ssn": "",
        "ssn_data_quality": 99,
        "dob": "1992-01-09",
        "dob_data_quality": 1,
        "races": ["white"],
        "sex": 1,
        "veteran_status": 0,
    }
    response = browser.post("/clients/new/", form)
    assert response.status_code == 200
    assert f'href="/clients/{sharing.w.clients["at_v"].pk}/"' in response.content.decode()
    assert Client.objects.filter(first_name="Dana", last_name="Hill").count() == 1
