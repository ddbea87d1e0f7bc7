"""Fields the HMIS Lead may mark sensitive, to be encrypted at rest like the SSN (issue 4 §4;
docs/adr/0015-audit-integrity-and-data-protection.md).

A fixed, reviewed list of candidates, not any column: free text that can identify or locate a person and that
nothing searches, sorts, filters, counts or reports by — so encrypting it costs a decryption where it is shown
and nothing else. Names, dates of birth and coded answers are not candidates: every report, roster, export and
the search index reads them in bulk, and their protection is the guarded read path and its audit (names and dates
of birth reach the search index only as keys: Soundex codes, the blind index). Each candidate's column is
``SensitiveCharField`` (hearth.hmis.fields), wide enough for ciphertext, reading plain and encrypted values alike.

Switching a field on (``set_sealed``, an audited action) takes effect for new writes in every process within
``CACHE_SECONDS`` and queues a job (``crypto.seal_fields``) that encrypts the values already stored — a chunk at
a time, compare and set, so Hearth keeps running; switching off queues the reverse. Key rotation re-encrypts
sealed values with the SSNs (hearth.crypto.rotation).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from hearth.crypto.siv import PREFIX, decrypt, encrypt, is_encrypted

# Another process switching a field is seen here within this time (each process reads the switches at most this
# often); the sealing job waits as long before its pass, so no write made before the switch is missed.
CACHE_SECONDS = 10.0
CHUNK = 5_000


@dataclass(frozen=True)
class Candidate:
    table: str
    column: str
    element: str  # HMIS Data Standards FY2026 data element
    label: str
    why: str

    @property
    def key(self) -> str:
        return f"{self.table}.{self.column}"


CANDIDATES: tuple[Candidate, ...] = (
    Candidate("hmis_client", "middle_name", "3.01.2", "Middle name", "part of the name; shown on the profile only"),
    Candidate("hmis_client", "name_suffix", "3.01.4", "Name suffix", "part of the name; shown on the profile only"),
    Candidate(
        "hmis_client",
        "additional_race_ethnicity",
        "3.04.2",
        "Additional race and ethnicity detail",
        "free text about identity (tribe, nationality) that can single a person out",
    ),
    Candidate(
        "hmis_current_living_situation",
        "location_details",
        "4.12.4",
        "Location details",
        "where a person sleeps: for a survivor of violence, the most dangerous thing to disclose",
    ),
    Candidate("hmis_current_living_situation", "verified_by", "4.12.3", "Verified by", "can name a person or a place"),
    Candidate("hmis_exit", "other_destination", "3.12.B", "Other destination", "free text: can name a place or host"),
    Candidate(
        "hmis_income_benefits",
        "other_income_source_identify",
        "4.02.P",
        "Other income source",
        "free text: can name an employer or a person",
    ),
    Candidate(
        "hmis_income_benefits",
        "other_benefits_source_identify",
        "4.03.A",
        "Other benefits source",
        "free text: can name an agency or a person",
    ),
    Candidate(
        "hmis_income_benefits",
        "other_insurance_identify",
        "4.04.12A",
        "Other insurance",
        "free text: can name a plan or an employer",
    ),
)
BY_KEY = {c.key: c for c in CANDIDATES}

_lock = threading.Lock()
_cache: tuple[float, frozenset[str]] | None = None


def sealed_columns(*, fresh: bool = False) -> frozenset[str]:
    """The candidates switched on (``table.column``), read at most every CACHE_SECONDS per process."""
    global _cache
    now = time.monotonic()
    with _lock:
        if not fresh and _cache is not None and now - _cache[0] < CACHE_SECONDS:
            return _cache[1]
    from hearth.crypto.models import SealedField

    found = frozenset(SealedField.objects.filter(sealed=True).values_list("column", flat=True))
    with _lock:
        _cache = (now, found)
    return found


def forget() -> None:
    global _cache
    with _lock:
        _cache = None


def is_sealed(column: str) -> bool:
    return column in sealed_columns()


def set_sealed(*, column: str, sealed: bool, by: Any) -> bool:
    """Switch a candidate on or off (an action: audited, and the job that rewrites the stored values queued in
    the same transaction). Answers whether anything changed."""
    from hearth.crypto.models import SealedField
    from hearth.jobs.queue import enqueue

    if column not in BY_KEY:
        raise ValueError(f"{column} is not one of the fields that may be marked sensitive")
    with transaction.atomic():
        row, _ = SealedField.objects.select_for_update().get_or_create(column=column)
        if row.sealed == sealed:
            return False
        row.sealed, row.changed_at, row.changed_by = sealed, timezone.now(), by.name
        row.save()
        by.record("crypto.field_sealed" if sealed else "crypto.field_unsealed", object_type="Field", object_id=column)
        enqueue(SEAL_JOB, parameters={"column": column}, by=by)
    forget()
    return True


SEAL_JOB = "crypto.seal_fields"


def counts(column: str) -> tuple[int, int]:
    """(encrypted, plain) values stored in a candidate's column."""
    candidate = BY_KEY[column]
    table, col = connection.ops.quote_name(candidate.table), connection.ops.quote_name(candidate.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FILTER (WHERE {col} LIKE %s), COUNT(*) FILTER (WHERE {col} NOT LIKE %s) "
            f"FROM {table} WHERE {col} IS NOT NULL AND {col} <> ''",
            [f"{PREFIX}%", f"{PREFIX}%"],
        )
        row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def rewrite(column: str, *, progress: Any = None) -> int:
    """Bring the stored values of a candidate in line with its switch: encrypt the plain ones when it is on,
    decrypt the encrypted ones when it is off. Compare and set, a chunk per transaction; safe to run again."""
    candidate = BY_KEY[column]
    sealed = column in sealed_columns(fresh=True)
    table, col = connection.ops.quote_name(candidate.table), connection.ops.quote_name(candidate.column)
    done = 0
    for rows in _rows(candidate, want_encrypted=not sealed):
        if sealed:
            updates = [(encrypt(value, context=column), pk, value) for pk, value in rows]
        else:
            updates = [(decrypt(value, context=column), pk, value) for pk, value in rows]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {col} = %s WHERE id = %s AND {col} = %s", updates)
            done += max(cursor.rowcount, 0)
        if progress is not None:
            progress("Rewriting stored values", done, done)
    return done


def _rows(candidate: Candidate, *, want_encrypted: bool) -> Iterator[list[tuple[int, str]]]:
    """(id, value) of the rows to rewrite: plain ones (to seal) or encrypted ones (to unseal), in id order."""
    table, col = connection.ops.quote_name(candidate.table), connection.ops.quote_name(candidate.column)
    test = "LIKE" if want_encrypted else "NOT LIKE"
    after = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, {col} FROM {table} WHERE id > %s AND {col} IS NOT NULL AND {col} <> '' "
                f"AND {col} {test} %s ORDER BY id LIMIT {CHUNK:d}",
                [after, f"{PREFIX}%"],
            )
            rows = [(int(pk), str(value)) for pk, value in cursor.fetchall()]
        if not rows:
            return
        yield [(pk, value) for pk, value in rows if is_encrypted(value) == want_encrypted]
        after = rows[-1][0]
