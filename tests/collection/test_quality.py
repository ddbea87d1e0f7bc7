"""Validation and data-quality rules: pure functions, exact messages and severities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hearth.collection import fields, quality, rules
from hearth.collection.quality import ERROR, FORM, NOTICE, WARNING, Issue

HOH = rules.Subject(head_of_household=True, adult=True)
ENTRY = date(2025, 3, 10)
TODAY = date(2026, 3, 20)


def _fields(stage: str = "start") -> list[fields.Field]:
    return fields.all_fields(fields.build(rules.elements_for(3, {2}, stage, HOH)))


def _review(values: dict, *, stage: str = "start", info: date | None = ENTRY, exit_date: date | None = None, **kw):
    f = _fields(stage)
    shown = fields.visibility(f, values, project_type=3)
    return quality.review(
        fields=f,
        values=values,
        shown=shown,
        stage=stage,
        information_date=info,
        entry_date=ENTRY,
        exit_date=exit_date,
        move_in_date=kw.pop("move_in_date", None),
        other_enrollments=kw.pop("others", ()),
        today=TODAY,
    )


def _by_key(issues: list[Issue]) -> dict[str, tuple[str, str]]:
    return {i.key: (i.severity, i.message) for i in issues}


def test_required_answers_missing_are_errors() -> None:
    issues = _by_key(_review({}))
    assert issues["4_02__IncomeFromAnySource"] == (
        ERROR,
        "Answer “Income from any source”. If you could not ask, choose “Data not collected”.",
    )
    assert issues["3_08__DisablingCondition"][0] == ERROR
    assert "3_20__MoveInDate" not in issues  # an occurrence date may wait until move-in
    assert "4_02__Earned" not in issues  # not asked until income is Yes


def test_missing_reasons_are_data_quality_notices() -> None:
    issues = _by_key(_review({"4_02__IncomeFromAnySource": 99}))
    assert issues["4_02__IncomeFromAnySource"] == (
        NOTICE,
        "“Data not collected” counts as missing data in HUD's reports.",
    )


def test_income_yes_without_a_source_and_no_with_a_source() -> None:
    assert quality.source_contradictions({"4_02__IncomeFromAnySource": 1, "4_02__Earned": 0}) == [
        Issue(
            "4_02__IncomeFromAnySource",
            WARNING,
            "You answered Yes to income: mark at least one source Yes.",
            "HMIS Data Standards FY2026 4.02 Income and Sources",
        )
    ]
    assert quality.source_contradictions({"4_03__BenefitsFromAnySource": 0, "4_03__SNAP": 1})[0].message == (
        "You answered No to non-cash benefits, but a source is marked Yes."
    )
    assert quality.source_contradictions({"4_04__InsuranceFromAnySource": 1, "4_04__Medicaid": 1}) == []
    assert quality.source_contradictions({"4_04__InsuranceFromAnySource": 1})[0].message == (
        "You answered Yes to health insurance: mark at least one source Yes."
    )


def test_total_income_must_add_up() -> None:
    values = {
        "4_02__EarnedAmount": Decimal("400.00"),
        "4_02__SSIAmount": Decimal("50"),
        "4_02__TotalMonthlyIncome": Decimal("500"),
    }
    assert [i.message for i in quality.income_total(values)] == [
        "Total monthly income is 500, but the amounts add up to 450.00."
    ]
    values["4_02__TotalMonthlyIncome"] = Decimal("450")
    assert quality.income_total(values) == []


def test_dv_yes_requires_currently_fleeing() -> None:
    issues = _by_key(_review({"4_11__DomesticViolenceSurvivor": 1}))
    assert issues["4_11__CurrentlyFleeing"] == (
        WARNING,
        "Survivor of domestic violence is Yes: ask whether the client is currently fleeing.",
    )
    assert "4_11__CurrentlyFleeing" not in _by_key(_review({"4_11__DomesticViolenceSurvivor": 0}))


def test_exit_before_entry_and_move_in_outside_the_enrollment() -> None:
    assert quality.exit_before_entry(ENTRY, date(2025, 3, 9))[0].severity == ERROR
    assert quality.exit_before_entry(ENTRY, ENTRY) == []
    key = "3_20__MoveInDate"
    assert quality.move_in_outside_enrollment(ENTRY, None, date(2025, 3, 9), key)[0].message == (
        "The move-in date is before the project start date."
    )
    assert quality.move_in_outside_enrollment(ENTRY, date(2025, 6, 1), date(2025, 6, 2), key)[0].message == (
        "The move-in date is after the project exit date."
    )
    assert quality.move_in_outside_enrollment(ENTRY, date(2025, 6, 1), date(2025, 6, 1), key) == []
    assert _by_key(_review({"3_20__MoveInDate": date(2025, 1, 1)}))[key][0] == ERROR


def test_overlapping_enrollments_in_the_same_project_type() -> None:
    assert quality.overlapping_enrollments(ENTRY, None, [(date(2024, 1, 1), date(2025, 3, 10))]) == []  # transfer
    (issue,) = quality.overlapping_enrollments(ENTRY, None, [(date(2024, 1, 1), date(2025, 3, 11))])
    assert (issue.key, issue.severity) == (FORM, WARNING)
    assert quality.overlapping_enrollments(ENTRY, date(2025, 4, 1), [(date(2025, 4, 1), None)]) == []
    assert len(quality.overlapping_enrollments(ENTRY, None, [(date(2026, 1, 1), None)])) == 1


def test_annual_assessment_window() -> None:
    assert quality.annual_window(ENTRY, date(2026, 3, 10)) == []
    assert quality.annual_window(ENTRY, date(2026, 2, 8)) == []  # 30 days before
    assert quality.annual_window(ENTRY, date(2026, 4, 9)) == []  # 30 days after
    (issue,) = quality.annual_window(ENTRY, date(2026, 4, 10))
    assert issue.message == (
        "An annual assessment is due between 02/08/2026 and 04/09/2026 "
        "(30 days either side of the anniversary, 03/10/2026)."
    )
    assert quality.nearest_anniversary(date(2024, 2, 29), date(2025, 3, 1)) == date(2025, 2, 28)


def test_information_date_by_stage() -> None:
    def rule(stage: str, info: date | None, exit_date: date | None = None) -> list[str]:
        return [i.message for i in quality.information_date_rules(stage, info, ENTRY, exit_date, TODAY)]

    assert rule("start", ENTRY) == []
    assert rule("start", date(2025, 3, 11)) == [
        "A project start assessment is dated the project start date (03/10/2025)."
    ]
    assert rule("update", date(2027, 1, 1)) == ["The information date cannot be in the future."]
    assert rule("update", date(2025, 1, 1)) == ["The information date is before the project start date."]
    assert rule("exit", date(2026, 1, 5)) == ["Record the exit (date and destination) before the exit assessment."]
    assert rule("exit", date(2026, 1, 5), date(2026, 1, 6)) == [
        "A project exit assessment is dated the exit date (01/06/2026)."
    ]
    assert rule("exit", date(2026, 1, 6), date(2026, 1, 6)) == []
    assert rule("post-exit", date(2026, 1, 1), date(2026, 1, 6)) == [
        "A post-exit assessment is dated after the exit date."
    ]
    assert rule("update", None) == ["Enter the information date as YYYY-MM-DD."]


def test_homelessness_start_after_project_start() -> None:
    (issue,) = quality.homeless_start_date({"3_917__DateToStreetESSH": date(2025, 3, 11)}, ENTRY)
    assert (issue.severity, issue.message) == (ERROR, "The date homelessness started is after the project start date.")


def test_review_keeps_the_most_severe_issue_per_question() -> None:
    issues = _review({"4_02__IncomeFromAnySource": 1}, info=date(2025, 3, 11))
    keys = [i.key for i in issues]
    assert len(keys) == len(set(keys))
    assert issues[0] == Issue(
        "information_date",
        ERROR,
        "A project start assessment is dated the project start date (03/10/2025).",
        "HMIS Data Standards FY2026 5.03 Data Collection Stage / Information Date",
    )
