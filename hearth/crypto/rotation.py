"""Key rotation: which keys the stored values are under, and re-encrypting them under the current key.

Rotation (docs/adr/0007-ssn-encryption.md, docs/adr/0015-audit-integrity-and-data-protection.md): the new key goes
in ``HEARTH_FIELD_KEY``, the old one in ``HEARTH_FIELD_KEYS_RETIRED``, and Hearth is restarted; from then on every
value reads (by its key id) and new writes use the new key, so nothing stops while ``rotate`` rewrites the values
still under another key, a chunk of rows per short transaction. Each row is rewritten only if it still holds the
value that was read (compare and set): a value a user changed meanwhile, already under the new key, is left as
it is. An interrupted run resumes where it stopped (values under the current key are skipped). One audit event
records the counts. When ``usage`` shows only the current key, the retired key can go.

Sealed columns: every ``EncryptedCharField`` (the SSN, and any other column encrypted the same way), plus the
columns other apps register with ``register`` whose associated data comes from the row itself (the collection
drafts, sealed to their owner, enrollment and stage).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from hearth.crypto.keys import keyring
from hearth.crypto.siv import PREFIX, decrypt, encrypt, key_id_of

CHUNK = 20_000


@dataclass(frozen=True)
class EncryptedColumn:
    """A column of sealed values. The associated data is ``<table>.<column>`` unless ``context_format`` builds it
    from the row's ``context_columns`` (``str.format`` with their values in order)."""

    table: str
    column: str
    context_columns: tuple[str, ...] = ()
    context_format: str = ""

    @property
    def context(self) -> str:
        """The column's name as status output shows it (and its associated data when it has no format)."""
        return f"{self.table}.{self.column}"

    def context_of(self, values: tuple[object, ...]) -> str:
        return self.context_format.format(*values) if self.context_format else self.context


_registered: list[EncryptedColumn] = []


def register(column: EncryptedColumn) -> EncryptedColumn:
    """Add a sealed column that is not an EncryptedCharField (called once, at import of its model's module)."""
    if column not in _registered:
        _registered.append(column)
    return column


def encrypted_columns() -> list[EncryptedColumn]:
    from hearth.hmis.fields import EncryptedCharField

    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                found.append(EncryptedColumn(str(model._meta.db_table), str(field.column)))
    return [*found, *_registered]


def usage() -> dict[str, dict[str, int]]:
    """For each encrypted column (``table.column``): how many values are under each key id ("plain" for values
    that are not encrypted: expected in a sensitive field the HMIS Lead has not switched on, and while its job
    runs; anywhere else a value written past the field)."""
    result: dict[str, dict[str, int]] = {}
    for target in encrypted_columns():
        counts: dict[str, int] = {}
        table, column = connection.ops.quote_name(target.table), connection.ops.quote_name(target.column)
        width = len(PREFIX) + 8
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT SUBSTR({column}, 1, {width:d}), COUNT(*) FROM {table} "
                f"WHERE {column} IS NOT NULL AND {column} <> '' GROUP BY 1 ORDER BY 1"
            )
            for head, count in cursor.fetchall():
                kid = key_id_of(f"{head}:") if head else None
                counts[kid or "plain"] = counts.get(kid or "plain", 0) + int(count)
        result[target.context] = counts
    return result


@dataclass(frozen=True)
class RotationResult:
    key_id: str
    rewritten: dict[str, int]


def rotate(*, actor: str, chunk: int = CHUNK) -> RotationResult:
    """Re-encrypt every stored value that is not under the current key."""
    from hearth.audit.log import record

    current = keyring().current.key_id
    rewritten: dict[str, int] = {}
    for target in encrypted_columns():
        done = 0
        table, column = connection.ops.quote_name(target.table), connection.ops.quote_name(target.column)
        for rows in _chunks(target, current, chunk):
            updates = []
            for pk, value, context_values in rows:
                context = target.context_of(context_values)
                updates.append((encrypt(decrypt(value, context=context), context=context), pk, value))
            with transaction.atomic(), connection.cursor() as cursor:
                # Compare and set: a value changed since it was read is not overwritten with the old one. The
                # row count of executemany is the sum over its statements (sqlite3 and psycopg alike).
                cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s AND {column} = %s", updates)
                done += max(cursor.rowcount, 0)
        rewritten[target.context] = done
    record(
        "crypto.key_rotated",
        actor=actor,
        object_type="FieldKey",
        object_id=current,
        details={"rewritten": rewritten},
    )
    return RotationResult(current, rewritten)


def _chunks(target: EncryptedColumn, current: str, size: int) -> Iterator[list[tuple[int, str, tuple[object, ...]]]]:
    """(id, stored value, context values) of the rows under another key, ``size`` at a time in id order."""
    table, column = connection.ops.quote_name(target.table), connection.ops.quote_name(target.column)
    extra = "".join(f", {connection.ops.quote_name(c)}" for c in target.context_columns)
    mine = f"{PREFIX}{current}:%"
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                # Only encrypted values: a sensitive field the HMIS Lead has not switched on holds plain text.
                f"SELECT id, {column}{extra} FROM {table} WHERE id > %s AND {column} LIKE %s "
                f"AND {column} NOT LIKE %s ORDER BY id LIMIT {size:d}",
                [after, f"{PREFIX}%", mine],
            )
            rows = [(int(row[0]), str(row[1]), tuple(row[2:])) for row in cursor.fetchall()]
        if not rows:
            return
        yield rows
        after = rows[-1][0]
