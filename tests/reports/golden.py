"""Golden-test harness: HUD Data Lab test kits' expected APR / CAPER / CE APR tables against Hearth's.

- ``runs()`` finds every result folder of the kits in ../shared/testkits (one project run each; its Q4a names
  the ProjectID and the report dates).
- ``compare()`` compares cell grids by address as ../shared/hud/REPORTS.md §5.2 says: strip, normalise
  percentages and money, floats truncated to 2 decimals; cells on the skip list are "unknown" (neither pass
  nor fail) and keep their reason.
- ``LAYOUT`` maps a kit cell (FY2023 layout) to its FY2026 position, or says why it is not comparable.
- ``kit_input_fy2026()`` is the FY2023 kit's records as FY2026 CSV (greenriver's conversion), the input the
  tests load through the report engine's ``load_export``.

Everything skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import SHARED

KIT_FY2023 = "datalab-testkit-fy2023-2022-12"
KIT_2_0 = "datalab-testkit-2.0-2022-07"
FY2026_INPUT = ("hmis-csv-samples", "greenriver-fy2026-datalab-converted")
REPORTS = ("apr", "caper", "ce_apr")


@dataclass(frozen=True)
class Run:
    kit: str
    report: str  # "apr" | "caper" | "ce_apr"
    name: str  # result folder, e.g. "psh_coc_1"
    folder: Path
    projects: tuple[str, ...]
    start: dt.date
    end: dt.date

    @property
    def id(self) -> str:
        return f"{self.kit.split('-')[2]}/{self.report}/{self.name}"

    def expected(self, table: str) -> list[list[str]] | None:
        path = self.folder / f"{table}.csv"
        if not path.exists():
            return None
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.reader(f))


def runs(kit: str = KIT_FY2023) -> list[Run]:
    """Every project run of ``kit`` (empty when ../shared is absent)."""
    root = SHARED / "testkits" / kit
    found: list[Run] = []
    for report in REPORTS:
        base = root / report
        if not base.is_dir():
            continue
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            with open(folder / "Q4a.csv", encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            found.append(
                Run(
                    kit=kit,
                    report=report,
                    name=folder.name,
                    folder=folder,
                    projects=tuple(r["Project ID"] for r in rows),
                    start=dt.date.fromisoformat(rows[0]["Report Start Date"]),
                    end=dt.date.fromisoformat(rows[0]["Report End Date"]),
                )
            )
    return found


# -- comparison -----------------------------------------------------------------------------------------


def normalise(value: object) -> str:
    """REPORTS.md §5.2: strip; "77.78%" and "$1,234.50" become numbers; floats truncated to 2 decimals."""
    text = "" if value is None else str(value).strip()
    text = text.replace("$", "").replace(",", "")
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    try:
        number = float(text)
    except ValueError:
        return text
    if percent:
        number /= 100
    truncated = math.trunc(number * 100) / 100
    return f"{truncated:.2f}"


def letter(index: int) -> str:
    return chr(ord("A") + index)


@dataclass
class Comparison:
    table: str
    matched: int = 0
    mismatched: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, expected, actual)
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (cell, reason)

    def describe(self) -> str:
        shown = ", ".join(f"{c}: expected {e}, got {a}" for c, e, a in self.mismatched[:12])
        return f"{self.table}: {len(self.mismatched)} cells differ ({shown})"


def compare(
    table: str,
    expected: list[list[str]],
    actual: Mapping[str, object],
    *,
    skip: dict[str, str] | None = None,
    layouts: Mapping[str, Layout] | None = None,
) -> Comparison:
    """Compare the kit grid ``expected`` (header row + label column) with Hearth's values by FY2026 address.

    ``actual`` is keyed by FY2026 cell address ("B2"). Kit cells are moved through ``LAYOUT``; a kit
    cell with no FY2026 position, or on ``skip`` (kit address → reason), is unknown.
    """
    skip = skip or {}
    result = Comparison(table)
    for r, row in enumerate(expected[1:], start=2):
        for c, raw in enumerate(row[1:], start=1):
            kit_cell = f"{letter(c)}{r}"
            if kit_cell in skip:
                result.unknown.append((kit_cell, skip[kit_cell]))
                continue
            where = (LAYOUT if layouts is None else layouts).get(table, Layout()).place(letter(c), r)
            if isinstance(where, str):
                result.unknown.append((kit_cell, where))
                continue
            got = actual.get(f"{where[0]}{where[1]}", 0)
            if normalise(raw) == normalise(got if got is not None else ""):
                result.matched += 1
            elif normalise(raw) in ("", "0.00") and normalise(got) in ("", "0.00"):
                result.matched += 1  # grayed-out cells: blank or 0 (REPORTS.md §3.1)
            else:
                result.mismatched.append((kit_cell, raw, str(got)))
    return result


# -- FY2023 → FY2026 layout map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where the kit's rows went in FY2026: ``rows`` old → new (None = not comparable, with ``reason``)."""

    rows: dict[int, int | None] = field(default_factory=dict)
    reason: str = ""
    only_rows: tuple[int, ...] | None = None  # if set, every other kit row is not comparable
    columns: dict[str, str] = field(default_factory=dict)  # kit column → why it is not comparable

    def place(self, column: str, row: int) -> tuple[str, int] | str:
        if column in self.columns:
            return self.columns[column]
        if self.only_rows is not None and row not in self.only_rows:
            return self.reason
        new = self.rows.get(row, row)
        if new is None:
            return self.reason
        return (column, new)


_NOT_COMPARABLE = Layout(only_rows=(), reason="")
LAYOUT: dict[str, Layout] = {
    # FY2024 age bands: 55-61 / 62+ became 55-64 / 65+ (APR spec Q11).
    "Q11": Layout(rows={9: None, 10: None}, reason="FY2024 age bands 55-64/65+ replace 55-61/62+"),
    "Q25d": Layout(rows={6: None, 7: None}, reason="FY2024 age bands 55-64/65+ replace 55-61/62+"),
    "Q26d": Layout(rows={7: None, 8: None}, reason="FY2024 age bands 55-64/65+ replace 55-61/62+"),
    # FY2024 dropped the Data Not Collected row of length of participation (spec Q22a1/Q22a2).
    "Q22a1": Layout(rows={12: None, 13: 12}, reason="FY2024 removed the Data Not Collected row"),
    "Q22a2": Layout(rows={15: None, 16: 15}, reason="FY2024 removed the Data Not Collected row"),
    # FY2024 split 61-180 days into 61-90 and 91-180 (Q22c, Q22e); Q22d ends at "731 days or more".
    # Q22c row 11 (average): the kit's averages do not follow from its own rows (0 where persons waited
    # 31-60 days: FY2023 caper/rrh_esg), so the row is not compared.
    "Q22c": Layout(
        rows={7: None, 8: 9, 9: 10, 10: 11, 11: None, 12: 13, 13: 14},
        reason="FY2024 split 61-180 days; the kit's average row is not reproducible",
    ),
    "Q22e": Layout(
        rows={7: None, 8: 9, 9: 10, 10: 11, 11: 12, 12: 13, 13: 14, 14: 15}, reason="FY2024 split 61-180 days"
    ),
    "Q22d": Layout(
        rows={11: None, 12: None, 13: None, 14: None, 15: None, 16: 12},
        reason="FY2024: 731 days or more; no Data Not Collected",
    ),
    "Q27e": Layout(rows={12: None, 13: 12}, reason="FY2024 removed the Data Not Collected row"),
    "Q27k": Layout(
        rows={7: None, 8: 9, 9: 10, 10: 11, 11: None, 12: 13, 13: 14},
        reason="FY2024 split 61-180 days; the kit's average row is not reproducible",
    ),
    "Q27l": Layout(
        rows={7: None, 8: 9, 9: 10, 10: 11, 11: 12, 12: 13, 13: 14, 14: 15}, reason="FY2024 split 61-180 days"
    ),
    # FY2024 youth are 12-24 (FY2023 13-24): the 12-17 row and the total differ by definition.
    "Q27a": Layout(rows={2: None, 6: None}, reason="FY2024 youth ages 12-24 (FY2023: 13-24)"),
    # FY2024 destination codes and Appendix A sets: only the leavers' total row is comparable.
    "Q23c": Layout(rows={43: 40}, only_rows=(43,), reason="FY2024 destination codes (3.12.1); only the total compares"),
    "Q25i": Layout(rows={43: 40}, only_rows=(43,), reason="FY2024 destination codes (3.12.1); only the total compares"),
    "Q27f": Layout(rows={43: 40}, only_rows=(43,), reason="FY2024 destination codes (3.12.1); only the total compares"),
    # FY2024 project type codes (ES split into 0 entry/exit and 1 night-by-night; 2.02.C method retired);
    # column L is the software name.
    "Q4a": Layout(
        columns={
            "E": "FY2024 project type codes (ES is 0 or 1)",
            "F": "2.02.C tracking method retired in FY2024",
            "L": "software name",
        }
    ),
    # FY2024 combined race and ethnicity; FY2026 removed gender.
    "Q6a": Layout(only_rows=(2, 3, 4), reason="FY2024 race+ethnicity row, FY2026 removed the gender row"),
}
# The CE APR's own layout map (its tables share names with the APR's but not their layouts).
CE_LAYOUT: dict[str, Layout] = {
    "Q4a": Layout(
        columns={
            "E": "FY2024 project type codes (ES is 0 or 1)",
            "F": "2.02.C tracking method retired in FY2024",
            "L": "software name",
            "O": "per-project CE counts: the kit's rule is not stated in the kit (docs/reports/apr-golden.md)",
            "P": "per-project CE counts: the kit's rule is not stated in the kit (docs/reports/apr-golden.md)",
        }
    ),
    "Q6a": Layout(only_rows=(2, 3, 4), reason="FY2024 race+ethnicity row, FY2026 removed the gender row"),
}

# Tables of the kit that have no FY2026 counterpart or whose whole layout changed.
NOT_COMPARABLE: dict[str, str] = {
    "Q10a": "gender tables removed in FY2026",
    "Q10b": "gender tables removed in FY2026",
    "Q10c": "gender tables removed in FY2026",
    "Q10d": "gender tables removed in FY2026",
    "Q25c": "gender tables removed in FY2026",
    "Q26c": "gender tables removed in FY2026",
    "Q27c": "gender tables removed in FY2026",
    "Q12a": "race/ethnicity combined into Q12 in FY2024",
    "Q12b": "race/ethnicity combined into Q12 in FY2024",
    "Q15": "FY2024 living-situation codes (3.917.1)",
    "Q27d": "FY2024 living-situation codes (3.917.1)",
    "Q25e": "table not in the FY2026 APR",
    "Q25f": "table not in the FY2026 APR",
    "Q25g": "table not in the FY2026 APR",
    "Q25h": "table not in the FY2026 APR",
    "Q26f": "table not in the FY2026 APR",
    "Q26g": "table not in the FY2026 APR",
    "Q26h": "table not in the FY2026 APR",
}
# Kit table name → FY2026 table name where it was renamed.
RENAMED = {"Q24": "Q24a", "Q27f": "Q27f1"}


# -- disputed cells (SOURCE.md of each kit) ----------------------------------------------------------------

_DISPUTED_FY2023: dict[tuple[str, str], dict[str, str]] = {
    # (report/run, table) → {kit cell: reason}; from ../shared/testkits/datalab-testkit-fy2023-2022-12/SOURCE.md
    ("*", "Q4a"): {"L2": "software name (not comparable)", "B2": "organization ID vs name (not comparable)"},
    ("apr/th_coc", "Q4a"): {"P2": "disputed with HUD: children of a CH HoH"},
    ("caper/es_nbn_esg", "Q4a"): {"P2": "disputed with HUD: children of a CH HoH"},
    ("apr/psh_coc_1", "Q19a2"): {"F7": "disputed: rounding"},
    ("apr/rrh_coc_2", "Q19a2"): {"F3": "disputed: rounding"},
    ("apr/rrh_coc_2", "Q27i"): {"M14": "disputed: should be blank per spec (pending HUD)"},
    ("apr/sso_coc", "Q27i"): {"M14": "disputed: should be blank per spec (pending HUD)"},
    ("apr/sso_coc", "Q6c"): {"C4": "disputed: CH calculation"},
    ("apr/sso_coc", "Q26a"): dict.fromkeys(("B3", "E3", "B5", "E5"), "disputed: CH calculation"),
    ("apr/sso_coc", "Q26b"): dict.fromkeys(("B3", "E3", "B5", "E5"), "disputed: CH calculation"),
    ("apr/th_coc", "Q22e"): dict.fromkeys(("B7", "D7", "B11", "D11", "B13", "D13"), "disputed: HoH-inherited dates"),
    ("apr/th_coc", "Q26a"): dict.fromkeys(("B3", "C3", "D3", "B5", "C5", "D5"), "disputed: CH calculation"),
    ("apr/th_coc", "Q26b"): dict.fromkeys(("B3", "C3", "D3", "E3", "B5", "C5", "D5"), "disputed: CH calculation"),
    ("caper/es_nbn_esg", "Q6a"): {"F3": "disputed: rounding"},
    ("caper/es_nbn_esg", "Q6f"): {"B2": "disputed", "C2": "disputed"},
    ("caper/es_nbn_esg", "Q8b"): {"B4": "disputed: service on exit day", "E4": "disputed: service on exit day"},
    ("caper/es_nbn_esg", "Q22a2"): dict.fromkeys(
        ("B3", "C3", "B4", "C4", "B5", "C5", "B6", "C6"), "disputed: the kit counts a bed night on the exit day"
    ),
    ("caper/es_nbn_esg", "Q22d"): dict.fromkeys(
        ("B3", "D3", "B4", "C4", "D4", "B5", "C5", "B6", "C6"), "disputed: the kit counts a bed night on the exit day"
    ),
    ("caper/rrh_esg", "Q16"): dict.fromkeys(("B2", "D2", "B11", "D11"), "disputed"),
}


def disputed(run: Run, table: str) -> dict[str, str]:
    if run.kit != KIT_FY2023:
        return {}
    out = dict(_DISPUTED_FY2023.get(("*", table), {}))
    out.update(_DISPUTED_FY2023.get((f"{run.report}/{run.name}", table), {}))
    return out


# -- input ------------------------------------------------------------------------------------------------


def kit_input_fy2026() -> Path | None:
    path = SHARED.joinpath(*FY2026_INPUT)
    return path if path.is_dir() else None
