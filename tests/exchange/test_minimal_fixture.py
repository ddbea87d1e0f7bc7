"""The builder's minimal export is valid: the starting point every negative test breaks one way."""

from __future__ import annotations

from pathlib import Path

from hearth.exchange.validate import validate_export
from tests.builders import ExportBuilder


def test_minimal_export_is_valid_without_warnings(tmp_path: Path, minimal: ExportBuilder) -> None:
    report = validate_export(minimal.write_zip(tmp_path / "export.zip"))
    assert report.log.summary_lines() == []
    assert report.rows["Client"] == 3
    assert report.rows["Services"] == 3
