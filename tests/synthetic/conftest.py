from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from hearth.synthetic.generator import GenerationSummary, generate
from tests.synthetic.helpers import CLIENTS, SEED, read_typed


@pytest.fixture(scope="session")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary]:
    """The export the tests read: 300 clients, seed 7, default period (four years to 2026-09-30)."""
    out = tmp_path_factory.mktemp("synthetic") / "export"
    return out, generate(CLIENTS, SEED, out)


@pytest.fixture(scope="session")
def frames(export: tuple[Path, GenerationSummary]) -> dict[str, pl.DataFrame]:
    return read_typed(export[0])
