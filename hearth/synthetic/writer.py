"""Write records exactly as HUD's reference HMIS CSV data is written.

Header unquoted, the specification's names in its order; strings double-quoted (a quote doubled inside);
integers, dates (``yyyy-mm-dd``), date-times (``yyyy-mm-dd hh:mm:ss``) and money (two decimals) bare; null
as an empty field; LF line endings; UTF-8. The 24 files go into a folder or, for a ``.zip`` path, to the root
of a zip whose entries carry a fixed timestamp, so the same data always gives the same bytes.

Generators hand over a ``Batch``: numpy arrays typed by the spec's column types (integers with -1 for null,
days with ``NO_DATE``, seconds with ``NO_TIME``, money in cents with -1; text as numpy or Polars strings, an
empty string being null; integer IDs for string ID columns), or one value for every row. Columns a batch
leaves out are empty. A file's key (its first column) is numbered here when the batch does not give it, and
ExportID is always this export's.
"""

from __future__ import annotations

import io
import queue
import threading
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO

import numpy as np
import polars as pl

from hearth.spec import Spec
from hearth.spec.model import DATE, DATETIME, INTEGER, MONEY, MONEY_NONNEG, STRING, Column, RecordType
from hearth.synthetic.timeline import DAY, NO_DATE, NO_TIME, to_date

ZIP_LEVEL = 1
Value = np.ndarray | pl.Series | str | int | None


class Batch:
    """``rows`` rows of one file: column name -> values (see the module docstring for the conventions)."""

    def __init__(self, rows: int, columns: Mapping[str, Value] | None = None) -> None:
        self.rows = rows
        self.columns: dict[str, Value] = dict(columns or {})


def _quoted(text: pl.Expr) -> pl.Expr:
    return pl.lit('"') + text.str.replace_all('"', '""', literal=True) + pl.lit('"')


def _column_expr(column: Column, value: Value, name: str) -> pl.Expr:
    """The CSV text (or a value write_csv formats as HUD does) for one column."""
    if value is None:
        return pl.lit(None, pl.String).alias(column.name)
    if column.type == STRING:
        if isinstance(value, str):
            return pl.lit('"' + value.replace('"', '""') + '"').alias(column.name)
        if isinstance(value, int):
            return pl.lit(f'"{value}"').alias(column.name)
        col = pl.col(name)
        if isinstance(value, np.ndarray) and value.dtype.kind in "iu":
            number = pl.concat_str([pl.lit('"'), col.cast(pl.String), pl.lit('"')])
            return pl.when(col >= 0).then(number).alias(column.name)
        text = col.cast(pl.String)
        return pl.when(text != "").then(_quoted(text)).alias(column.name)  # an empty string is null
    if isinstance(value, int):
        if column.type == DATE:
            return pl.lit(to_date(value).isoformat()).alias(column.name)
        return pl.lit(value).alias(column.name)
    if isinstance(value, str):
        raise TypeError(f"{column.record}.{column.name}: text given for a {column.type} column")
    col = pl.col(name)
    if column.type == INTEGER:
        return pl.when(col >= 0).then(col).alias(column.name)
    if column.type == DATE:
        return pl.when(col != NO_DATE).then(col.cast(pl.Int32).cast(pl.Date)).alias(column.name)
    if column.type == DATETIME:
        return pl.when(col != NO_TIME).then((col * 1000).cast(pl.Datetime("ms"))).alias(column.name)
    if column.type in (MONEY, MONEY_NONNEG):
        return pl.when(col >= 0).then(col.cast(pl.Float64) / 100.0).alias(column.name)
    raise ValueError(column.type)


def to_frame(batch: Batch, rt: RecordType, export_id: str, first_key: int) -> pl.DataFrame:
    """The batch as a frame of CSV-ready columns in spec order."""
    unknown = set(batch.columns) - set(rt.by_name)
    if unknown:
        raise KeyError(f"{rt.name}: not columns of the specification: {', '.join(sorted(unknown))}")
    arrays: dict[str, np.ndarray | pl.Series] = {}
    aliases: dict[str, str] = {}
    for name, value in batch.columns.items():
        if isinstance(value, np.ndarray | pl.Series):
            if len(value) != batch.rows:
                raise ValueError(f"{rt.name}.{name}: {len(value)} values for {batch.rows} rows")
            aliases[name] = f"v{len(arrays)}"
            arrays[aliases[name]] = value
    source = pl.DataFrame(arrays) if arrays else pl.DataFrame({"v": np.zeros(batch.rows, np.int8)})
    exprs: list[pl.Expr] = []
    for column in rt.columns:
        if column.name == "ExportID":
            exprs.append(pl.lit(f'"{export_id}"').alias("ExportID"))
        elif column.is_key and column.name not in batch.columns:
            keys = pl.int_range(first_key, first_key + batch.rows, dtype=pl.Int64).cast(pl.String)
            exprs.append(pl.concat_str([pl.lit('"'), keys, pl.lit('"')]).alias(column.name))
        else:
            value = batch.columns.get(column.name)
            exprs.append(_column_expr(column, value, aliases.get(column.name, column.name)))
    return source.select(exprs)


def _csv_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_csv(
        buffer,
        include_header=False,
        quote_style="never",
        null_value="",
        line_terminator="\n",
        date_format="%Y-%m-%d",
        datetime_format="%Y-%m-%d %H:%M:%S",
        float_precision=2,
    )
    return buffer.getvalue()


class _Pipe:
    """Writes byte chunks to a file on a second thread, so compressing and writing one chunk overlaps with
    generating the next (zlib and file writes release the GIL)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="hearth-synthetic-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (chunk := self.chunks.get()) is not None:
            if self.error is None:
                try:
                    self.handle.write(chunk)
                except BaseException as exc:  # reported to the generating thread
                    self.error = exc

    def write(self, chunk: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.chunks.put(chunk)

    def close(self) -> None:
        self.chunks.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


class ExportWriter:
    """Writes the export's files one after the other, in the specification's order."""

    def __init__(self, out: Path, spec: Spec, export_id: str, moment_seconds: int) -> None:
        self.out = out
        self.spec = spec
        self.export_id = export_id
        self.counts: dict[str, int] = {}
        self.is_zip = out.suffix.lower() == ".zip"
        moment = to_date(moment_seconds // DAY)
        self._zip_time = (moment.year, moment.month, moment.day, 23, 0, 0)
        self._archive: zipfile.ZipFile | None = None
        self._partial = out.with_name(out.name + ".partial")
        if self.is_zip:
            out.parent.mkdir(parents=True, exist_ok=True)
            self._archive = zipfile.ZipFile(self._partial, "w", allowZip64=True)
        else:
            out.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> ExportWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._archive is not None:
            self._archive.close()
            if kind is None:
                self._partial.replace(self.out)
            else:
                self._partial.unlink(missing_ok=True)

    def _open(self, rt: RecordType) -> IO[bytes]:
        if self._archive is not None:
            info = zipfile.ZipInfo(rt.filename, date_time=self._zip_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Level 1: about five times faster than the default for these files, and only a fifth larger.
            info._compresslevel = ZIP_LEVEL  # type: ignore[attr-defined]
            info.external_attr = 0o644 << 16
            return self._archive.open(info, "w", force_zip64=True)
        return (self.out / rt.filename).open("wb")

    def write(self, record: str, batches: Iterable[Batch]) -> int:
        rt = self.spec.record(record)
        rows = 0
        with self._open(rt) as handle:
            pipe = _Pipe(handle)
            try:
                pipe.write((",".join(rt.header) + "\n").encode())
                for batch in batches:
                    if batch.rows:
                        pipe.write(_csv_bytes(to_frame(batch, rt, self.export_id, rows + 1)))
                        rows += batch.rows
            finally:
                pipe.close()
        self.counts[record] = rows
        return rows
