"""Check the audit trail's hash chains (hearth.audit.chain): every row's content still gives its hash, and every
row links to the one before it. ``hearth audit verify`` runs it and names the first broken link.

What it finds: a row altered (its content no longer gives its hash), a row removed or inserted in the middle (the
next row's link no longer matches), a hash rewritten to match altered content (the next row's link then breaks,
unless every later row was rewritten too). What no chain finds alone: the newest rows removed from the end. The
command prints the chain's head (last id and hash) so it can be written down elsewhere, and ``--head ID:HASH``
checks that a head noted earlier is still in the chain (docs/adr/0015-audit-integrity-and-data-protection.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from hearth.audit import chain
from hearth.audit.log import change_content, event_content
from hearth.audit.models import AuditEvent, FieldChange

CHUNK = 5000


@dataclass(frozen=True)
class Break:
    row_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    table: str
    rows: int
    head_id: int | None
    head_hash: str
    broken: Break | None
    head_found: bool | None = None  # whether the expected head was met (None: none expected)

    @property
    def intact(self) -> bool:
        return self.broken is None and self.head_found is not False


def _rows(model: type[Any]) -> Iterator[Any]:
    after = 0
    while True:
        batch = list(model.objects.filter(pk__gt=after).order_by("pk")[:CHUNK])
        if not batch:
            return
        yield from batch
        after = batch[-1].pk


def verify_chain(
    model: type[Any], content: Callable[[Any], str], *, expect_head: tuple[int, str] | None = None
) -> ChainReport:
    table = str(model._meta.db_table)
    previous, rows, last_id = chain.GENESIS, 0, None
    head_found: bool | None = None if expect_head is None else False
    for row in _rows(model):
        rows += 1
        if row.prev_hash != previous:
            before = "the start of the chain" if last_id is None else f"row {last_id}"
            return ChainReport(
                table,
                rows,
                last_id,
                previous,
                Break(row.pk, f"does not link to {before}: a row before it was removed, added or altered"),
            )
        computed = chain.digest(previous, content(row))
        if row.row_hash != computed:
            return ChainReport(
                table, rows, last_id, previous, Break(row.pk, "its content does not match its hash: it was altered")
            )
        if expect_head is not None and row.pk == expect_head[0]:
            head_found = row.row_hash == expect_head[1]
        previous, last_id = computed, row.pk
    return ChainReport(table, rows, last_id, previous, None, head_found)


def verify(*, expect_event_head: tuple[int, str] | None = None) -> list[ChainReport]:
    """Both chains: the events' and the field changes'."""
    return [
        verify_chain(AuditEvent, event_content, expect_head=expect_event_head),
        verify_chain(FieldChange, change_content),
    ]
