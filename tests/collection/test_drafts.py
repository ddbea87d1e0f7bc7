"""Drafts: saved encrypted, restored for their author only, replaced, deleted when the assessment is saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from hearth.audit.actor import Actor
from hearth.collection.actions import discard_draft, draft_for, record_assessment, save_draft
from hearth.collection.context import context_for
from hearth.collection.models import Draft
from hearth.hmis.models import Enrollment
from tests.collection.conftest import complete


def restored(*, user: Any, enrollment: Enrollment, stage: str) -> Draft:
    """The draft ``draft_for`` finds, where the test expects one."""
    draft = draft_for(user=user, enrollment=enrollment, stage=stage)
    assert draft is not None
    return draft


@pytest.fixture
def users(db: Any) -> tuple[Any, Any]:
    model = get_user_model()
    return model.objects.create_user("one", "1@example.org", "pw"), model.objects.create_user(
        "two", "2@example.org", "pw"
    )


def test_saved_encrypted_and_restored_for_its_author(psh: dict, users: tuple[Any, Any]) -> None:
    one, two = users
    enrollment = psh["enrollment"]
    save_draft(
        user=one, enrollment=enrollment, stage="start", answers={"4_02__OtherIncomeSourceIdentify": "babysitting"}
    )
    draft = Draft.objects.get()
    assert "babysitting" not in draft.sealed
    assert draft.sealed.startswith("e1:")
    assert restored(user=one, enrollment=enrollment, stage="start").answers == {
        "4_02__OtherIncomeSourceIdentify": "babysitting"
    }
    assert draft_for(user=two, enrollment=enrollment, stage="start") is None
    assert draft_for(user=one, enrollment=enrollment, stage="annual") is None
    # The ciphertext is bound to its owner, enrollment and stage: copied elsewhere it does not open.
    Draft.objects.create(
        user=two, enrollment_id=enrollment.pk, stage="start", sealed=draft.sealed, saved_at=draft.saved_at
    )
    assert restored(user=two, enrollment=enrollment, stage="start").answers == {}


def test_one_draft_per_user_enrollment_and_stage(psh: dict, users: tuple[Any, Any]) -> None:
    one, _ = users
    enrollment = psh["enrollment"]
    save_draft(user=one, enrollment=enrollment, stage="start", answers={"a": "1"})
    save_draft(user=one, enrollment=enrollment, stage="start", answers={"a": "2"})
    assert Draft.objects.count() == 1
    assert restored(user=one, enrollment=enrollment, stage="start").answers == {"a": "2"}
    discard_draft(user=one, enrollment=enrollment, stage="start")
    assert Draft.objects.count() == 0


def test_an_autosave_overtaken_by_a_newer_one_does_not_overwrite_it(psh: dict, users: tuple[Any, Any]) -> None:
    # The browser's debounced save of an earlier change can reach the server after the save of a later change.
    one, _ = users
    enrollment = psh["enrollment"]
    save_draft(user=one, enrollment=enrollment, stage="start", answers={"a": "1", "b": "2"}, revision=2000)
    kept = save_draft(user=one, enrollment=enrollment, stage="start", answers={"a": "1"}, revision=1000)
    assert kept.answers == {"a": "1", "b": "2"}
    assert restored(user=one, enrollment=enrollment, stage="start").answers == {"a": "1", "b": "2"}
    assert Draft.objects.get().revision == 2000
    save_draft(user=one, enrollment=enrollment, stage="start", answers={"a": "3"}, revision=3000)
    assert restored(user=one, enrollment=enrollment, stage="start").answers == {"a": "3"}
    # A submitted form (no revision) always writes, and keeps the newest revision seen.
    save_draft(user=one, enrollment=enrollment, stage="start", answers={"a": "4"})
    assert restored(user=one, enrollment=enrollment, stage="start").answers == {"a": "4"}
    assert Draft.objects.get().revision == 3000


def test_deleted_when_the_assessment_is_recorded_but_not_others(psh: dict, users: tuple[Any, Any]) -> None:
    one, two = users
    enrollment = psh["enrollment"]
    save_draft(user=one, enrollment=enrollment, stage="start", answers={"a": "1"})
    save_draft(user=two, enrollment=enrollment, stage="start", answers={"a": "1"})
    save_draft(user=one, enrollment=enrollment, stage="update", answers={"a": "1"})
    ctx = context_for(enrollment, "start", information_date=None, today=date(2026, 3, 20))
    record_assessment(
        enrollment=enrollment,
        stage="start",
        information_date=date(2025, 3, 10),
        answers=complete(ctx),
        by=Actor(one, "one"),
    )
    assert sorted(Draft.objects.values_list("user__username", "stage")) == [("one", "update"), ("two", "start")]


def test_unknown_stage_refused(psh: dict, users: tuple[Any, Any]) -> None:
    with pytest.raises(ValueError, match="unknown collection stage"):
        save_draft(user=users[0], enrollment=psh["enrollment"], stage="intake", answers={})
