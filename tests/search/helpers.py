"""Clients for search tests: only what the Client model requires, with the identifying fields in front."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from hearth.hmis.models import Client, Source
from hearth.search import Match, SearchQuery, candidate_ids, rank
from hearth.search.index import index_clients

_ids = itertools.count(1)


def make_client(
    first: str | None,
    last: str | None,
    dob: date | None = None,
    ssn: str | None = None,
    *,
    index: bool = True,
    **fields: Any,
) -> Client:
    """A client (indexed for search unless ``index=False``)."""
    now = timezone.now()
    values: dict[str, Any] = {
        "source": Source.local(),
        "hud_id": f"S{next(_ids)}",
        "first_name": first,
        "last_name": last,
        "name_data_quality": 1,
        "dob": dob,
        "dob_data_quality": 1 if dob else 99,
        "ssn": ssn,
        "ssn_data_quality": 1 if ssn else 99,
        "am_ind_ak_native": 0,
        "asian": 0,
        "black_af_american": 0,
        "hispanic_latinao": 0,
        "mid_east_n_african": 0,
        "native_hi_pacific": 0,
        "white": 1,
        "veteran_status": 99,
        "user_id": "T1",
        "date_created": now,
        "date_updated": now,
        **fields,
    }
    client = Client.objects.create(**values)
    if index:
        index_clients([client.pk])
    return client


@dataclass(frozen=True)
class Person:
    """A client-like record for ranking without a database."""

    id: int
    first_name: str | None = None
    last_name: str | None = None
    dob: date | None = None
    ssn: str | None = None


def search(query: SearchQuery | str, limit: int = 500) -> list[Match]:
    """What a page does: candidates from the index, the clients loaded, ranked."""
    if isinstance(query, str):
        query = SearchQuery.parse(query)
    ids, _ = candidate_ids(query, limit=limit)
    return rank(query, Client.objects.filter(pk__in=ids))
