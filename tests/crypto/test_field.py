"""Client.ssn: plain text in Python, ciphertext in the database, on every ORM path."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from hearth.audit.models import FieldChange
from hearth.crypto import PREFIX, FieldCryptoError, decrypt, keyring, new_key, stored_length
from hearth.hmis.fields import EncryptedCharField, encrypted_fields
from hearth.hmis.models import Client
from tests import factories

pytestmark = pytest.mark.django_db

SSN = "900123456"


def stored_ssn(client_id: int) -> str | None:
    """The column as the database holds it (raw SQL: no model field involved)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ssn FROM hmis_client WHERE id = %s", [client_id])
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def test_client_ssn_is_the_encrypted_field_and_the_column_holds_its_ciphertext() -> None:
    field = Client._meta.get_field("ssn")
    assert isinstance(field, EncryptedCharField)
    assert field.max_length == 68  # the value's length: forms and validation see the SSN, not the ciphertext
    assert field.context == "hmis_client.ssn"
    assert field.db_type(connection) == f"varchar({stored_length(68)})"
    # The SSN always; the free-text fields the HMIS Lead may mark sensitive are encrypted fields too.
    assert encrypted_fields(Client) == {
        "ssn": field,
        "middle_name": Client._meta.get_field("middle_name"),
        "name_suffix": Client._meta.get_field("name_suffix"),
        "additional_race_ethnicity": Client._meta.get_field("additional_race_ethnicity"),
    }


def test_saved_ssn_is_ciphertext_in_the_database_and_plain_text_in_python() -> None:
    client = factories.client(ssn=SSN, ssn_data_quality=1)
    stored = stored_ssn(client.pk)
    assert stored is not None
    assert stored.startswith(f"{PREFIX}{keyring().current.key_id}:")
    assert SSN not in stored
    assert SSN[-4:] not in stored.split(":", 2)[2]
    assert decrypt(stored, context="hmis_client.ssn") == SSN
    assert client.ssn == SSN
    assert Client.objects.get(pk=client.pk).ssn == SSN
    assert list(Client.objects.filter(pk=client.pk).values_list("ssn", flat=True)) == [SSN]
    assert list(Client.objects.filter(pk=client.pk).values("ssn")) == [{"ssn": SSN}]


def test_empty_and_missing_ssns_stay_as_they_are() -> None:
    none = factories.client(ssn=None)
    empty = factories.client(ssn="")
    assert stored_ssn(none.pk) is None
    assert stored_ssn(empty.pk) == ""
    assert Client.objects.get(pk=none.pk).ssn is None
    assert Client.objects.get(pk=empty.pk).ssn == ""


def test_updates_and_bulk_writes_encrypt_too() -> None:
    client = factories.client(ssn=SSN, ssn_data_quality=1)
    Client.objects.filter(pk=client.pk).update(ssn="900999999")
    assert "900999999" not in (stored_ssn(client.pk) or "")
    assert Client.objects.get(pk=client.pk).ssn == "900999999"
    client.ssn = "xxxxx1234"
    client.save(update_fields=["ssn"])
    assert Client.objects.get(pk=client.pk).ssn == "xxxxx1234"
    client.ssn = "900555555"
    Client.objects.bulk_update([client], ["ssn"])
    assert (stored_ssn(client.pk) or "").startswith(PREFIX)
    assert Client.objects.get(pk=client.pk).ssn == "900555555"


def test_exact_and_in_lookups_work_on_the_ciphertext() -> None:
    a = factories.client(ssn=SSN, ssn_data_quality=1)
    b = factories.client(ssn="900222333", ssn_data_quality=1)
    factories.client(ssn=None)
    assert list(Client.objects.filter(ssn=SSN)) == [a]
    assert set(Client.objects.filter(ssn__in=[SSN, "900222333"])) == {a, b}
    assert Client.objects.filter(ssn__isnull=True).count() == 1


@pytest.mark.parametrize("lookup", ["endswith", "contains", "startswith", "iexact", "gt"])
def test_lookups_that_cannot_work_on_ciphertext_are_refused(lookup: str) -> None:
    with pytest.raises(FieldError, match=f"Unsupported lookup '{lookup}'"):
        Client.objects.filter(**{f"ssn__{lookup}": "3456"}).count()


def test_reading_with_the_wrong_key_fails_clearly(settings: pytest.FixtureRequest) -> None:
    client = factories.client(ssn=SSN, ssn_data_quality=1)
    settings.HEARTH_FIELD_KEY = new_key()  # type: ignore[attr-defined]
    with pytest.raises(FieldCryptoError, match="different key than the one that wrote it") as raised:
        Client.objects.get(pk=client.pk)
    assert SSN not in str(raised.value)


def test_a_plain_text_ssn_written_past_the_field_is_refused_on_read() -> None:
    client = factories.client(ssn=SSN, ssn_data_quality=1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE hmis_client SET ssn = %s WHERE id = %s", [SSN, client.pk])
    with pytest.raises(FieldCryptoError, match="not encrypted") as raised:
        Client.objects.get(pk=client.pk)
    assert SSN not in str(raised.value)


def test_audit_keeps_masking_the_ssn() -> None:
    from hearth.audit.log import record, record_changes

    event = record("client.updated", actor="test", object_type="Client", object_id=1)
    record_changes(event, {"ssn": ("900123456", "900654321")})
    change = FieldChange.objects.get(event_id=event.pk)
    assert (change.old, change.new) == ("•••-••-3456", "•••-••-4321")
