"""On PostgreSQL audit rows cannot be changed or removed, by any role, the table owner included (migration
audit 0004); appends from concurrent transactions still form one chain. Skipped on SQLite (where the hash chain
is the protection: tests/audit/test_chain.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from hearth.audit.log import record, record_changes
from hearth.audit.models import AuditEvent, FieldChange
from hearth.audit.verify import verify


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: HEARTH_TEST_DATABASE_URL=postgres://…")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_event SET actor = 'x'",
        "DELETE FROM audit_event",
        "UPDATE audit_field_change SET new = 'x'",
        "DELETE FROM audit_field_change",
    ],
)
def test_update_and_delete_are_refused(sql: str) -> None:
    _postgres_only()
    event = record("client.updated", actor="ana", actor_id=7, object_type="Client", object_id=11)
    record_changes(event, {"first_name": ("Ann", "Anne")})
    refused = r"audit rows are append-only: (UPDATE|DELETE) on audit_\w+ refused"
    with pytest.raises(DatabaseError, match=refused), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.get().actor == "ana"
    assert FieldChange.objects.get().new == "Anne"


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_one_chain() -> None:
    _postgres_only()
    writers, per_writer = 4, 25
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(per_writer):
                record("client.viewed", actor=f"w{n}", actor_id=n, object_type="Client", object_id=i)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify()[0]
    assert (report.rows, report.broken) == (writers * per_writer, None)
