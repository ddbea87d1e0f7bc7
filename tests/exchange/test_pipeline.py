"""The pipelined import (PostgreSQL): writing in a second thread while validation goes on, in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from hearth.exchange.models import RunStatus
from hearth.hmis.models import Client, Services, Source
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import, hud_row_count

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
