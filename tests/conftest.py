from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.builders import ExportBuilder

# Fixtures through which a test reaches the database (pytest-django refuses database access without one).
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
)

BROWSER_TESTS = Path(__file__).resolve().parent / "e2e"
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


def touches_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    )


def engine_neutral(item: pytest.Item) -> bool:
    """A test whose outcome no database engine can change: it never reaches the database, or it drives the
    pages in a browser (tests/e2e). What the browser adds over the view tests — rendering, htmx, axe-core —
    is the same on any engine, while every view's queries run on PostgreSQL in the view tests."""
    return not touches_database(item) or item.path.is_relative_to(BROWSER_TESTS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL (CI's second pass, ``HEARTH_TEST_DATABASE_URL``) run only what the engine can change: the
    engine-neutral tests have already run in the SQLite pass, and running them twice would only spend CI's
    20 minutes (the browser tests alone are a third of the PostgreSQL pass). HEARTH_TEST_EVERYTHING=1 runs
    them anyway."""
    # The browser tests are the longest (the every-page scan alone takes a minute or more): started first, the
    # other workers fill in around them instead of waiting for one at the end.
    items.sort(key=lambda item: not item.path.is_relative_to(BROWSER_TESTS))
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or os.environ.get("HEARTH_TEST_EVERYTHING"):
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        (drop if engine_neutral(item) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
