"""Keeping the search index in step with the clients.

- ``index_clients(ids)``: replace the keys of a few clients; the actions that create or change a client call it
  in their transaction (a deleted client keeps no keys, so it is never found).
- ``ImportIndexing``: a new source's keys, written inside its import's transaction (a within-import step,
  registered in apps.py).
- ``rebuild(source=None)``: recompute the keys of every client (or of one source's) in one transaction, after an
  import into an existing source (registered as an after-import step in apps.py) or with ``hearth refresh``.

A rebuild is columnar: client rows are read in chunks of ``CHUNK`` (keyset pagination on id; COPY on
PostgreSQL), keyed by ``keys_frame`` and written with COPY (PostgreSQL, hearth.exchange.db.insert_frame) or
batched INSERTs (SQLite). A full rebuild on PostgreSQL drops the table's indexes first and builds them once at
the end (faster than maintaining them row by row), then ANALYZEs and (outside a caller's transaction) VACUUMs
the table, so lookups are index-only scans at once; searches wait for the rebuild to commit.
Log lines carry counts only, never names, dates or SSN digits.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection, transaction

from hearth.exchange.db import (
    BulkIndexes,
    EncodedRows,
    column_types,
    copy_encoded,
    empty_into_new_file,
    encode_rows,
    insert_frame,
    is_postgres,
    quote,
)
from hearth.hmis.fields import encrypted_fields
from hearth.hmis.models import Client, Source
from hearth.search.keys import keys_frame
from hearth.search.models import ClientSearchKey

__all__ = [
    "CHUNK",
    "ImportIndexing",
    "RebuildResult",
    "import_indexing",
    "index_clients",
    "rebuild",
    "rebuild_after_import",
]

logger = logging.getLogger(__name__)

CHUNK = 200_000
# Clients per statement when replacing a few clients' keys (well under SQLite's limit on parameters).
_BATCH = 500
_COLUMNS = ("id", "first_name", "last_name", "dob", "ssn")
_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "first_name": pl.String(),
    "last_name": pl.String(),
    "dob": pl.Date(),
    "ssn": pl.String(),
}


@dataclass(frozen=True)
class RebuildResult:
    clients: int
    keys: int
    seconds: float


def _table() -> str:
    return ClientSearchKey._meta.db_table


def index_clients(client_ids: Iterable[int]) -> int:
    """Replace the keys of these clients with their current ones (none for a deleted client); returns the
    keys written."""
    ids = sorted({int(i) for i in client_ids})
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), _BATCH):
            batch = ids[start : start + _BATCH]
            marks = ", ".join(["%s"] * len(batch))
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {quote(_table())} WHERE client_id IN ({marks})", batch)
            rows = list(Client.objects.filter(pk__in=batch, date_deleted__isnull=True).values_list(*_COLUMNS))
            written += insert_frame(_table(), keys_frame(pl.DataFrame(rows, schema=_SCHEMA, orient="row")))
    return written


def rebuild(source: Source | int | None = None) -> RebuildResult:
    """Recompute the keys of every client that is not deleted (of one source, when given), in one transaction.

    A source holding most of the clients (a CoC's first import fills an empty index) is cheaper to rebuild
    whole, the bulk way: then every client is reindexed, with the same result.
    """
    started = time.perf_counter()
    source_id = source.pk if isinstance(source, Source) else source
    if source_id is not None and _holds_most_clients(source_id):
        source_id = None
    table = quote(_table())
    clients = keys = 0
    with transaction.atomic():
        indexes: BulkIndexes | None = None
        with connection.cursor() as cursor:
            if source_id is not None:
                cursor.execute(
                    f"DELETE FROM {table} WHERE client_id IN "
                    f"(SELECT id FROM {quote(Client._meta.db_table)} WHERE source_id = %s)",
                    [source_id],
                )
            elif is_postgres():
                cursor.execute(f"TRUNCATE {table}")
                indexes = BulkIndexes(_table())
                indexes.drop()
            else:
                cursor.execute(f"DELETE FROM {table}")
        for chunk in _client_chunks(source_id):
            clients += chunk.height
            # Rows in client order: the client_id index then builds from presorted input (twice as fast).
            keys += insert_frame(_table(), keys_frame(chunk).sort("client_id", "key"))
        if indexes is not None:
            indexes.rebuild()
        if is_postgres():
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
    if indexes is not None and not connection.in_atomic_block:
        # Index-only scans need the visibility map of the new rows; VACUUM cannot run inside a transaction, so
        # a rebuild inside the caller's transaction leaves this to autovacuum.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {table}")
    result = RebuildResult(clients, keys, time.perf_counter() - started)
    logger.info(
        "search index rebuilt%s: %d clients, %d keys in %.1fs",
        "" if source_id is None else f" for source {source_id}",
        result.clients,
        result.keys,
        result.seconds,
    )
    return result


def _holds_most_clients(source_id: int) -> bool:
    """Whether the index is empty or the source has at least half of the clients that are not deleted."""
    client_table = quote(Client._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {quote(_table())} LIMIT 1")
        if cursor.fetchone() is None:
            return True
        cursor.execute(
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE source_id = %s) FROM {client_table} WHERE date_deleted IS NULL",
            [source_id],
        )
        row = cursor.fetchone()
    total, theirs = (int(row[0]), int(row[1])) if row else (0, 0)
    return theirs * 2 >= total


def rebuild_after_import(source: Source, counts: Mapping[str, Any]) -> None:
    """After-import step: rebuild the source's keys unless the import changed no client (``counts`` empty, as
    ``hearth refresh`` passes it, means rebuild)."""
    client = counts.get("Client")
    if client is not None and not (client.inserted or client.updated or client.swept):
        return
    rebuild(source)


class ImportIndexing:
    """The keys of a new source's clients, written inside its import's transaction (hearth.exchange.hooks).

    A new source's clients are all new, so their keys are computed from the rows the import prepared rather
    than read back, decrypted and keyed after the import committed; they commit with the import, so search
    finds the clients the moment it lands. They are keyed as each batch of clients is prepared (the validating
    thread, which at a large import waits for the database more than the other way round) and written by the
    writing thread once Client.csv is written. Into an empty index (a CoC's first import) they are written the
    bulk way: indexes dropped and built once, and COPY FREEZE, so lookups are index-only scans without waiting
    for a VACUUM.
    """

    def __init__(self) -> None:
        self.keys: list[pl.DataFrame | EncodedRows] = []
        self._types: dict[str, str] | None = None

    def rows(self, record: str, rows: pl.DataFrame) -> None:
        if record == "Client":
            clients = rows.filter(pl.col("date_deleted").is_null()).select(_COLUMNS)
            if clients.height:
                # Rows in client order: the client_id index then builds from presorted input (twice as fast).
                keys = keys_frame(clients).sort("client_id", "key")
                if is_postgres():
                    # Encoded for COPY here, in the checking thread, as the import's batches are: the writing
                    # thread is the import's bottleneck at a large CoC (1M clients: 9.85M keys).
                    if self._types is None:
                        self._types = column_types(_table())
                    self.keys.append(encode_rows(keys, self._types))
                else:
                    self.keys.append(keys)

    def file_written(self, record: str) -> None:
        if record != "Client":
            return
        started = time.perf_counter()
        frames, self.keys = self.keys, []
        if not frames:
            return
        table = quote(_table())
        indexes: BulkIndexes | None = None
        # Emptied in this transaction, COPY may FREEZE the rows (PostgreSQL: all-visible at once).
        if is_postgres() and empty_into_new_file(_table()):
            indexes = BulkIndexes(_table())
            indexes.drop()
        for frame in frames:
            if isinstance(frame, EncodedRows):
                copy_encoded(_table(), frame, freeze=indexes is not None)
            else:
                insert_frame(_table(), frame, freeze=indexes is not None)
        if indexes is not None:
            indexes.rebuild()
        if is_postgres():
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
        keys = sum(frame.rows if isinstance(frame, EncodedRows) else frame.height for frame in frames)
        logger.info("search index: %d keys of new clients written in %.1fs", keys, time.perf_counter() - started)


def import_indexing(new_source: bool) -> ImportIndexing | None:
    """Within-import step: a new source's keys are written with it; other imports rebuild after they land."""
    return ImportIndexing() if new_source else None


def _client_chunks(source_id: int | None) -> Iterator[pl.DataFrame]:
    """Clients that are not deleted, ``CHUNK`` at a time in id order (keyset pagination: each chunk one index
    range scan, however far into the table)."""
    columns = ", ".join(quote(c) for c in _COLUMNS)
    where = "date_deleted IS NULL AND id > %s" + (" AND source_id = %s" if source_id is not None else "")
    sql = f"SELECT {columns} FROM {quote(Client._meta.db_table)} WHERE {where} ORDER BY id LIMIT {CHUNK:d}"
    after = 0
    while True:
        params: list[Any] = [after] if source_id is None else [after, source_id]
        chunk = _read(sql, params)
        if chunk.height == 0:
            return
        # SSNs are encrypted at rest (docs/adr/0007): this raw read decrypts them, as the ORM's reads do.
        chunk = chunk.with_columns(encrypted_fields(Client)["ssn"].decrypt_series(chunk["ssn"]).alias("ssn"))
        yield chunk
        if chunk.height < CHUNK:
            return
        after = int(chunk["id"][-1])


def _read(sql: str, params: list[Any]) -> pl.DataFrame:
    """A query's rows as a frame: COPY … TO STDOUT as CSV on PostgreSQL (no Python object per value), rows
    through the cursor on SQLite. Runs on Django's connection, so it sees the caller's transaction."""
    if is_postgres():
        connection.ensure_connection()
        buffer = io.BytesIO()
        with connection.connection.cursor() as cursor:
            query = cursor.mogrify(sql, params)
            with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
        if buffer.tell() == 0:
            return pl.DataFrame(schema=_SCHEMA)
        buffer.seek(0)
        return pl.read_csv(buffer, has_header=False, schema=_SCHEMA)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return pl.DataFrame(cursor.fetchall(), schema=_SCHEMA, orient="row")
