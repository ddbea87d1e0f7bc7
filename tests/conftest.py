from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.builders import ExportBuilder

SHARED = Path(os.environ.get("HEARTH_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared (HUD reference data); the test skips when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"reference data not available: {path}")
    return path


@pytest.fixture
def minimal() -> ExportBuilder:
    return ExportBuilder.minimal()


@pytest.fixture(autouse=True)
def _work_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    # Reports and exports of a test stay in its own temporary folder.
    settings.HEARTH_WORK_DIR = tmp_path / "work"  # type: ignore[attr-defined]
    # The pipelined writer commits in its own connection, outside the test's transaction; tests that
    # exercise it use transactional test cases (tests/exchange/test_pipeline.py).
    settings.HEARTH_IMPORT_PIPELINE = False  # type: ignore[attr-defined]
    # Test accounts need no key stretching: the default hasher spends ~0.2 s per password on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
