"""The problems the 1.5M-client benchmark found in the search (docs/PERFORMANCE.md, "Client search"), each
reproduced small: every test here failed before its fix."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hearth.access.client_search import search_clients_for
from hearth.hmis.models import Client
from hearth.search import Match, SearchQuery, candidate_ids, rank
from hearth.search import query as query_module
from hearth.search.index import rebuild
from tests import factories as make
from tests.search.helpers import Person, make_client, search
from tests.web.personas import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _secret(settings: Any) -> None:
    settings.SECRET_KEY = "search-tests-secret-key"


# -- 1. a date of birth with a year below 1000 ----------------------------------------------------------------


def test_a_date_of_birth_before_the_year_1000_ranks_against_any_other() -> None:
    # 05/12/0209: 2009 with its first two digits swapped. strftime("%Y") wrote the year with three digits, so
    # comparing it digit by digit with a four-digit year raised ValueError (an error page).
    query = SearchQuery.parse("Smith 05/12/0209")
    assert query.dob == date(209, 5, 12)
    people = [
        Person(1, "Ann", "Smith", date(2009, 5, 12)),
        Person(2, "Bea", "Smith", date(1980, 1, 1)),
        Person(3, "Cy", "Smith", date(209, 5, 13)),
        Person(4, "Di", "Smith", date(209, 5, 12)),
    ]
    assert rank(query, people) == [
        Match(4, 1.0, ["same last name", "same date of birth"]),
        Match(1, 0.883, ["same last name", "date of birth with two digits transposed"]),
        Match(3, 0.767, ["same last name", "date of birth differs by one digit"]),
    ]


def test_a_date_of_birth_before_the_year_1000_searched_in_the_database() -> None:
    ann = make_client("Ann", "Smith", date(2009, 5, 12))
    make_client("Bea", "Smith", date(1980, 1, 1))
    assert search("Smith 05/12/0209") == [
        Match(ann.pk, 0.883, ["same last name", "date of birth with two digits transposed"])
    ]


# -- 2. SSN last 4 + last name ---------------------------------------------------------------------------------


def test_a_client_sharing_a_rare_key_and_a_common_one_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    # At 1.5M clients a last name's Soundex holds thousands of clients; here the cap is 5 so that 8 Smiths
    # overflow it. Each key used to bring its first clients by Hearth ID, so the Smith with the SSN digits,
    # registered last, shared one key like the others and was cut.
    monkeypatch.setattr(query_module, "KEY_CAP", 5)
    smiths = [make_client(f"Al{n}", "Smith", date(1970, 1, 1 + n), f"12345{1000 + n}") for n in range(8)]
    target = make_client("Zoe", "Smith", date(1991, 2, 3), "987656789")
    ids, truncated = candidate_ids(SearchQuery.parse("Smith 6789"), limit=3)
    # The Smiths after it share only the last name (the first six by Hearth ID: the common key's capped rows);
    # leaving the rest out is no cause to narrow the search, since the best shares two keys.
    assert (ids, truncated) == ([target.pk, smiths[0].pk, smiths[1].pk], False)
    assert search("Smith 6789", limit=3) == [Match(target.pk, 1.0, ["same last name", "same last 4 of SSN"])]


def test_weights_put_the_exact_date_of_birth_before_its_typing_variants() -> None:
    born = make_client("Lee", "Park", date(1985, 5, 12))
    variant = make_client("Lee", "Park", date(1985, 5, 21))
    # Same name keys, date exact (4) against a typing variant of it (2).
    assert candidate_ids(SearchQuery.parse("Lee Park 1985-05-12")) == ([born.pk, variant.pk], False)
    assert candidate_ids(SearchQuery.parse("Lee Park 1985-05-21")) == ([variant.pk, born.pk], False)


# -- 3. a last-name typo that changes its Soundex --------------------------------------------------------------


def test_a_last_name_typo_that_changes_its_soundex_is_found_by_name_alone() -> None:
    # Murphy M610 / Murhy M600: every key that holds the last name's Soundex differs.
    darnell = make_client("Darnell", "Murphy")
    moore = make_client("Darnell", "Moore")  # M600: the Soundex typed, another last name
    assert search("Darnell Murhy") == [
        Match(darnell.pk, 0.978, ["same first name", "last name spelled similarly (Murhy / Murphy)"]),
        Match(moore.pk, 0.833, ["same first name", "last name sounds alike (Murhy / Moore)"]),
    ]
    # A typo in the second letter keeps the b: key, one in the last two letters the a: key.
    assert search("Darnell Mrrphy")[0].client_id == darnell.pk
    assert search("Darnell Murpy")[0].client_id == darnell.pk


# -- 4. more equally good matches than shown -------------------------------------------------------------------


@pytest.fixture
def world() -> World:
    return build_world()


def _namesakes(world: World, n: int) -> list[Client]:
    shelter = world.projects["a_shelter"]
    made = []
    for i in range(n):
        namesake = make.client("Rosa", "Quintero", dob=date(1990, 1, 1 + i % 28))
        make.enrollment(namesake, shelter)
        made.append(namesake)
    rebuild()
    return made


def test_more_equally_good_matches_than_shown_ask_to_narrow_the_search(world: World) -> None:
    namesakes = _namesakes(world, 26)
    results = search_clients_for(world.users["manager_a"], SearchQuery.parse("Rosa Quintero"))
    # 26 candidates, well under the 100 ranked: only the 26th, as good as the 25 shown, was left out.
    assert candidate_ids(SearchQuery.parse("Rosa Quintero")) == ([c.pk for c in namesakes], False)
    assert [f.client.pk for f in results.found] == [c.pk for c in namesakes[:25]]
    assert {f.match.score for f in results.found} == {1.0}
    assert results.truncated
    # What the page says.
    browser = _browser(world, "manager_a")
    response = browser.post("/clients/", {"q": "Rosa Quintero"}, HTTP_HX_REQUEST="true")
    assert b"25 possible matches, best first. Many people match: add a date of birth or a first name" in (
        response.content
    )


def test_as_many_equally_good_matches_as_shown_need_no_narrowing(world: World) -> None:
    namesakes = _namesakes(world, 25)
    results = search_clients_for(world.users["manager_a"], SearchQuery.parse("Rosa Quintero"))
    assert [f.client.pk for f in results.found] == [c.pk for c in namesakes]
    assert not results.truncated
    # A weaker match left out is no cause either: 25 exact, one sounding alike.
    rosie = make.client("Rosa", "Quintera", dob=date(1990, 1, 1))
    make.enrollment(rosie, world.projects["a_shelter"])
    rebuild()
    results = search_clients_for(world.users["manager_a"], SearchQuery.parse("Rosa Quintero"))
    assert len(results.found) == 25
    assert rosie.pk not in {f.client.pk for f in results.found}
    assert not results.truncated


def _browser(world: World, persona: str) -> Any:
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(world.users[persona])
    return browser
