"""HUD's Sage CSV upload: one CSV per table in a zip (REPORTS.md 3.1, Sage HMIS Reporting Repository).

Sage reads cells by position, so each file keeps the table shell's exact lettered columns and numbered rows,
with its header row and label column (their text is ignored but the cells must exist). Text is in double
quotes; percentages are decimals with four places (``0.7778``), money two, day averages up to four; a blank
(grayed-out) cell is empty. Every table the report defines is written, zeros where nothing applies.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hearth.reports.cells import Format, ReportResult, ReportTable, Value


def cell_text(value: Value, fmt: Format = "count") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if fmt == "money":
            return f"{value:.2f}"
        if fmt == "count" and value.is_integer():
            return str(int(value))
        return f"{value:.4f}"
    return '"' + str(value).replace('"', '""') + '"'


def table_csv(table: ReportTable) -> str:
    out = io.StringIO()
    letters = table.letters
    out.write(",".join([cell_text(""), *(cell_text(h) for h in table.columns)]) + "\r\n")
    for number, label in enumerate(table.rows, start=2):
        cells = [cell_text(label)]
        for col in letters:
            address = f"{col}{number}"
            cells.append(cell_text(table.values.get(address), table.format_of(address)))
        out.write(",".join(cells) + "\r\n")
    return out.getvalue()


def write_sage(result: ReportResult, path: Path) -> Path:
    """The run's Sage zip at ``path``: ``<table>.csv`` for every table, at the zip's root."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in result.tables.values():
            archive.writestr(f"{table.name}.csv", table_csv(table).encode("utf-8"))
    tmp.replace(path)
    return path
