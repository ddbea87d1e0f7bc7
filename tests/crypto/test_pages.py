"""Through the pages: an SSN typed at intake or in a correction is stored encrypted, and appears in no URL, log
line, audit detail or page beyond the masked last four (ADR 0005, ADR 0007)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import connection
from django.test import Client as Browser

from hearth.audit.models import AuditEvent, FieldChange
from hearth.crypto import PREFIX
from hearth.hmis.models import Client
from hearth.search import SearchQuery, candidate_ids
from hearth.search.index import rebuild
from tests.web.personas import World, build_world

SSN = "900123456"


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def browser_for(world: World, persona: str) -> Browser:
    browser = Browser()
    browser.force_login(world.users[persona])
    return browser


def form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": "Rosalind",
        "last_name": "Okafor",
        "name_data_quality": 1,
        "ssn": "900-12-3456",
        "ssn_data_quality": 1,
        "dob": "1979-06-02",
        "dob_data_quality": 1,
        "races": ["black_af_american"],
        "sex": 0,
        "veteran_status": 0,
        "confirmed": "new",
    }
    values.update(overrides)
    return values


def stored_ssn(client_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ssn FROM hmis_client WHERE id = %s", [client_id])
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])


def test_intake_and_correction_keep_the_ssn_encrypted_and_out_of_urls_logs_and_audit(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    rebuild()
    caplog.set_level(logging.DEBUG)
    browser = browser_for(world, "intake_a")
    created = browser.post("/clients/new/", form())
    client = Client.objects.get(first_name="Rosalind", last_name="Okafor")
    assert created.status_code == 302
    assert created["Location"] == f"/clients/{client.pk}/"
    assert client.ssn == SSN
    stored = stored_ssn(client.pk)
    assert stored.startswith(PREFIX)
    assert "3456" not in stored.split(":", 2)[2]
    # Search by the last four finds the new client (its keys were written from the plain number).
    assert candidate_ids(SearchQuery(ssn_last4="3456"))[0] == [client.pk]

    profile = browser.get(created["Location"]).content.decode()
    assert "•••-••-3456" in profile
    assert SSN not in profile

    manager = browser_for(world, "manager_a")
    corrected = manager.post(
        f"/clients/{client.pk}/edit/", {k: v for k, v in form(ssn="900654321").items() if k != "confirmed"}
    )
    assert corrected.status_code == 302
    assert corrected["Location"] == f"/clients/{client.pk}/"
    assert Client.objects.get(pk=client.pk).ssn == "900654321"
    assert "4321" not in stored_ssn(client.pk).split(":", 2)[2]
    assert list(FieldChange.objects.filter(field="ssn").order_by("pk").values_list("old", "new")) == [
        (None, "•••-••-3456"),  # registered
        ("•••-••-3456", "•••-••-4321"),  # corrected
    ]
    assert candidate_ids(SearchQuery(ssn_last4="4321"))[0] == [client.pk]
    assert candidate_ids(SearchQuery(ssn_last4="3456"))[0] == []

    details = str(list(AuditEvent.objects.values_list("details", flat=True)))
    for number in (SSN, "900654321", "900-12-3456"):
        assert number not in details
        assert number not in caplog.text
    assert "3456" not in caplog.text
