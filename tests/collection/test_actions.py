"""record_assessment writes exactly the HUD records and columns of each stage, in one audited transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.audit.models import AuditEvent, FieldChange
from hearth.collection.actions import AssessmentError, draft_for, record_assessment, save_draft
from hearth.collection.context import context_for
from hearth.hmis.models import Disabilities, EmploymentEducation, Enrollment, HealthAndDV, IncomeBenefits, Source
from tests import factories as make
from tests.collection.conftest import complete

TODAY = date(2026, 3, 20)


@pytest.fixture
def actor(db: Any) -> Actor:
    user = get_user_model().objects.create_user("worker", "w@example.org", "pw")
    return Actor(user=user, name="worker", ip="127.0.0.1")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _ctx(enrollment: Enrollment, stage: str, on: date | None = None):
    return context_for(enrollment, stage, information_date=on, today=TODAY)


def test_project_start_writes_enrollment_columns_and_stage_records(psh: dict, actor: Actor) -> None:
    enrollment = psh["enrollment"]
    ctx = _ctx(enrollment, "start")
    answers = complete(
        ctx,
        **{
            "3_08__DisablingCondition": 1,
            "3_917__LivingSituation": 116,
            "3_917__LengthOfStay": 4,
            "3_917__DateToStreetESSH": date(2024, 11, 1),
            "3_917__TimesHomelessPastThreeYears": 1,
            "3_917__MonthsHomelessPastThreeYears": 105,
            "4_02__IncomeFromAnySource": 1,
            "4_02__Earned": 1,
            "4_02__EarnedAmount": Decimal("500.00"),
            "4_02__TotalMonthlyIncome": Decimal("500.00"),
            "4_11__DomesticViolenceSurvivor": 1,
            "4_11__WhenOccurred": 4,
            "4_11__CurrentlyFleeing": 0,
            "4_09__DisabilityResponse": 1,
            "4_09__IndefiniteAndImpairs": 1,
        },
    )
    save_draft(user=actor.user, enrollment=enrollment, stage="start", answers={"x": "1"})
    result = record_assessment(
        enrollment=enrollment, stage="start", information_date=date(2025, 3, 10), answers=answers, by=actor
    )

    assert result.created == [
        "IncomeBenefits",
        "Disabilities[5]",
        "Disabilities[6]",
        "Disabilities[7]",
        "Disabilities[8]",
        "Disabilities[9]",
        "Disabilities[10]",
        "HealthAndDV",
    ]
    assert result.updated == ["Enrollment"]
    enrollment.refresh_from_db()
    assert (
        enrollment.disabling_condition,
        enrollment.living_situation,
        enrollment.length_of_stay,
        enrollment.los_under_threshold,
        enrollment.previous_street_essh,
        enrollment.date_to_street_essh,
        enrollment.times_homeless_past_three_years,
        enrollment.months_homeless_past_three_years,
        enrollment.user_id,
    ) == (1, 116, 4, None, None, date(2024, 11, 1), 1, 105, f"H{actor.user.pk}")

    income = IncomeBenefits.objects.get(enrollment=enrollment)
    assert (income.data_collection_stage, income.information_date, income.source_id) == (
        1,
        date(2025, 3, 10),
        Source.local().pk,
    )
    assert (income.income_from_any_source, income.earned, income.earned_amount, income.total_monthly_income) == (
        1,
        1,
        Decimal("500.00"),
        Decimal("500.00"),
    )
    # Sources left unticked under "income: Yes" are No (list 1.7); sources not asked stay empty.
    assert (income.unemployment, income.benefits_from_any_source, income.insurance_from_any_source) == (0, 0, 0)
    assert income.snap is None  # not asked when benefits are No
    assert len(income.hud_id) == 32
    assert income.user_id == f"H{actor.user.pk}"
    dv = HealthAndDV.objects.get(enrollment=enrollment)
    assert (dv.data_collection_stage, dv.domestic_violence_survivor, dv.when_occurred, dv.currently_fleeing) == (
        1,
        1,
        4,
        0,
    )
    rows = {
        d.disability_type: (d.disability_response, d.indefinite_and_impairs, d.data_collection_stage)
        for d in Disabilities.objects.filter(enrollment=enrollment)
    }
    assert rows == {5: (0, None, 1), 6: (0, None, 1), 7: (0, None, 1), 8: (0, None, 1), 9: (1, 1, 1), 10: (0, None, 1)}

    event = AuditEvent.objects.get(action="assessment.recorded")
    assert (event.object_type, event.object_id, event.details["stage"], event.details["client"]) == (
        "Enrollment",
        str(enrollment.pk),
        "start",
        enrollment.client_id,
    )
    changes = {c.field: (c.old, c.new) for c in FieldChange.objects.filter(event_id=event.pk)}
    assert changes["Enrollment.LivingSituation"] == (None, "116")
    assert changes["IncomeBenefits.EarnedAmount"] == (None, "500.00")
    assert draft_for(user=actor.user, enrollment=enrollment, stage="start") is None


def test_recording_project_start_again_edits_the_same_records(psh: dict, actor: Actor) -> None:
    enrollment = psh["enrollment"]
    answers = complete(_ctx(enrollment, "start"))
    record_assessment(
        enrollment=enrollment, stage="start", information_date=date(2025, 3, 10), answers=answers, by=actor
    )
    first = IncomeBenefits.objects.get(enrollment=enrollment)
    answers["4_04__InsuranceFromAnySource"] = 1
    answers["4_04__Medicaid"] = 1
    result = record_assessment(
        enrollment=enrollment, stage="start", information_date=date(2025, 3, 10), answers=answers, by=actor
    )
    assert result.created == []
    assert IncomeBenefits.objects.filter(enrollment=enrollment).count() == 1
    assert Disabilities.objects.filter(enrollment=enrollment).count() == 6
    again = IncomeBenefits.objects.get(enrollment=enrollment)
    assert (again.pk, again.hud_id, again.medicaid, again.insurance_from_any_source) == (first.pk, first.hud_id, 1, 1)
    event = AuditEvent.objects.filter(action="assessment.recorded").order_by("-pk").first()
    assert event is not None
    changes = {c.field: (c.old, c.new) for c in FieldChange.objects.filter(event_id=event.pk)}
    assert changes["IncomeBenefits.InsuranceFromAnySource"] == ("0", "1")
    assert changes["IncomeBenefits.Medicaid"] == (None, "1")
    # The other insurance sources, now asked and unticked, become No; nothing else changed.
    assert changes["IncomeBenefits.COBRA"] == (None, "0")
    assert len(changes) == 11


def test_errors_write_nothing(psh: dict, actor: Actor) -> None:
    enrollment = psh["enrollment"]
    answers = complete(_ctx(enrollment, "start"))
    del answers["4_02__IncomeFromAnySource"]
    with pytest.raises(AssessmentError) as raised:
        record_assessment(
            enrollment=enrollment, stage="start", information_date=date(2025, 3, 10), answers=answers, by=actor
        )
    assert [(i.key, i.severity) for i in raised.value.issues] == [("4_02__IncomeFromAnySource", "error")]
    assert IncomeBenefits.objects.count() == Disabilities.objects.count() == HealthAndDV.objects.count() == 0
    assert not AuditEvent.objects.filter(action="assessment.recorded").exists()
    enrollment.refresh_from_db()
    assert enrollment.disabling_condition is None


def test_hidden_answers_are_written_empty(psh: dict, actor: Actor) -> None:
    enrollment = psh["enrollment"]
    answers = complete(_ctx(enrollment, "start"), **{"4_02__Earned": 1, "4_02__EarnedAmount": Decimal("9")})
    record_assessment(
        enrollment=enrollment, stage="start", information_date=date(2025, 3, 10), answers=answers, by=actor
    )
    income = IncomeBenefits.objects.get(enrollment=enrollment)
    assert (income.income_from_any_source, income.earned, income.earned_amount) == (0, None, None)


def test_child_gets_insurance_and_disabilities_only(psh: dict, actor: Actor) -> None:
    child = psh["child"]
    ctx = _ctx(child, "start")
    assert [e.id for e in ctx.elements] == ["3.08", "4.04", "4.05", "4.06", "4.07", "4.08", "4.09", "4.10"]
    record_assessment(
        enrollment=child, stage="start", information_date=date(2025, 3, 10), answers=complete(ctx), by=actor
    )
    income = IncomeBenefits.objects.get(enrollment=child)
    assert (income.income_from_any_source, income.insurance_from_any_source) == (None, 0)
    assert not HealthAndDV.objects.filter(enrollment=child).exists()


def test_annual_assessments_one_per_anniversary(psh: dict, actor: Actor) -> None:
    enrollment = psh["enrollment"]
    ctx = _ctx(enrollment, "annual", date(2026, 3, 1))
    assert [e.id for e in ctx.elements] == ["4.02", "4.03", "4.04"]
    record_assessment(
        enrollment=enrollment, stage="annual", information_date=date(2026, 3, 1), answers=complete(ctx), by=actor
    )
    record_assessment(
        enrollment=enrollment, stage="annual", information_date=date(2026, 3, 15), answers=complete(ctx), by=actor
    )
    rows = list(
        IncomeBenefits.objects.filter(enrollment=enrollment).values_list("data_collection_stage", "information_date")
    )
    assert rows == [(5, date(2026, 3, 15))]


def test_annual_outside_the_window_is_saved_with_a_warning(psh: dict, actor: Actor) -> None:
    enrollment = psh["enrollment"]
    ctx = _ctx(enrollment, "annual", date(2025, 12, 1))
    result = record_assessment(
        enrollment=enrollment, stage="annual", information_date=date(2025, 12, 1), answers=complete(ctx), by=actor
    )
    assert [i.key for i in result.warnings] == ["information_date"]
    assert IncomeBenefits.objects.get(enrollment=enrollment).data_collection_stage == 5


def test_exit_needs_an_exit_record_and_uses_its_date(psh: dict, actor: Actor) -> None:
    enrollment = psh["enrollment"]
    with pytest.raises(AssessmentError) as raised:
        record_assessment(enrollment=enrollment, stage="exit", information_date=date(2026, 3, 1), answers={}, by=actor)
    assert raised.value.issues[0].message == "Record the exit (date and destination) before the exit assessment."
    make.exit_(enrollment, on=date(2026, 3, 1))
    ctx = _ctx(enrollment, "exit")
    assert ctx.information_date == date(2026, 3, 1)
    record_assessment(
        enrollment=enrollment, stage="exit", information_date=date(2026, 3, 1), answers=complete(ctx), by=actor
    )
    assert set(IncomeBenefits.objects.values_list("data_collection_stage", "information_date")) == {
        (3, date(2026, 3, 1))
    }
    assert Disabilities.objects.filter(data_collection_stage=3).count() == 6


def test_update_records_move_in_on_the_enrollment(psh: dict, actor: Actor) -> None:
    enrollment = psh["enrollment"]
    ctx = _ctx(enrollment, "update", date(2025, 5, 1))
    answers = complete(ctx, **{"3_20__MoveInDate": date(2025, 4, 20)})
    record_assessment(
        enrollment=enrollment, stage="update", information_date=date(2025, 5, 1), answers=answers, by=actor
    )
    enrollment.refresh_from_db()
    assert enrollment.move_in_date == date(2025, 4, 20)
    assert set(IncomeBenefits.objects.values_list("data_collection_stage", flat=True)) == {2}
    bad = complete(ctx, **{"3_20__MoveInDate": date(2025, 1, 1)})
    with pytest.raises(AssessmentError):
        record_assessment(
            enrollment=enrollment, stage="update", information_date=date(2025, 5, 1), answers=bad, by=actor
        )


def test_rhy_exit_writes_exit_columns(db: Any, actor: Actor) -> None:
    from tests.collection.conftest import funder

    org = make.organization("Youth Place")
    project = make.project("Youth TLP", org, project_type=2)
    funder(project, 24)
    youth = make.enrollment(make.client("Ari", "Cole", dob=date(2008, 1, 1)), project, entry=date(2025, 6, 1))
    exit_record = make.exit_(youth, on=date(2026, 2, 1))
    ctx = _ctx(youth, "exit")
    answers = complete(
        ctx,
        **{"R17__ProjectCompletionStatus": 3, "R17__EarlyExitReason": 1, "R6__Employed": 1, "R6__EmploymentType": 2},
    )
    record_assessment(enrollment=youth, stage="exit", information_date=date(2026, 2, 1), answers=answers, by=actor)
    exit_record.refresh_from_db()
    assert (exit_record.project_completion_status, exit_record.early_exit_reason, exit_record.exchange_for_sex) == (
        3,
        1,
        0,
    )
    employment = EmploymentEducation.objects.get(enrollment=youth)
    assert (employment.data_collection_stage, employment.employed, employment.employment_type) == (3, 1, 2)


def test_a_member_who_joined_later_follows_the_heads_annual_window(psh: dict, actor: Actor) -> None:
    head = psh["enrollment"]  # project start 2025-03-10
    joined = make.enrollment(
        make.client("Ray", "Lopez", dob=date(1985, 1, 1)),
        psh["project"],
        entry=date(2025, 7, 1),
        household="HH1",
        relationship=3,
    )
    ctx = _ctx(joined, "annual", date(2026, 3, 12))
    assert ctx.anniversary_from == head.entry_date
    result = record_assessment(
        enrollment=joined, stage="annual", information_date=date(2026, 3, 12), answers=complete(ctx), by=actor
    )
    assert result.warnings == []  # within the head's window, though far from the member's own anniversary
    late = _ctx(joined, "annual", date(2025, 12, 1))
    with_warning = record_assessment(
        enrollment=joined, stage="annual", information_date=date(2025, 12, 1), answers=complete(late), by=actor
    )
    assert [i.key for i in with_warning.warnings] == ["information_date"]
    assert IncomeBenefits.objects.filter(enrollment=joined, data_collection_stage=5).count() == 2
