"""On PostgreSQL: overlapping autosaves of one assessment (htmx sends a debounced save while the previous one
is still in flight) keep one draft holding the newest answers, whatever order the requests land in. The
browser tests, which make such overlaps, run on SQLite only (tests/conftest.py), where requests are serialized."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models.query import QuerySet

from hearth.collection.actions import draft_for, save_draft
from hearth.collection.models import Draft

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite serializes writers anyway)")


def test_an_older_autosave_landing_late_does_not_overwrite_the_newer(
    psh: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newer save (edit 2) reads the draft first; the older one (edit 1) arrives while it is still open.
    Without the row lock both would read revision 0 and the older, written last, would win: the newer one
    holds the draft open until the older has read it too (or one second has passed — the lock makes the older
    wait), and the older writes only after the newer is done."""
    author = get_user_model().objects.create_user("one", "1@example.org", "pw")
    enrollment = psh["enrollment"]
    save_draft(user=author, enrollment=enrollment, stage="start", answers={})
    newer_read, older_read, newer_done = threading.Event(), threading.Event(), threading.Event()
    local = threading.local()
    original = QuerySet.get_or_create

    def get_or_create(self: QuerySet, *args: Any, **kwargs: Any) -> Any:
        found = original(self, *args, **kwargs)
        if getattr(local, "revision", None) == 2:
            newer_read.set()
            older_read.wait(timeout=1)
        elif getattr(local, "revision", None) == 1:
            older_read.set()
            newer_done.wait(timeout=5)
        return found

    monkeypatch.setattr(QuerySet, "get_or_create", get_or_create)
    errors: list[BaseException] = []

    def autosave(revision: int) -> None:
        local.revision = revision
        try:
            if revision == 1:
                newer_read.wait(timeout=5)
            answers = {"4_02__OtherIncomeSourceIdentify": f"typed up to edit {revision}"}
            save_draft(user=author, enrollment=enrollment, stage="start", answers=answers, revision=revision)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            if revision == 2:
                newer_done.set()
            connections.close_all()

    threads = [threading.Thread(target=autosave, args=(revision,)) for revision in (2, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Draft.objects.count() == 1
    draft = draft_for(user=author, enrollment=enrollment, stage="start")
    assert draft is not None
    assert draft.revision == 2
    assert draft.answers == {"4_02__OtherIncomeSourceIdentify": "typed up to edit 2"}
