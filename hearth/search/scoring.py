"""Ranking candidates: a score from 0 to 1 and, for the case worker, the reasons in plain English.

Each thing the query asks for is compared with the client's record and agrees from 0 to 1; the score is the
weighted average over what the query asks for:

    first name 0.20, last name 0.25 (a single name of unknown role: 0.25), date of birth 0.35, SSN last 4 0.30

- A name agrees 1 when the same, 0.9 as a nickname of the same given name (Bob / Robert) or as a part of a
  compound name (Garcia / Garcia Lopez), its Jaro–Winkler similarity when that is at least 0.8 (typos), 0.7
  when it only sounds alike (same Soundex), and 0 otherwise. First and last names are also compared crosswise;
  swapped names count at 95% of their agreement.
- A date of birth agrees 1 when the same, 0.8 with day and month swapped or two digits transposed, 0.6 when one
  digit differs, 0.25 in the same year, 0 otherwise. The last 4 of the SSN agree 1 when the same, 0.6 with two
  digits transposed, 0 otherwise.
- What the client's record lacks (no date of birth, no SSN) agrees 0.4: it neither confirms nor rules out.
- The Hearth ID asked for scores 1 outright.

Clients below ``MIN_SCORE`` (0.6) are left out. With the weights above that means, for example: the same name
with a different date of birth (0.56) is not shown, nor is only the same date of birth (0.44 with a name asked
for) or only the same SSN digits; the same name with an unknown date of birth (0.74), the same date of birth and
a first name sounding alike (a last name changed by marriage), or a nickname with the same last name and date of
birth are shown.

Reasons name the values compared, as entered and as on record ("last name sounds alike (Smyth / Smith)"), since
they are shown to users who may see the record; they never repeat SSN digits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Protocol

from hearth.search.keys import ssn_full, ssn_last4, swapped_day_month, transposed_dates, ymd
from hearth.search.normalize import canonical_given_names, name_variants, normalize_name, soundex
from hearth.search.query import SearchQuery

__all__ = ["MIN_SCORE", "ClientLike", "Match", "jaro", "jaro_winkler", "rank", "score"]

MIN_SCORE = 0.6
W_FIRST, W_LAST, W_EITHER, W_DOB, W_SSN = 0.20, 0.25, 0.25, 0.35, 0.30
UNKNOWN = 0.4
SWAPPED = 0.95
NICKNAME = PART = 0.9
SIMILAR = 0.8  # least Jaro–Winkler similarity counted as a typo
SOUNDS_ALIKE = 0.7
DOB_SWAPPED = DOB_TRANSPOSED = 0.8
DOB_ONE_DIGIT = 0.6
DOB_SAME_YEAR = 0.25
SSN_TRANSPOSED = 0.6


class ClientLike(Protocol):
    """What ranking reads of a client (a hearth.hmis Client has it)."""

    @property
    def id(self) -> int: ...
    @property
    def first_name(self) -> str | None: ...
    @property
    def last_name(self) -> str | None: ...
    @property
    def dob(self) -> date | None: ...
    @property
    def ssn(self) -> str | None: ...


@dataclass(frozen=True)
class Match:
    client_id: int
    score: float
    reasons: list[str] = field(default_factory=list)


# -- string similarity --------------------------------------------------------------------------------------


def jaro(a: str, b: str) -> float:
    """Jaro similarity: characters in common within a window, and how many of them are out of order."""
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    a_matched = [False] * len(a)
    b_matched = [False] * len(b)
    matches = 0
    for i, char in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_matched[j] and b[j] == char:
                a_matched[i] = b_matched[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    out_of_order, j = 0, 0
    for i, char in enumerate(a):
        if a_matched[i]:
            while not b_matched[j]:
                j += 1
            if char != b[j]:
                out_of_order += 1
            j += 1
    return (matches / len(a) + matches / len(b) + (matches - out_of_order / 2) / matches) / 3


def jaro_winkler(a: str, b: str, *, prefix_scale: float = 0.1, boost_threshold: float = 0.7) -> float:
    """Jaro–Winkler similarity: Jaro, raised for a common prefix of up to four characters (names are typed
    right at the start more often than at the end) when Jaro is at least ``boost_threshold``."""
    similarity = jaro(a, b)
    if similarity < boost_threshold:
        return similarity
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return similarity + prefix * prefix_scale * (1 - similarity)


# -- comparisons --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Agreement:
    value: float
    reason: str | None = None  # None: agrees without a reason of its own (unknown, or nothing in common)
    exact: bool = False


@lru_cache(maxsize=1 << 16)
def _compare_name(entered: str, recorded: str | None, label: str, *, given: bool) -> _Agreement:
    """How a name typed agrees with a name on record (``label``: "first name" or "last name"). Cached: the
    candidates of one search share a few names (every Smith compared with the Smith typed), and an agreement is
    immutable."""
    typed, stored = normalize_name(entered), normalize_name(recorded)
    if not stored:
        return _Agreement(UNKNOWN)
    if not typed:
        return _Agreement(0.0)
    shown = f"({entered.strip()} / {(recorded or '').strip()})"
    if typed == stored:
        return _Agreement(1.0, f"same {label}", exact=True)
    typed_forms, stored_forms = name_variants(entered), name_variants(recorded)
    if set(typed_forms) & set(stored_forms):
        return _Agreement(PART, f"{label} matches part of the {label} on record {shown}")
    similarity = max(jaro_winkler(t, s) for t in typed_forms for s in stored_forms)
    alike = any(soundex(t) == soundex(s) for t in typed_forms for s in stored_forms)
    # A nickname that is also a near spelling (Jon / John) is said the way that agrees more.
    if given and similarity <= NICKNAME and canonical_given_names(typed) & canonical_given_names(stored):
        return _Agreement(NICKNAME, f"{label} is a nickname {shown}")
    if similarity >= SIMILAR:
        return _Agreement(similarity, f"{label} {'sounds alike' if alike else 'spelled similarly'} {shown}")
    if alike:
        return _Agreement(SOUNDS_ALIKE, f"{label} sounds alike {shown}")
    return _Agreement(0.0)


def _names(query: SearchQuery, client: ClientLike) -> tuple[float, float, list[str]]:
    """(weighted agreement, weight, reasons) of the names asked for."""
    names = query.names()
    if names.first and names.last:
        straight = (
            _compare_name(names.first, client.first_name, "first name", given=True),
            _compare_name(names.last, client.last_name, "last name", given=False),
        )
        # Crosswise, either side may hold the given name (Elizabeth Johnson / Johnson Liz, Miller Bob / Robert
        # Miller): nicknames count in both comparisons.
        crossed = (
            _compare_name(names.last, client.first_name, "first name", given=True),
            _compare_name(names.first, client.last_name, "last name", given=True),
        )
        as_entered = W_FIRST * straight[0].value + W_LAST * straight[1].value
        swapped = (W_FIRST * crossed[0].value + W_LAST * crossed[1].value) * SWAPPED
        if swapped > as_entered and all(a.reason for a in crossed):
            reasons = ["first and last names swapped"] + [a.reason for a in crossed if a.reason and not a.exact]
            return swapped, W_FIRST + W_LAST, reasons
        return as_entered, W_FIRST + W_LAST, [a.reason for a in straight if a.reason]
    if names.first:
        first = _compare_name(names.first, client.first_name, "first name", given=True)
        return W_FIRST * first.value, W_FIRST, [first.reason] if first.reason else []
    if names.last:
        last = _compare_name(names.last, client.last_name, "last name", given=False)
        return W_LAST * last.value, W_LAST, [last.reason] if last.reason else []
    if names.either:
        as_last = _compare_name(names.either, client.last_name, "last name", given=False)
        as_first = _compare_name(names.either, client.first_name, "first name", given=True)
        best = as_first if as_first.value > as_last.value else as_last
        return W_EITHER * best.value, W_EITHER, [best.reason] if best.reason else []
    return 0.0, 0.0, []


def _dob(entered: date, recorded: date | None) -> _Agreement:
    if recorded is None:
        return _Agreement(UNKNOWN)
    if entered == recorded:
        return _Agreement(1.0, "same date of birth", exact=True)
    if swapped_day_month(entered) == recorded:
        return _Agreement(DOB_SWAPPED, "date of birth with day and month swapped")
    if recorded in transposed_dates(entered):
        return _Agreement(DOB_TRANSPOSED, "date of birth with two digits transposed")
    # Zero-padded to eight digits whatever the year: strftime("%Y") writes the year 209 (05/12/0209, a typed
    # 2009) with three digits, and the form accepts any year from 1.
    a, b = ymd(entered), ymd(recorded)
    if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return _Agreement(DOB_ONE_DIGIT, "date of birth differs by one digit")
    if entered.year == recorded.year:
        return _Agreement(DOB_SAME_YEAR, "same year of birth")
    return _Agreement(0.0)


def _ssn(entered: str, recorded: str | None, whole: str | None = None) -> _Agreement:
    stored = ssn_last4(recorded)
    if stored is None:
        return _Agreement(UNKNOWN)
    if stored == entered:
        if whole is not None and ssn_full(whole) is not None and ssn_full(recorded) == ssn_full(whole):
            return _Agreement(1.0, "same SSN", exact=True)
        return _Agreement(1.0, "same last 4 of SSN", exact=True)
    for i in range(3):
        if entered[i] != entered[i + 1] and entered[:i] + entered[i + 1] + entered[i] + entered[i + 2 :] == stored:
            return _Agreement(SSN_TRANSPOSED, "last 4 of SSN with two digits transposed")
    return _Agreement(0.0)


def score(query: SearchQuery, client: ClientLike) -> Match:
    """The match of one client (whatever its score)."""
    total, weight, reasons = _names(query, client)
    if query.dob is not None:
        dob = _dob(query.dob, client.dob)
        total, weight = total + W_DOB * dob.value, weight + W_DOB
        reasons += [dob.reason] if dob.reason else []
    if query.ssn_last4 is not None:
        ssn = _ssn(query.ssn_last4, client.ssn, query.ssn)
        total, weight = total + W_SSN * ssn.value, weight + W_SSN
        reasons += [ssn.reason] if ssn.reason else []
    value = round(total / weight, 3) if weight else 0.0
    if query.hearth_id is not None and query.hearth_id == client.id:
        return Match(client.id, 1.0, ["same Hearth ID", *reasons])
    return Match(client.id, value, reasons)


def rank(query: SearchQuery, clients: Iterable[ClientLike]) -> list[Match]:
    """Matches of at least ``MIN_SCORE``, best first (then by Hearth ID). Deleted clients never match."""
    matches = [score(query, client) for client in clients if getattr(client, "date_deleted", None) is None]
    kept = [m for m in matches if m.score >= MIN_SCORE]
    return sorted(kept, key=lambda m: (-m.score, m.client_id))
