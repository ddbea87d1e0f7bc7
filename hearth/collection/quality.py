"""Validation and data-quality prompts for a stage assessment: pure functions over answers and dates.

Errors stop a save (the record would be wrong or HUD does not accept it); warnings are data-quality problems
HUD's reports count but allow (the worker may not know yet), shown while typing and again on save. Each rule
cites the section of the HMIS Data Standards it applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hearth.collection.fields import MISSING_REASONS, Field
from hearth.collection.rules import ANNUAL, EXIT, POST_EXIT, START

ERROR, WARNING, NOTICE = "error", "warning", "notice"
FORM = "__all__"  # an issue about the whole assessment, not one question

ANNUAL_WINDOW_DAYS = 30
AFTERCARE_DAYS = 180


@dataclass(frozen=True)
class Issue:
    key: str  # field key, or FORM
    severity: str
    message: str
    cite: str
    kind: str = ""  # "missing": a question asked and not answered (pages hold these back until it is reached)


def _label(key: str, fields: Mapping[str, Field]) -> str:
    return fields[key].label if key in fields else key


def missing_answers(fields: Iterable[Field], values: Mapping[str, Any], shown: Mapping[str, bool]) -> list[Issue]:
    """Every element asked at its collection point needs a response; HUD's "Client doesn't know", "Client
    prefers not to answer" and "Data not collected" are responses, counted as missing data by HUD's data
    quality reports (HMIS Data Standards Manual FY2026, "Data Quality" and each element's response list)."""
    issues = []
    for f in fields:
        if not shown.get(f.key, True) or f.checkbox:
            continue
        value = values.get(f.key)
        cite = f"HMIS Data Standards FY2026 {f.element.id} {f.element.name}"
        if value is None and f.required:
            message = f"Answer “{f.label}”. If you could not ask, choose “Data not collected”."
            issues.append(Issue(f.key, ERROR, message, cite, kind="missing"))
        elif value is None and f.shown_when is not None:
            message = f"“{f.label}” follows from an earlier answer and is empty."
            issues.append(Issue(f.key, WARNING, message, cite, kind="missing"))
        elif f.kind == "choice" and value in MISSING_REASONS and any(v == value for v, _ in f.choices):
            issues.append(
                Issue(f.key, NOTICE, f"“{MISSING_REASONS[value]}” counts as missing data in HUD's reports.", cite)
            )
    return issues


# (any-source column, source columns, element) for 4.02, 4.03 and 4.04.
SOURCE_GROUPS = (
    (
        "4_02__IncomeFromAnySource",
        "Earned Unemployment SSI SSDI VADisabilityService VADisabilityNonService PrivateDisability WorkersComp "
        "TANF GA SocSecRetirement Pension ChildSupport Alimony OtherIncomeSource",
        "4.02 Income and Sources",
        "income",
    ),
    (
        "4_03__BenefitsFromAnySource",
        "SNAP WIC TANFChildCare TANFTransportation OtherTANF OtherBenefitsSource",
        "4.03 Non-Cash Benefits",
        "non-cash benefits",
    ),
    (
        "4_04__InsuranceFromAnySource",
        "Medicaid Medicare SCHIP VHAServices EmployerProvided COBRA PrivatePay StateHealthIns IndianHealthServices "
        "OtherInsurance",
        "4.04 Health Insurance",
        "health insurance",
    ),
)


def source_contradictions(values: Mapping[str, Any]) -> list[Issue]:
    """ "Yes" to any source needs at least one source marked Yes; "No" must not have one (HMIS Data Standards
    FY2026 4.02-4.04: the any-source answer and the sources agree; HUD's APR Q18-Q21 count the disagreement)."""
    issues = []
    for any_key, columns, element, noun in SOURCE_GROUPS:
        if any_key not in values:
            continue
        prefix = any_key.split("__")[0]
        sources = [values.get(f"{prefix}__{c}") for c in columns.split()]
        cite = f"HMIS Data Standards FY2026 {element}"
        answer = values.get(any_key)
        if answer == 1 and not any(s == 1 for s in sources):
            issues.append(Issue(any_key, WARNING, f"You answered Yes to {noun}: mark at least one source Yes.", cite))
        if answer == 0 and any(s == 1 for s in sources):
            issues.append(Issue(any_key, WARNING, f"You answered No to {noun}, but a source is marked Yes.", cite))
    return issues


def income_total(values: Mapping[str, Any]) -> list[Issue]:
    """4.02.18 Total monthly income is the sum of the amounts of the sources answered Yes."""
    total = values.get("4_02__TotalMonthlyIncome")
    amounts = [v for k, v in values.items() if k.startswith("4_02__") and k.endswith("Amount") and v is not None]
    if total is None or not amounts or sum(amounts) == total:
        return []
    return [
        Issue(
            "4_02__TotalMonthlyIncome",
            WARNING,
            f"Total monthly income is {total}, but the amounts add up to {sum(amounts)}.",
            "HMIS Data Standards FY2026 4.02.18 Total Monthly Income",
        )
    ]


def dv_currently_fleeing(values: Mapping[str, Any]) -> list[Issue]:
    """4.11: a survivor of domestic violence is asked whether they are currently fleeing (4.11.B)."""
    if values.get("4_11__DomesticViolenceSurvivor") == 1 and values.get("4_11__CurrentlyFleeing") is None:
        return [
            Issue(
                "4_11__CurrentlyFleeing",
                WARNING,
                "Survivor of domestic violence is Yes: ask whether the client is currently fleeing.",
                "HMIS Data Standards FY2026 4.11.B Currently Fleeing",
            )
        ]
    return []


def exit_before_entry(entry_date: date, exit_date: date | None) -> list[Issue]:
    """3.11: the project exit date is on or after the project start date."""
    if exit_date is not None and exit_date < entry_date:
        return [
            Issue(FORM, ERROR, "The exit date is before the project start date.", "HMIS Data Standards FY2026 3.11")
        ]
    return []


def move_in_outside_enrollment(entry_date: date, exit_date: date | None, move_in: date | None, key: str) -> list[Issue]:
    """3.20: the housing move-in date is on or after project start and no later than project exit."""
    cite = "HMIS Data Standards FY2026 3.20 Housing Move-In Date"
    if move_in is None:
        return []
    if move_in < entry_date:
        return [Issue(key, ERROR, "The move-in date is before the project start date.", cite)]
    if exit_date is not None and move_in > exit_date:
        return [Issue(key, ERROR, "The move-in date is after the project exit date.", cite)]
    return []


def overlapping_enrollments(
    entry_date: date, exit_date: date | None, others: Iterable[tuple[date, date | None]]
) -> list[Issue]:
    """A client is not enrolled twice at once in projects of the same type (HUD Data Quality: overlapping
    enrollments; HMIS Data Standards FY2026 3.10 and 3.11). An exit on a day another enrollment starts is a
    transfer, not an overlap."""
    end = exit_date or date.max
    for other_entry, other_exit in others:
        other_end = other_exit or date.max
        if other_entry < end and entry_date < other_end:
            return [
                Issue(
                    FORM,
                    WARNING,
                    "This client has another enrollment in a project of the same type during these dates.",
                    "HMIS Data Standards FY2026 3.10/3.11; HUD data quality: overlapping enrollments",
                )
            ]
    return []


def nearest_anniversary(entry_date: date, on: date) -> date:
    """The anniversary of project start closest to ``on`` (the first one at the earliest)."""
    years = max(1, round((on - entry_date).days / 365.25))
    try:
        return entry_date.replace(year=entry_date.year + years)
    except ValueError:  # 29 February
        return entry_date.replace(year=entry_date.year + years, day=28)


def annual_window(entry_date: date, information_date: date) -> list[Issue]:
    """The annual assessment is recorded no more than 30 days before or after the anniversary of project start
    (HMIS Data Standards Manual FY2026, "Annual Assessment" collection point)."""
    anniversary = nearest_anniversary(entry_date, information_date)
    if abs((information_date - anniversary).days) <= ANNUAL_WINDOW_DAYS:
        return []
    low, high = anniversary - timedelta(days=ANNUAL_WINDOW_DAYS), anniversary + timedelta(days=ANNUAL_WINDOW_DAYS)
    return [
        Issue(
            "information_date",
            WARNING,
            f"An annual assessment is due between {low:%m/%d/%Y} and {high:%m/%d/%Y} "
            f"(30 days either side of the anniversary, {anniversary:%m/%d/%Y}).",
            "HMIS Data Standards Manual FY2026, Annual Assessment",
        )
    ]


def information_date_rules(
    stage: str,
    information_date: date | None,
    entry_date: date,
    exit_date: date | None,
    today: date,
    anniversary_from: date | None = None,
) -> list[Issue]:
    """The information date of each collection point (HMIS Data Standards Manual FY2026, "Data Collection
    Stage" and "Information Date"): project start is the start date, project exit the exit date, the others
    fall within the enrollment; post-exit is after exit (R20: within 180 days)."""
    key, cite = "information_date", "HMIS Data Standards FY2026 5.03 Data Collection Stage / Information Date"
    if information_date is None:
        return [Issue(key, ERROR, "Enter the information date as YYYY-MM-DD.", cite)]
    if information_date > today:
        return [Issue(key, ERROR, "The information date cannot be in the future.", cite)]
    if stage == START and information_date != entry_date:
        return [
            Issue(
                key, ERROR, f"A project start assessment is dated the project start date ({entry_date:%m/%d/%Y}).", cite
            )
        ]
    if stage == EXIT:
        if exit_date is None:
            return [Issue(key, ERROR, "Record the exit (date and destination) before the exit assessment.", cite)]
        if information_date != exit_date:
            return [
                Issue(key, ERROR, f"A project exit assessment is dated the exit date ({exit_date:%m/%d/%Y}).", cite)
            ]
    if stage == POST_EXIT:
        if exit_date is None:
            return [Issue(key, ERROR, "A post-exit assessment needs an exit first.", cite)]
        if information_date < exit_date:
            return [Issue(key, ERROR, "A post-exit assessment is dated after the exit date.", cite)]
        if information_date > exit_date + timedelta(days=AFTERCARE_DAYS):
            return [Issue(key, WARNING, "Aftercare is recorded within 180 days after exit (R20).", cite)]
        return []
    if information_date < entry_date:
        return [Issue(key, ERROR, "The information date is before the project start date.", cite)]
    if exit_date is not None and information_date > exit_date and stage != EXIT:
        return [Issue(key, ERROR, "The information date is after the project exit date.", cite)]
    if stage == ANNUAL:
        return annual_window(anniversary_from or entry_date, information_date)
    return []


def homeless_start_date(values: Mapping[str, Any], entry_date: date) -> list[Issue]:
    """3.917.3: this episode of homelessness began on or before project start (HUD Eva check 69)."""
    started = values.get("3_917__DateToStreetESSH")
    if started is not None and started > entry_date:
        return [
            Issue(
                "3_917__DateToStreetESSH",
                ERROR,
                "The date homelessness started is after the project start date.",
                "HMIS Data Standards FY2026 3.917.3",
            )
        ]
    return []


def review(
    *,
    fields: Iterable[Field],
    values: Mapping[str, Any],
    shown: Mapping[str, bool],
    stage: str,
    information_date: date | None,
    entry_date: date,
    exit_date: date | None,
    move_in_date: date | None,
    other_enrollments: Iterable[tuple[date, date | None]] = (),
    today: date,
    anniversary_from: date | None = None,
) -> list[Issue]:
    """Every issue of an assessment, at most one per question (the most severe first)."""
    visible = {k: v for k, v in values.items() if shown.get(k, True)}
    move_in_key = "3_20__MoveInDate"
    move_in = visible.get(move_in_key, move_in_date) if move_in_key in values else move_in_date
    issues = [
        *information_date_rules(stage, information_date, entry_date, exit_date, today, anniversary_from),
        *exit_before_entry(entry_date, exit_date),
        *move_in_outside_enrollment(entry_date, exit_date, move_in, move_in_key),
        *overlapping_enrollments(entry_date, exit_date, other_enrollments),
        *homeless_start_date(visible, entry_date),
        *source_contradictions(visible),
        *income_total(visible),
        *dv_currently_fleeing(visible),
        *missing_answers(fields, values, shown),
    ]
    order = {ERROR: 0, WARNING: 1, NOTICE: 2}
    kept: dict[str, Issue] = {}
    form_issues = []
    for issue in sorted(issues, key=lambda i: order[i.severity]):
        if issue.key == FORM:
            form_issues.append(issue)
        elif issue.key not in kept:
            kept[issue.key] = issue
    return [*form_issues, *kept.values()]


def errors(issues: Iterable[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == ERROR]
