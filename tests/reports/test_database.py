"""The report input read from Hearth's database equals the same export read from its files."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from hearth.reports import registry
from hearth.reports.params import ReportParams
from hearth.reports.tables import load_database, load_export
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import

pytestmark = pytest.mark.django_db


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    # By every column: several Services rows share an EnrollmentID, and ties would keep the read order.
    return frame.sort(frame.columns, nulls_last=True)


def test_database_and_export_give_the_same_tables(minimal: ExportBuilder, tmp_path: Path) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    outcome = do_import(path)
    assert outcome.ok
    from_db = load_database()
    from_files = load_export(path)
    assert from_db.source == "database"
    for record, frame in from_files.frames.items():
        db_frame = from_db[record]
        assert db_frame.columns == frame.columns, record
        assert db_frame.schema == frame.schema, record
        assert _sorted(from_db.decode(db_frame)).equals(_sorted(from_files.decode(frame))), record
    assert from_files["Enrollment"].height > 0


def test_database_read_of_some_projects_only(minimal: ExportBuilder, tmp_path: Path) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    assert do_import(path).ok
    one = load_database(projects=["P1"])
    expected = load_export(path).for_projects(["P1"])
    assert one["Project"]["ProjectID"].to_list() == ["P1"]
    for record in ("Enrollment", "Exit", "Client", "Services", "Funder", "Organization"):
        # Each load numbers the IDs it read: compared as IDs.
        mine, theirs = one.decode(one[record]), expected.decode(expected[record])
        assert sorted(mine.row(i)[0] for i in range(mine.height)) == sorted(
            theirs.row(i)[0] for i in range(theirs.height)
        ), record


def test_dq_report_from_the_database_matches_the_export(minimal: ExportBuilder, tmp_path: Path) -> None:
    path = minimal.write_zip(tmp_path / "export.zip")
    assert do_import(path).ok
    params = ReportParams.create(start="2024-10-01", end="2025-09-30")
    dq = registry.get("dq")
    from_db = dq.run(load_database(), params)
    from_files = dq.run(load_export(path), params)
    assert {n: t.values for n, t in from_db.tables.items()} == {n: t.values for n, t in from_files.tables.items()}
    db_members, file_members = from_db.member_ids(), from_files.member_ids()
    assert db_members.sort(db_members.columns).equals(file_members.sort(file_members.columns))
    assert from_db.table("Q1")["C2"] == len({r["PersonalID"] for r in minimal.rows["Enrollment"]})


@pytest.mark.django_db(transaction=True)
def test_postgresql_reads_one_snapshot_through_adbc(minimal: ExportBuilder, tmp_path: Path) -> None:
    """Outside a transaction, PostgreSQL reads go through ADBC (binary, one REPEATABLE READ snapshot)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    path = minimal.write_zip(tmp_path / "export.zip")
    assert do_import(path).ok
    assert not connection.in_atomic_block
    from_db = load_database()
    from_files = load_export(path)
    for record, frame in from_files.frames.items():
        assert from_db[record].schema == frame.schema, record
        assert _sorted(from_db.decode(from_db[record])).equals(_sorted(from_files.decode(frame))), record


def test_an_unreadable_database_is_a_clear_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from hearth.exchange import db
    from hearth.reports.tables import ReportInputError

    def broken(*args: object, **kwargs: object) -> pl.DataFrame:
        raise sqlite3.OperationalError("no such table: hmis_organization")

    monkeypatch.setattr(db, "read_hud", broken)
    monkeypatch.setattr(db, "ArrowReader", broken)
    with pytest.raises(ReportInputError, match=r"cannot be read \(OperationalError\): is it set up") as caught:
        load_database()
    assert "hmis_organization" not in str(caught.value)
