"""The audit trail's hash chains: each row links to the one before and hashes its own content; verify names the
first broken link when a row is altered, removed or inserted behind Hearth's back (raw SQL, as a database login
could)."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hearth.audit import chain
from hearth.audit.log import record, record_changes
from hearth.audit.models import AuditEvent, FieldChange
from hearth.audit.verify import verify

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list[Any]) -> None:
    """Tamper as a database login could: on PostgreSQL the owner first disables the append-only triggers (rolled
    back with the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("audit_event", "audit_field_change"):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        cursor.execute(sql, params)


def _three() -> list[AuditEvent]:
    return [
        record("client.viewed", actor="ana", actor_id=7, object_type="Client", object_id=11, source_ip="10.0.0.1"),
        record("client.updated", actor="ana", actor_id=7, object_type="Client", object_id=11, details={"n": 2}),
        record("hmis.import", actor="cli:root", details={"counts": {"Client": {"inserted": 3}}, "seconds": 1.0}),
    ]


def test_the_first_event_links_to_the_genesis_and_each_next_to_the_one_before() -> None:
    first, second, third = _three()
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.row_hash
    assert third.prev_hash == second.row_hash
    assert len({first.row_hash, second.row_hash, third.row_hash}) == 3


def test_the_hash_is_sha256_over_the_previous_hash_and_the_canonical_content() -> None:
    at = datetime(2026, 11, 27, 14, 30, 5, 123456, tzinfo=UTC)
    content = chain.canonical_event(
        at=at,
        actor_id=7,
        actor="ana",
        action="client.viewed",
        object_type="Client",
        object_id="11",
        source_ip="10.0.0.1",
        details={"b": 1.0, "a": [1, 2]},
    )
    assert content == (
        '{"action":"client.viewed","actor":"ana","actor_id":7,"at":"2026-11-27T14:30:05.123456+00:00",'
        '"details":{"a":[1,2],"b":1},"object_id":"11","object_type":"Client","source_ip":"10.0.0.1"}'
    )
    assert chain.digest("0" * 64, content) == hashlib.sha256(f"{'0' * 64}\n{content}".encode()).hexdigest()


def test_the_stored_rows_give_back_the_hash_they_were_written_with() -> None:
    events = _three()
    reports = verify()
    assert [(r.table, r.rows, r.broken) for r in reports] == [("audit_event", 3, None), ("audit_field_change", 0, None)]
    assert (reports[0].head_id, reports[0].head_hash) == (events[-1].pk, events[-1].row_hash)


def test_an_altered_row_is_found_by_its_own_hash() -> None:
    first, second, _ = _three()
    _raw("UPDATE audit_event SET actor = %s WHERE id = %s", ["someone-else", second.pk])
    report = verify()[0]
    assert report.broken is not None
    altered = "its content does not match its hash: it was altered"
    assert (report.broken.row_id, report.broken.reason) == (second.pk, altered)
    assert (report.rows, report.head_id) == (2, first.pk)


def test_altered_details_are_found() -> None:
    _, second, _ = _three()
    _raw("UPDATE audit_event SET details = %s WHERE id = %s", [json.dumps({"n": 3}), second.pk])
    broken = verify()[0].broken
    assert broken is not None
    assert broken.row_id == second.pk


def test_a_rewritten_hash_breaks_the_next_link() -> None:
    first, second, _third = _three()
    forged = chain.digest(first.row_hash, "forged content")
    _raw("UPDATE audit_event SET actor = %s, row_hash = %s WHERE id = %s", ["x", forged, second.pk])
    broken = verify()[0].broken
    assert broken is not None
    assert broken.row_id == second.pk  # its content still does not give the forged hash


def test_a_removed_row_breaks_the_next_link() -> None:
    first, second, third = _three()
    _raw("DELETE FROM audit_event WHERE id = %s", [second.pk])
    broken = verify()[0].broken
    assert broken is not None
    assert (broken.row_id, broken.reason) == (
        third.pk,
        f"does not link to row {first.pk}: a row before it was removed, added or altered",
    )


def test_a_removed_first_row_breaks_the_link_to_the_start() -> None:
    first, second, _ = _three()
    _raw("DELETE FROM audit_event WHERE id = %s", [first.pk])
    broken = verify()[0].broken
    assert broken is not None
    assert (broken.row_id, broken.reason) == (
        second.pk,
        "does not link to the start of the chain: a row before it was removed, added or altered",
    )


def test_field_changes_have_their_own_chain() -> None:
    event = record("client.updated", actor="ana", actor_id=7, object_type="Client", object_id=11)
    record_changes(event, {"first_name": ("Ann", "Anne"), "ssn": ("900123456", "900654321")})
    record_changes(event, {})
    changes = list(FieldChange.objects.order_by("pk"))
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("first_name", "Ann", "Anne"),
        ("ssn", "•••-••-3456", "•••-••-4321"),
    ]
    assert changes[0].prev_hash == "0" * 64
    assert changes[1].prev_hash == changes[0].row_hash
    assert verify()[1].broken is None
    _raw("UPDATE audit_field_change SET new = %s WHERE id = %s", ["Annie", changes[0].pk])
    report = verify()[1]
    assert report.broken is not None
    assert report.broken.row_id == changes[0].pk


def test_verify_command_reports_intact_chains_and_their_heads() -> None:
    events = _three()
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().splitlines() == [
        f"audit_event: 3 rows, chain intact. Head {events[-1].pk}:{events[-1].row_hash}",
        "audit_field_change: 0 rows, chain intact. Head empty",
    ]
    verified = AuditEvent.objects.get(action="audit.verified")
    assert verified.details == {"intact": True, "rows": 3}


def test_verify_command_fails_naming_the_first_broken_link() -> None:
    _, second, _ = _three()
    _raw("UPDATE audit_event SET object_id = %s WHERE id = %s", ["12", second.pk])
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", stdout=out)
    expected = f"audit_event: row {second.pk} its content does not match its hash: it was altered"
    assert str(raised.value) == f"The audit trail is not intact: {expected}"
    assert out.getvalue().splitlines()[0] == expected
    assert AuditEvent.objects.get(action="audit.verified").details == {"intact": False, "rows": 2}


def test_verify_command_checks_a_head_noted_earlier() -> None:
    events = _three()
    noted = f"{events[-1].pk}:{events[-1].row_hash}"
    call_command("audit", "verify", "--head", noted, stdout=io.StringIO())
    # The newest rows removed from the end: the chain alone is intact, the noted head is gone.
    _raw("DELETE FROM audit_event WHERE id >= %s", [events[-1].pk])
    with pytest.raises(CommandError, match="noted earlier is not in the chain"):
        call_command("audit", "verify", "--head", noted, stdout=io.StringIO())
    with pytest.raises(CommandError, match="--head takes ID:HASH"):
        call_command("audit", "verify", "--head", "12:abc", stdout=io.StringIO())


def test_events_written_before_the_chain_are_linked_by_the_migration() -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("hearth.audit.migrations.0003_chain_and_alerts")
    events = _three()
    _raw("UPDATE audit_event SET prev_hash = '', row_hash = ''", [])
    migration.chain_existing_rows(apps, connection.schema_editor())
    assert verify()[0].broken is None
    assert AuditEvent.objects.get(pk=events[-1].pk).row_hash == events[-1].row_hash
