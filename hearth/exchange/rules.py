"""Per-row rules of the HMIS CSV specification, as vectorized checks on a typed batch.

- required values: a non-null column left empty (HMIS CSV spec "Null" column; see lenient_nulls.csv for the
  columns real exports leave empty, which are warnings);
- code lists (spec Appendix B, lists.csv), including per-column exclusions (3.12.1) and lists chosen by another
  column (Disabilities.DisabilityResponse, Services.TypeProvided/SubTypeProvided);
- conditional fields: "Null unless …", "Non-null if …", value checks and patterns (conditions.csv), each
  citing its data element.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from hearth.exchange.checks import Check, run_checks
from hearth.exchange.issues import IssueLog, Severity
from hearth.spec import Spec
from hearth.spec import expressions as ex
from hearth.spec.model import DATE, Column, Condition, RecordType

# Columns whose bad values HUD's Eva reports under a check of their own (EvaChecks.csv, file structure).
EVA_LIST_CHECKS = {
    ("Enrollment", "DisablingCondition"): 51,
    ("Enrollment", "LivingSituation"): 52,
    ("Enrollment", "RelationshipToHoH"): 53,
    ("Exit", "Destination"): 54,
    ("CurrentLivingSituation", "CurrentLivingSituation"): 55,
}


def eva_list_check(record: str, column: str) -> int | None:
    if record == "Client":
        return 50
    return EVA_LIST_CHECKS.get((record, column))


def check_required(
    typed: pl.DataFrame, record: RecordType, log: IssueLog, *, skip: frozenset[str] | set[str] = frozenset()
) -> None:
    """Empty values in columns the spec marks non-null (``skip``: columns already reported missing)."""
    last = record.columns[-1]
    checks: list[Check] = []
    for column in record.columns:
        if column.nullable or column.name in skip:
            continue
        empty = pl.col(column.name).is_null()
        # Eva check 6 (nulls not allowed); Eva itself accepts nulls in the lenient columns.
        eva_id = 6 if column.eva_high_priority and not column.lenient_null_reason else None
        if column.lenient_null_reason:
            if column.lenient_null_when is not None:
                empty = empty & _raw_condition(column.lenient_null_when)
            checks.append(
                Check(
                    Severity.WARNING,
                    record.filename,
                    column.name,
                    "required.lenient",
                    empty,
                    f"{column.name} is empty; the specification requires a value. Imported as empty: "
                    f"{column.lenient_null_reason}.",
                    eva_id=eva_id,
                )
            )
        elif column is last:
            # Every file ends with ExportID, which is never empty: an empty one means the row was cut short.
            checks.append(
                Check(
                    Severity.ERROR,
                    record.filename,
                    column.name,
                    "row.short",
                    empty,
                    f"The row has fewer values than the header ({column.name} and perhaps others are missing); "
                    "check for a line break inside an unquoted value.",
                    eva_id=eva_id,
                )
            )
        else:
            checks.append(
                Check(
                    Severity.ERROR,
                    record.filename,
                    column.name,
                    "required",
                    empty,
                    f"{column.name} is empty; the specification requires a value in every row.",
                    eva_id=eva_id,
                )
            )
    run_checks(typed, checks, log)


def _raw_condition(expr: ex.Expr) -> pl.Expr:
    """A simple condition on raw (string) values: compares text, so only equality of codes is supported."""
    match expr:
        case ex.Compare("=", ex.Ref(name, 0), ex.Const(value)):
            return (pl.col(name) == str(value)).fill_null(False)
    raise ex.ExpressionError(f"only 'Column = value' conditions apply to empty-value rules, not {expr!r}")


def _list_names(spec: Spec, list_ids: list[str]) -> str:
    return " or ".join(list_ids)


def check_lists(typed: pl.DataFrame, record: RecordType, spec: Spec, log: IssueLog) -> None:
    # One pass finds the columns holding a value outside their list; only those are examined in detail.
    # Lists chosen by another column are always examined.
    chosen = {r.column for r in spec.list_rules if r.record == record.name and r.kind != "exclude"}
    candidates = [
        Check(
            Severity.ERROR,
            record.filename,
            c.name,
            "__list",
            pl.col(c.name).is_not_null() & ~pl.col(c.name).is_in(list(spec.allowed_values(c))),
            "",
        )
        for c in record.columns
        if c.lists and c.name not in chosen
    ]
    suspicious = {check.column for check in run_checks(typed, candidates, log, hidden={"__list"})} | chosen
    for column in record.columns:
        if not column.lists or column.name not in suspicious:
            continue
        rules = spec.rules_for(record.name, column.name)
        selects = [r for r in rules if r.kind == "select"]
        otherwise = [r for r in rules if r.kind == "otherwise"]
        if not selects:
            _check_membership(typed, column, spec, spec.allowed_values(column), None, log, list(column.lists))
            continue
        when_column = selects[0].when_column
        assert when_column is not None
        for rule in selects:
            subset = typed.filter(pl.col(when_column) == rule.when_value)
            _check_membership(
                subset,
                column,
                spec,
                spec.allowed_values(column, rule.list_id),
                f"when {when_column} = {rule.when_value}",
                log,
                [rule.list_id],
            )
        if otherwise:
            selected = [r.when_value for r in selects]
            subset = typed.filter(~pl.col(when_column).is_in(selected) | pl.col(when_column).is_null())
            _check_membership(
                subset,
                column,
                spec,
                spec.allowed_values(column, otherwise[0].list_id),
                f"when {when_column} is not {', '.join(str(v) for v in selected)}",
                log,
                [otherwise[0].list_id],
            )


def _check_membership(
    typed: pl.DataFrame,
    column: Column,
    spec: Spec,
    allowed: frozenset[Any],
    context: str | None,
    log: IssueLog,
    list_ids: list[str],
) -> None:
    if typed.height == 0:
        return
    value = pl.col(column.name)
    bad = typed.filter(value.is_not_null() & ~value.is_in(list(allowed)))
    if bad.height == 0:
        return
    filename = column.record + ".csv"
    eva_id = eva_list_check(column.record, column.name)
    tolerance = spec.tolerance(column.record, column.name)
    if tolerance is not None:
        tolerated = bad.filter(value.is_in(list(tolerance.values)))
        log.add_rows(
            Severity.WARNING,
            filename,
            column.name,
            "list.tolerated",
            tolerated,
            pl.format(f"{column.name} {{}} {tolerance.reason}.", value.cast(pl.String)),
            eva_id=eva_id,
        )
        bad = bad.filter(~value.is_in(list(tolerance.values)))
    for list_id in list_ids:
        retired = spec.previous.get("fy2024")
        if retired is None or bad.height == 0:
            break
        labels = retired.retired.get(list_id, {})
        if not labels:
            continue
        old = bad.filter(value.is_in(list(labels)))
        if old.height:
            label_map = {str(k): v for k, v in labels.items()}
            log.add_rows(
                Severity.WARNING,
                filename,
                column.name,
                "list.retired",
                old,
                pl.format(
                    f"{column.name} {{}} ({{}}) was retired from list {list_id} in FY2026; kept as historical data.",
                    value.cast(pl.String),
                    value.cast(pl.String).replace_strict(label_map, default=""),
                ),
                eva_id=eva_id,
            )
            bad = bad.filter(~value.is_in(list(labels)))
    where = f" {context}" if context else ""
    log.add_rows(
        Severity.ERROR,
        filename,
        column.name,
        "list",
        bad,
        f"{column.name} is not a value of HUD list {_list_names(spec, list_ids)}{where}.",
        eva_id=eva_id,
    )


# -- conditional fields --------------------------------------------------------------------------------


def compile_expr(expr: ex.Expr | ex.Operand, record: RecordType, specials: Mapping[str, Any]) -> pl.Expr:
    """Polars expression for a conditions.csv expression (SQL three-valued logic, as Polars has)."""
    match expr:
        case ex.Or(left, right):
            return compile_expr(left, record, specials) | compile_expr(right, record, specials)
        case ex.And(left, right):
            return compile_expr(left, record, specials) & compile_expr(right, record, specials)
        case ex.Not(operand):
            return ~compile_expr(operand, record, specials)
        case ex.IsNull(operand, negated):
            column = compile_expr(operand, record, specials)
            return column.is_not_null() if negated else column.is_null()
        case ex.In(operand, values):
            return compile_expr(operand, record, specials).is_in(list(values))
        case ex.Compare(op, left, right):
            a, b = compile_expr(left, record, specials), compile_expr(right, record, specials)
            return {
                "=": a == b,
                "<>": a != b,
                "<": a < b,
                "<=": a <= b,
                ">": a > b,
                ">=": a >= b,
            }[op]
        case ex.Ref(name, offset):
            column = pl.col(name)
            if offset:
                spec_column = record.by_name.get(name)
                if spec_column is not None and spec_column.type == DATE:
                    return column + pl.duration(days=offset)
                return column + offset
            return column
        case ex.Const(value):
            return pl.lit(value)
        case ex.Special(name):
            return pl.lit(specials.get(name))
    raise ex.ExpressionError(f"cannot compile {expr!r}")


def _message(condition: Condition) -> str:
    column = condition.column
    text = condition.source_text
    match condition.rule:
        case "null_unless":
            return f"{column} must be empty unless {text} ({condition.cite})."
        case "required_if":
            return f"{column} is required when {text} ({condition.cite})."
        case "pattern":
            return f"{column} does not have the required form ({condition.cite})."
        case _:
            return f"{column} breaks the rule {text} ({condition.cite})."


def check_conditions(
    typed: pl.DataFrame, record: RecordType, spec: Spec, specials: Mapping[str, Any], log: IssueLog
) -> None:
    """Conditional-field rules; ``typed`` carries ``Project.<Column>`` columns where rules read them."""
    checks: list[Check] = []
    for condition in spec.conditions_for(record.name):
        value = pl.col(condition.column)
        if condition.expression is not None:
            needed = {n for n in ex.references(condition.expression) if "." in n}
            if any(n not in typed.columns for n in needed):
                continue  # the related record is unknown: the reference check reports that
            cond = compile_expr(condition.expression, record, specials).fill_null(False)
        else:
            cond = pl.lit(True)
        match condition.rule:
            case "null_unless":
                broken = value.is_not_null() & ~cond
            case "required_if":
                broken = value.is_null() & cond
            case "must":
                broken = ~cond
            case "pattern":
                assert condition.pattern is not None
                broken = value.is_not_null() & cond & ~value.cast(pl.String).str.contains(condition.pattern)
            case _:
                raise ValueError(condition.rule)
        checks.append(
            Check(
                Severity(condition.severity),
                record.filename,
                condition.column,
                f"condition.{condition.rule}",
                broken,
                _message(condition),
            )
        )
    run_checks(typed, checks, log)
