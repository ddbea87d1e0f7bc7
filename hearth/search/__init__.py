"""Finding a client before creating one (duplicate prevention at intake).

Search by name with typos, nicknames and swapped first and last names, by date of birth, by the last four
digits of an SSN and by Hearth ID; results ranked, each saying why it matched.

    query = SearchQuery.parse("Smith, Bob 05/12/1980")
    ids, truncated = candidate_ids(query)              # reads only the index (hearth.search.models)
    matches = rank(query, clients_with_those_ids)      # the caller loads the clients the user may see

Modules: normalize (names), keys (the key scheme), models (the index table), index (keeping it in step),
query (parsing and candidates), scoring (ranking and reasons).
"""

from __future__ import annotations

from hearth.search.query import SearchQuery, candidate_ids
from hearth.search.scoring import Match, rank

__all__ = ["Match", "SearchQuery", "candidate_ids", "rank"]
