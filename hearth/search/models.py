"""The search index: the keys of every client that is not deleted (hearth.search.keys), one row per key.

A search reads only this table, through its primary key (key, client_id): looking a key up reads the client ids
from the index itself (a covering lookup), so the client table is never scanned. The index on client_id serves
replacing one client's keys. No foreign key: the rows are derived data, rebuilt freely (hearth.search.index),
and a deleted client's rows are removed, not cascaded.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class SearchKeyField(models.CharField):
    """A search key: ASCII, compared byte by byte. On PostgreSQL the column uses the "C" collation, which makes
    the index faster to build and to search than a linguistic collation (as hearth.hmis.fields.HudIdField)."""

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


class ClientSearchKey(models.Model):
    pk = models.CompositePrimaryKey("key", "client_id")
    key = SearchKeyField(max_length=40)
    client_id = models.BigIntegerField()

    class Meta:
        db_table = "search_client_key"
        indexes = [models.Index(fields=["client_id"], name="search_client_key_client")]

    def __str__(self) -> str:
        return f"{self.key} → client {self.client_id}"
