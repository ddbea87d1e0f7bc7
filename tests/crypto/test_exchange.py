"""The bulk paths: an import writes SSNs encrypted (COPY / batched INSERT, past the model field), the export
gives them back exactly, hashed exports hash the plain number, and search by the last four still finds them."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.db import connection

from hearth.crypto import PREFIX, decrypt
from hearth.exchange.exporter import ExportOptions, export_hmis
from hearth.exchange.hashing import hash_ssn
from hearth.hmis.models import Client
from hearth.search import SearchQuery, candidate_ids
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import

pytestmark = pytest.mark.django_db

SSNS = {"C1": "900123456", "C2": "900555123", "C3": "xxxxx7788"}


def clients_csv(path: Path) -> dict[str, dict[str, str]]:
    with zipfile.ZipFile(path) as archive:
        rows = csv.DictReader(io.TextIOWrapper(archive.open("Client.csv"), encoding="utf-8"))
        return {row["PersonalID"]: row for row in rows}


def stored_ssns() -> dict[str, str | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT hud_id, ssn FROM hmis_client")
        return dict(cursor.fetchall())


@pytest.fixture
def export(minimal: ExportBuilder) -> ExportBuilder:
    minimal.set("Client", "C2", SSN=SSNS["C2"])
    minimal.set("Client", "C3", SSN=SSNS["C3"], SSNDataQuality=2)
    return minimal


def test_import_stores_ciphertext_and_export_gives_the_same_ssns_back(tmp_path: Path, export: ExportBuilder) -> None:
    outcome = do_import(export.write_zip(tmp_path / "in.zip"))
    assert outcome.ok, outcome.log.summary_lines()
    stored = stored_ssns()
    assert set(stored) == set(SSNS)
    for hud_id, ssn in SSNS.items():
        value = stored[hud_id]
        assert value is not None
        assert value.startswith(PREFIX)
        assert ssn not in value
        assert ssn[-4:] not in value.split(":", 2)[2]
        assert decrypt(value, context="hmis_client.ssn") == ssn
        assert Client.objects.get(hud_id=hud_id).ssn == ssn
    exported = clients_csv(export_hmis(out=tmp_path / "out.zip", actor="test").path)
    assert {hud_id: row["SSN"] for hud_id, row in exported.items()} == SSNS


def test_hashed_export_hashes_the_plain_ssn(tmp_path: Path, export: ExportBuilder) -> None:
    assert do_import(export.write_zip(tmp_path / "in.zip")).ok
    options = ExportOptions(hashed=True)
    exported = clients_csv(export_hmis(out=tmp_path / "hashed.zip", actor="test", options=options).path)
    assert {hud_id: row["SSN"] for hud_id, row in exported.items()} == {k: hash_ssn(v) for k, v in SSNS.items()}
    assert exported["C2"]["SSN"][:4] == "5123"


def test_importing_the_export_again_changes_nothing_and_a_newer_record_is_reencrypted(
    tmp_path: Path, export: ExportBuilder
) -> None:
    assert do_import(export.write_zip(tmp_path / "in.zip")).ok
    before = stored_ssns()
    again = do_import(export.write_zip(tmp_path / "again.zip"))
    assert again.counts["Client"].unchanged == 3
    assert stored_ssns() == before
    export.set("Client", "C2", SSN="900777888", DateUpdated="2025-03-01 10:00:00")
    newer = do_import(export.write_zip(tmp_path / "newer.zip"))
    assert newer.counts["Client"].updated == 1
    after = stored_ssns()
    assert after["C1"] == before["C1"]
    assert decrypt(after["C2"] or "", context="hmis_client.ssn") == "900777888"
    assert Client.objects.get(hud_id="C2").ssn == "900777888"


def test_search_by_last_four_finds_imported_clients(tmp_path: Path, export: ExportBuilder) -> None:
    assert do_import(export.write_zip(tmp_path / "in.zip")).ok  # rebuilds the search index after the import
    ids, _ = candidate_ids(SearchQuery(ssn_last4="5123"))
    assert ids == [Client.objects.get(hud_id="C2").pk]
    ids, _ = candidate_ids(SearchQuery(ssn_last4="7788"))
    assert ids == [Client.objects.get(hud_id="C3").pk]
    assert candidate_ids(SearchQuery(ssn_last4="9999"))[0] == []


def test_search_by_last_four_after_a_full_rebuild_and_after_a_case_worker_change(
    tmp_path: Path, export: ExportBuilder
) -> None:
    from hearth.search.index import index_clients, rebuild

    assert do_import(export.write_zip(tmp_path / "in.zip")).ok
    rebuild()  # the raw (COPY / cursor) read of every client
    c1 = Client.objects.get(hud_id="C1")
    assert candidate_ids(SearchQuery(ssn_last4="3456"))[0] == [c1.pk]
    Client.objects.filter(pk=c1.pk).update(ssn="900111222")
    index_clients([c1.pk])  # the ORM read of a few clients
    assert candidate_ids(SearchQuery(ssn_last4="1222"))[0] == [c1.pk]
    assert candidate_ids(SearchQuery(ssn_last4="3456"))[0] == []
