"""Golden-test harness: HUD Data Lab test kits' expected APR / CAPER / CE APR tables against Hearth's.

- ``runs()`` finds every result folder of the kits in ../shared/testkits (one project run each; its Q4a names
  the ProjectID and the report dates).
- ``compare()`` compares cell grids by address as ../shared/hud/REPORTS.md §5.2 says: strip, normalise
  percentages and money, floats truncated to 2 decimals; cells on the skip list are "unknown" (neither pass
  nor fail) and keep their reason.
- ``LAYOUT`` maps a kit cell (FY2023 layout) to its FY2026 position, or says why it is not comparable.
- ``kit_input_fy2026()`` is the FY2023 kit's records as FY2026 CSV (greenriver's conversion), the input the
  tests load through the report engine's ``load_export``.
- Kit 2.0 (FY2022 layout, FY2022 CSV input read through Hearth's FY2022 translation, ``kit_input_2_0()``):
  ``layouts_for()`` gives its maps (``LAYOUT_2_0``: its Q26e columns differ from the FY2023 kit's; its Q5a
  rows are shifted by ``Run.expected``), ``disputed()`` its SOURCE.md cells, and
  ``compare(..., kit_precision=True)`` compares at the kit's own precision (kit 2.0 rounds averages to whole
  days and money to cents; the FY2023 kit does not).

Everything skips cleanly when ../shared is absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
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
            grid = list(csv.reader(f))
        if self.kit == KIT_2_0 and table == "Q5a":
            # The FY2022 Q5a has no header row: its first line is item 1. With a header in front, grid row r
            # holds item r-1, where the FY2023/FY2026 Q5a has it. Its one count column is FY2023's column B,
            # the clients for DQ: caper/so_esg counts 30 there, the engaged clients (Hearth's B2), not the 71
            # served (C2, and Q7a B6 in both).
            grid = [["", "Count of Clients"], *grid]
        return grid


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


def at_kit_precision(expected: str, actual: object) -> str:
    """Hearth's number rounded half up to as many decimals as the kit's value shows (kit 2.0 rounds: "$80.67",
    "558"); anything else as ``normalise`` has it."""
    kit = str(expected).strip().replace("$", "").replace(",", "")
    if kit.endswith("%") or actual is None:
        return normalise(actual)
    try:
        float(kit)
        number = decimal.Decimal(str(actual))
    except (ValueError, decimal.InvalidOperation):
        return normalise(actual)
    places = len(kit.partition(".")[2])
    rounded = number.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    return normalise(str(rounded))


def compare(
    table: str,
    expected: list[list[str]],
    actual: Mapping[str, object],
    *,
    skip: dict[str, str] | None = None,
    layouts: Mapping[str, Layout] | None = None,
    kit_precision: bool = False,
) -> Comparison:
    """Compare the kit grid ``expected`` (header row + label column) with Hearth's values by FY2026 address.

    ``actual`` is keyed by FY2026 cell address ("B2"). Kit cells are moved through ``LAYOUT``; a kit
    cell with no FY2026 position, or on ``skip`` (kit address → reason; "*" = the whole table), is unknown.
    ``kit_precision``: Hearth's numbers are rounded to the kit value's decimals before comparing (kit 2.0).
    """
    skip = skip or {}
    result = Comparison(table)
    for r, row in enumerate(expected[1:], start=2):
        for c, raw in enumerate(row[1:], start=1):
            kit_cell = f"{letter(c)}{r}"
            if kit_cell in skip or "*" in skip:
                result.unknown.append((kit_cell, skip.get(kit_cell) or skip["*"]))
                continue
            where = (LAYOUT if layouts is None else layouts).get(table, Layout()).place(letter(c), r)
            if isinstance(where, str):
                result.unknown.append((kit_cell, where))
                continue
            got = actual.get(f"{where[0]}{where[1]}", 0)
            at_precision = kit_precision and normalise(raw) == at_kit_precision(raw, got)
            if at_precision or normalise(raw) == normalise(got if got is not None else ""):
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
    moves: dict[str, str] = field(default_factory=dict)  # kit column → its FY2026 column, where it moved

    def place(self, column: str, row: int) -> tuple[str, int] | str:
        if column in self.columns:
            return self.columns[column]
        if self.only_rows is not None and row not in self.only_rows:
            return self.reason
        new = self.rows.get(row, row)
        if new is None:
            return self.reason
        return (self.moves.get(column, column), new)


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

# Kit 2.0 (FY2022 layout): the FY2023 map, plus Q26e (Q5a: Run.expected). Its row labels carry letters
# ("a. Male") but its rows and columns are the FY2023 kit's otherwise (same counts, same order).
# Kit 2.0 holds the stayers in C and the leavers in D (its header says so, and so do its values: psh_coc_1
# C2 = 23 of 27 stayers, D2 = 2 of 3 leavers); Hearth follows the FY2023 kit, leavers in C
# (docs/reports/apr-golden.md "Q26e columns").
_Q26E_2_0 = Layout(moves={"C": "D", "D": "C"})
LAYOUT_2_0: dict[str, Layout] = {**LAYOUT, "Q26e": _Q26E_2_0}
# FY2022's CE APR counted veterans in Q5a (kit 2.0 ce: 5); from FY2023 the row is not reported (the FY2023
# kit's is 0, Hearth's stays 0).
CE_LAYOUT_2_0: dict[str, Layout] = {
    **CE_LAYOUT,
    "Q5a": Layout(rows={11: None}, reason="CE APR Q5a veterans: counted in FY2022, not reported since FY2023"),
}


def layouts_for(run: Run) -> dict[str, Layout]:
    if run.kit == KIT_2_0:
        return CE_LAYOUT_2_0 if run.report == "ce_apr" else LAYOUT_2_0
    return CE_LAYOUT if run.report == "ce_apr" else LAYOUT


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


_PENDING = "disputed with HUD (AAQ pending, kit SOURCE.md)"
_HOH_DATES = "disputed: HoH-inherited dates (kit SOURCE.md)"
_DISPUTED_2_0: dict[tuple[str, str], dict[str, str]] = {
    # from ../shared/testkits/datalab-testkit-2.0-2022-07/SOURCE.md. Q5a addresses are those of the grid with a
    # header row in front (Run.expected): the kit's item n is row n+1 ("Q5a B16" of SOURCE.md is B17 here).
    ("*", "Q4a"): {
        "L2": "software name (not comparable)",
        "L3": "software name (not comparable)",
        "B2": "organization ID vs name (not comparable)",
        "B3": "organization ID vs name (not comparable)",
    },
    ("apr/rrh_coc_1", "Q5a"): {"B17": _HOH_DATES},
    ("apr/rrh_coc_2", "Q5a"): {"B17": _HOH_DATES},
    ("apr/rrh_coc_1", "Q21"): dict.fromkeys(("C14", "C15"), _HOH_DATES),
    ("apr/rrh_coc_2", "Q21"): dict.fromkeys(("C14", "C15"), _HOH_DATES),
    ("apr/rrh_coc_1", "Q22e"): dict.fromkeys(("B4", "D4", "B7", "D7", "B11", "D11"), _HOH_DATES),
    ("apr/rrh_coc_2", "Q22e"): dict.fromkeys(("B4", "D4", "B7", "D7", "B11", "D11"), _HOH_DATES),
    ("apr/sso_coc", "Q6b"): dict.fromkeys(("B6", "C6"), _PENDING),
    ("apr/sso_coc", "Q7b"): dict.fromkeys(("B2", "C2"), _PENDING),
    ("apr/sso_coc", "Q8b"): dict.fromkeys(("B2", "C2"), _PENDING),
    ("apr/so_coc", "Q6f"): dict.fromkeys(("B2", "C2", "D2"), _PENDING),
    ("apr/th_coc", "Q6d"): dict.fromkeys(("B3", "H3", "B5", "H5"), _PENDING),
    ("caper/es_ee_esg", "Q6a"): dict.fromkeys(("C3", "E3", "F3"), "disputed: SSN data quality 99 (kit SOURCE.md)"),
    ("caper/rrh_esg", "Q6a"): dict.fromkeys(("C3", "E3", "F3"), "disputed: SSN data quality 99 (kit SOURCE.md)"),
    ("caper/es_ee_esg", "Q6b"): dict.fromkeys(("B6", "C6"), _PENDING),
    ("caper/hp_esg", "Q6a"): dict.fromkeys(("C3", "E3", "F3", "E8", "F8"), _PENDING),
    ("caper/hp_esg", "Q20a"): {"B7": _PENDING},
    ("caper/es_nbn_esg", "Q5a"): {"B12": _PENDING},
    ("caper/es_nbn_esg", "Q6f"): {"*": _PENDING},
    ("caper/es_nbn_esg", "Q7b"): dict.fromkeys(("B5", "D5", "F5"), _PENDING),
    ("caper/es_nbn_esg", "Q16"): dict.fromkeys(("C7", "C12"), _PENDING),
    ("caper/es_nbn_esg", "Q17"): {"C17": _PENDING},
    ("caper/th_esg", "Q5a"): {"B12": _PENDING},
    ("caper/th_esg", "Q22e"): {"*": _PENDING},
    ("caper/th_esg", "Q26b"): {"*": _PENDING},
    ("caper/so_esg", "Q6f"): {"*": _PENDING},
    ("caper/so_esg", "Q23c"): dict.fromkeys(("B44", "F44", "B46", "F46"), _PENDING),
    ("ce_apr/ce_and_es_ee_esg_2", "Q6a"): dict.fromkeys(("C3", "D3", "E3", "F3"), _PENDING),
}


def disputed(run: Run, table: str) -> dict[str, str]:
    known = {KIT_FY2023: _DISPUTED_FY2023, KIT_2_0: _DISPUTED_2_0}.get(run.kit)
    if known is None:
        return {}
    out = dict(known.get(("*", table), {}))
    out.update(known.get((f"{run.report}/{run.name}", table), {}))
    return out


# -- input ------------------------------------------------------------------------------------------------


def kit_input_fy2026() -> Path | None:
    path = SHARED.joinpath(*FY2026_INPUT)
    return path if path.is_dir() else None


def kit_input_2_0() -> Path | None:
    """Kit 2.0's own input: one FY2022 HMIS CSV export (read through hearth.exchange.fy2022)."""
    path = SHARED / "testkits" / KIT_2_0 / "inputs" / "merged" / "source"
    return path if path.is_dir() else None
