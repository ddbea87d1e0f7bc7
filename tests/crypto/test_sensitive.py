"""Fields the HMIS Lead marks sensitive: encrypted at rest once switched on, existing values rewritten by a job
without stopping Hearth, read back plain everywhere (ORM, HMIS CSV reads), rotated with the SSNs; the choice is
the HMIS Lead's and audited."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import Client as Browser

from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent
from hearth.crypto import PREFIX, key_id_of, keyring, new_key, sensitive
from hearth.crypto.models import SealedField
from hearth.exchange.db import read_hud
from hearth.hmis.fields import SensitiveCharField
from hearth.hmis.models import Client, CurrentLivingSituation, Exit, IncomeBenefits
from hearth.jobs.models import Job
from hearth.jobs.worker import Worker
from tests import factories
from tests.web.personas import PERSONAS, World

COLUMN = "hmis_client.middle_name"


@pytest.fixture(autouse=True)
def _no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sensitive, "CACHE_SECONDS", 0.0)
    sensitive.forget()


def stored(client_id: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT middle_name FROM hmis_client WHERE id = %s", [client_id])
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def lead(world: World) -> Actor:
    return Actor(user=world.users["lead_a"], name="lead_a")


def test_the_candidates_are_the_reviewed_list_and_their_fields_are_sensitive_char_fields() -> None:
    assert [c.key for c in sensitive.CANDIDATES] == [
        "hmis_client.middle_name",
        "hmis_client.name_suffix",
        "hmis_client.additional_race_ethnicity",
        "hmis_current_living_situation.location_details",
        "hmis_current_living_situation.verified_by",
        "hmis_exit.other_destination",
        "hmis_income_benefits.other_income_source_identify",
        "hmis_income_benefits.other_benefits_source_identify",
        "hmis_income_benefits.other_insurance_identify",
    ]
    models = {"hmis_client": Client, "hmis_current_living_situation": CurrentLivingSituation}
    models |= {"hmis_exit": Exit, "hmis_income_benefits": IncomeBenefits}
    for candidate in sensitive.CANDIDATES:
        field = models[candidate.table]._meta.get_field(candidate.column)
        assert isinstance(field, SensitiveCharField)
        assert field.context == candidate.key
        assert field.help_text == f"DE {candidate.element}"
    # Nothing may filter on them but isnull: a column can hold plain and encrypted values while the job runs.
    with pytest.raises(FieldError):
        Client.objects.filter(middle_name="Ann")
    assert "IS NULL" in str(Client.objects.filter(middle_name__isnull=True).query)


@pytest.mark.django_db
def test_switching_on_encrypts_new_writes_and_the_job_encrypts_the_rest(world: World) -> None:
    before = factories.client("Ada", "Quinn", middle_name="Beatrix")
    assert stored(before.pk) == "Beatrix"  # off: plain, as before
    assert sensitive.set_sealed(column=COLUMN, sealed=True, by=lead(world)) is True
    assert sensitive.set_sealed(column=COLUMN, sealed=True, by=lead(world)) is False  # already on: nothing
    after = factories.client("Cy", "Quinn", middle_name="Delphine")
    value = stored(after.pk)
    assert value is not None
    assert value.startswith(f"{PREFIX}{keyring().current.key_id}:")
    assert "Delphine" not in value
    assert Client.objects.get(pk=after.pk).middle_name == "Delphine"
    assert Client.objects.get(pk=before.pk).middle_name == "Beatrix"  # still plain, still read
    assert sensitive.counts(COLUMN) == (1, 1)

    job = Job.objects.get(kind=sensitive.SEAL_JOB)
    assert job.parameters == {"column": COLUMN}
    event = AuditEvent.objects.get(action="crypto.field_sealed")
    assert (event.actor, event.object_type, event.object_id) == ("lead_a", "Field", COLUMN)
    assert Worker("sensitive-test", threaded=False).run(burst=True) == 1
    job.refresh_from_db()
    assert job.result == {"column": COLUMN, "rewritten": 1, "encrypted": 2, "plain": 0}
    assert sensitive.counts(COLUMN) == (2, 0)
    assert "Beatrix" not in (stored(before.pk) or "")
    assert {c.pk: c.middle_name for c in Client.objects.filter(pk__in=[before.pk, after.pk])} == {
        before.pk: "Beatrix",
        after.pk: "Delphine",
    }
    # The bulk read every export and report uses gives the plain values.
    frame = read_hud("Client", ["PersonalID", "MiddleName"]).sort("PersonalID")
    assert sorted(v for v in frame["MiddleName"].to_list() if v) == ["Beatrix", "Delphine"]


@pytest.mark.django_db
def test_switching_off_decrypts_the_stored_values(world: World) -> None:
    sensitive.set_sealed(column=COLUMN, sealed=True, by=lead(world))
    client = factories.client("Ada", "Quinn", middle_name="Beatrix")
    assert (stored(client.pk) or "").startswith(PREFIX)
    sensitive.set_sealed(column=COLUMN, sealed=False, by=lead(world))
    assert sensitive.rewrite(COLUMN) == 1
    assert stored(client.pk) == "Beatrix"
    assert AuditEvent.objects.filter(action="crypto.field_unsealed", object_id=COLUMN).count() == 1
    assert SealedField.objects.get(column=COLUMN).sealed is False


@pytest.mark.django_db
def test_unknown_columns_are_refused(world: World) -> None:
    with pytest.raises(ValueError, match="is not one of the fields that may be marked sensitive"):
        sensitive.set_sealed(column="hmis_client.first_name", sealed=True, by=lead(world))
    assert not SealedField.objects.exists()
    assert not AuditEvent.objects.filter(action="crypto.field_sealed").exists()


@pytest.mark.django_db
def test_rotation_re_encrypts_sealed_values_and_leaves_plain_ones(
    settings: pytest.FixtureRequest, world: World
) -> None:
    old = new_key()
    settings.HEARTH_FIELD_KEY = old  # type: ignore[attr-defined]
    plain = factories.client("Ada", "Quinn", name_suffix="Jr")  # name_suffix stays off: plain
    sensitive.set_sealed(column=COLUMN, sealed=True, by=lead(world))
    sealed = factories.client("Cy", "Quinn", middle_name="Delphine")
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    settings.HEARTH_FIELD_KEYS_RETIRED = [old]  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("fieldkey", "rotate", stdout=out)
    assert f"hmis_client.middle_name: 1 values re-encrypted under key {keyring().current.key_id}" in out.getvalue()
    assert "hmis_client.name_suffix: 0 values re-encrypted" in out.getvalue()
    assert key_id_of(stored(sealed.pk) or "") == keyring().current.key_id
    assert Client.objects.get(pk=plain.pk).name_suffix == "Jr"
    settings.HEARTH_FIELD_KEYS_RETIRED = []  # type: ignore[attr-defined]
    assert Client.objects.get(pk=sealed.pk).middle_name == "Delphine"


CHOOSERS = {"lead_a", "lead_b", "superuser"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_page_is_the_hmis_leads(world: World, persona: str) -> None:
    browser = Browser()
    browser.force_login(world.users[persona])
    page = browser.get("/sensitive-fields/")
    posted = browser.post("/sensitive-fields/", {"column": COLUMN, "sealed": "1"})
    if persona not in CHOOSERS:
        assert (page.status_code, posted.status_code) == (404, 404)
        assert not SealedField.objects.exists()
        assert not Job.objects.filter(kind=sensitive.SEAL_JOB).exists()
        return
    assert page.status_code == 200
    assert 'Location details <span class="text-base">(4.12.4)</span>' in page.content.decode()
    assert (posted.status_code, posted["Location"]) == (302, "/sensitive-fields/")
    assert SealedField.objects.get(column=COLUMN).sealed is True
    assert "0 encrypted · 0 plain · last rewrite: queued" in browser.get("/sensitive-fields/").content.decode()
    assert browser.post("/sensitive-fields/", {"column": "hmis_client.first_name", "sealed": "1"}).status_code == 404
