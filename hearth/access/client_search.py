"""Client search through the guard: candidates come from the search index, and only clients the user may
see are ranked and returned (the index itself never reaches a page).

Two statements, whatever the number of candidates (docs/PERFORMANCE.md, "Client search"):

1. the candidates: the ``CANDIDATES`` clients whose keys shared with the query weigh most (hearth.search);
2. of those, the ones the user may see (``clients_for``), as plain values of the few fields ranking and the
   results read: no model instance per candidate.

The user's reach (hearth.access.scope) is computed once per request and shared with the page's menu, and so
is, for an agency's staff, the agency's side of consent to share (hearth.consent.rules: one more statement the
first time a request asks). Passing
it to the database as subqueries instead of ids was measured and rejected: PostgreSQL re-reads the project
table for every candidate then (about 0.3 ms each at 1.5M clients), against about 2 ms of planning for the ids.

Only the clients shown become model instances, with those fields loaded (the others load on access, as with
``QuerySet.only``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS

from hearth.access.lookups import clients_for
from hearth.access.roles import Permission
from hearth.hmis.models import Client
from hearth.search import Match, SearchQuery, candidate_ids, rank

# Candidates ranked per search: the best by the weight of the keys they share with the query. Ranking costs
# about 30 µs a candidate in Python and loading each costs more; 100 keeps a search well inside its budget
# at 1.5M clients, and the candidates past the 100th share only weak keys with the query.
CANDIDATES = 100


class _Row(NamedTuple):
    """A candidate as read: what ranking reads (hearth.search.scoring.ClientLike) and what results show."""

    id: int
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    name_suffix: str | None
    dob: date | None
    ssn: str | None
    sex: int | None
    veteran_status: int | None
    date_deleted: datetime | None


_FIELDS = _Row._fields
# Model.from_db takes the loaded values in the model's field order.
_MODEL_ORDER = tuple(f.attname for f in Client._meta.concrete_fields if f.attname in _FIELDS)


@dataclass(frozen=True)
class Found:
    client: Client
    match: Match


@dataclass(frozen=True)
class SearchResults:
    found: list[Found]
    # More clients as good as those shown than were shown (more candidates than were looked at, or more
    # matches with the score of the last one shown than fit): the user should add a date of birth or a first
    # name.
    truncated: bool


def search_clients_for(
    user: Any, query: SearchQuery, *, permission: Permission = Permission.VIEW_CLIENTS, limit: int = 25
) -> SearchResults:
    ids, truncated = candidate_ids(query, limit=CANDIDATES)
    if not ids:
        return SearchResults([], truncated)
    rows = {
        row.id: row for row in map(_Row._make, clients_for(user, permission).filter(pk__in=ids).values_list(*_FIELDS))
    }
    ranked = rank(query, rows.values())
    shown = ranked[:limit]
    # Issue #3: equally good matches past the last one shown (namesakes of an exact name) also ask the user to
    # narrow the search, not only candidates left out.
    as_good_left_out = 0 < limit < len(ranked) and ranked[limit].score >= shown[-1].score
    found = [Found(_client(rows[m.client_id]), m) for m in shown]
    return SearchResults(found, truncated or as_good_left_out)


def _client(row: _Row) -> Client:
    """A Client with the fields read loaded (the others deferred), as ``QuerySet.only`` would build it."""
    return Client.from_db(DEFAULT_DB_ALIAS, _MODEL_ORDER, [getattr(row, name) for name in _MODEL_ORDER])
