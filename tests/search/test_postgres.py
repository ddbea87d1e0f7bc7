"""On PostgreSQL: the lookup reads the index only, and the key column compares bytes (collation "C")."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from hearth.search import SearchQuery
from hearth.search.query import candidate_sql
from tests.search.helpers import make_client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def test_key_column_uses_the_c_collation() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'search_client_key' AND column_name = 'key'"
        )
        assert cursor.fetchone() == ("C",)


def test_candidate_lookup_never_scans_a_table() -> None:
    client = make_client("John", "Smith", date(1980, 5, 12), "123456789")
    statement = candidate_sql(SearchQuery.parse(f"John Smith 1980-05-12 6789 #{client.pk}"), 500)
    assert statement is not None
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table would be read whole otherwise
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan
    assert "Index Only Scan using search_client_key_pkey on search_client_key" in plan
    assert "Index Scan using hmis_client_pkey on hmis_client" in plan
