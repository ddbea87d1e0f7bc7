"""End-to-end tests: real pages in headless Chromium (Playwright), with an axe-core scan of each page.

They skip when no Chromium is installed (Debian: ``apt-get install chromium``; or set HEARTH_CHROMIUM) or the
axe-core asset has not been fetched (``python -m hearth.assets --dev``, which dev.py runs).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hearth

AXE = Path(hearth.__file__).resolve().parent / "web" / "static" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = os.environ.get("HEARTH_SCREENSHOTS")


def _chromium() -> str | None:
    return os.environ.get("HEARTH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium, or set HEARTH_CHROMIUM)")
    if not AXE.exists():
        pytest.skip("axe-core is not fetched (python -m hearth.assets --dev)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test itself
    # (fixtures, assertions) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _one_writer_friendly_sessions(settings: Any) -> None:
    # The live server answers the page's overlapping requests (htmx autosave, polling, inline checks) in
    # threads; on the in-memory SQLite test database only one may write at a time, and saving the session on
    # every request made two writers of requests that otherwise only read ("database table is locked").
    # Session expiry on every request is tested without a browser.
    settings.SESSION_SAVE_EVERY_REQUEST = False


# Held by each live-server request, and by each step of the test's job worker, on in-memory SQLite.
SQLITE_ONE_AT_A_TIME = threading.Lock()


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite() -> Iterator[None]:
    # The live server answers the page's overlapping requests (two autosaves, a poll) in threads that share the
    # one in-memory SQLite connection, where a second writer fails at once ("database table is locked") instead
    # of waiting as it does on a SQLite file or PostgreSQL. Serialize requests there. The browser tests run on
    # PostgreSQL only with HEARTH_TEST_EVERYTHING=1 (tests/conftest.py); the races overlapping requests make are
    # tested there directly (tests/collection/test_draft_concurrency.py, tests/services/test_concurrency.py).
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    original = WSGIHandler.__call__

    def serialized(self: WSGIHandler, environ: Any, start_response: Any) -> Any:
        with SQLITE_ONE_AT_A_TIME:
            return original(self, environ, start_response)

    WSGIHandler.__call__ = serialized  # type: ignore[method-assign]
    yield
    WSGIHandler.__call__ = original  # type: ignore[method-assign]


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page: Any) -> list[tuple[str, str, list[Any]]]:
    """axe-core (WCAG 2.1 A and AA rules) on the page as it is now: (rule, help, first targets) per violation."""
    # A click on a link returns before the next page has loaded: a script added meanwhile finds no document
    # to go in ("Cannot read properties of null (reading 'appendChild')", seen once in CI).
    page.wait_for_load_state()
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # From the static files, not inline: the Content-Security-Policy allows no inline script.
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    # resultTypes: only violations are worked out in full (passes and incomplete are what make a scan slow).
    rules = (
        "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']}"
    )
    result = page.evaluate(f"async () => await axe.run(document, {rules})")
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def check_accessibility(page: Any, name: str) -> None:
    """axe-core (WCAG 2.1 A and AA rules) on the page as it is now: no violations at all."""
    violations = axe_violations(page)
    assert violations == [], f"{name}: {violations}"
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def worker() -> Iterator[Any]:
    """Starts a background-job worker in a thread on demand, as the demo runs one next to its web server (so a
    page can be seen with its job still queued first)."""
    import threading

    from hearth.jobs.worker import Worker

    started: list[tuple[Worker, threading.Thread]] = []

    from django.db import connection

    one_at_a_time = SQLITE_ONE_AT_A_TIME if connection.vendor == "sqlite" else contextlib.nullcontext()

    class Serialized(Worker):
        # Its polls and housekeeping share the in-memory SQLite connection with the live server's requests, so
        # they take turns with them (a poll overlapping a request failed with "database table is locked").
        def run_one(self) -> Any:
            with one_at_a_time:
                return super().run_one()

        def _housekeeping(self) -> None:
            with one_at_a_time:
                super()._housekeeping()

    def start() -> None:
        w = Serialized("e2e-worker", poll=0.2)
        thread = threading.Thread(target=w.run, daemon=True)
        thread.start()
        started.append((w, thread))

    yield start
    for w, thread in started:
        w.stop()
        thread.join(timeout=30)
