"""Finding a client before creating one: exact candidates, scores and reasons."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from hearth.hmis.models import Client
from hearth.search import Match, SearchQuery, candidate_ids, rank
from hearth.search.index import index_clients, rebuild
from tests.search.helpers import make_client, search

pytestmark = pytest.mark.django_db


@dataclass
class People:
    john: Client
    jon: Client
    john_1975: Client
    robert: Client
    maria: Client
    mary_jones: Client
    jane: Client


@pytest.fixture
def people(settings: Any) -> People:
    settings.SECRET_KEY = "search-tests-secret-key"
    people = People(
        john=make_client("John", "Smith", date(1980, 5, 12), "123456789"),
        jon=make_client("Jon", "Smyth", date(1980, 5, 12)),
        john_1975=make_client("John", "Smith", date(1975, 1, 1)),
        robert=make_client("Robert", "Smith", date(1985, 5, 12), "987654321"),
        maria=make_client("María", "García López", date(1990, 12, 3)),
        mary_jones=make_client("Mary", "Jones", date(1980, 5, 12)),
        jane=make_client("Jane", "Doe", date(1970, 7, 7), "555443333"),
    )
    return people


def test_typo_in_both_names(people: People) -> None:
    typos = ["first name sounds alike (Jonh / John)", "last name sounds alike (Smiht / Smith)"]
    assert search("Jonh Smiht") == [
        Match(people.john.pk, 0.944, typos),
        Match(people.john_1975.pk, 0.944, typos),
        Match(people.jon.pk, 0.878, ["first name sounds alike (Jonh / Jon)", "last name sounds alike (Smiht / Smyth)"]),
    ]


def test_nickname(people: People) -> None:
    assert search("Bob Smith") == [
        Match(people.robert.pk, 0.956, ["first name is a nickname (Bob / Robert)", "same last name"])
    ]
    assert search("Robbie Smith 1985-05-12") == [
        Match(
            people.robert.pk,
            0.975,
            ["first name is a nickname (Robbie / Robert)", "same last name", "same date of birth"],
        )
    ]


def test_swapped_first_and_last_names(people: People) -> None:
    assert search("Smith John") == [
        Match(people.john.pk, 0.95, ["first and last names swapped"]),
        Match(people.john_1975.pk, 0.95, ["first and last names swapped"]),
        Match(
            people.jon.pk,
            0.866,
            [
                "first and last names swapped",
                "first name sounds alike (John / Jon)",
                "last name sounds alike (Smith / Smyth)",
            ],
        ),
    ]
    assert search("Smith, John") == [
        Match(people.john.pk, 1.0, ["same first name", "same last name"]),
        Match(people.john_1975.pk, 1.0, ["same first name", "same last name"]),
        Match(
            people.jon.pk,
            0.911,
            ["first name sounds alike (John / Jon)", "last name sounds alike (Smith / Smyth)"],
        ),
    ]


def test_date_of_birth_typed_wrong(people: People) -> None:
    assert search("05/21/1985") == [Match(people.robert.pk, 0.8, ["date of birth with two digits transposed"])]
    assert search("1958-05-12") == [Match(people.robert.pk, 0.8, ["date of birth with two digits transposed"])]
    assert search("1985-12-05") == [Match(people.robert.pk, 0.8, ["date of birth with day and month swapped"])]


def test_ssn_last_4(people: People) -> None:
    matches = search("Smith 6789")
    assert matches[0] == Match(people.john.pk, 1.0, ["same last name", "same last 4 of SSN"])
    # The other Smiths: no SSN on record (neither confirms nor rules out) or a different one (left out).
    assert matches[1:] == [
        Match(people.john_1975.pk, 0.673, ["same last name"]),
        Match(people.jon.pk, 0.624, ["last name sounds alike (Smith / Smyth)"]),
    ]
    # A whole SSN typed is looked up through the blind index too, and said to be the same number.
    assert search("123-45-6789")[0] == Match(people.john.pk, 1.0, ["same SSN"])
    assert search("Smith 3421") == [
        Match(people.robert.pk, 0.782, ["same last name", "last 4 of SSN with two digits transposed"]),
        Match(people.john_1975.pk, 0.673, ["same last name"]),
        Match(people.jon.pk, 0.624, ["last name sounds alike (Smith / Smyth)"]),
    ]
    # No digits in the reasons but the 4 of "last 4 of SSN".
    reasons = [r.replace("last 4 of SSN", "") for m in matches for r in m.reasons]
    assert not any(c.isdigit() for r in reasons for c in r)


def test_hearth_id(people: People) -> None:
    assert search(f"#{people.jane.pk}") == [Match(people.jane.pk, 1.0, ["same Hearth ID"])]
    assert search(f"#{people.jane.pk} Jane Doe") == [
        Match(people.jane.pk, 1.0, ["same Hearth ID", "same first name", "same last name"])
    ]
    big = make_client("Pat", "Kim", id=424242)
    assert search("424242") == [Match(big.pk, 1.0, ["same Hearth ID"])]
    assert search("#999999") == []


def test_compound_last_name_found_by_one_part(people: People) -> None:
    assert search("Maria Lopez") == [
        Match(
            people.maria.pk,
            0.944,
            ["same first name", "last name matches part of the last name on record (Lopez / García López)"],
        )
    ]
    assert search("maria garcia lopez")[0].client_id == people.maria.pk


def test_deleted_clients_are_not_found(people: People) -> None:
    Client.objects.filter(pk=people.jane.pk).update(date_deleted=timezone.now())
    index_clients([people.jane.pk])
    assert search("Jane Doe") == []
    assert search("1970-07-07") == []
    assert search(f"#{people.jane.pk}") == []
    assert candidate_ids(SearchQuery(hearth_id=people.jane.pk)) == ([], False)
    # Even a client still in the index is not ranked once deleted.
    jane = Client.objects.get(pk=people.jane.pk)
    assert rank(SearchQuery(first="Jane", last="Doe"), [jane]) == []


def test_ranking_with_reasons(people: People) -> None:
    matches = search("John Smith 1980-05-12 6789")
    assert matches == [
        Match(people.john.pk, 1.0, ["same first name", "same last name", "same date of birth", "same last 4 of SSN"]),
        Match(
            people.jon.pk,
            0.8,
            ["first name sounds alike (John / Jon)", "last name sounds alike (Smith / Smyth)", "same date of birth"],
        ),
    ]
    # Left out, below the threshold: the other John Smith (another date of birth), Mary Jones (only the date).
    ids, truncated = candidate_ids(SearchQuery.parse("John Smith 1980-05-12 6789"))
    assert {people.john_1975.pk, people.mary_jones.pk} <= set(ids)
    assert ids[0] == people.john.pk
    assert not truncated


def test_form_fields_as_a_query(people: People) -> None:
    query = SearchQuery(first="Mary", last="Jones", dob=date(1980, 5, 12), ssn_last4=None)
    assert search(query) == [
        Match(people.mary_jones.pk, 1.0, ["same first name", "same last name", "same date of birth"])
    ]
    assert search(SearchQuery(first="", last="Jones")) == [Match(people.mary_jones.pk, 1.0, ["same last name"])]


def test_candidates_are_limited_and_say_so(people: People) -> None:
    ids, truncated = candidate_ids(SearchQuery.parse("Smith"), limit=2)
    assert len(ids) == 2
    assert truncated
    ids, truncated = candidate_ids(SearchQuery.parse("Smith"), limit=50)
    assert set(ids) == {people.john.pk, people.jon.pk, people.john_1975.pk, people.robert.pk}
    assert not truncated
    assert candidate_ids(SearchQuery.parse("")) == ([], False)


def test_leaving_out_weak_candidates_is_not_truncation(people: People) -> None:
    query = SearchQuery.parse("John Smith 1980-05-12 6789")
    everyone, truncated = candidate_ids(query)
    assert everyone == [people.john.pk, people.jon.pk, people.john_1975.pk, people.mary_jones.pk]
    assert not truncated
    # Left out: Mary Jones, who shares only the date of birth.
    assert candidate_ids(query, limit=3) == (everyone[:3], False)
    # Left out: the other John Smith, who shares three keys.
    assert candidate_ids(query, limit=2) == (everyone[:2], True)


def test_parse() -> None:
    assert SearchQuery.parse("Smith, John 05/12/1980 6789 #42") == SearchQuery(
        text="Smith, John", dob=date(1980, 5, 12), ssn_last4="6789", hearth_id=42
    )
    assert SearchQuery.parse("Smith, John").names().first == "John"
    assert SearchQuery.parse("John Smith").names().last == "Smith"
    assert SearchQuery.parse("Smith").names().either == "Smith"
    assert SearchQuery.parse("02/30/1980 12").is_empty
    assert SearchQuery.parse("123456789012345678901234").is_empty
    assert SearchQuery.parse("xxx-xx-6789 Smith") == SearchQuery(text="Smith", ssn_last4="6789")
    assert SearchQuery.parse("xxxxx6789").ssn_last4 == "6789"
    assert SearchQuery.parse("Smith , John;").names() == SearchQuery(first="John", last="Smith").names()
    with pytest.raises(ValueError, match="four digits"):
        SearchQuery(ssn_last4="12345")


def test_no_personal_data_in_logs(people: People, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    search("John Smith 1980-05-12 6789")
    search("Smith, John 123-45-6789")
    index_clients([people.john.pk])
    rebuild()
    assert caplog.records
    for secret in ("john", "smith", "1980", "05-12", "0512", "6789", "123456789"):
        assert secret not in caplog.text.lower()


def test_typo_that_changes_the_soundex_of_the_first_name() -> None:
    darnell = make_client("Darnell", "Murphy")
    assert search("Danell Murphy") == [
        Match(darnell.pk, 0.983, ["first name spelled similarly (Danell / Darnell)", "same last name"])
    ]


def test_swapped_names_with_a_nickname() -> None:
    liz = make_client("Johnson", "Liz", date(1966, 2, 21))
    assert search("Elizabeth Johnson 1966-02-21") == [
        Match(
            liz.pk,
            0.942,
            ["first and last names swapped", "last name is a nickname (Elizabeth / Liz)", "same date of birth"],
        )
    ]
