"""The PostgreSQL pass leaves out exactly the engine-neutral tests (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests import conftest

TESTS = Path(conftest.__file__).resolve().parent


def item(path: str, *, marker: bool = False, fixtures: tuple[str, ...] = ()) -> Any:
    return SimpleNamespace(
        path=TESTS / path,
        fixturenames=("settings", "tmp_path", *fixtures),
        get_closest_marker=lambda name: object() if marker and name == "django_db" else None,
    )


@pytest.mark.parametrize(
    ("case", "neutral"),
    [
        (item("reports/test_glossary.py"), True),  # never reaches the database
        (item("reports/test_runs.py", marker=True), False),
        (item("exchange/test_import.py", fixtures=("db",)), False),
        (item("jobs/test_worker.py", fixtures=("transactional_db",)), False),
        (item("web/test_pages.py", fixtures=("live_server",)), False),
        (item("e2e/test_household_flow.py", marker=True, fixtures=("live_server",)), True),  # a browser test
    ],
)
def test_engine_neutral(case: Any, neutral: bool) -> None:
    assert conftest.engine_neutral(case) is neutral


def test_the_postgresql_pass_deselects_only_neutral_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    kept, neutral = item("exchange/test_import.py", fixtures=("db",)), item("reports/test_glossary.py")
    deselected: list[Any] = []
    config = SimpleNamespace(hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items)))
    items = [neutral, kept]
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    conftest.pytest_collection_modifyitems(config, items)  # type: ignore[arg-type]
    assert items == [neutral, kept]
    assert deselected == []
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/t")
    conftest.pytest_collection_modifyitems(config, items)  # type: ignore[arg-type]
    assert items == [kept]
    assert deselected == [neutral]
    items = [neutral, kept]
    monkeypatch.setenv("HEARTH_TEST_EVERYTHING", "1")
    conftest.pytest_collection_modifyitems(config, items)  # type: ignore[arg-type]
    assert items == [neutral, kept]
