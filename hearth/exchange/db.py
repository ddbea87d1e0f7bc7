"""Bulk reads and writes of HUD records, for PostgreSQL (COPY) and SQLite (batched statements).

Everything here runs on Django's connection, inside the caller's transaction. SQL is assembled only from
table and column names that come from the spec and the models (hearth.hmis.registry), never from input.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection

from hearth.hmis.registry import RecordMap, record_map
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG

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
) -> str:
    """SELECT returning HUD-named columns; references are resolved to the referenced record's HUD ID."""
    rmap = record_map(record)
    parts: list[str] = []
    joins: list[str] = []
    wanted = set(columns) if columns is not None else None
    for fm in rmap.fields:
        name = fm.column.name
        if fm.is_export or (wanted is not None and name not in wanted):
            continue
        if fm.is_reference:
            alias = f"r_{fm.field}"
            target = record_map(fm.target or "")
            joins.append(f"LEFT JOIN {quote(target.table)} {alias} ON {alias}.id = t.{quote(fm.db_column)}")
            parts.append(f"{alias}.hud_id AS {quote(name)}")
        elif fm.column.type in (DATE, DATETIME) and not is_postgres():
            # Django registers sqlite3 converters for date columns; text keeps one parsing path.
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
) -> pl.DataFrame:
    """Read records as a typed frame with HUD column names (dates as Date, date-times as UTC Datetime)."""
    rmap = record_map(record)
    names = [f.column.name for f in rmap.fields if not f.is_export and (columns is None or f.column.name in columns)]
    sql = hud_select(record, names, where=where, with_ids=with_ids)
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
) -> Iterator[pl.DataFrame]:
    """Stream a large table as typed frames (used by the exporter)."""
    rmap = record_map(record)
    names = [f.column.name for f in rmap.fields if not f.is_export]
    sql = hud_select(record, names, where=where, with_ids=with_ids)
    schema = hud_schema(record, names, with_ids=with_ids)
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
        buffer = io.BytesIO()
        _copy_out(sql, params, buffer)
        if buffer.tell() == 0:
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        return pl.read_csv(buffer, has_header=False, schema=schema, quote_char='"')
    cursor = connection.connection.cursor()
    cursor.execute(_sqlite_sql(sql), list(params))
    return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row")


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
    exprs = []
    for name in names:
        column = rmap.by_column(name).column
        value = pl.col(name)
        if column.type == DATE:
            exprs.append(value.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d").alias(name))
        elif column.type == DATETIME:
            exprs.append(
                value.str.slice(0, 19)
                .str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S")
                .dt.replace_time_zone("UTC")
                .alias(name)
            )
        elif column.type in (MONEY, MONEY_NONNEG):
            exprs.append(value.cast(pl.Float64).round(2).cast(pl.Decimal(12, 2)).alias(name))
    return raw.with_columns(exprs) if exprs else raw


# -- writing ----------------------------------------------------------------------------------------------


def db_values(frame: pl.DataFrame) -> pl.DataFrame:
    """Format typed values as the database's text input: dates ISO, date-times UTC, decimals fixed-point."""
    exprs = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.Datetime):
            fmt = "%Y-%m-%d %H:%M:%S+00" if is_postgres() else "%Y-%m-%d %H:%M:%S"
            exprs.append(pl.col(name).dt.convert_time_zone("UTC").dt.strftime(fmt).alias(name))
        elif isinstance(dtype, pl.Date):
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d").alias(name))
        elif isinstance(dtype, pl.Decimal):
            exprs.append(pl.col(name).cast(pl.String).alias(name))
        elif isinstance(dtype, pl.Struct):
            exprs.append(pl.col(name).struct.json_encode().alias(name))
    return frame.with_columns(exprs) if exprs else frame


def insert_frame(table: str, frame: pl.DataFrame) -> int:
    """Insert rows (database columns already named) in one COPY (PostgreSQL) or batched INSERTs (SQLite)."""
    if frame.height == 0:
        return 0
    frame = db_values(frame)
    columns = ", ".join(quote(c) for c in frame.columns)
    if is_postgres():
        data = frame.write_csv(include_header=False, null_value="", quote_style="necessary").encode()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN (FORMAT csv)") as copy,
        ):
            view = memoryview(data)
            for start in range(0, len(data), _COPY_CHUNK):
                copy.write(view[start : start + _COPY_CHUNK])
        return frame.height
    marks = ", ".join("?" for _ in frame.columns)
    cursor = connection.connection.cursor()
    cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", frame.iter_rows())
    return frame.height


def update_frame(table: str, frame: pl.DataFrame, key: str = "id") -> int:
    """Replace the given columns of existing rows, matched on ``key``."""
    if frame.height == 0:
        return 0
    frame = db_values(frame)
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


def table_is_empty(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
        return cursor.fetchone() is None


@dataclass
class BulkIndexes:
    """Drop a table's indexes and constraints for a bulk load, and rebuild them afterwards (PostgreSQL).

    Maintaining B-tree indexes row by row makes COPY several times slower than building them once from the
    loaded rows. The primary key stays: foreign keys depend on it, and identity values arrive in order, so
    its maintenance is cheap. Used only when a table is empty before the import (a CoC's first migration) or when the
    operator asks for it: the table is locked for the rest of the import's transaction.
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
                 WHERE c.conrelid = %s::regclass AND c.contype = 'u'
                UNION ALL
                SELECT 'index', i.relname, pg_get_indexdef(i.oid)
                  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                 WHERE x.indrelid = %s::regclass
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
                """,
                [self.table, self.table],
            )
            self.definitions = [(str(k), str(n), str(d)) for k, n, d in cursor.fetchall()]
            # Unique and primary-key constraints go last into the list so they are rebuilt first.
            self.definitions.sort(key=lambda d: d[0] != "constraint")
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


def spill(frame: pl.DataFrame, folder: Path, name: str) -> Path:
    """Stage a validated batch on disk (Arrow IPC): memory stays bounded by the batch size."""
    path = folder / f"{name}.arrow"
    frame.write_ipc(path, compression="lz4")
    return path
