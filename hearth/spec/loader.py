"""Read a spec version's data files (hearth/spec/data/<version>/) into a typed Spec."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from hearth.spec import expressions
from hearth.spec.model import (
    TYPES,
    CodeList,
    Column,
    Condition,
    EvaCheck,
    ListRule,
    PreviousVersion,
    RecordType,
    Spec,
    Tolerance,
)

DATA = Path(__file__).resolve().parent / "data"

# Export.CSVVersion written by each version, and the marker that recognises it when reading.
CSV_VERSIONS = {"fy2026": "2026 v1.0", "fy2024": "2024 v1.3"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _code(value: str) -> int | str:
    value = value.strip()
    return int(value) if value.lstrip("-").isdigit() else value


def _codes(text: str) -> frozenset[int | str]:
    return frozenset(_code(v) for v in text.replace(",", " ").split())


def load(version: str) -> Spec:
    folder = DATA / version
    if not folder.is_dir():
        raise LookupError(f"no HMIS CSV specification data for {version!r} in {DATA}")

    lenient_rows = _rows(folder / "lenient_nulls.csv")
    lenient = {(r["record"], r["column"]): r["reason"] for r in lenient_rows}
    lenient_when = {
        (r["record"], r["column"]): expressions.parse(r["only_when"]) for r in lenient_rows if r["only_when"]
    }
    by_record: dict[str, list[Column]] = defaultdict(list)
    for row in _rows(folder / "columns.csv"):
        if row["type"] not in TYPES:
            raise ValueError(f"{row['record']}.{row['column']}: unknown type {row['type']!r}")
        by_record[row["record"]].append(
            Column(
                record=row["record"],
                position=int(row["position"]),
                name=row["column"],
                type=row["type"],
                max_length=int(row["max_length"]) if row["max_length"] else None,
                nullable=row["nullable"] == "Y",
                lists=tuple(x for x in row["list"].split(";") if x),
                data_element=row["data_element"],
                notes=row["notes"],
                eva_high_priority=row["eva_high_priority"] == "Y",
                lenient_null_reason=lenient.get((row["record"], row["column"])),
                lenient_null_when=lenient_when.get((row["record"], row["column"])),
            )
        )
    record_types = {
        name: RecordType(name, tuple(sorted(cols, key=lambda c: c.position))) for name, cols in by_record.items()
    }
    for record, column in lenient:
        if column not in record_types[record].by_name:
            raise ValueError(f"lenient_nulls.csv names unknown column {record}.{column}")

    labels: dict[str, dict[int | str, str]] = defaultdict(dict)
    for row in _rows(folder / "lists.csv"):
        labels[row["list"]][_code(row["value"])] = row["label"]
    # A list with any non-numeric value (V6.1 VAMC station numbers such as 528A5) is a list of strings.
    for list_id, values in labels.items():
        if any(isinstance(v, str) for v in values):
            labels[list_id] = {str(k): v for k, v in values.items()}
    lists = {list_id: CodeList(list_id, values) for list_id, values in labels.items()}

    list_rules = tuple(
        ListRule(
            record=r["record"],
            column=r["column"],
            kind=r["kind"],
            when_column=r["when_column"] or None,
            when_value=_code(r["when_value"]) if r["when_value"] else None,
            list_id=r["list"],
            values=_codes(r["values"]),
            cite=r["cite"],
        )
        for r in _rows(folder / "list_rules.csv")
    )
    conditions = []
    for r in _rows(folder / "conditions.csv"):
        text = r["expression"]
        pattern: str | None = None
        expr: expressions.Expr | None
        if r["rule"] == "pattern":
            pattern, _, when = text.partition(" when ")
            expr = expressions.parse(when) if when else None
        else:
            expr = expressions.parse(text)
        conditions.append(Condition(r["record"], r["column"], r["rule"], expr, pattern, r["severity"], r["cite"], text))
    tolerances = tuple(
        Tolerance(r["record"], r["column"], _codes(r["values"]), r["reason"])
        for r in _rows(folder / "tolerated_values.csv")
    )
    eva_checks = {
        int(r["id"]): EvaCheck(int(r["id"]), r["severity"], r["issue"], r["guidance"])
        for r in _rows(folder / "eva_checks.csv")
    }
    spec = Spec(
        version=version,
        csv_version=CSV_VERSIONS[version],
        record_types=record_types,
        lists=lists,
        list_rules=list_rules,
        conditions=tuple(conditions),
        tolerances=tolerances,
        eva_checks=eva_checks,
        previous=_previous_versions(version, record_types),
    )
    _check_consistency(spec)
    return spec


def _previous_versions(version: str, record_types: dict[str, RecordType]) -> dict[str, PreviousVersion]:
    """The older versions this one can read, described by their change tables (data/<old>/changes.csv)."""
    if version != "fy2026":
        return {}
    folder = DATA / "fy2024"
    aliases = {r["fy2024_list"]: r["fy2026_list"] for r in _rows(folder / "list_aliases.csv")}
    added: dict[str, set[str]] = defaultdict(set)
    removed: dict[str, dict[str, str]] = defaultdict(dict)
    renamed: dict[str, dict[str, str]] = defaultdict(dict)
    list_changed: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for r in _rows(folder / "changes.csv"):
        record = r["file"].removesuffix(".csv")
        if record not in record_types:
            continue
        if r["change"] == "column added":
            added[record].add(r["column"])
        elif r["change"] == "column removed":
            if r["note"].startswith("renamed to "):
                new_name = r["note"].removeprefix("renamed to ").split(" ", 1)[0]
                renamed[record][r["column"]] = new_name
            else:
                removed[record][r["column"]] = r["fy2024"]
        elif r["change"] == "list changed":
            list_changed[record][r["column"]] = (r["fy2024"], r["fy2026"])
    # A renamed column is "added" under its new name; it is not new data.
    for record, names in renamed.items():
        added[record] -= set(names.values())
    retired: dict[str, dict[int | str, str]] = defaultdict(dict)
    for r in _rows(folder / "lists_removed.csv"):
        list_id = aliases.get(r["list"], r["list"])
        retired[list_id][_code(r["value"])] = r["label"]
    return {
        "fy2024": PreviousVersion(
            version="fy2024",
            csv_version_marker="2024",
            added={k: frozenset(v) for k, v in added.items()},
            removed=dict(removed),
            renamed=dict(renamed),
            list_changed=dict(list_changed),
            retired=dict(retired),
        )
    }


def _check_consistency(spec: Spec) -> None:
    """Fail at load time, not mid-import, if the data files disagree with each other."""
    for rt in spec.record_types.values():
        for column in rt.columns:
            for list_id in column.lists:
                if list_id not in spec.lists:
                    raise ValueError(f"{rt.name}.{column.name} refers to unknown list {list_id}")
    for rule in spec.list_rules:
        rt = spec.record_types[rule.record]
        if rule.column not in rt.by_name or rule.list_id not in spec.lists:
            raise ValueError(f"list_rules.csv: bad rule for {rule.record}.{rule.column}")
        if rule.when_column and rule.when_column not in rt.by_name:
            raise ValueError(f"list_rules.csv: {rule.record} has no column {rule.when_column}")
    for condition in spec.conditions:
        rt = spec.record_types[condition.record]
        if condition.column not in rt.by_name:
            raise ValueError(f"conditions.csv: {condition.record} has no column {condition.column}")
        if condition.expression is not None:
            for name in expressions.references(condition.expression):
                qualifier, _, column_name = name.rpartition(".")
                target = spec.record_types[qualifier] if qualifier else rt
                if column_name not in target.by_name:
                    where = f"{condition.record}.{condition.column}"
                    raise ValueError(f"conditions.csv: {where} reads unknown {name}")
    for tolerance in spec.tolerances:
        if tolerance.column not in spec.record_types[tolerance.record].by_name:
            raise ValueError(f"tolerated_values.csv: unknown column {tolerance.record}.{tolerance.column}")
