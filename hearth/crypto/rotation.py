"""Key rotation: which keys the stored values are under, and re-encrypting them under the current key.

Rotation (docs/adr/0007-ssn-encryption.md): the new key goes in ``HEARTH_FIELD_KEY``, the old one in
``HEARTH_FIELD_KEYS_RETIRED``; ``rotate`` then rewrites every value under another key, a chunk of rows per
transaction (an interrupted run resumes where it stopped: values already under the current key are skipped),
and records one audit event with its counts. When ``usage`` shows only the current key, the retired key can go.
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
    table: str
    column: str

    @property
    def context(self) -> str:
        return f"{self.table}.{self.column}"


def encrypted_columns() -> list[EncryptedColumn]:
    from hearth.hmis.fields import EncryptedCharField

    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedCharField):
                found.append(EncryptedColumn(str(model._meta.db_table), str(field.column)))
    return found


def usage() -> dict[str, dict[str, int]]:
    """For each encrypted column (``table.column``): how many values are under each key id ("plain" for values
    that are not encrypted, which should never be)."""
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
        for rows in _chunks(target, current, chunk):
            updates = [
                (encrypt(decrypt(value, context=target.context), context=target.context), pk) for pk, value in rows
            ]
            table, column = connection.ops.quote_name(target.table), connection.ops.quote_name(target.column)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {table} SET {column} = %s WHERE id = %s", updates)
            done += len(updates)
        rewritten[target.context] = done
    record(
        "crypto.key_rotated",
        actor=actor,
        object_type="FieldKey",
        object_id=current,
        details={"rewritten": rewritten},
    )
    return RotationResult(current, rewritten)


def _chunks(target: EncryptedColumn, current: str, size: int) -> Iterator[list[tuple[int, str]]]:
    """(id, stored value) of the rows under another key, ``size`` at a time in id order."""
    table, column = connection.ops.quote_name(target.table), connection.ops.quote_name(target.column)
    mine = f"{PREFIX}{current}:%"
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {column} FROM {table} WHERE id > %s AND {column} IS NOT NULL AND {column} <> '' "
                f"AND {column} NOT LIKE %s ORDER BY id LIMIT {size:d}",
                [after, mine],
            )
            rows = [(int(pk), str(value)) for pk, value in cursor.fetchall()]
        if not rows:
            return
        yield rows
        after = rows[-1][0]
