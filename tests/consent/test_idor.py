"""Guessing ids (issue 4 §8): every client, enrollment, case-note, document and release URL answers another
agency's record exactly as it answers a record that does not exist — same status, same page — for GET and
POST, and writes nothing. The URLs are read from the URL configuration, so a new route is covered as soon as
it exists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.casework.models import CaseNote, ClientFile, FileKind
from hearth.consent.models import Disclosure, Method, Release, ReleaseMember
from hearth.hmis.models import Client, Enrollment, Exit, Services
from tests.web.personas import World

# The ids a URL may carry that name client data, and the record of the other agency each stands for.
TARGETS = ("client_id", "enrollment_id", "note_id", "file_id", "release_id")
# Other parts of those URLs: a plausible value (the answer must not depend on them).
FILLERS = {"stage": "entry", "lang": "en", "kind": "hud", "service_id": "1"}


def _routes() -> list[tuple[str, str, dict[str, str]]]:
    """(pattern text, target id name, converters) of every route carrying a target id."""
    found: list[tuple[str, str, dict[str, str]]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                converters = dict(entry.pattern.converters)
                names = set(converters)
                targets = [n for n in TARGETS if n in names]
                if targets and names <= set(TARGETS) | set(FILLERS):
                    found.append((prefix + str(entry.pattern), targets[0], dict.fromkeys(names, "")))

    walk(get_resolver().url_patterns, "/")
    return found


def _url(pattern: str, values: dict[str, str]) -> str:
    url = pattern
    for name, value in values.items():
        for converter in ("int", "str", "slug"):
            url = url.replace(f"<{converter}:{name}>", value)
    return url


@pytest.fixture
def other_agency(world: World) -> dict[str, int]:
    """Agency B's records about its client: what agency A's staff must not reach by guessing ids."""
    client = world.clients["at_b"]
    enrollment = Enrollment.objects.get(client=client)
    author = world.users["admin_a"]  # any account: the note belongs to agency B
    now = timezone.now()
    note = CaseNote.objects.create(
        client=client,
        organization=world.orgs["b"],
        contact_date=date(2026, 1, 10),
        text="n",
        author=author,
        created_at=now,
    )
    document = ClientFile.objects.create(
        client=client,
        organization=world.orgs["b"],
        kind=FileKind.OTHER,
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        stored_name="idor-test",
        uploaded_by=author,
        uploaded_at=now,
    )
    # A release B took, sharing with the far CoC's agency only (not with A).
    release = Release.objects.create(
        client=client,
        organization=world.orgs["b"],
        continuum=world.continuums["a"],
        categories=["identity"],
        category_mask=1,
        starts_on=date(2026, 1, 1),
        method=Method.WRITTEN,
        obtained_by=author,
        obtained_by_name="someone",
    )
    release.organizations.set([world.orgs["z"]])
    ReleaseMember.objects.create(release=release, client=client)
    return {
        "client_id": client.pk,
        "enrollment_id": enrollment.pk,
        "note_id": note.pk,
        "file_id": document.pk,
        "release_id": release.pk,
    }


def _state() -> tuple[int, ...]:
    return (
        AuditEvent.objects.exclude(action__in=("client.searched",)).count(),
        Disclosure.objects.count(),
        Client.objects.filter(date_deleted__isnull=True).count(),
        Enrollment.objects.filter(date_deleted__isnull=True).count(),
        Exit.objects.count(),
        Services.objects.count(),
        CaseNote.objects.filter(deleted_at__isnull=True).count(),
        ClientFile.objects.filter(deleted_at__isnull=True).count(),
        Release.objects.filter(revoked_at__isnull=True).count(),
    )


def test_routes_are_found() -> None:
    targets = {target for _, target, _ in _routes()}
    assert targets == set(TARGETS)
    assert len(_routes()) >= 20


@pytest.mark.parametrize("persona", ["manager_a", "intake_a", "admin_a", "outreach_worker", "admin_v", "lead_b"])
def test_guessed_ids_answer_like_missing_ones(world: World, other_agency: dict[str, int], persona: str) -> None:
    browser = Browser()
    browser.force_login(world.users[persona])
    missing = {name: str(pk + 100_000) for name, pk in other_agency.items()}
    before = _state()
    checked = 0
    for pattern, target, names in _routes():
        values = {name: FILLERS.get(name, "") for name in names}
        for method in ("get", "post"):
            answers = []
            for ids in (other_agency, missing):
                url = _url(pattern, {**values, target: str(ids[target])})
                # Every other id in the URL is the same in both requests.
                answers.append(getattr(browser, method)(url))
            theirs, nobody = answers
            assert theirs.status_code in (404, 405), (pattern, method, theirs.status_code)
            assert (theirs.status_code, theirs.content) == (nobody.status_code, nobody.content), (pattern, method)
            checked += 1
    assert checked == 2 * len(_routes())
    assert _state() == before


def test_own_records_are_reached_by_the_same_urls(world: World) -> None:
    """The control: the same kind of URL with agency A's own client answers, so 404 above is not a default."""
    browser = Browser()
    browser.force_login(world.users["manager_a"])
    own = world.clients["at_a"]
    assert browser.get(f"/clients/{own.pk}/").status_code == 200
    assert browser.get(f"/enrollments/{Enrollment.objects.get(client=own).pk}/").status_code == 200
