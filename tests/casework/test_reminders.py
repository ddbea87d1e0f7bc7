"""Reminder rules at their boundaries (pure functions), and the bounded read over a user's enrollments."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hearth.access.lookups import enrollments_for
from hearth.casework.reminders import adult_on, age_on, aged_into_adulthood, anniversary, annual_due, reminders_for
from hearth.hmis.models import Enrollment, IncomeBenefits, Source
from tests import factories as make
from tests.casework.conftest import Family
from tests.web.personas import World

START = date(2025, 3, 10)  # head of household's Project Start Date; first anniversary 03/10/2026


def test_anniversary_of_february_29_falls_on_february_28() -> None:
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert anniversary(date(2025, 3, 10), 1) == date(2026, 3, 10)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-31, None),  # window not open yet
        (-30, "due"),  # "no more than 30 days before"
        (0, "due"),
        (30, "due"),  # "no more than 30 days after"
        (31, "overdue"),
    ],
)
def test_annual_window_boundaries(offset: int, expected: str | None) -> None:
    today = date(2026, 3, 10) + timedelta(days=offset)
    due = annual_due(head_start=START, member_start=START, today=today)
    if expected is None:
        assert due is None
    else:
        assert due is not None
        assert (due.anniversary, due.opens, due.closes, due.overdue) == (
            date(2026, 3, 10),
            date(2026, 2, 8),
            date(2026, 4, 9),
            expected == "overdue",
        )


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [
        (date(2026, 2, 7), True),  # a day before the window: does not count
        (date(2026, 2, 8), False),
        (date(2026, 4, 9), False),
        (date(2026, 4, 10), True),  # a day after
    ],
)
def test_an_annual_assessment_inside_the_window_clears_it(recorded: date, expected: bool) -> None:
    due = annual_due(head_start=START, member_start=START, today=date(2026, 4, 20), recorded=[recorded])
    assert (due is not None) is expected


def test_members_follow_the_heads_anniversary() -> None:
    # Joined 6 months after the head: due at the head's anniversary, not their own.
    due = annual_due(head_start=START, member_start=date(2025, 9, 1), today=date(2026, 3, 1))
    assert due is not None
    assert due.anniversary == date(2026, 3, 10)
    # Joined after the anniversary: nothing owed for it.
    assert annual_due(head_start=START, member_start=date(2026, 3, 11), today=date(2026, 3, 20)) is None
    # Exited before the window opened: nothing owed.
    assert annual_due(head_start=START, member_start=START, today=date(2026, 3, 20), exit_date=date(2026, 2, 7)) is None


def test_second_year_and_february_29_start() -> None:
    due = annual_due(head_start=START, member_start=START, today=date(2027, 2, 8))
    assert due is not None
    assert (due.anniversary, due.overdue) == (date(2027, 3, 10), False)
    leap = annual_due(head_start=date(2024, 2, 29), member_start=date(2024, 2, 29), today=date(2025, 3, 30))
    assert leap is not None
    assert (leap.anniversary, leap.closes, leap.overdue) == (
        date(2025, 2, 28),
        date(2025, 3, 30),
        False,
    )
    late = annual_due(head_start=date(2024, 2, 29), member_start=date(2024, 2, 29), today=date(2025, 3, 31))
    assert late is not None
    assert late.overdue


def test_age_and_the_eighteenth_birthday() -> None:
    assert age_on(date(2008, 6, 1), date(2026, 5, 31)) == 17
    assert age_on(date(2008, 6, 1), date(2026, 6, 1)) == 18
    assert adult_on(date(2008, 6, 1)) == date(2026, 6, 1)
    assert adult_on(date(2008, 2, 29)) == date(2026, 3, 1)  # common year
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18
    assert adult_on(date(2004, 2, 29)) == date(2022, 3, 1)


@pytest.mark.parametrize(
    ("dob", "entry", "today", "exit_date", "expected"),
    [
        (date(2008, 6, 1), date(2026, 1, 5), date(2026, 6, 1), None, date(2026, 6, 1)),  # birthday today
        (date(2008, 6, 1), date(2026, 1, 5), date(2026, 5, 31), None, None),  # still 17
        (date(2008, 6, 1), date(2026, 6, 1), date(2026, 7, 1), None, None),  # 18 on the start date: adult at entry
        (date(2008, 6, 1), date(2026, 1, 5), date(2026, 7, 1), date(2026, 5, 31), None),  # left at 17
        (date(2008, 2, 29), date(2026, 1, 5), date(2026, 2, 28), None, None),
        (date(2008, 2, 29), date(2026, 1, 5), date(2026, 3, 1), None, date(2026, 3, 1)),
        (None, date(2026, 1, 5), date(2026, 3, 1), None, None),
    ],
)
def test_aged_into_adulthood(
    dob: date | None, entry: date, today: date, exit_date: date | None, expected: date | None
) -> None:
    assert aged_into_adulthood(dob=dob, entry_date=entry, today=today, exit_date=exit_date) == expected


def test_aged_into_adulthood_is_cleared_by_an_assessment_on_or_after_the_birthday() -> None:
    kwargs = {"dob": date(2008, 6, 1), "entry_date": date(2026, 1, 5), "today": date(2026, 7, 1)}
    assert aged_into_adulthood(**kwargs, recorded=[date(2026, 5, 31)]) == date(2026, 6, 1)
    assert aged_into_adulthood(**kwargs, recorded=[date(2026, 6, 1)]) is None


def _income(enrollment: Enrollment, *, on: date, stage: int) -> None:
    now = timezone.now()
    IncomeBenefits.objects.create(
        source=Source.local(),
        hud_id=f"I{enrollment.pk}{stage}{on:%Y%m%d}",
        enrollment=enrollment,
        client=enrollment.client,
        information_date=on,
        data_collection_stage=stage,
        date_created=now,
        date_updated=now,
        user_id="T1",
    )


def test_reminders_for_a_users_enrollments(world: World, family: Family) -> None:
    today = timezone.localdate()
    year_ago = anniversary(today, -1)
    household = "HREM"
    head = make.enrollment(family.head, family.project, entry=year_ago, household=household)
    partner = make.enrollment(family.partner, family.project, entry=year_ago, household=household, relationship=3)
    teen_dob = anniversary(today - timedelta(days=3), -18)
    teen = make.client("Ana", "Lopez", dob=teen_dob)
    child = make.enrollment(
        teen, family.project, entry=year_ago + timedelta(days=2), household=household, relationship=2
    )
    _income(partner, on=today, stage=5)  # the partner's annual is done
    found = reminders_for(enrollments_for(world.users["manager_a"]), today=today)
    # Overdue first, then by due date: the birthday (3 days ago) before the annual window's close.
    assert [(r.enrollment.pk, r.kind, r.due, r.overdue, r.stage) for r in found] == [
        (child.pk, "adult", adult_on(teen_dob), False, "update"),
        (head.pk, "annual", today + timedelta(days=30), False, "annual"),
        (child.pk, "annual", today + timedelta(days=30), False, "annual"),
    ]
    assert found[0].text == f"Turned 18 on {adult_on(teen_dob):%m/%d/%Y}: adult data elements are now due"
    # Another agency's user sees none of them; an exited household has none.
    assert reminders_for(enrollments_for(world.users["lead_b"]), today=today) == []
    make.exit_(child, on=today)
    make.exit_(head, on=today)
    assert [r.enrollment.pk for r in reminders_for(enrollments_for(world.users["manager_a"]), today=today)] == []


def test_reminders_read_a_fixed_number_of_queries(
    world: World, family: Family, django_assert_num_queries: object
) -> None:
    today = timezone.localdate()
    for n in range(6):
        person = make.client("Kid", f"Number{n}", dob=anniversary(today - timedelta(days=n + 1), -18))
        make.enrollment(person, family.project, entry=anniversary(today, -1), household=f"HQ{n}")
    rows = enrollments_for(world.users["manager_a"])
    with django_assert_num_queries(3):  # type: ignore[operator]
        found = reminders_for(rows, today=today)
    assert len(found) == 12
