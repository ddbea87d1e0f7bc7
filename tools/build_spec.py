"""Rebuild Hearth's shipped HUD spec data from the reference tables in ../shared.

Hearth never reads ../shared at run time: this script turns the reference tables into the project's own
data files under hearth/spec/data/, which are committed. Run it when the reference tables change:

    python tools/build_spec.py [--shared ../shared]

What it writes (our format; see hearth/spec/README.md):
  fy2026/columns.csv   record, position, column, type, max_length, nullable, list, data_element, notes,
                       eva_high_priority  (Eva's flag for columns whose problems block its processing)
  fy2026/lists.csv     list, value, label
  fy2024/changes.csv   file, column, change, fy2024, fy2026, note
  fy2024/lists_removed.csv  list, value, label, status

The hand-written rule tables beside them (list_rules.csv, conditions.csv, lenient_nulls.csv,
tolerated_values.csv, eva_checks.csv) are maintained directly.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "hearth" / "spec" / "data"
DE = re.compile(r"^DE ([^.]+(?:\.[^ .]+)*)\.?\s*")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {path.relative_to(ROOT)} ({len(rows)} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    hud = args.shared / "hud" / "fy2026"
    eva = {
        (row["File"].strip(), row["Column"].strip().lower()): row["DataTypeHighPriority"].strip() == "1"
        for row in read(args.shared / "testkits" / "eva-fy2026" / "columns.csv")
    }

    columns = []
    for row in read(hud / "columns.csv"):
        record = row["file"].removesuffix(".csv")
        notes = row["notes"].strip()
        match = DE.match(notes)
        data_element = match.group(1) if match else ""
        high = eva.get((record, row["column"].lower()), False)
        columns.append(
            [
                record,
                row["position"],
                row["column"],
                row["type"],
                row["max_length"],
                row["nullable"],
                row["list"],
                data_element,
                notes,
                "Y" if high else "N",
            ]
        )
    write(
        OUT / "fy2026" / "columns.csv",
        [
            "record",
            "position",
            "column",
            "type",
            "max_length",
            "nullable",
            "list",
            "data_element",
            "notes",
            "eva_high_priority",
        ],
        columns,
    )
    write(
        OUT / "fy2026" / "lists.csv",
        ["list", "value", "label"],
        [[r["list"], r["value"], r["label"]] for r in read(hud / "lists.csv")],
    )
    write(
        OUT / "fy2024" / "changes.csv",
        ["file", "column", "change", "fy2024", "fy2026", "note"],
        [
            [r["file"], r["column"], r["change"], r["fy2024"], r["fy2026"], r["note"]]
            for r in read(hud / "fy2024_to_fy2026_changes.csv")
        ],
    )
    write(
        OUT / "fy2024" / "lists_removed.csv",
        ["list", "value", "label", "status"],
        [[r["list"], r["value"], r["label"], r["status"]] for r in read(hud / "lists_fy2024_removed.csv")],
    )


if __name__ == "__main__":
    main()
