"""Bulk reads and writes of HUD records, for PostgreSQL (COPY) and SQLite (batched statements).

Everything here runs on Django's connection, inside the caller's transaction. SQL is assembled only from
table and column names that come from the spec and the models (hearth.hmis.registry), never from input.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import DatabaseError, connection

from hearth.hmis.fields import encrypted_fields
from hearth.hmis.registry import RecordMap, record_map
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG

__all__ = ["DatabaseError"]

ID = "__id"
SOURCE = "__source"
_COPY_CHUNK = 1 << 20


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


# -- reading ----------------------------------------------------------------------------------------------


def hud_select(
    record: str,
    columns: Sequence[str] | None = None,
    *,
    where: str = "",
    with_ids: bool = False,
    database_keys: bool = False,
) -> str:
    """SELECT returning HUD-named columns; references are resolved to the referenced record's HUD ID.

    ``database_keys``: the key and reference columns carry Hearth's database ids (as text) instead of HUD IDs,
    which are unique only within one source — for reading several sources as one (reports on the database).
    """
    rmap = record_map(record)
    parts: list[str] = []
    joins: list[str] = []
    wanted = set(columns) if columns is not None else None
    for fm in rmap.fields:
        name = fm.column.name
        if fm.is_export or (wanted is not None and name not in wanted):
            continue
        if database_keys and (fm.column.is_key or fm.is_reference):
            column = "id" if fm.column.is_key else fm.db_column
            parts.append(f"CAST(t.{quote(column)} AS TEXT) AS {quote(name)}")
        elif fm.is_reference:
            alias = f"r_{fm.field}"
            target = record_map(fm.target or "")
            joins.append(f"LEFT JOIN {quote(target.table)} {alias} ON {alias}.id = t.{quote(fm.db_column)}")
            parts.append(f"{alias}.hud_id AS {quote(name)}")
        elif fm.column.type in (DATE, DATETIME) and not is_postgres():
            # Django registers sqlite3 converters for date columns; text keeps one parsing path.
            parts.append(f"CAST(t.{quote(fm.db_column)} AS TEXT) AS {quote(name)}")
        elif fm.column.type in (MONEY, MONEY_NONNEG):
            # Exact decimal text on every path (PostgreSQL's numeric has no Arrow type of its own).
            parts.append(f"CAST(t.{quote(fm.db_column)} AS TEXT) AS {quote(name)}")
        else:
            parts.append(f"t.{quote(fm.db_column)} AS {quote(name)}")
    if with_ids:
        parts += [f"t.id AS {quote(ID)}", f"t.source_id AS {quote(SOURCE)}"]
    sql = f"SELECT {', '.join(parts)} FROM {quote(rmap.table)} t {' '.join(joins)}"
    return f"{sql} WHERE {where}" if where else sql


def hud_schema(record: str, columns: Sequence[str], *, with_ids: bool = False) -> dict[str, pl.DataType]:
    rmap = record_map(record)
    schema: dict[str, pl.DataType] = {}
    for name in columns:
        if name in (ID, SOURCE):
            schema[name] = pl.Int64()
            continue
        column = rmap.by_column(name).column
        if column.type == INTEGER and not column.is_key and name not in _REFERENCE_NAMES(rmap):
            schema[name] = pl.Int64()
        else:
            schema[name] = pl.String()
    if with_ids:
        schema[ID] = pl.Int64()
        schema[SOURCE] = pl.Int64()
    return schema


def _REFERENCE_NAMES(rmap: RecordMap) -> set[str]:  # noqa: N802 - reads as a constant set
    return {f.column.name for f in rmap.fields if f.target}


def read_hud(
    record: str,
    columns: Sequence[str] | None = None,
    *,
    where: str = "",
    params: Sequence[Any] = (),
    with_ids: bool = False,
    database_keys: bool = False,
) -> pl.DataFrame:
    """Read records as a typed frame with HUD column names (dates as Date, date-times as UTC Datetime)."""
    rmap = record_map(record)
    names = [f.column.name for f in rmap.fields if not f.is_export and (columns is None or f.column.name in columns)]
    sql = hud_select(record, names, where=where, with_ids=with_ids, database_keys=database_keys)
    schema = hud_schema(record, names, with_ids=with_ids)
    raw = _fetch(sql, params, schema)
    return _type_frame(raw, rmap, names)


def iter_hud(
    record: str,
    *,
    where: str = "",
    params: Sequence[Any] = (),
    batch_rows: int = 500_000,
    with_ids: bool = False,
    reader: ArrowReader | None = None,
) -> Iterator[pl.DataFrame]:
    """Stream a large table as typed frames (the exporter). ``reader``: a snapshot to read in (PostgreSQL)."""
    rmap = record_map(record)
    names = [f.column.name for f in rmap.fields if not f.is_export]
    sql = hud_select(record, names, where=where, with_ids=with_ids)
    schema = hud_schema(record, names, with_ids=with_ids)
    if reader is not None:
        for batch in reader.stream(sql, params):
            yield _type_frame(_conform(batch, schema), rmap, names)
        return
    if is_postgres():
        with tempfile.NamedTemporaryFile(suffix=".csv", prefix="hearth-read-") as handle:
            _copy_out(sql, params, handle)
            handle.flush()
            scan = pl.scan_csv(handle.name, has_header=False, schema=schema, quote_char='"')
            for batch in scan.collect_batches(chunk_size=batch_rows):
                yield _type_frame(batch, rmap, names)
        return
    cursor = connection.connection.cursor()
    cursor.execute(_sqlite_sql(sql), list(params))
    while rows := cursor.fetchmany(batch_rows):
        frame = pl.DataFrame(rows, schema=schema, orient="row")
        yield _type_frame(frame, rmap, names)


def _fetch(sql: str, params: Sequence[Any], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if is_postgres():
        if not connection.in_atomic_block:
            # Outside a write transaction nothing unwritten needs seeing: read in native code, no Python per row.
            with ArrowReader() as reader:
                return _conform(reader.frame(sql, params), schema)
        buffer = io.BytesIO()
        _copy_out(sql, params, buffer)
        if buffer.tell() == 0:
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        return pl.read_csv(buffer, has_header=False, schema=schema, quote_char='"')
    cursor = connection.connection.cursor()
    cursor.execute(_sqlite_sql(sql), list(params))
    return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")


def scalar(sql: str, params: Sequence[Any], reader: ArrowReader | None = None) -> Any:
    """One value from a query, in the given snapshot if any."""
    if reader is not None:
        frame = reader.frame(sql, params)
        return frame.item(0, 0) if frame.height else None
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        row = cursor.fetchone()
        return row[0] if row else None


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Integers to Int64 and identifiers to text, as the other read paths give them; dates stay typed."""
    if frame.width == 0:
        return pl.DataFrame(schema=schema)
    exprs = []
    for name, dtype in schema.items():
        if (
            name in frame.columns
            and frame.schema[name] != dtype
            and not isinstance(frame.schema[name], (pl.Date, pl.Datetime))
        ):
            exprs.append(pl.col(name).cast(dtype))
    return frame.with_columns(exprs) if exprs else frame


class ArrowReader:
    """Reads PostgreSQL query results straight into Arrow (ADBC: binary COPY decoded in native code), in one
    REPEATABLE READ, READ ONLY transaction: every query of an export sees the same moment."""

    def __init__(self) -> None:
        import adbc_driver_postgresql.dbapi

        settings = connection.settings_dict
        self._conn = adbc_driver_postgresql.dbapi.connect(_postgres_uri(settings), autocommit=True)
        self._cursor = self._conn.cursor()
        self._cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        self._literal = _literal_sql

    def stream(self, sql: str, params: Sequence[Any]) -> Iterator[pl.DataFrame]:
        self._cursor.execute(self._literal(sql, params))
        reader = self._cursor.fetch_record_batch()
        for batch in reader:
            yield pl.from_arrow(batch)  # type: ignore[misc]

    def frame(self, sql: str, params: Sequence[Any]) -> pl.DataFrame:
        self._cursor.execute(self._literal(sql, params))
        frame = pl.from_arrow(self._cursor.fetch_arrow_table())
        assert isinstance(frame, pl.DataFrame)
        return frame

    def close(self) -> None:
        try:
            self._cursor.execute("COMMIT")
        finally:
            self._cursor.close()
            self._conn.close()

    def __enter__(self) -> ArrowReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _postgres_uri(settings: dict[str, Any]) -> str:
    from urllib.parse import quote as q

    user = q(str(settings.get("USER") or ""), safe="")
    password = q(str(settings.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{q(str(settings['NAME']), safe='')}"


def _literal_sql(sql: str, params: Sequence[Any]) -> str:
    """The query with its parameters bound as literals by psycopg (ADBC's driver takes no client binding)."""
    if not params:
        return sql
    import psycopg

    connection.ensure_connection()
    return psycopg.ClientCursor(connection.connection).mogrify(sql, list(params))


def _copy_out(sql: str, params: Sequence[Any], sink: Any) -> None:
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        query = cursor.mogrify(sql, list(params)) if params else sql
        with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                sink.write(block)


def _sqlite_sql(sql: str) -> str:
    return sql.replace("%s", "?")


def _type_frame(raw: pl.DataFrame, rmap: RecordMap, names: Sequence[str]) -> pl.DataFrame:
    """Dates as Date, date-times as UTC Datetime, money as Decimal — from text (CSV, SQLite) or as read; encrypted
    values decrypted."""
    exprs = []
    for name in names:
        column = rmap.by_column(name).column
        value = pl.col(name)
        dtype = raw.schema[name]
        if column.type == DATE and dtype == pl.String:
            exprs.append(value.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d").alias(name))
        elif column.type == DATETIME and dtype == pl.String:
            exprs.append(
                value.str.slice(0, 19)
                .str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S")
                .dt.replace_time_zone("UTC")
                .alias(name)
            )
        elif column.type == DATETIME and isinstance(dtype, pl.Datetime) and dtype.time_zone != "UTC":
            exprs.append(value.dt.convert_time_zone("UTC").alias(name))
        elif column.type in (MONEY, MONEY_NONNEG):
            exprs.append(value.cast(pl.String).str.to_decimal(scale=2).cast(pl.Decimal(12, 2)).alias(name))
    typed = raw.with_columns(exprs) if exprs else raw
    # Values encrypted at rest (the SSN, docs/adr/0007) are read as plain text, as the model field reads them.
    encrypted = encrypted_fields(rmap.model)
    for name in names:
        field = encrypted.get(rmap.by_column(name).field)
        if field is not None:
            typed = typed.with_columns(field.decrypt_series(typed[name]).alias(name))
    return typed


# -- writing ----------------------------------------------------------------------------------------------


def db_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Format typed values as SQLite's Django-compatible text: dates ISO, date-times naive UTC, decimals."""
    exprs = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            exprs.append(pl.col(name).dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%d %H:%M:%S").alias(name))
        elif isinstance(dtype, pl.Date):
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d").alias(name))
        elif isinstance(dtype, pl.Decimal):
            exprs.append(pl.col(name).cast(pl.String).alias(name))
        elif isinstance(dtype, pl.Struct):
            exprs.append(pl.col(name).struct.json_encode().alias(name))
    return frame.with_columns(exprs) if exprs else frame


def insert_frame(table: str, frame: pl.DataFrame, *, freeze: bool = False) -> int:
    """Insert rows (database columns already named): binary COPY on PostgreSQL, batched INSERTs on SQLite.

    ``freeze``: COPY FREEZE (PostgreSQL; the table was created or truncated in this transaction)."""
    if frame.height == 0:
        return 0
    if is_postgres():
        copy_encoded(table, encode_rows(frame, column_types(table)), freeze=freeze)
        return frame.height
    frame = db_values(frame)
    columns = ", ".join(quote(c) for c in frame.columns)
    marks = ", ".join("?" for _ in frame.columns)
    cursor = connection.connection.cursor()
    cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", frame.iter_rows())
    return frame.height


# PostgreSQL column types -> the Polars type whose Arrow form pgpq encodes in that type's binary layout.
_PG_TYPES: dict[str, pl.DataType] = {
    "smallint": pl.Int16(),
    "integer": pl.Int32(),
    "bigint": pl.Int64(),
    "date": pl.Date(),
    "timestamp with time zone": pl.Datetime("us", "UTC"),
    "jsonb": pl.String(),
    "text": pl.String(),
}


def column_types(table: str) -> dict[str, str]:
    """A table's PostgreSQL column types (``format_type``), which ``encode_rows`` encodes to."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [table],
        )
        return {str(name): str(kind) for name, kind in cursor.fetchall()}


@dataclass(frozen=True)
class EncodedRows:
    """Rows encoded for PostgreSQL's binary COPY: the columns they fill and the bytes to send."""

    columns: tuple[str, ...]
    chunks: tuple[bytes, ...]
    rows: int


def encode_rows(frame: pl.DataFrame, types: Mapping[str, str]) -> EncodedRows:
    """Encode rows in PostgreSQL's binary COPY format, from Arrow by pgpq (no text parsing on either side).

    Each value is cast to the exact type of its column (``types``, from ``column_types``) first: binary COPY
    carries no type information, so a bigint sent to a smallint column would be misread rather than refused.
    Needs no connection, so an import encodes in its validating thread while its writing thread writes.
    """
    import pyarrow as pa
    from pgpq import ArrowToPostgresBinaryEncoder
    from pgpq import encoders as pe
    from pgpq import schema as ps

    # Columns empty in every row of the batch are left out: PostgreSQL fills them with NULL for less work
    # than decoding a NULL per row.
    empty = [
        name for name, count in zip(frame.columns, frame.null_count().row(0), strict=True) if count == frame.height
    ]
    if empty and len(empty) < frame.width:
        frame = frame.drop(empty)
    casts = []
    for name, dtype in frame.schema.items():
        kind = types[name]
        if kind.startswith("character varying"):
            target: pl.DataType = pl.String()
        elif kind.startswith("numeric"):
            precision, scale = (int(x) for x in kind[kind.index("(") + 1 : -1].split(","))
            target = pl.Decimal(precision, scale)
        else:
            target = _PG_TYPES[kind]
        if isinstance(dtype, pl.Struct):
            casts.append(pl.col(name).struct.json_encode().alias(name))
        elif dtype != target:
            casts.append(pl.col(name).cast(target).alias(name))
    if casts:
        frame = frame.with_columns(casts)
    arrow = frame.to_arrow()
    builders: dict[str, Any] = {}
    for arrow_field in arrow.schema:
        if types[arrow_field.name] == "jsonb":
            if arrow_field.type == pa.string():
                builders[arrow_field.name] = pe.StringEncoderBuilder.new_with_output(arrow_field, ps.Jsonb())
            elif arrow_field.type == pa.large_string():
                builders[arrow_field.name] = pe.LargeStringEncoderBuilder.new_with_output(arrow_field, ps.Jsonb())
            else:
                builders[arrow_field.name] = pe.StringViewEncoderBuilder.new_with_output(arrow_field, ps.Jsonb())
        else:
            builders[arrow_field.name] = ArrowToPostgresBinaryEncoder.infer_encoder(arrow_field)
    encoder = ArrowToPostgresBinaryEncoder.new_with_encoders(arrow.schema, builders)
    chunks = [bytes(encoder.write_header())]
    chunks += [bytes(encoder.write_batch(batch)) for batch in arrow.to_batches(max_chunksize=65_536)]
    chunks.append(bytes(encoder.finish()))
    return EncodedRows(tuple(frame.columns), tuple(chunks), frame.height)


def copy_encoded(table: str, encoded: EncodedRows, *, freeze: bool = False) -> int:
    """Write rows ``encode_rows`` encoded for this table (PostgreSQL, binary COPY); returns the rows written."""
    if encoded.rows == 0:
        return 0
    columns = ", ".join(quote(c) for c in encoded.columns)
    options = "FORMAT binary, FREEZE" if freeze else "FORMAT binary"
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN ({options})") as copy,
    ):
        for chunk in encoded.chunks:
            copy.write(chunk)
    return encoded.rows


def update_frame(table: str, frame: pl.DataFrame, key: str = "id") -> int:
    """Replace the given columns of existing rows, matched on ``key``."""
    if frame.height == 0:
        return 0
    columns = [c for c in frame.columns if c != key]
    if is_postgres():
        staging = f"hearth_upd_{table}"
        names = ", ".join(quote(c) for c in frame.columns)
        with connection.connection.cursor() as cursor:
            # Only the columns being replaced, without the table's NOT NULL constraints.
            cursor.execute(f"DROP TABLE IF EXISTS {quote(staging)}")
            cursor.execute(f"CREATE TEMP TABLE {quote(staging)} AS SELECT {names} FROM {quote(table)} WITH NO DATA")
        insert_frame(staging, frame)
        assignments = ", ".join(f"{quote(c)} = s.{quote(c)}" for c in columns)
        with connection.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(table)} t SET {assignments} FROM {quote(staging)} s "
                f"WHERE t.{quote(key)} = s.{quote(key)}"
            )
            cursor.execute(f"DROP TABLE {quote(staging)}")
        return frame.height
    frame = db_values(frame)
    sets = ", ".join(f"{quote(c)} = ?" for c in columns)
    cursor = connection.connection.cursor()
    cursor.executemany(
        f"UPDATE {quote(table)} SET {sets} WHERE {quote(key)} = ?",
        frame.select([*columns, key]).iter_rows(),
    )
    return frame.height


def key_map(table: str, source_id: int, extra: Sequence[str] = ()) -> pl.DataFrame:
    """(hud_id, id, …) of one source's rows in a table."""
    selected = [quote("hud_id"), quote("id"), *[f"CAST({quote(c)} AS TEXT)" for c in extra]]
    sql = f"SELECT {', '.join(selected)} FROM {quote(table)} WHERE source_id = %s"
    schema: dict[str, pl.DataType] = {"hud_id": pl.String(), "id": pl.Int64()}
    for name in extra:
        schema[name] = pl.String()
    return _fetch(sql, [source_id], schema)


# From this many ids on, a block is reserved by moving the sequence once instead of calling nextval per id.
BLOCK_RESERVATION = 1_000


def reserve_ids(table: str, count: int) -> pl.Series:
    """``count`` new ids from the table's identity sequence (PostgreSQL).

    Always unique, whatever other sessions insert meanwhile; usually one contiguous block, returned without
    sending every value back. A rolled-back import leaves a gap, as sequences do.
    """
    with connection.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        found = cursor.fetchone()
        assert found is not None, f"{table} has no identity sequence"
        assert found[0], f"{table} has no identity sequence"
        sequence = str(found[0])
        if count >= BLOCK_RESERVATION and not connection.in_atomic_block:
            block = _reserve_block(cursor, sequence, count)
            if block is not None:
                return pl.int_range(block, block + count, eager=True, dtype=pl.Int64).alias("id")
        # The sequence is named once: resolving it for every generated row costs more than nextval itself.
        cursor.execute(
            "WITH s AS (SELECT nextval(%s::regclass) AS v FROM generate_series(1, %s)) "
            "SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL "
            "ELSE array_agg(v ORDER BY v) END FROM s",
            [sequence, count],
        )
        row = cursor.fetchone()
    assert row is not None
    low, high, scattered = row
    if scattered is not None:
        return pl.Series("id", scattered, dtype=pl.Int64)
    return pl.int_range(int(low), int(high) + 1, eager=True, dtype=pl.Int64).alias("id")


def max_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quote(table)}")
        row = cursor.fetchone()
        return int(row[0]) if row else 0


def table_is_empty(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
        return cursor.fetchone() is None


def empty_into_new_file(table: str) -> bool:
    """Give an empty table a new, empty file inside this transaction (TRUNCATE), so that COPY may FREEZE its
    rows (PostgreSQL); False where that cannot be done: the table holds rows, or foreign-key constraints of
    other tables point at it (TRUNCATE refuses those).

    Frozen rows are visible to every later transaction without a commit-status lookup: the first reads after a
    large import do not rewrite every page to set hint bits, and no anti-wraparound VACUUM must later rewrite
    the whole table to freeze them.
    """
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass)", [table]
        )
        row = cursor.fetchone()
        if row is None or row[0]:
            return False
        # Locked before it is found empty: a row another session is inserting now is committed, and seen,
        # before the check, never removed by the TRUNCATE after it.
        cursor.execute(f"LOCK TABLE {quote(table)} IN ACCESS EXCLUSIVE MODE")
        if not table_is_empty(table):
            return False
        cursor.execute(f"TRUNCATE {quote(table)}")
    return True


@dataclass
class BulkIndexes:
    """Drop a table's indexes and constraints for a bulk load, and rebuild them afterwards (PostgreSQL).

    Maintaining B-tree indexes row by row makes COPY several times slower than building them once from the
    loaded rows — the primary key included (measured: 435k rows/s without it, 244k with it). A primary key
    that a foreign-key constraint depends on stays (project descriptor tables, which are small). Used only
    when a table is empty before the import (a CoC's first migration) or when the operator asks for it: the
    table is locked for the rest of the import's transaction.
    """

    table: str
    definitions: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, sql)

    def drop(self) -> None:
        with connection.connection.cursor() as cursor:
            # Django's foreign keys are deferred; PostgreSQL refuses ALTER TABLE while their checks are queued.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"LOCK TABLE {quote(self.table)} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(
                """
                SELECT 'constraint', c.conname, pg_get_constraintdef(c.oid)
                  FROM pg_constraint c
                 WHERE c.conrelid = %s::regclass
                   AND (c.contype = 'u' OR (c.contype = 'p' AND NOT EXISTS (
                        SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.conrelid)))
                UNION ALL
                SELECT 'index', i.relname, pg_get_indexdef(i.oid)
                  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                 WHERE x.indrelid = %s::regclass
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                """,
                [self.table, self.table],
            )
            self.definitions = [(str(k), str(n), str(d)) for k, n, d in cursor.fetchall()]
            # Constraints (the primary key first) are rebuilt before the other indexes.
            self.definitions.sort(key=lambda d: (d[0] != "constraint", not d[2].startswith("PRIMARY KEY")))
            for kind, name, _ in self.definitions:
                if kind == "index":
                    cursor.execute(f"DROP INDEX {quote(name)}")
            for kind, name, _ in self.definitions:
                if kind == "constraint":
                    cursor.execute(f"ALTER TABLE {quote(self.table)} DROP CONSTRAINT {quote(name)}")

    def rebuild(self) -> None:
        with connection.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for kind, name, definition in self.definitions:
                if kind == "constraint":
                    cursor.execute(f"ALTER TABLE {quote(self.table)} ADD CONSTRAINT {quote(name)} {definition}")
                else:
                    cursor.execute(definition)


def _reserve_block(cursor: Any, sequence: str, count: int) -> int | None:
    """Move the sequence past ``count`` ids at once and return the first, or None where that cannot be done
    (a sequence that does not step by 1; a database role that does not own it).

    A nextval per id costs PostgreSQL about half a microsecond — half a minute of a core for the 60 million rows
    of a large CoC's first import. ALTER SEQUENCE takes the lock every nextval waits for, so between it and
    COMMIT (a few statements, in a transaction of their own: never held for a whole import) no other session
    draws from the sequence; setval is not undone by a rollback, so the block is never handed out twice.
    """
    import psycopg

    cursor.execute("SELECT seqincrement FROM pg_sequence WHERE seqrelid = %s::regclass", [sequence])
    step = cursor.fetchone()
    if step is None or step[0] != 1:
        return None
    cursor.execute("BEGIN")
    try:
        # The name comes from the catalog (pg_get_serial_sequence quotes it as needed).
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 1")  # unchanged: taken for its lock
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
        last, called = cursor.fetchone()
        first = int(last) + 1 if called else int(last)
        cursor.execute("SELECT setval(%s::regclass, %s, true)", [sequence, first + count - 1])
    except psycopg.Error:  # e.g. the role does not own the sequence: nextval per id instead
        cursor.execute("ROLLBACK")
        return None
    except BaseException:
        cursor.execute("ROLLBACK")
        raise
    cursor.execute("COMMIT")
    return first


def spill(frame: pl.DataFrame, folder: Path, name: str) -> Path:
    """Stage a validated batch on disk (Arrow IPC): memory stays bounded by the batch size."""
    path = folder / f"{name}.arrow"
    frame.write_ipc(path, compression="lz4")
    return path
