"""Form building from data: fields, HUD's responses, and conditional questions from the dependency table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hearth.collection import fields, rules
from hearth.collection.fields import AnswerError, build, parse, visibility

HOH = rules.Subject(head_of_household=True, adult=True)


def _fields(project_type: int, funders: set[int], stage: str = "start") -> dict[str, fields.Field]:
    forms = build(rules.elements_for(project_type, funders, stage, HOH))
    return {f.key: f for f in fields.all_fields(forms)}


def test_income_fields_come_from_the_spec_columns() -> None:
    f = _fields(3, {2})
    income = [k for k in f if k.startswith("4_02__")]
    assert income[:4] == ["4_02__IncomeFromAnySource", "4_02__Earned", "4_02__EarnedAmount", "4_02__Unemployment"]
    assert len(income) == 33
    assert f["4_02__IncomeFromAnySource"].choices == (
        (0, "No"),
        (1, "Yes"),
        (8, "Client doesn’t know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected"),
    )
    # Sources use list 1.7 (No/Yes/Data not collected): only the responses HUD's list has.
    assert f["4_02__Earned"].choices == ((0, "No"), (1, "Yes"), (99, "Data not collected"))
    assert (f["4_02__EarnedAmount"].kind, f["4_02__EarnedAmount"].required) == ("money", False)
    assert f["4_02__IncomeFromAnySource"].required is True
    assert f["4_02__Earned"].required is False  # asked only when income is Yes


def test_disability_response_list_depends_on_the_disability_type() -> None:
    f = _fields(3, {2})
    assert [v for v, _ in f["4_05__DisabilityResponse"].choices] == [0, 1, 8, 9, 99]
    assert [v for v, _ in f["4_10__DisabilityResponse"].choices] == [0, 1, 2, 3, 8, 9, 99]
    assert "4_06__IndefiniteAndImpairs" not in f  # developmental disability is disabling by definition


def test_prior_living_situation_excludes_values_not_valid_before_entry() -> None:
    values = [v for v, _ in _fields(3, {2})["3_917__LivingSituation"].choices]
    assert 435 in values
    assert 101 in values
    assert 313 not in values
    assert 24 not in values
    assert values[-3:] == [8, 9, 99]


def test_income_sources_shown_only_when_income_is_yes() -> None:
    f = list(_fields(3, {2}).values())
    shown = visibility(f, {"4_02__IncomeFromAnySource": 0}, project_type=3)
    assert (shown["4_02__Earned"], shown["4_02__EarnedAmount"]) == (False, False)
    shown = visibility(f, {"4_02__IncomeFromAnySource": 1}, project_type=3)
    assert (shown["4_02__Earned"], shown["4_02__EarnedAmount"]) == (True, False)
    shown = visibility(f, {"4_02__IncomeFromAnySource": 1, "4_02__Earned": 1}, project_type=3)
    assert shown["4_02__EarnedAmount"] is True
    # Hiding a parent hides what depends on it, whatever it holds.
    shown = visibility(f, {"4_02__IncomeFromAnySource": 0, "4_02__Earned": 1}, project_type=3)
    assert shown["4_02__EarnedAmount"] is False


def test_dv_follow_ups_and_long_continued_duration() -> None:
    f = list(_fields(3, {2}).values())
    shown = visibility(f, {"4_11__DomesticViolenceSurvivor": 1, "4_05__DisabilityResponse": 1}, project_type=3)
    assert (shown["4_11__CurrentlyFleeing"], shown["4_11__WhenOccurred"]) == (True, True)
    assert (shown["4_05__IndefiniteAndImpairs"], shown["4_07__IndefiniteAndImpairs"]) == (True, False)
    shown = visibility(f, {"4_10__DisabilityResponse": 2}, project_type=3)
    assert shown["4_10__IndefiniteAndImpairs"] is True


@pytest.mark.parametrize(
    ("project_type", "answers", "expected"),
    [
        # 3.917A (ES, SH, SO): homeless history is always asked; the threshold questions never.
        (0, {"3_917__LivingSituation": 410}, (False, False, True)),
        # 3.917B: homeless before entry goes straight to the homeless history.
        (3, {"3_917__LivingSituation": 116}, (False, False, True)),
        # 3.917B: an institution under 90 days asks about the night before.
        (3, {"3_917__LivingSituation": 207, "3_917__LengthOfStay": 3}, (True, False, False)),
        (
            3,
            {"3_917__LivingSituation": 207, "3_917__LengthOfStay": 3, "3_917__LOSUnderThreshold": 1},
            (True, True, False),
        ),
        (
            3,
            {
                "3_917__LivingSituation": 207,
                "3_917__LengthOfStay": 3,
                "3_917__LOSUnderThreshold": 1,
                "3_917__PreviousStreetESSH": 1,
            },
            (True, True, True),
        ),
        # 3.917B: housed for a year or more: nothing more.
        (3, {"3_917__LivingSituation": 410, "3_917__LengthOfStay": 5}, (False, False, False)),
        (3, {"3_917__LivingSituation": 410, "3_917__LengthOfStay": 11}, (True, False, False)),
    ],
)
def test_prior_living_situation_branches(
    project_type: int, answers: dict[str, int], expected: tuple[bool, ...]
) -> None:
    f = list(_fields(project_type, {2}).values())
    shown = visibility(f, answers, project_type=project_type)
    assert (
        shown["3_917__LOSUnderThreshold"],
        shown["3_917__PreviousStreetESSH"],
        shown["3_917__DateToStreetESSH"],
    ) == expected


def test_parsing_names_the_question() -> None:
    f = _fields(3, {2})
    assert parse(f["4_02__EarnedAmount"], "1,250.5") == Decimal("1250.50")
    assert parse(f["3_20__MoveInDate"], "2026-02-01") == date(2026, 2, 1)
    assert parse(f["4_02__IncomeFromAnySource"], "8") == 8
    assert parse(f["4_02__IncomeFromAnySource"], "  ") is None
    with pytest.raises(AnswerError, match=r"^Income from any source: choose one of the listed answers\.$"):
        parse(f["4_02__IncomeFromAnySource"], "7")
    with pytest.raises(AnswerError, match="Housing move-in date: enter a date as YYYY-MM-DD"):
        parse(f["3_20__MoveInDate"], "02/01/2026")
    with pytest.raises(AnswerError, match="at most two decimals"):
        parse(f["4_02__EarnedAmount"], "-3")
    values, errors = fields.parse_all(f.values(), {"4_02__EarnedAmount": "lots", "4_02__IncomeFromAnySource": "1"})
    assert (values["4_02__IncomeFromAnySource"], values["4_02__EarnedAmount"]) == (1, None)
    assert errors == {
        "4_02__EarnedAmount": "Earned income: monthly amount ($): enter an amount in dollars, such as 450 or 450.00."
    }


def test_every_dependency_names_real_columns() -> None:
    from hearth import spec as hud_spec
    from hearth.spec import expressions

    spec = hud_spec.current()
    dependencies = fields._dependencies(spec.version)
    assert len(dependencies) >= 80
    for (record, column), (condition, unanswered) in dependencies.items():
        rt = spec.record(record)
        assert column in rt.by_name, (record, column)
        for name in expressions.references(expressions.parse(condition)):
            qualifier, _, referenced = name.rpartition(".")
            assert referenced in spec.record(qualifier or record).by_name, (record, column, name)
        assert unanswered in (None, 0)


def test_every_assessment_column_has_wording() -> None:
    unworded = [
        f"{e.record}.{c}"
        for e in rules.all_elements()
        if e.collected_by == "assessment"
        for c in e.columns
        if (e.record, c) not in fields._questions("fy2026")
    ]
    assert unworded == []
