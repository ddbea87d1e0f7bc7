"""The questions of a stage assessment, built from data: the elements the rules choose, each column's type and
HUD list (hearth/spec columns.csv, lists.csv), question wording (data/<version>/questions.csv) and which
questions follow from earlier answers (data/<version>/dependencies.csv, plus the spec's own "null unless"
conditions). Nothing here knows a particular form.

Answers are keyed by field key (``4_02__Earned``): the element's number and the HUD column, so the same column
asked for two disability types (``4_05__DisabilityResponse``, ``4_09__DisabilityResponse``) stays distinct.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from hearth import spec as hud_spec
from hearth.collection.rules import Element
from hearth.spec import expressions
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG, Column

DATA = Path(__file__).resolve().parent / "data"

CHOICE, DATE_FIELD, INTEGER_FIELD, MONEY_FIELD, TEXT = "choice", "date", "integer", "money", "text"
# HUD's reasons for missing data (list 1.8 and most response lists): answered, but a data-quality gap.
MISSING_REASONS = {8: "Client doesn't know", 9: "Client prefers not to answer", 99: "Data not collected"}


@dataclass(frozen=True)
class Field:
    key: str
    element: Element
    record: str
    column: str
    kind: str
    label: str
    choices: tuple[tuple[int | str, str], ...]
    shown_when: expressions.Expr | None
    shown_when_text: str
    max_length: int | None
    # A source under "from any source: Yes" is a checkbox: left unticked, it is written as this (0, No).
    unanswered: int | None = None

    @property
    def checkbox(self) -> bool:
        return self.unanswered is not None

    @property
    def required(self) -> bool:
        """A coded question asked unconditionally needs an answer (HUD's 8/9/99 are answers). Dates, counts
        and amounts that happen later (move-in date, scores) may stay empty."""
        return self.kind == CHOICE and self.shown_when is None

    @property
    def scope(self) -> tuple[str, tuple[tuple[str, int], ...]]:
        """The HUD record row this answer is written to: conditions read the other answers of the same row."""
        return self.record, tuple(sorted(self.element.fixed.items()))


@dataclass(frozen=True)
class ElementForm:
    element: Element
    fields: tuple[Field, ...]


def _humanize(column: str) -> str:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", column)
    return words[:1].upper() + words[1:].lower()


@cache
def _questions(version: str) -> dict[tuple[str, str], str]:
    with (DATA / version / "questions.csv").open(encoding="utf-8", newline="") as handle:
        return {(r["record"], r["column"]): r["label"] for r in csv.DictReader(handle)}


@cache
def _dependencies(version: str) -> dict[tuple[str, str], tuple[str, int | None]]:
    """When each dependent question is asked (and what an unticked checkbox means): Hearth's table first, then
    the spec's "null unless" rules."""
    spec = hud_spec.get(version)
    found: dict[tuple[str, str], tuple[str, int | None]] = {
        (c.record, c.column): (c.source_text, None) for c in spec.conditions if c.rule == "null_unless"
    }
    with (DATA / version / "dependencies.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            unanswered = int(row["unanswered"]) if row["unanswered"] else None
            found[(row["record"], row["column"])] = (row["shown_when"], unanswered)
    return found


def _kind(column: Column) -> str:
    if column.lists:
        return CHOICE
    if column.type in (DATE, DATETIME):
        return DATE_FIELD
    if column.type == INTEGER:
        return INTEGER_FIELD
    if column.type in (MONEY, MONEY_NONNEG):
        return MONEY_FIELD
    return TEXT


def _choices(column: Column, fixed: Mapping[str, int]) -> tuple[tuple[int | str, str], ...]:
    # HUD's reasons for missing data come last, after the answers, as HUD's forms show them.
    choices = _list_choices(column, fixed)
    return tuple(sorted(choices, key=lambda c: c[0] in MISSING_REASONS))


def _list_choices(column: Column, fixed: Mapping[str, int]) -> tuple[tuple[int | str, str], ...]:
    spec = hud_spec.current()
    rules = spec.rules_for(column.record, column.name)
    selected = [r.list_id for r in rules if r.kind == "select" and fixed.get(r.when_column or "") == r.when_value]
    if selected:
        list_id = selected[0]
    elif any(r.kind == "select" for r in rules):
        # The list chosen when no "select" rule holds (DisabilityResponse: 1.8 unless substance use, 4.10.2).
        chosen_elsewhere = {r.list_id for r in rules if r.kind == "select"}
        list_id = next(x for x in column.lists if x not in chosen_elsewhere)
    else:
        return tuple(spec.static_choices(column))
    return tuple(spec.lists[list_id].labels.items())


def fields_for(element: Element) -> tuple[Field, ...]:
    spec = hud_spec.current()
    questions = _questions(spec.version)
    dependencies = _dependencies(spec.version)
    rt = spec.record(element.record)
    built = []
    for name in element.columns:
        column = rt.column(name)
        condition, unanswered = dependencies.get((element.record, name), ("", None))
        built.append(
            Field(
                key=f"{element.slug}__{name}",
                element=element,
                record=element.record,
                column=name,
                kind=_kind(column),
                label=questions.get((element.record, name)) or _humanize(name),
                choices=_choices(column, element.fixed) if column.lists else (),
                shown_when=expressions.parse(condition) if condition else None,
                shown_when_text=condition or "",
                max_length=column.max_length,
                unanswered=unanswered,
            )
        )
    return tuple(built)


def build(elements: Iterable[Element]) -> tuple[ElementForm, ...]:
    return tuple(ElementForm(e, fields_for(e)) for e in elements)


def all_fields(forms: Iterable[ElementForm]) -> list[Field]:
    return [f for form in forms for f in form.fields]


def visibility(fields: Iterable[Field], values: Mapping[str, Any], *, project_type: int | None) -> dict[str, bool]:
    """Which questions are asked, given the answers so far. A hidden question's answer counts as empty, so
    questions that depend on it hide too (repeated until nothing changes)."""
    fields = list(fields)
    shown = {f.key: True for f in fields}
    for _ in range(len(fields) + 1):
        rows: dict[Any, dict[str, Any]] = {}
        for f in fields:
            row = rows.setdefault(f.scope, {**f.element.fixed, "Project.ProjectType": project_type})
            row[f.column] = values.get(f.key) if shown[f.key] else None
        changed = False
        for f in fields:
            now = f.shown_when is None or expressions.evaluate(f.shown_when, rows[f.scope], {}) is True
            if now != shown[f.key]:
                shown[f.key], changed = now, True
        if not changed:
            break
    return shown


class AnswerError(ValueError):
    pass


def parse(field: Field, raw: str | None) -> Any:
    """One submitted value, typed; raises AnswerError with a message naming the question."""
    text = (raw or "").strip()
    if not text:
        return None
    if field.checkbox:
        return 1 if text == "1" else field.unanswered
    if field.kind == CHOICE:
        allowed = {str(v): v for v, _ in field.choices}
        if text not in allowed:
            raise AnswerError(f"{field.label}: choose one of the listed answers.")
        return allowed[text]
    if field.kind == DATE_FIELD:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise AnswerError(f"{field.label}: enter a date as YYYY-MM-DD.") from None
    if field.kind == INTEGER_FIELD:
        if not text.isdigit():
            raise AnswerError(f"{field.label}: enter a whole number of 0 or more.")
        return int(text)
    if field.kind == MONEY_FIELD:
        try:
            amount = Decimal(text.replace(",", "").removeprefix("$"))
        except InvalidOperation:
            raise AnswerError(f"{field.label}: enter an amount in dollars, such as 450 or 450.00.") from None
        if amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("10000000000"):
            raise AnswerError(f"{field.label}: enter an amount of 0 or more, with at most two decimals.")
        return amount.quantize(Decimal("0.01"))
    if field.max_length and len(text) > field.max_length:
        raise AnswerError(f"{field.label}: use at most {field.max_length} characters.")
    return text


def effective(fields: Iterable[Field], values: Mapping[str, Any], shown: Mapping[str, bool]) -> dict[str, Any]:
    """What is written: a question not asked is empty (no stale answer survives a changed parent); an unticked
    source checkbox under "Yes" is No."""
    written = {}
    for f in fields:
        value = values.get(f.key) if shown.get(f.key, True) else None
        if value is None and f.unanswered is not None and shown.get(f.key, True):
            value = f.unanswered
        written[f.key] = value
    return written


def parse_all(fields: Iterable[Field], raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed answers and, per field key, the message for a value that could not be read."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        try:
            values[f.key] = parse(f, raw.get(f.key))
        except AnswerError as error:
            values[f.key] = None
            errors[f.key] = str(error)
    return values, errors


def display(value: Any) -> str:
    """How a typed answer goes back into a form field (drafts, re-rendering)."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)
