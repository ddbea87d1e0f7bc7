"""Turn a batch of HMIS CSV strings into typed values, one vectorized expression per column.

HMIS CSV types (spec "Data types"): S string of at most N characters, I integer, D date ``yyyy-mm-dd``,
T date-time ``yyyy-mm-dd hh:mm:ss``, M money (two decimals), M+ money that may not be negative. A value that
is not of its type is an error. Dates written another way that can be read without doubt (``02-07-2023
12:00:00`` in a HUD Data Lab sample; ``2023-02-07T12:00:00``) are read with a warning, and never written
that way. Date-times carry no zone: they are the CoC's local time (settings.TIME_ZONE), stored in UTC.

Every check is first evaluated as one "any row broken?" flag, all in a single pass over the batch; only
the checks that fire are then filtered into row-level issues. Clean data costs one pass, not one per rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from hearth.exchange.checks import Check, run_checks
from hearth.exchange.csvfile import ROW
from hearth.exchange.issues import IssueLog, Severity
from hearth.exchange.localtime import to_utc
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG, STRING, Column, RecordType

INT32_MAX = 2_147_483_647
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_DATETIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
_INTEGER = r"^-?\d{1,10}$"
_MONEY = r"^-?\d+(\.\d{1,2})?$"
_MONEY_ZERO_PADDED = r"^-?\d+\.\d{2}0+$"  # "12.5000" from a numeric(12,4) column: the same value
_IMPERMISSIBLE = ["<", ">", "[", "]", "{", "}"]
_SPECIAL = [*_IMPERMISSIBLE, "\x00"]
T = "__typed_"

# Other spellings read with a warning (month first, as US systems write it).
_LENIENT_DATE = [
    (r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", "%Y-%m-%d %H:%M:%S"),
    (r"^\d{2}/\d{2}/\d{4}$", "%m/%d/%Y"),
    (r"^\d{2}-\d{2}-\d{4}$", "%m-%d-%Y"),
]
_LENIENT_DATETIME = [
    (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$", "%Y-%m-%dT%H:%M:%S"),
    (r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+$", "%Y-%m-%d %H:%M:%S%.f"),
    (r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", "%Y-%m-%d %H:%M"),
    (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d"),
    (r"^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$", "%m-%d-%Y %H:%M:%S"),
    (r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}$", "%m/%d/%Y %H:%M:%S"),
    (r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$", "%m/%d/%Y %H:%M"),
]
HASHED_LENGTHS = {"FirstName": 64, "MiddleName": 64, "LastName": 64, "SSN": 68}


@dataclass(frozen=True)
class ParseOptions:
    time_zone: str
    # Hashed exports (HashStatus 2-4) carry digests in FirstName/MiddleName/LastName and SSN.
    hashed: bool = False


def _max_length(column: Column, options: ParseOptions) -> int | None:
    if options.hashed and column.record == "Client" and column.name in HASHED_LENGTHS:
        return HASHED_LENGTHS[column.name]
    return column.max_length


def _eva_type(column: Column) -> int:
    return 13 if column.eva_high_priority else 48


def _eva_date(column: Column) -> int:
    return 11 if column.eva_high_priority else 47


def _strict_temporal(column: Column) -> tuple[pl.Date | pl.Datetime, str, str]:
    if column.type == DATE:
        return pl.Date(), _DATE, "%Y-%m-%d"
    return pl.Datetime("us"), _DATETIME, "%Y-%m-%d %H:%M:%S"


def _character_checks(filename: str, name: str) -> list[Check]:
    """A text column's characters: those HMIS CSV may not carry (EVA 134) and NUL, which no database stores."""
    value = pl.col(name)
    return [
        Check(
            Severity.WARNING,
            filename,
            name,
            "characters",
            value.is_not_null() & value.str.contains_any(_IMPERMISSIBLE),
            f"{name} holds one of < > [ ] {{ }}, which HMIS CSV exports may not contain; Hearth removes "
            "them when it exports.",
            eva_id=134,
        ),
        Check(
            Severity.ERROR,
            filename,
            name,
            "characters.nul",
            value.is_not_null() & value.str.contains_any(["\x00"]),
            f"{name} holds a NUL character (byte 0).",
        ),
    ]


def parse_batch(raw: pl.DataFrame, record: RecordType, options: ParseOptions, log: IssueLog) -> pl.DataFrame:
    """Typed copy of ``raw``: every spec column converted; problems recorded in ``log``.

    Each column is converted once; the checks then compare the raw text with the typed value (text present
    but no value = not of the type), so clean data costs one conversion and one pass of flags.
    """
    filename = record.filename
    typed_exprs: list[pl.Expr] = []
    for column in record.columns:
        name, value = column.name, pl.col(column.name)
        if column.type == INTEGER:
            typed_exprs.append(value.str.to_integer(strict=False).alias(T + name))
        elif column.type in (DATE, DATETIME):
            dtype, _, fmt = _strict_temporal(column)
            # No cache of converted values: dates and times repeat too little for it to pay (measured faster).
            typed_exprs.append(value.str.strptime(dtype, fmt, strict=False, cache=False).alias(T + name))
        elif column.type in (MONEY, MONEY_NONNEG):
            readable = value.str.contains(_MONEY) | value.str.contains(_MONEY_ZERO_PADDED)
            typed_exprs.append(
                pl.when(readable).then(value.str.to_decimal(scale=2)).cast(pl.Decimal(12, 2)).alias(T + name)
            )
    both = raw.with_columns(typed_exprs)

    checks: list[Check] = []
    for column in record.columns:
        name = column.name
        value, typed = pl.col(name), pl.col(T + name)
        present = value.is_not_null()
        if column.type == STRING:
            limit = _max_length(column, options)
            if limit is not None:
                checks.append(
                    Check(
                        Severity.ERROR,
                        filename,
                        name,
                        "type.length",
                        present & (value.str.len_chars() > limit),
                        pl.format(
                            f"{name} is longer than {limit} characters ({{}} characters).", value.str.len_chars()
                        ),
                        eva_id=_eva_type(column),
                    )
                )
            # One search for all seven characters; the two checks below only where it finds one.
            checks.append(
                Check(Severity.ERROR, filename, name, "__characters", present & value.str.contains_any(_SPECIAL), "")
            )
        elif column.type == INTEGER:
            checks.append(
                Check(
                    Severity.ERROR,
                    filename,
                    name,
                    "type.integer",
                    present & typed.is_null(),
                    f"{name} must be a whole number.",
                    eva_id=_eva_type(column),
                )
            )
            checks.append(
                Check(
                    Severity.ERROR,
                    filename,
                    name,
                    "type.integer",
                    typed.abs() > INT32_MAX,
                    f"{name} is too large a number.",
                )
            )
        elif column.type in (DATE, DATETIME):
            # Strict form: parsed with the spec's format, and exactly as long as it (no unpadded 2024-1-5).
            width = 10 if column.type == DATE else 19
            strict = typed.is_not_null() & (value.str.len_bytes() == width)
            checks.append(Check(Severity.ERROR, filename, name, "__loose", present & ~strict, ""))
        elif column.type in (MONEY, MONEY_NONNEG):
            checks.append(
                Check(
                    Severity.ERROR,
                    filename,
                    name,
                    "type.money",
                    present & typed.is_null(),
                    f"{name} must be an amount such as 1234.50 (no $ or commas, at most two decimals).",
                    eva_id=_eva_type(column),
                )
            )
            if column.type == MONEY_NONNEG:
                checks.append(
                    Check(Severity.ERROR, filename, name, "type.money", typed < 0, f"{name} may not be negative.")
                )
    fired = run_checks(both, checks, log, hidden={"__loose", "__characters"})
    loose = [record.by_name[c.column] for c in fired if c.rule == "__loose"]
    run_checks(
        both, [check for c in fired if c.rule == "__characters" for check in _character_checks(filename, c.column)], log
    )

    selected: list[pl.Expr] = [pl.col(ROW)]
    for column in record.columns:
        if column.type == STRING:
            selected.append(pl.col(column.name))
        else:
            selected.append(pl.col(T + column.name).alias(column.name))
    extra = [c for c in raw.columns if c not in record.by_name and c != ROW]
    typed_frame = both.select([*selected, *[pl.col(c) for c in extra]])
    if loose:
        typed_frame = typed_frame.with_columns(_lenient_temporal(raw, column, log) for column in loose)
    return _localize(typed_frame, record, options, log)


def _lenient_temporal(raw: pl.DataFrame, column: Column, log: IssueLog) -> pl.Series:
    """Read a date column that holds other spellings: each known spelling with a warning, the rest as errors."""
    name = column.name
    value = pl.col(name)
    dtype, pattern, fmt = _strict_temporal(column)
    lenient = _LENIENT_DATE if column.type == DATE else _LENIENT_DATETIME
    strict = value.str.contains(pattern) & value.str.strptime(dtype, fmt, strict=False).is_not_null()
    parsed: Any = pl.when(strict).then(value.str.strptime(dtype, fmt, strict=False))
    for other_pattern, other_fmt in lenient:
        parsed = parsed.when(value.str.contains(other_pattern)).then(value.str.strptime(dtype, other_fmt, strict=False))
    checked = raw.select(ROW, value, parsed.otherwise(None).alias("__parsed"), strict.alias("__strict"))
    kind = "date" if column.type == DATE else "date-time"
    form = "yyyy-mm-dd" if column.type == DATE else "yyyy-mm-dd hh:mm:ss"
    log.add_rows(
        Severity.ERROR,
        column.record + ".csv",
        name,
        f"type.{kind}",
        checked.filter(value.is_not_null() & pl.col("__parsed").is_null()),
        f"{name} is not a valid {kind} in {form} form.",
        eva_id=_eva_date(column),
    )
    shown = pl.col("__parsed").dt.strftime("%Y-%m-%d" if column.type == DATE else "%Y-%m-%d %H:%M:%S")
    log.add_rows(
        Severity.WARNING,
        column.record + ".csv",
        name,
        f"format.{kind}",
        checked.filter(value.is_not_null() & pl.col("__parsed").is_not_null() & ~pl.col("__strict")),
        pl.format(f"{name} is not written {form}; read as {{}}.", shown),
        eva_id=_eva_date(column),
    )
    return checked["__parsed"].alias(name)


def _localize(typed: pl.DataFrame, record: RecordType, options: ParseOptions, log: IssueLog) -> pl.DataFrame:
    """Read date-times as the CoC's local time and store them in UTC.

    A local time that does not exist (the hour skipped when clocks go forward) is read one hour later, with a
    warning; a repeated hour (clocks going back) is read as its first occurrence.
    """
    columns = [c.name for c in record.columns if c.type == DATETIME]
    if not columns:
        return typed

    local = typed.select(columns)
    converted = typed.with_columns(to_utc(local[name], options.time_zone) for name in columns)
    checks = [
        Check(
            Severity.WARNING,
            record.filename,
            name,
            "time.nonexistent",
            pl.col(name).is_null() & pl.col(f"__local_{name}").is_not_null(),
            f"{name} names a local time that does not exist in {options.time_zone} (clocks went forward); read as "
            "one hour later.",
        )
        for name in columns
    ]
    with_local = converted.with_columns(local[name].alias(f"__local_{name}") for name in columns)
    gaps = {check.column for check in run_checks(with_local, checks, log)}
    if gaps:
        converted = converted.with_columns(
            pl.coalesce(pl.col(name), to_utc(local[name] + dt.timedelta(hours=1), options.time_zone)).alias(name)
            for name in gaps
        )
    return converted
