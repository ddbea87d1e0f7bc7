"""hearth generate: the command line over generate()."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hearth.spec import current


def test_generate_writes_a_folder_and_reports_rows(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "generate", "--clients", "40", "--seed", "2", "--out", str(tmp_path / "coc"), stdout=out, stderr=io.StringIO()
    )
    text = out.getvalue()
    assert "Wrote" in text
    assert "Client" in text
    assert sorted(p.name for p in (tmp_path / "coc").iterdir()) == sorted(
        [*(rt.filename for rt in current().record_types.values()), "duplicates.csv"]
    )
    client_rows = (tmp_path / "coc" / "Client.csv").read_text().count("\n") - 1
    assert client_rows == 40


def test_generate_honours_years_end_date_and_duplicate_share(tmp_path: Path) -> None:
    call_command(
        "generate",
        "--clients",
        "60",
        "--seed",
        "5",
        "--out",
        str(tmp_path / "coc.zip"),
        "--years",
        "2",
        "--end-date",
        "2025-06-30",
        "--duplicates",
        "0",
        verbosity=0,
        stdout=io.StringIO(),
    )
    with zipfile.ZipFile(tmp_path / "coc.zip") as archive:
        export = archive.read("Export.csv").decode().splitlines()[1]
    assert ",2025-06-30 23:00:00,2023-07-01,2025-06-30," in export
    truth = (tmp_path / "coc.duplicates.csv").read_text().splitlines()
    assert len(truth) == 61
    assert len({line.split(",")[1] for line in truth[1:]}) == 60  # no duplicates requested, none made


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--clients", "0"], "--clients"),
        (["--clients", "5", "--years", "0"], "--years"),
        (["--clients", "5", "--duplicates", "1.5"], "--duplicates"),
        (["--clients", "5", "--end-date", "30/09/2026"], "--end-date"),
    ],
)
def test_generate_refuses_impossible_arguments(tmp_path: Path, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate", *arguments, "--seed", "1", "--out", str(tmp_path / "x"), stdout=io.StringIO())
