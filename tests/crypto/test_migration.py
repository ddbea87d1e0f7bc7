"""hmis 0003 encrypts the SSNs already stored (and decrypts them when reversed); key rotation re-encrypts every
value under the new key."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from hearth.audit.models import AuditEvent
from hearth.crypto import PREFIX, key_id_of, keyring, new_key
from hearth.hmis.models import Client
from tests import factories

BEFORE = ("hmis", "0002_continuum")
ENCRYPTING = ("hmis", "0003_client_ssn_encrypted")


def stored() -> dict[str, str | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT hud_id, ssn FROM hmis_client ORDER BY hud_id")
        return dict(cursor.fetchall())


def migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_migration_encrypts_existing_rows_and_reverses(settings: pytest.FixtureRequest) -> None:
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    plain = {"A1": "900123456", "A2": "xxxxx4321", "A3": None, "A4": ""}
    for hud_id, ssn in plain.items():
        factories.client(hud_id=hud_id, ssn=ssn)
    encrypted = stored()
    # Every app's leaf: going back to hmis 0002 also unapplied the apps that depend on hmis 0003 or later.
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(BEFORE)
        assert stored() == plain  # reversed: the plain numbers, in a column of the old width
        migrate(ENCRYPTING)
        after = stored()
        assert after == encrypted  # deterministic: the same ciphertext as the field wrote
        assert after["A1"] is not None
        assert after["A1"].startswith(f"{PREFIX}{keyring().current.key_id}:")
        assert "900123456" not in after["A1"]
        assert (after["A3"], after["A4"]) == (None, "")
        migrate(ENCRYPTING)  # applied already: nothing to do
        assert {c.hud_id: c.ssn for c in Client.objects.all()} == plain
    finally:
        MigrationExecutor(connection).migrate(leaves)


@pytest.mark.django_db
def test_rotation_reencrypts_every_value_under_the_new_key(settings: pytest.FixtureRequest) -> None:
    from django.contrib.auth import get_user_model

    from hearth.collection.models import Draft

    old = new_key()
    settings.HEARTH_FIELD_KEY = old  # type: ignore[attr-defined]
    a = factories.client(ssn="900123456", ssn_data_quality=1)
    b = factories.client(ssn="900654321", ssn_data_quality=1)
    factories.client(ssn=None)
    worker = get_user_model().objects.create_user("worker")
    draft = Draft(user=worker, enrollment_id=41, stage="update", saved_at=timezone.now())
    draft.answers = {"information_date": "2026-02-01"}
    draft.save()
    old_id = keyring().current.key_id
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    settings.HEARTH_FIELD_KEYS_RETIRED = [old]  # type: ignore[attr-defined]
    new_id = keyring().current.key_id

    out = io.StringIO()
    call_command("fieldkey", "status", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:2] == [f"Current key: {new_id}", f"Retired keys still accepted: {old_id}"]
    # Every sealed column is listed (other apps' too); these two hold values.
    assert f"hmis_client.ssn: {old_id}: 2" in lines
    assert f"collection_draft.sealed: {old_id}: 1" in lines
    out = io.StringIO()
    call_command("fieldkey", "rotate", "--chunk", "1", stdout=out)
    assert f"hmis_client.ssn: 2 values re-encrypted under key {new_id}" in out.getvalue().splitlines()
    assert f"collection_draft.sealed: 1 values re-encrypted under key {new_id}" in out.getvalue().splitlines()
    assert {key_id_of(v) for v in stored().values() if v} == {new_id}
    event = AuditEvent.objects.get(action="crypto.key_rotated")
    assert (event.object_type, event.object_id) == ("FieldKey", new_id)
    assert (event.details["rewritten"]["hmis_client.ssn"], event.details["rewritten"]["collection_draft.sealed"]) == (
        2,
        1,
    )

    settings.HEARTH_FIELD_KEYS_RETIRED = []  # type: ignore[attr-defined]  # the old key can go now
    assert Client.objects.get(pk=a.pk).ssn == "900123456"
    assert Client.objects.get(pk=b.pk).ssn == "900654321"
    assert Draft.objects.get(pk=draft.pk).answers == {"information_date": "2026-02-01"}  # the draft survived
    call_command("fieldkey", "rotate", stdout=io.StringIO())  # nothing left to rewrite
    last = AuditEvent.objects.filter(action="crypto.key_rotated").last()
    assert last is not None
    assert set(last.details["rewritten"].values()) == {0}


@pytest.mark.django_db
def test_rotation_never_overwrites_a_value_changed_while_it_runs(
    settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hearth.crypto import rotation

    old = new_key()
    settings.HEARTH_FIELD_KEY = old  # type: ignore[attr-defined]
    a = factories.client(ssn="900123456", ssn_data_quality=1)
    b = factories.client(ssn="900654321", ssn_data_quality=1)
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    settings.HEARTH_FIELD_KEYS_RETIRED = [old]  # type: ignore[attr-defined]
    real_decrypt = rotation.decrypt
    corrected: list[bool] = []

    def decrypt_while_a_user_corrects(value: str, *, context: str) -> str:
        # Between the rotation's read and its write, a case worker corrects client a's SSN (under the new key).
        if not corrected:
            Client.objects.filter(pk=a.pk).update(ssn="900111111")
            corrected.append(True)
        return real_decrypt(value, context=context)

    monkeypatch.setattr(rotation, "decrypt", decrypt_while_a_user_corrects)
    result = rotation.rotate(actor="test")
    assert result.rewritten["hmis_client.ssn"] == 1  # b only: a's read value was no longer there
    assert Client.objects.get(pk=a.pk).ssn == "900111111"  # the correction stands
    assert Client.objects.get(pk=b.pk).ssn == "900654321"
    assert {key_id_of(v) for v in stored().values() if v} == {keyring().current.key_id}


def test_new_key_command_prints_a_usable_key() -> None:
    out = io.StringIO()
    call_command("fieldkey", "new", stdout=out)
    key = out.getvalue().strip()
    assert len(key) == 86
    from hearth.crypto.keys import parse_key

    assert len(parse_key(key, setting="HEARTH_FIELD_KEY").key_id) == 8
