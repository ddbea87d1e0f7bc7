"""Turn a batch of HMIS CSV strings into typed values, one vectorized expression per column.

HMIS CSV types (spec "Data types"): S string of at most N characters, I integer, D date ``yyyy-mm-dd``,
T date-time ``yyyy-mm-dd hh:mm:ss``, M money (two decimals), M+ money that may not be negative. A value that is
not of its type is an error. Dates written another way that can be read without doubt (``02-07-2023
12:00:00`` in a HUD Data Lab sample; ``2023-02-07T12:00:00``) are read with a warning, and never written that
way. Date-times carry no zone: they are the CoC's local time (settings.TIME_ZONE) and are stored in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from hearth.exchange.csvfile import ROW
from hearth.exchange.issues import IssueLog, Severity
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG, STRING, Column, RecordType

INT32_MAX = 2_147_483_647
_DATE = r"^\d{4}-\d{2}-\d{2}$"
_DATETIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
_INTEGER = r"^-?\d+$"
_MONEY = r"^-?\d+(\.\d{1,2})?$"
_MONEY_ZERO_PADDED = r"^-?\d+\.\d{2}0+$"  # "12.5000" from a numeric(12,4) column: same value

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


@dataclass(frozen=True)
class ParseOptions:
    time_zone: str
    # Hashed exports (HashStatus 2-4) carry digests in FirstName/MiddleName/LastName and SSN.
    hashed: bool = False


HASHED_LENGTHS = {"FirstName": 64, "MiddleName": 64, "LastName": 64, "SSN": 68}


def _max_length(column: Column, options: ParseOptions) -> int | None:
    if options.hashed and column.record == "Client" and column.name in HASHED_LENGTHS:
        return HASHED_LENGTHS[column.name]
    return column.max_length


def parse_batch(raw: pl.DataFrame, record: RecordType, options: ParseOptions, log: IssueLog) -> pl.DataFrame:
    """Typed copy of ``raw``: every spec column converted; problems recorded in ``log``."""
    filename = record.filename
    exprs: list[pl.Expr] = []
    for column in record.columns:
        name = column.name
        value = pl.col(name)
        present = value.is_not_null()
        if column.type == STRING:
            limit = _max_length(column, options)
            if limit is not None:
                too_long = raw.filter(present & (value.str.len_chars() > limit))
                log.add_rows(
                    Severity.ERROR,
                    filename,
                    name,
                    "type.length",
                    too_long,
                    pl.format(f"{name} is longer than {limit} characters ({{}} characters).", value.str.len_chars()),
                    eva_id=13 if column.eva_high_priority else 48,
                )
            impermissible = raw.filter(present & value.str.contains(r"[<>\[\]{}]"))
            log.add_rows(
                Severity.WARNING,
                filename,
                name,
                "characters",
                impermissible,
                f"{name} holds one of < > [ ] {{ }}, which HMIS CSV exports may not contain; Hearth removes them "
                "when it exports.",
                eva_id=134,
            )
            nul = raw.filter(present & value.str.contains("\x00", literal=True))
            log.add_rows(
                Severity.ERROR, filename, name, "characters.nul", nul, f"{name} holds a NUL character (byte 0)."
            )
            exprs.append(value)
        elif column.type == INTEGER:
            ok = value.str.contains(_INTEGER)
            bad = raw.filter(present & ~ok)
            log.add_rows(
                Severity.ERROR,
                filename,
                name,
                "type.integer",
                bad,
                f"{name} must be a whole number.",
                eva_id=13 if column.eva_high_priority else 48,
            )
            as_int = pl.when(ok).then(value.str.to_integer(strict=False))
            big = raw.filter(present & ok & (value.str.to_integer(strict=False).abs() > INT32_MAX))
            log.add_rows(Severity.ERROR, filename, name, "type.integer", big, f"{name} is too large a number.")
            exprs.append(as_int.alias(name))
        elif column.type == DATE:
            exprs.append(_parse_temporal(raw, column, pl.Date(), _DATE, "%Y-%m-%d", _LENIENT_DATE, log))
        elif column.type == DATETIME:
            local = _parse_temporal(
                raw, column, pl.Datetime("us"), _DATETIME, "%Y-%m-%d %H:%M:%S", _LENIENT_DATETIME, log
            )
            exprs.append(local)
        elif column.type in (MONEY, MONEY_NONNEG):
            exact = value.str.contains(_MONEY)
            padded = value.str.contains(_MONEY_ZERO_PADDED)
            bad = raw.filter(present & ~exact & ~padded)
            log.add_rows(
                Severity.ERROR,
                filename,
                name,
                "type.money",
                bad,
                f"{name} must be an amount such as 1234.50 (no $ or commas, at most two decimals).",
                eva_id=13 if column.eva_high_priority else 48,
            )
            amount = pl.when(exact | padded).then(value.str.to_decimal(scale=2)).cast(pl.Decimal(12, 2))
            if column.type == MONEY_NONNEG:
                negative = raw.filter(present & (exact | padded) & value.str.starts_with("-"))
                log.add_rows(Severity.ERROR, filename, name, "type.money", negative, f"{name} may not be negative.")
            exprs.append(amount.alias(name))
        else:  # pragma: no cover - the loader rejects unknown types
            raise ValueError(column.type)
    extra = [c for c in raw.columns if c not in record.by_name]
    typed = raw.select([pl.col(ROW), *exprs, *[pl.col(c) for c in extra if c != ROW]])
    return _localize(raw, typed, record, options, log)


def _parse_temporal(
    raw: pl.DataFrame,
    column: Column,
    dtype: pl.Date | pl.Datetime,
    strict_pattern: str,
    strict_format: str,
    lenient: list[tuple[str, str]],
    log: IssueLog,
) -> pl.Expr:
    name = column.name
    value = pl.col(name)
    present = value.is_not_null()
    strict = value.str.contains(strict_pattern)
    parsed: Any = pl.when(strict).then(value.str.strptime(dtype, strict_format, strict=False))
    recognised = strict
    for pattern, fmt in lenient:
        matches = ~recognised & value.str.contains(pattern)
        parsed = parsed.when(matches).then(value.str.strptime(dtype, fmt, strict=False))
        recognised = recognised | matches
    parsed = parsed.otherwise(None)
    kind = "date" if dtype == pl.Date else "date-time"
    form = "yyyy-mm-dd" if dtype == pl.Date else "yyyy-mm-dd hh:mm:ss"
    eva_id = 11 if column.eva_high_priority else 47
    checked = raw.select(ROW, value, parsed.alias("__parsed"), strict.alias("__strict"))
    invalid = checked.filter(pl.col(name).is_not_null() & pl.col("__parsed").is_null())
    log.add_rows(
        Severity.ERROR,
        column.record + ".csv",
        name,
        f"type.{kind}",
        invalid,
        f"{name} is not a valid {kind} in {form} form.",
        eva_id=eva_id,
    )
    loose = checked.filter(present & pl.col("__parsed").is_not_null() & ~pl.col("__strict"))
    log.add_rows(
        Severity.WARNING,
        column.record + ".csv",
        name,
        f"format.{kind}",
        loose,
        pl.format(f"{name} is not written {form}; read as {{}}.", pl.col("__parsed").cast(pl.String)),
        eva_id=eva_id,
    )
    return parsed.alias(name)


def _localize(
    raw: pl.DataFrame, typed: pl.DataFrame, record: RecordType, options: ParseOptions, log: IssueLog
) -> pl.DataFrame:
    """Read date-times as the CoC's local time and store them in UTC.

    A local time that does not exist (the hour skipped when clocks go forward) is read one hour later, with a
    warning; a repeated hour (clocks going back) is read as its first occurrence.
    """
    columns = [c.name for c in record.columns if c.type == DATETIME]
    if not columns:
        return typed
    exprs = []
    for name in columns:
        local = pl.col(name)
        zoned = local.dt.replace_time_zone(options.time_zone, ambiguous="earliest", non_existent="null")
        shifted = (local + pl.duration(hours=1)).dt.replace_time_zone(
            options.time_zone, ambiguous="earliest", non_existent="null"
        )
        exprs.append(pl.coalesce(zoned, shifted).dt.convert_time_zone("UTC").alias(name))
        gap = typed.filter(local.is_not_null() & zoned.is_null())
        log.add_rows(
            Severity.WARNING,
            record.filename,
            name,
            "time.nonexistent",
            gap,
            f"{name} names a local time that does not exist in {options.time_zone} (clocks went forward); "
            "read as one hour later.",
        )
    return typed.with_columns(exprs)
