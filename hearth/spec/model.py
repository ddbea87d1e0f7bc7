"""Typed, immutable view of one HMIS CSV specification version (record types, columns, code lists, rules)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from hearth.spec.expressions import Expr

# HUD type codes (HMIS CSV spec, "Data types"): S string, I integer, D date, T date-time,
# M money, M+ money that may not be negative.
STRING, INTEGER, DATE, DATETIME, MONEY, MONEY_NONNEG = "S", "I", "D", "T", "M", "M+"
TYPES = frozenset({STRING, INTEGER, DATE, DATETIME, MONEY, MONEY_NONNEG})

Code = int | str


@dataclass(frozen=True)
class CodeList:
    """A HUD code list (lists.csv), values in HUD's numeric order."""

    id: str
    labels: Mapping[Code, str]

    def label(self, value: Code) -> str | None:
        return self.labels.get(value)

    @cached_property
    def values(self) -> frozenset[Code]:
        return frozenset(self.labels)


@dataclass(frozen=True)
class ListRule:
    """How a coded column chooses its list: a fixed exclusion, or a list selected by another column."""

    record: str
    column: str
    kind: str  # "exclude" | "select" | "otherwise"
    when_column: str | None
    when_value: Code | None
    list_id: str
    values: frozenset[Code]
    cite: str


@dataclass(frozen=True)
class Condition:
    """A conditional-field rule from the spec notes ("Null unless …", "Non-null if …", patterns, checks)."""

    record: str
    column: str
    rule: str  # "null_unless" | "required_if" | "must" | "pattern"
    expression: Expr | None
    pattern: str | None
    severity: str
    cite: str
    source_text: str


@dataclass(frozen=True)
class Tolerance:
    """Out-of-list values accepted (with a warning) because real, HUD-published data carries them."""

    record: str
    column: str
    values: frozenset[Code]
    reason: str


@dataclass(frozen=True)
class EvaCheck:
    id: int
    severity: str  # "High Priority" | "Error" | "Warning"
    issue: str
    guidance: str


@dataclass(frozen=True)
class Column:
    record: str
    position: int
    name: str
    type: str
    max_length: int | None
    nullable: bool
    lists: tuple[str, ...]
    data_element: str
    notes: str
    eva_high_priority: bool
    lenient_null_reason: str | None = None
    # For a lenient column: an empty value is reported only when this holds (None: always).
    lenient_null_when: Expr | None = None

    @property
    def is_key(self) -> bool:
        return self.position == 1

    @property
    def is_coded(self) -> bool:
        return bool(self.lists)

    @property
    def required(self) -> bool:
        """Non-null in HUD's table and not one of the columns real exports leave empty (lenient_nulls.csv)."""
        return not self.nullable and self.lenient_null_reason is None


@dataclass(frozen=True)
class RecordType:
    name: str
    columns: tuple[Column, ...]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def key(self) -> Column:
        return self.columns[0]

    @cached_property
    def by_name(self) -> Mapping[str, Column]:
        return {c.name: c for c in self.columns}

    @cached_property
    def by_lower_name(self) -> Mapping[str, Column]:
        return {c.name.lower(): c for c in self.columns}

    def column(self, name: str) -> Column:
        return self.by_name[name]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class PreviousVersion:
    """What an older CSV version looks like relative to this one, so its exports can still be read."""

    version: str
    csv_version_marker: str
    added: Mapping[str, frozenset[str]]  # record -> columns new in this version (absent before)
    removed: Mapping[str, Mapping[str, str]]  # record -> {old column: its old type/list}
    renamed: Mapping[str, Mapping[str, str]]  # record -> {old name: new name}
    list_changed: Mapping[str, Mapping[str, tuple[str, str]]]  # record -> {column: (old list, new list)}
    retired: Mapping[str, Mapping[Code, str]]  # this version's list id -> {retired value: label}


@dataclass(frozen=True)
class Spec:
    version: str
    csv_version: str
    record_types: Mapping[str, RecordType]
    lists: Mapping[str, CodeList]
    list_rules: tuple[ListRule, ...]
    conditions: tuple[Condition, ...]
    tolerances: tuple[Tolerance, ...]
    eva_checks: Mapping[int, EvaCheck]
    previous: Mapping[str, PreviousVersion] = field(default_factory=dict)

    def record(self, name: str) -> RecordType:
        return self.record_types[name]

    @cached_property
    def by_filename_lower(self) -> Mapping[str, RecordType]:
        return {rt.filename.lower(): rt for rt in self.record_types.values()}

    def rules_for(self, record: str, column: str) -> tuple[ListRule, ...]:
        return tuple(r for r in self.list_rules if r.record == record and r.column == column)

    def conditions_for(self, record: str) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if c.record == record)

    def tolerance(self, record: str, column: str) -> Tolerance | None:
        for tolerance in self.tolerances:
            if tolerance.record == record and tolerance.column == column:
                return tolerance
        return None

    def allowed_values(self, column: Column, selected_list: str | None = None) -> frozenset[Code]:
        """Values the column accepts: its list (or the list selected by another column) minus exclusions."""
        if not column.lists:
            return frozenset()
        list_ids = [selected_list] if selected_list else list(column.lists)
        values: set[Code] = set()
        for list_id in list_ids:
            values |= self.lists[list_id].values
        for rule in self.rules_for(column.record, column.name):
            if rule.kind == "exclude":
                values -= rule.values
        return frozenset(values)

    def static_choices(self, column: Column) -> list[tuple[Code, str]]:
        """(value, HUD label) pairs in HUD order for a column whose list does not depend on another column."""
        allowed = self.allowed_values(column)
        choices: list[tuple[Code, str]] = []
        for list_id in column.lists:
            for value, label in self.lists[list_id].labels.items():
                if value in allowed and all(value != v for v, _ in choices):
                    choices.append((value, label))
        return choices

    def retired_label(self, list_id: str, value: Code) -> str | None:
        for previous in self.previous.values():
            label = previous.retired.get(list_id, {}).get(value)
            if label is not None:
                return label
        return None
