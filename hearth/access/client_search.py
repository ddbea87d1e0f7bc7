"""Client search through the guard: candidates come from the search index, and only clients the user may
see are ranked and returned (the index itself never reaches a page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hearth.access.lookups import clients_for
from hearth.access.roles import Permission
from hearth.hmis.models import Client
from hearth.search import Match, SearchQuery, candidate_ids, rank

CANDIDATES = 500


@dataclass(frozen=True)
class Found:
    client: Client
    match: Match


@dataclass(frozen=True)
class SearchResults:
    found: list[Found]
    # More candidates than were looked at: the user should add a date of birth or a first name.
    truncated: bool


def search_clients_for(
    user: Any, query: SearchQuery, *, permission: Permission = Permission.VIEW_CLIENTS, limit: int = 25
) -> SearchResults:
    ids, truncated = candidate_ids(query, limit=CANDIDATES)
    if not ids:
        return SearchResults([], truncated)
    clients = {
        c.pk: c
        for c in clients_for(user, permission)
        .filter(pk__in=ids)
        .only(
            "first_name",
            "middle_name",
            "last_name",
            "name_suffix",
            "dob",
            "ssn",
            "date_deleted",
            "sex",
            "veteran_status",
        )
    }
    matches = rank(query, clients.values())[:limit]
    return SearchResults([Found(clients[m.client_id], m) for m in matches], truncated)
