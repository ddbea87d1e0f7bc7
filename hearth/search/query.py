"""What a case worker asks for, and the candidate clients the index finds for it.

``SearchQuery.parse`` reads one search box the way intake staff type into it: a date of birth (1985-05-12 or
05/12/1985), the last four digits of an SSN (1234, or a full 123-45-6789 of which only the last four are
kept), a Hearth ID (#123, or a bare number of five digits or more), and names ("Smith, John" is last, first;
"John Smith" is first last; a single name may be either). A form with separate fields builds a ``SearchQuery``
directly.

``candidate_ids`` turns the query into weighted index keys (hearth.search.keys) and finds the clients whose
shared keys weigh most in one statement that reads only the index (search_client_key). No key is read past
``KEY_CAP`` rows, so a common key (the Soundex of "John" is shared by Jon, Jane, Jim, Joan...) cannot make a
lookup read a large part of a big index: the work per search is bounded by the number of keys, whatever the
size of the CoC. The clients of the rarer keys are checked against the common ones by primary-key probes, so
sharing several keys counts whatever the client's place in a common key (``candidate_sql``). Nothing here
logs names, dates or digits.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from hearth.search.keys import weighted_query_keys

__all__ = ["KEY_CAP", "PROBED", "Names", "SearchQuery", "candidate_ids", "candidate_sql"]

logger = logging.getLogger(__name__)

# Rows one key may bring to a lookup (see the module docstring); always more than the candidates asked for.
KEY_CAP = 500
# Best candidates of the narrow keys that are looked up in the broad keys (see ``candidate_sql``): at least
# twice the 100 that a page ranks (hearth.access.client_search.CANDIDATES).
PROBED = 200
# A Hearth ID names the client: it outweighs any number of shared keys.
_HEARTH_ID_WEIGHT = 1_000

# Digits are ASCII digits only (re.ASCII): other scripts' digits are not dates, SSNs or Hearth IDs here.
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
# A full SSN, its unknown digits possibly typed as x (HMIS CSV): only the last four are kept.
_FULL_SSN = re.compile(r"[\dxX]{3}-[\dxX]{2}-(\d{4})|[xX]{5}(\d{4})", re.ASCII)
_HEARTH_ID = re.compile(r"#(\d{1,18})", re.ASCII)
_DIGITS = re.compile(r"\d{1,18}", re.ASCII)
_LAST4 = re.compile(r"\d{4}", re.ASCII)
_SSN9 = re.compile(r"\d{9}", re.ASCII)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_PUNCTUATION = ",;"


@dataclass(frozen=True)
class Names:
    """The names of a query, with their roles: ``either`` is a single name that may be a first or last name."""

    first: str | None = None
    last: str | None = None
    either: str | None = None


@dataclass(frozen=True)
class SearchQuery:
    """A search for a client. ``text`` holds name words whose roles ``names()`` decides as ``parse`` does;
    ``first`` and ``last``, when given, take precedence over it."""

    text: str = ""
    first: str | None = None
    last: str | None = None
    dob: date | None = None
    ssn_last4: str | None = None
    hearth_id: int | None = None
    # A whole SSN (nine digits), looked up through the blind index (hearth.search.keys n:); never in a repr.
    ssn: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.ssn_last4 is not None and not _LAST4.fullmatch(self.ssn_last4):
            raise ValueError("ssn_last4 must be four digits")
        if self.ssn is not None and not _SSN9.fullmatch(self.ssn):
            raise ValueError("ssn must be nine digits")
        if self.hearth_id is not None and not 0 < self.hearth_id < 2**63:
            raise ValueError("hearth_id must be a positive 64-bit integer")

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        """Read a free-text search: dates, SSN digits and Hearth IDs are recognised, the rest are names.

        A value of each kind is taken once (the first); an impossible date (02/30/1985), numbers of one to three
        digits and anything else that is neither a name nor one of those values are ignored.
        """
        dob: date | None = None
        last4: str | None = None
        whole: str | None = None
        hearth_id: int | None = None
        words: list[str] = []
        for token in text.split():
            core = token.strip(_PUNCTUATION)
            if match := _FULL_SSN.fullmatch(core):
                last4 = last4 or match[1] or match[2]
                digits = core.replace("-", "")
                whole = whole or (digits if _SSN9.fullmatch(digits) else None)
            elif _HAS_LETTER.search(core) or not core:
                words.append(token)  # a name, or a comma of its own ("Smith , John")
            elif match := _ISO_DATE.fullmatch(core):
                parsed = _date(int(match[1]), int(match[2]), int(match[3]))
                dob = dob or parsed
            elif match := _US_DATE.fullmatch(core):
                parsed = _date(int(match[3]), int(match[1]), int(match[2]))
                dob = dob or parsed
            elif match := _HEARTH_ID.fullmatch(core):
                hearth_id = hearth_id or (int(match[1]) or None)
            elif _DIGITS.fullmatch(core):
                if len(core) == 4:
                    last4 = last4 or core
                elif len(core) > 4:
                    hearth_id = hearth_id or (int(core) or None)
        return cls(text=" ".join(words), dob=dob, ssn_last4=last4, hearth_id=hearth_id, ssn=whole)

    def names(self) -> Names:
        """The names asked for: ``first``/``last`` if given, else ``text`` read as ``parse`` reads it."""
        first, last = (self.first or "").strip() or None, (self.last or "").strip() or None
        if first or last:
            return Names(first=first, last=last)
        return _split_names(self.text)

    @property
    def is_empty(self) -> bool:
        names = self.names()
        return not (names.first or names.last or names.either or self.dob or self.ssn_last4 or self.hearth_id)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _split_names(text: str) -> Names:
    """Names with roles: "Smith, John" → last Smith, first John; "John Smith" → first John, last Smith;
    "John Michael Smith" → first John, last "Michael Smith" (its parts are keys of their own); one word → either."""
    before, comma, after = text.partition(",")
    if comma:
        last_words, first_words = _words(before), _words(after)
        if last_words and first_words:
            return Names(first=first_words[0], last=" ".join(last_words))
    words = _words(text)
    if not words:
        return Names()
    if len(words) == 1:
        return Names(either=words[0])
    return Names(first=words[0], last=" ".join(words[1:]))


def _words(text: str) -> list[str]:
    words = (w.strip(_PUNCTUATION) for w in text.replace(",", " ").split())
    return [w for w in words if _HAS_LETTER.search(w)]


def candidate_ids(query: SearchQuery, limit: int = 500) -> tuple[list[int], bool]:
    """Clients whose keys shared with the query weigh most, best first (then sharing more keys, then by Hearth
    ID); a Hearth ID asked for comes first when that client exists and is not deleted.

    ``truncated``: clients as good as some of those returned were left out, so the user should narrow the
    search. That is, more clients matched than ``limit`` and the first one left out shares two keys or more with
    the query, or as many as the best one (when every candidate shares one key, as for a single name). Clients
    sharing a single key with a query whose best candidates share several (the many people born on the same
    day as someone searched for by name and date of birth) are weak candidates: leaving them out is no cause
    to narrow the search.

    One statement on the index (``candidate_sql``).
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    statement = candidate_sql(query, limit)
    if statement is None:
        return [], False
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = [int(row[0]) for row in rows[:limit]]
    truncated = len(rows) > limit and int(rows[limit][2]) >= min(2, int(rows[0][2]))
    logger.debug("client search: %d candidates, truncated=%s", len(ids), truncated)
    return ids, truncated


def candidate_sql(query: SearchQuery, limit: int) -> tuple[str, list[str | int]] | None:
    """The statement ``candidate_ids`` runs and its parameters (None when the query asks for nothing); its rows
    are (client id, weight of the keys shared, number of keys shared), at most ``limit`` + 1 (which tells
    whether more clients matched).

    Each key is first read as an index-only range scan of the primary key (key, client_id) cut at ``KEY_CAP``
    rows. A key that has no more rows than that is *narrow*: all its clients are read. A *broad* key (a common
    name's Soundex, a first initial) is not read whole; instead the ``PROBED`` best clients of the narrow keys
    are each looked up in it (one primary-key probe per client and broad key). So a client sharing a rare key
    and a common one (the SSN digits and a last name held by 20,000 clients) is scored for both, whatever its
    Hearth ID, while the work stays bounded by the number of keys, whatever the size of the CoC. Clients found
    only through the first ``KEY_CAP`` rows of broad keys (every candidate of a last name alone) count the keys
    they were found by. A Hearth ID is a primary-key lookup in the client table and outweighs any keys.
    """
    from hearth.hmis.models import Client
    from hearth.search.models import ClientSearchKey

    weights = weighted_query_keys(query)
    if not weights and query.hearth_id is None:
        return None
    quote = connection.ops.quote_name
    index, clients, key = quote(ClientSearchKey._meta.db_table), quote(Client._meta.db_table), quote("key")
    cap = max(KEY_CAP, limit + 1)
    keys = sorted(weights)
    params: list[str | int] = []
    parts: list[str] = []
    if keys:
        values = ", ".join(f"({i:d}, %s, {weights[k]:d})" for i, k in enumerate(keys))
        params += keys
        branches = " UNION ALL ".join(
            f"SELECT {i:d} AS k, client_id FROM "
            f"(SELECT client_id FROM {index} WHERE {key} = %s ORDER BY client_id LIMIT {cap + 1:d}) AS h{i:d}"
            for i in range(len(keys))
        )
        params += keys
        parts.append(
            f"q (k, {key}, w) AS (VALUES {values}), "
            f"hits AS ({branches}), "
            "sizes AS (SELECT k, COUNT(*) AS n FROM hits GROUP BY k), "
            "narrow AS (SELECT hits.client_id, SUM(q.w) AS w, COUNT(*) AS n FROM hits "
            f"JOIN sizes ON sizes.k = hits.k JOIN q ON q.k = hits.k WHERE sizes.n <= {cap:d} "
            "GROUP BY hits.client_id), "
            f"probed AS (SELECT client_id, w, n FROM narrow ORDER BY w DESC, n DESC, client_id LIMIT {PROBED:d}), "
            f"broad AS (SELECT q.{key}, q.w FROM q JOIN sizes ON sizes.k = q.k WHERE sizes.n > {cap:d})"
        )
        # OFFSET 0 keeps PostgreSQL from turning the EXISTS into a join, which would read each broad key whole:
        # it stays one primary-key probe per (client, broad key).
        probe = f"SELECT 1 FROM {index} AS x WHERE x.{key} = broad.{key} AND x.client_id = probed.client_id"
        probe += " OFFSET 0" if connection.vendor == "postgresql" else ""
        scored = [
            "SELECT client_id, w, n FROM probed",
            f"SELECT probed.client_id, broad.w, 1 AS n FROM probed CROSS JOIN broad WHERE EXISTS ({probe})",
            "SELECT hits.client_id, q.w, 1 AS n FROM hits JOIN q ON q.k = hits.k "
            "WHERE hits.client_id NOT IN (SELECT client_id FROM probed)",
        ]
    else:
        scored = []
    if query.hearth_id is not None:
        scored.append(
            f"SELECT id AS client_id, {_HEARTH_ID_WEIGHT:d} AS w, 1 AS n FROM {clients} "
            "WHERE id = %s AND date_deleted IS NULL"
        )
        params.append(query.hearth_id)
    with_clause = f"WITH {parts[0]} " if parts else ""
    sql = (
        f"{with_clause}SELECT client_id, SUM(w) AS w, SUM(n) AS n FROM ({' UNION ALL '.join(scored)}) AS scored "
        f"GROUP BY client_id ORDER BY w DESC, n DESC, client_id LIMIT {limit + 1:d}"
    )
    return sql, params
