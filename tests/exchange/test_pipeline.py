"""The pipelined import (PostgreSQL): writing in a second thread while validation goes on, in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection, transaction

from hearth.exchange.models import RunStatus
from hearth.hmis.models import Client, Services, Source
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import, hud_row_count, other_session

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _pipeline(settings: pytest.FixtureRequest) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the pipelined writer runs on PostgreSQL only")
    settings.HEARTH_IMPORT_PIPELINE = True  # type: ignore[attr-defined]
    settings.HEARTH_IMPORT_BATCH_ROWS = 2  # type: ignore[attr-defined]


def test_pipelined_import_writes_everything(tmp_path: Path, minimal: ExportBuilder) -> None:
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert outcome.ok, outcome.log.summary_lines()
    assert outcome.counts["Services"].inserted == 3
    assert Client.objects.count() == 3
    assert sorted(Services.objects.values_list("hud_id", flat=True)) == ["S1", "S2", "S3"]
    again = do_import(minimal.write_zip(tmp_path / "again.zip"))
    assert sum(c.inserted + c.updated for c in again.counts.values()) == 0


def test_error_in_a_late_file_rolls_back_what_was_already_written(tmp_path: Path, minimal: ExportBuilder) -> None:
    # Client, Enrollment… are written while later files are checked; the error is in the last file.
    minimal.add(
        "YouthEducationStatus",
        YouthEducationStatusID="Y1",
        EnrollmentID="E9",
        PersonalID="C1",
        InformationDate="2024-11-01",
        DataCollectionStage=1,
        DateCreated="2025-01-15 09:30:00",
        DateUpdated="2025-01-15 09:30:00",
        UserID="U1",
        ExportID="EXP1",
    )
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert outcome.status == RunStatus.REJECTED
    assert hud_row_count() == 0
    assert Source.objects.count() == 0


def _all_visible(table: str) -> tuple[int, int]:
    """(pages, pages marked all-visible) after ANALYZE, which reads the visibility map."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        cursor.execute("SELECT relpages, relallvisible FROM pg_class WHERE oid = %s::regclass", [table])
        pages, visible = cursor.fetchone()
    return int(pages), int(visible)


def test_a_bulk_load_into_empty_tables_writes_frozen_rows(tmp_path: Path, minimal: ExportBuilder) -> None:
    for n in range(2_000):  # more than a page of services
        minimal.add("Services", **{**minimal.rows["Services"][0], "ServicesID": f"X{n}"})
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"), bulk=True)
    assert outcome.ok, outcome.log.summary_lines()
    pages, visible = _all_visible("hmis_services")
    assert pages > 1
    # Every page all-visible straight away: COPY FREEZE after the table got a new file in the transaction.
    assert visible == pages
    # hmis_project is referenced by other tables' foreign keys, so it is neither truncated nor frozen.
    assert _all_visible("hmis_project")[1] == 0


def test_a_table_that_holds_rows_or_is_referenced_is_never_truncated(minimal: ExportBuilder, tmp_path: Path) -> None:
    from hearth.exchange import db

    assert do_import(minimal.write_zip(tmp_path / "export.zip")).ok
    with transaction.atomic():
        assert db.empty_into_new_file("hmis_services") is False
        assert db.empty_into_new_file("hmis_project") is False
    assert sorted(Services.objects.values_list("hud_id", flat=True)) == ["S1", "S2", "S3"]
    Services.objects.all().delete()
    with transaction.atomic():
        assert db.empty_into_new_file("hmis_services") is True
        assert db.empty_into_new_file("hmis_project") is False  # referenced by foreign keys (Funder…)


def test_a_row_another_session_is_inserting_is_waited_for_and_kept(minimal: ExportBuilder, tmp_path: Path) -> None:
    import threading

    from hearth.exchange import db

    assert do_import(minimal.write_zip(tmp_path / "export.zip")).ok
    row = Services.objects.values("enrollment_id", "client_id", "source_id").first()
    assert row is not None
    Services.objects.all().delete()
    other = other_session()
    # The other session's insert is not committed yet when the import looks at the table.
    other.execute(
        "INSERT INTO hmis_services (source_id, hud_id, enrollment_id, client_id, date_provided, record_type, "
        "type_provided, date_created, date_updated, user_id) VALUES (%s, 'LATE', %s, %s, '2025-01-01', 200, 200, "
        "now(), now(), 'U1')",
        [row["source_id"], row["enrollment_id"], row["client_id"]],
    )
    outcome: list[bool] = []

    def load() -> None:
        with transaction.atomic():
            outcome.append(db.empty_into_new_file("hmis_services"))
        connection.close()

    loader = threading.Thread(target=load)
    loader.start()
    loader.join(timeout=1)
    assert loader.is_alive()  # waiting for the other session's lock
    other.commit()
    other.close()
    loader.join(timeout=10)
    assert outcome == [False]
    assert list(Services.objects.values_list("hud_id", flat=True)) == ["LATE"]
