"""Ids drawn for an import's rows (PostgreSQL): a block at a time, never one that another session also gets."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction

from hearth.exchange import db
from tests.exchange.helpers import other_session

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = "hmis_services"
SEQUENCE = "public.hmis_services_id_seq"


@pytest.fixture(autouse=True)
def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("identity sequences are PostgreSQL's")
    connection.ensure_connection()


def _sql(statement: str) -> Any:
    with connection.connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.fetchone() if cursor.description else None


def _other_session_nextval() -> int:
    """nextval from another connection, as a web request inserting a record would draw its id."""
    with other_session(autocommit=True) as other:
        row = other.execute(f"SELECT nextval('{SEQUENCE}')").fetchone()
        assert row is not None
        return int(row[0])


def test_a_large_reservation_is_one_block_after_the_last_id_drawn() -> None:
    before = _sql(f"SELECT nextval('{SEQUENCE}')")[0]
    ids = db.reserve_ids(TABLE, 5_000)
    assert ids.to_list() == list(range(before + 1, before + 5_001))
    assert _other_session_nextval() == before + 5_001
    again = db.reserve_ids(TABLE, 1_000)
    assert again.to_list() == list(range(before + 5_002, before + 6_002))


def test_a_sequence_never_used_starts_the_block_at_its_first_value() -> None:
    _sql(f"ALTER SEQUENCE {SEQUENCE} RESTART WITH 1")  # last_value 1, not yet called
    ids = db.reserve_ids(TABLE, 2_000)
    assert ids.to_list() == list(range(1, 2_001))
    assert _other_session_nextval() == 2_001


def test_another_session_drawing_meanwhile_waits_and_gets_an_id_after_the_block() -> None:
    start = _sql(f"SELECT nextval('{SEQUENCE}')")[0]
    drawn: list[int] = []

    class Pausing:
        """The import's cursor, pausing after it read the sequence's position — the moment a nextval from
        another session would take an id of the block if the reservation did not hold the sequence's lock."""

        def __init__(self, cursor: Any) -> None:
            self.cursor = cursor

        def execute(self, sql: str, params: Any = None) -> None:
            self.cursor.execute(sql, params)
            if sql.startswith("SELECT last_value"):
                other = threading.Thread(target=lambda: drawn.append(_other_session_nextval()))
                other.start()
                time.sleep(0.5)
                assert drawn == [], "the other session drew while the block was being reserved"
                self.other = other

        def fetchone(self) -> Any:
            return self.cursor.fetchone()

    with connection.connection.cursor() as cursor:
        pausing = Pausing(cursor)
        first = db._reserve_block(pausing, SEQUENCE, 3_000)
    pausing.other.join(timeout=10)
    assert first == start + 1
    assert drawn == [start + 3_001]


def test_inside_a_transaction_ids_are_drawn_one_by_one_and_hold_no_lock() -> None:
    # The sequential import runs in one transaction: the sequence's lock would be held until it commits.
    start = _sql(f"SELECT nextval('{SEQUENCE}')")[0]
    with transaction.atomic():
        ids = db.reserve_ids(TABLE, 1_500)
        assert _other_session_nextval() == start + 1_501  # not blocked
    assert ids.to_list() == list(range(start + 1, start + 1_501))


def test_a_sequence_that_steps_by_more_than_one_is_drawn_one_by_one() -> None:
    _sql(f"ALTER SEQUENCE {SEQUENCE} INCREMENT BY 2")
    try:
        start = _sql(f"SELECT nextval('{SEQUENCE}')")[0]
        ids = db.reserve_ids(TABLE, 1_000)
        assert ids.to_list() == list(range(start + 2, start + 2_001, 2))
        assert _sql(f"SELECT seqincrement FROM pg_sequence WHERE seqrelid = '{SEQUENCE}'::regclass")[0] == 2
    finally:
        _sql(f"ALTER SEQUENCE {SEQUENCE} INCREMENT BY 1")


def test_small_reservations_draw_one_by_one() -> None:
    start = _sql(f"SELECT nextval('{SEQUENCE}')")[0]
    assert db.reserve_ids(TABLE, 3).to_list() == [start + 1, start + 2, start + 3]


def test_a_role_that_does_not_own_the_sequence_draws_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    # Where the application's database role is not the tables' owner, ALTER SEQUENCE is refused: the ids are
    # still drawn, by nextval, and the connection is left usable. Roles belong to the server, not the test
    # database: the name carries the database's, so parallel test runs never share one.
    role = re.sub(r"\W", "_", f"hearth_not_owner_{connection.settings_dict['NAME']}").lower()[:63]
    _sql(f"DROP ROLE IF EXISTS {role}")
    _sql(f"CREATE ROLE {role}")
    _sql(f"GRANT USAGE, SELECT, UPDATE ON SEQUENCE {SEQUENCE} TO {role}")
    _sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    try:
        start = _sql(f"SELECT nextval('{SEQUENCE}')")[0]
        blocks: list[int | None] = []
        reserve_block = db._reserve_block

        def spied(*args: Any) -> int | None:
            blocks.append(reserve_block(*args))
            return blocks[-1]

        monkeypatch.setattr(db, "_reserve_block", spied)
        _sql(f"SET ROLE {role}")
        try:
            ids = db.reserve_ids(TABLE, 2_500)
        finally:
            _sql("RESET ROLE")
        assert blocks == [None]  # the block was refused
        assert ids.to_list() == list(range(start + 1, start + 2_501))
        assert _other_session_nextval() == start + 2_501
    finally:
        _sql(f"REVOKE ALL ON SEQUENCE {SEQUENCE} FROM {role}")
        _sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
        _sql(f"DROP ROLE {role}")
