"""Keeping the index in step: one client at a time, or all of them (of one source) at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import DatabaseError
from django.utils import timezone

from hearth.exchange.writer import Applier
from hearth.hmis.models import Client, Source
from hearth.search import SearchQuery, candidate_ids
from hearth.search.index import index_clients, rebuild, rebuild_after_import
from hearth.search.keys import client_keys
from hearth.search.models import ClientSearchKey
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import
from tests.search.helpers import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _secret(settings: Any) -> None:
    settings.SECRET_KEY = "search-tests-secret-key"


def stored(client_id: int | None = None) -> set[tuple[int, str]]:
    rows = ClientSearchKey.objects.all()
    if client_id is not None:
        rows = rows.filter(client_id=client_id)
    return set(rows.values_list("client_id", "key"))


def expected(clients: Any) -> set[tuple[int, str]]:
    return {(c.pk, key) for c in clients for key in client_keys(c.first_name, c.last_name, c.dob, c.ssn)}


def test_index_clients_replaces_stale_keys() -> None:
    client = make_client("John", "Smith", date(1980, 5, 12), "123456789")
    assert stored(client.pk) == expected([client])
    Client.objects.filter(pk=client.pk).update(last_name="Jones", dob=date(1981, 6, 13), ssn=None)
    written = index_clients([client.pk])
    client.refresh_from_db()
    assert stored(client.pk) == expected([client])
    assert written == len(stored(client.pk))
    assert not any("S530" in key for _, key in stored(client.pk))
    assert candidate_ids(SearchQuery.parse("John Smith")) == ([], False)
    assert candidate_ids(SearchQuery.parse("John Jones")) == ([client.pk], False)


def test_index_clients_drops_deleted_clients_and_leaves_others_alone() -> None:
    kept = make_client("Ana", "Reyes", date(1990, 1, 2))
    gone = make_client("Ana", "Reyes", date(1990, 1, 2))
    Client.objects.filter(pk=gone.pk).update(date_deleted=timezone.now())
    assert index_clients([gone.pk, gone.pk]) == 0
    assert stored(gone.pk) == set()
    assert stored(kept.pk) == expected([kept])
    assert index_clients([]) == 0


def test_index_never_holds_ssn_digits() -> None:
    make_client("John", "Smith", date(1980, 5, 12), "123456789")
    make_client("Ann", "Lee", None, "xxxxx2468")
    keys = [key for _, key in stored()]
    assert not [key for key in keys if "6789" in key or "2468" in key or "123456789" in key]
    assert len([key for key in keys if key.startswith("4:")]) == 2


def test_rebuild_recomputes_every_live_client() -> None:
    clients = [
        make_client("John", "Smith", date(1980, 5, 12), "123456789", index=False),
        make_client("María José", "García-López", date(1990, 12, 3), "xxxxx1234", index=False),
        make_client(None, "Nguyen", None, None, index=False),
        make_client("", "", None, "", index=False),
    ]
    deleted = make_client("Gone", "Away", date(1970, 1, 1), index=False, date_deleted=timezone.now())
    ClientSearchKey.objects.create(client_id=deleted.pk, key="s:G500")
    ClientSearchKey.objects.create(client_id=999_999, key="s:X000")
    result = rebuild()
    assert stored() == expected(clients)
    assert (result.clients, result.keys) == (4, len(expected(clients)))


def test_rebuild_of_one_source() -> None:
    local = make_client("John", "Smith", date(1980, 5, 12))
    other = make_client("Ann", "Lee", date(1970, 1, 1))
    vendor = Source.objects.create(name="Vendor HMIS", implementation_id="V-1")
    theirs = make_client("Jon", "Smyth", date(1980, 5, 12), source=vendor, index=False)
    Client.objects.filter(pk=local.pk).update(first_name="Changed")  # not reindexed: another source
    result = rebuild(vendor)
    assert result.clients == 1
    assert stored(theirs.pk) == expected([theirs])
    assert stored(local.pk) == expected([Client(pk=local.pk, first_name="John", last_name="Smith", dob=local.dob)])
    assert stored(other.pk) == expected([other])


def test_a_source_with_most_clients_is_rebuilt_whole() -> None:
    local = make_client("John", "Smith", date(1980, 5, 12))
    vendor = Source.objects.create(name="Vendor HMIS", implementation_id="V-1")
    theirs = [make_client("Jon", "Smyth", date(1980, 5, 12), source=vendor, index=False) for _ in range(2)]
    Client.objects.filter(pk=local.pk).update(first_name="Changed")
    result = rebuild(vendor)
    assert result.clients == 3
    local.refresh_from_db()
    assert stored() == expected([local, *theirs])


def test_rebuild_after_import_skips_imports_that_changed_no_client() -> None:
    vendor = Source.objects.create(name="Vendor HMIS", implementation_id="V-1")
    theirs = make_client("Jon", "Smyth", date(1980, 5, 12), source=vendor, index=False)
    unchanged = SimpleNamespace(inserted=0, updated=0, swept=0)
    rebuild_after_import(vendor, {"Client": unchanged})
    assert stored(theirs.pk) == set()
    rebuild_after_import(vendor, {"Client": SimpleNamespace(inserted=1, updated=0, swept=0)})
    assert stored(theirs.pk) == expected([theirs])
    ClientSearchKey.objects.all().delete()
    rebuild_after_import(vendor, {})  # hearth refresh
    assert stored(theirs.pk) == expected([theirs])


def test_a_new_sources_clients_are_keyed_within_its_import(
    tmp_path: Path, minimal: ExportBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new source's keys commit with its import (hearth.search.index.ImportIndexing): no rebuild after it."""
    rebuilt: list[Any] = []
    monkeypatch.setattr("hearth.search.index.rebuild", lambda source=None: rebuilt.append(source))
    minimal.set("Client", "C2", DateDeleted="2025-01-20 10:00:00")
    outcome = do_import(minimal.write_zip(tmp_path / "first.zip"))
    assert outcome.ok
    assert rebuilt == []
    live = list(Client.objects.filter(date_deleted__isnull=True).order_by("hud_id"))
    assert [c.hud_id for c in live] == ["C1", "C3"]
    assert stored() == expected(live)
    # The same source again (an update, not a new source): its keys are rebuilt after the import lands.
    minimal.set("Client", "C1", FirstName="Changed", DateUpdated="2025-02-01 09:00:00")
    again = do_import(minimal.write_zip(tmp_path / "second.zip"))
    assert again.ok
    assert rebuilt == [again.source]


def test_keys_written_within_an_import_roll_back_with_it(
    tmp_path: Path, minimal: ExportBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = Applier.apply

    def fail_on_enrollments(self: Applier, prepared: Any, expected_rows: int) -> None:
        if prepared.record == "Enrollment":
            raise DatabaseError("refused")
        original(self, prepared, expected_rows)

    monkeypatch.setattr(Applier, "apply", fail_on_enrollments)
    outcome = do_import(minimal.write_zip(tmp_path / "in.zip"))
    assert outcome.status == "failed"
    assert (Client.objects.count(), ClientSearchKey.objects.count()) == (0, 0)
