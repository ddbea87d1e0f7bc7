"""Which HMIS CSV version an export is written in, and how its columns map onto the current version.

FY2026 exports are read as they are. FY2024 exports (CSVVersion "2024 v…", still most of a CoC's history) are
read through the change table shipped with the spec (hearth/spec/data/fy2024/changes.csv): renamed columns take
their new names, columns FY2026 dropped are kept in the record's ``legacy`` data, columns FY2026 added are
empty. FY2022 exports arrive here already translated to FY2024 (hearth.exchange.fy2022, from open_export);
older exports (FY2020's single Gender column, separate Ethnicity) are refused with a message saying so.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from hearth.exchange.issues import IssueLog, Severity
from hearth.spec import Spec
from hearth.spec.model import PreviousVersion

# Client.csv columns that only FY2022 and older versions have (FY2020: one Gender column; both: Ethnicity).
# An FY2022 export no longer has them here (translated in open_export), so they mark an older export.
_PRE_FY2024_CLIENT = {"ethnicity", "gender", "female", "male", "nosinglegender"}
_FY2024_CLIENT = {"hispaniclatinaeo", "woman", "man", "nonbinary", "culturallyspecific", "gendernone"}


class UnsupportedVersionError(Exception):
    pass


@dataclass(frozen=True)
class ColumnMap:
    """How one file's columns (as the export spells them) relate to the current spec."""

    renamed: dict[str, str] = field(default_factory=dict)  # old name -> current name
    legacy: frozenset[str] = frozenset()  # old columns kept as legacy data
    added: frozenset[str] = frozenset()  # current columns the old version lacks


@dataclass(frozen=True)
class ExportVersion:
    version: str  # "fy2026" | "fy2024"
    csv_version: str  # as Export.csv states it
    previous: PreviousVersion | None

    def column_map(self, record: str) -> ColumnMap:
        if self.previous is None:
            return ColumnMap()
        return ColumnMap(
            renamed=dict(self.previous.renamed.get(record, {})),
            legacy=frozenset(self.previous.removed.get(record, {})),
            added=frozenset(self.previous.added.get(record, ())),
        )

    @property
    def is_current(self) -> bool:
        return self.previous is None


def _first_row(path: Path) -> list[str]:
    with path.open("rb") as handle:
        head = handle.read(256 * 1024)
    text = head.decode("utf-8-sig", errors="replace")
    return next(csv.reader(io.StringIO(text)), [])


def _csv_version(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(256 * 1024).decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(head)))
    if len(rows) < 2:
        return ""
    lowered = [h.strip().lower() for h in rows[0]]
    if "csvversion" not in lowered:
        return ""
    index = lowered.index("csvversion")
    return rows[1][index].strip() if index < len(rows[1]) else ""


def detect(files: dict[str, Path], names: dict[str, str], spec: Spec, log: IssueLog) -> ExportVersion:
    """Decide the export's version from Export.CSVVersion and the shape of Client.csv."""
    csv_version = _csv_version(files["Export"]) if "Export" in files else ""
    client_header = {h.strip().lower() for h in _first_row(files["Client"])} if "Client" in files else set()
    if client_header & _PRE_FY2024_CLIENT:
        message = (
            "This HMIS CSV export is older than FY2022 (Client.csv has a single Gender or a separate Ethnicity "
            "column without FY2022's gender columns). Hearth reads FY2026, FY2024 and FY2022 exports; export it "
            "again from your HMIS in one of those versions."
        )
        log.add(
            Severity.ERROR, "Export.csv", "CSVVersion", "version.unsupported", message, value=csv_version, eva_id=124
        )
        raise UnsupportedVersionError(message)
    fy2024 = spec.previous.get("fy2024")
    # The columns decide; CSVVersion is only a hint (vendors forget to update it).
    has_2026_columns = bool(client_header & {"sex", "hispaniclatinao"})
    looks_2024 = bool(client_header & _FY2024_CLIENT) or (
        fy2024 is not None and "2024" in csv_version and not has_2026_columns
    )
    if looks_2024 and fy2024 is not None:
        if "2026" in csv_version:
            log.add(
                Severity.WARNING,
                "Export.csv",
                "CSVVersion",
                "version.mismatch",
                "CSVVersion says 2026 but Client.csv has FY2024 columns; read as FY2024.",
                value=csv_version,
            )
        log.add(
            Severity.WARNING,
            "Export.csv",
            "CSVVersion",
            "version.fy2024",
            "FY2024 export: read through HUD's FY2024→FY2026 changes (3.06 gender, R3 sexual orientation and C4 "
            "translation columns kept as legacy data; Sex and MentalHealthConsultation empty).",
            value=csv_version,
        )
        return ExportVersion("fy2024", csv_version, fy2024)
    if csv_version and "2026" not in csv_version:
        log.add(
            Severity.WARNING,
            "Export.csv",
            "CSVVersion",
            "version.unrecognised",
            f"CSVVersion {csv_version!r} does not name FY2026; the columns are FY2026's, so read as FY2026.",
            value=csv_version,
            eva_id=124,
        )
    return ExportVersion(spec.version, csv_version, None)
