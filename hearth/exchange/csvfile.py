"""Read one HMIS CSV file: its header (matched to the spec case-insensitively) and its rows in batches.

Rows arrive as Polars frames of strings with HUD's column names, plus ``__row``: the row number as a
spreadsheet shows it (header = row 1). Parsing problems that Polars reports without a location (bad UTF-8, a
row with more fields than the header, a broken quote) are located by a second, careful read with Python's csv
module, so the message names the row.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from hearth.exchange.issues import IssueLog, Severity
from hearth.exchange.versions import ExportVersion
from hearth.spec.model import Column, RecordType

ROW = "__row"
LEGACY = "__legacy"


class FileUnreadableError(Exception):
    """A file cannot be parsed; the issue log names the row and the reason."""


@dataclass(frozen=True)
class Header:
    record: RecordType
    filename: str
    raw: list[str]  # the header as written
    rename: dict[str, str]  # raw name -> current spec name
    legacy: dict[str, str]  # raw name -> old spec name (columns the current version dropped)
    missing: list[Column]  # spec columns absent from the file (to be empty)
    unknown: list[str]


def _decode_header(path: Path, filename: str, log: IssueLog) -> list[str]:
    with path.open("rb") as handle:
        head = handle.read(1024 * 1024)
    if not head.strip():
        message = f"{filename} is empty; every export file has at least its header row (HMIS CSV spec)."
        log.add(Severity.ERROR, filename, "", "file.empty", message, eva_id=125)
        raise FileUnreadableError(message)
    first_line = head.split(b"\n", 1)[0]
    try:
        first_line.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = (
            f"{filename} is not UTF-8 text (its header has bytes UTF-8 does not allow; FY2026 exports are "
            "UTF-8). Export it again as UTF-8, or re-save it as UTF-8."
        )
        log.add(Severity.ERROR, filename, "", "file.encoding", message, row=1)
        raise FileUnreadableError(message) from None
    text = head.decode("utf-8-sig", errors="replace")
    return next(csv.reader(io.StringIO(text)), [])


def read_header(path: Path, filename: str, record: RecordType, version: ExportVersion, log: IssueLog) -> Header:
    raw = _decode_header(path, filename, log)
    columns = version.column_map(record.name)
    current = record.by_lower_name
    renamed = {old.lower(): new for old, new in columns.renamed.items()}
    legacy_names = {old.lower(): old for old in columns.legacy}
    rename: dict[str, str] = {}
    legacy: dict[str, str] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for name in raw:
        key = name.strip().lower()
        if key in seen:
            message = f"Column {name!r} appears twice in the header (also as {seen[key]!r})."
            log.add(Severity.ERROR, filename, name, "header.duplicate", message, row=1, eva_id=12)
            raise FileUnreadableError(message)
        seen[key] = name
        if key in renamed:
            rename[name] = renamed[key]
        elif key in current and current[key].name not in columns.added:
            spec_name = current[key].name
            rename[name] = spec_name
            if name != spec_name and version.is_current:
                log.add(
                    Severity.WARNING,
                    filename,
                    spec_name,
                    "header.spelling",
                    f"Header {name!r} differs from the specification's {spec_name!r} in letter case or spaces; "
                    "read as that column (Hearth writes the specification's spelling).",
                    row=1,
                    value=name,
                    eva_id=12 if current[key].eva_high_priority else 82,
                )
        elif key in legacy_names:
            legacy[name] = legacy_names[key]
        else:
            unknown.append(name)
    for name in unknown:
        log.add(
            Severity.WARNING,
            filename,
            name,
            "header.unknown",
            f"Column {name!r} is not part of {record.filename} in the {version.version.upper()} specification; "
            "its values were not read.",
            row=1,
            value=name,
            eva_id=82,
        )
    present = set(rename.values())
    missing = [c for c in record.columns if c.name not in present]
    for column in missing:
        if column.name in columns.added:
            continue  # the older version did not have it: empty by definition
        if column.required:
            log.add(
                Severity.ERROR,
                filename,
                column.name,
                "header.missing",
                f"Column {column.name} is missing from the header; it is required in every row.",
                row=1,
                eva_id=12 if column.eva_high_priority else 82,
            )
        else:
            log.add(
                Severity.WARNING,
                filename,
                column.name,
                "header.missing",
                f"Column {column.name} is missing from the header; read as empty.",
                row=1,
                eva_id=12 if column.eva_high_priority else 82,
            )
    return Header(record, filename, raw, rename, legacy, missing, unknown)


def batches(path: Path, header: Header, batch_rows: int, log: IssueLog) -> Iterator[pl.DataFrame]:
    """Yield the file's rows as string frames named by the spec (plus __row and, for FY2024, __legacy)."""
    schema = dict.fromkeys(header.raw, pl.String)
    scan = pl.scan_csv(
        path,
        has_header=True,
        schema=schema,
        quote_char='"',
        encoding="utf8",
        row_index_name=ROW,
        row_index_offset=2,
        truncate_ragged_lines=False,
        raise_if_empty=False,
    )
    keep = [ROW, *header.rename, *header.legacy]
    try:
        for batch in scan.select(keep).collect_batches(chunk_size=batch_rows):
            # HMIS CSV: null is an empty field, quoted ("") or not.
            frame = batch.rename(header.rename).with_columns(
                pl.when(pl.col(name).str.len_bytes() == 0).then(None).otherwise(pl.col(name)).alias(name)
                for name in header.rename.values()
            )
            if header.legacy:
                frame = frame.with_columns(
                    pl.struct([pl.col(raw).alias(old) for raw, old in header.legacy.items()]).alias(LEGACY)
                ).drop(list(header.legacy))
            missing = [pl.lit(None, pl.String).alias(c.name) for c in header.missing]
            if missing:
                frame = frame.with_columns(missing)
            yield frame
    except pl.exceptions.PolarsError as exc:
        message = locate_malformed(path, header.filename, len(header.raw)) or (
            f"{header.filename} cannot be read as CSV ({str(exc).splitlines()[0]})."
        )
        log.add(Severity.ERROR, header.filename, "", "file.malformed", message)
        raise FileUnreadableError(message) from None


def locate_malformed(path: Path, filename: str, width: int) -> str | None:
    """Find the first row that breaks UTF-8 or CSV (RFC 4180) rules; None if none is found.

    Runs only after Polars has refused the file, so it favours exact messages over speed: lines without a
    quote mark take a fast path, the others go through a small state machine that follows quoting across
    line breaks.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    record, line, fields, in_quotes, closed = 1, 0, 1, False, False
    with path.open("rb") as handle:
        for raw in handle:
            line += 1
            try:
                decoder.decode(raw)
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1].hex()
                hint = (
                    " It looks like Windows-1252 (a curly quote, a dash or an accented letter)."
                    if raw[exc.start] >= 0x80
                    else ""
                )
                return (
                    f"{filename} line {line}: byte 0x{bad} is not valid UTF-8.{hint} FY2026 exports are UTF-8: "
                    "export again as UTF-8 or re-save the file as UTF-8."
                )
            body = raw.rstrip(b"\r\n") if not in_quotes else raw
            if not in_quotes and b'"' not in raw:
                fields = body.count(b",") + 1
            else:
                at_start = not in_quotes and True
                index = 0
                while index < len(body):
                    char = body[index : index + 1]
                    if in_quotes:
                        if char == b'"':
                            if body[index + 1 : index + 2] == b'"':
                                index += 1
                            else:
                                in_quotes, closed = False, True
                    elif char == b",":
                        fields, at_start, closed = fields + 1, True, False
                    elif char == b'"':
                        if not at_start:
                            return (
                                f"{filename} row {record} (line {line}) is not valid CSV: a quote mark inside a value "
                                'must be doubled ("") and the whole value quoted.'
                            )
                        in_quotes, at_start = True, False
                    elif char in (b"\r", b"\n"):
                        pass
                    else:
                        if closed:
                            return (
                                f"{filename} row {record} (line {line}) is not valid CSV: text follows a closing "
                                'quote mark; a quote inside a value must be doubled ("").'
                            )
                        at_start = False
                    index += 1
            if in_quotes:
                continue  # the quoted value goes on on the next line
            if record > 1 and fields > width:
                return (
                    f"{filename} row {record} (line {line}) has {fields} fields but the header has {width}: a value "
                    "probably holds an unquoted comma."
                )
            record, fields, closed = record + 1, 1, False
    if in_quotes:
        return f"{filename} row {record} is not valid CSV: a quoted value is never closed (a quote mark is missing)."
    return None
