"""Read FY2022 HMIS CSV exports by translating them to FY2024 with HUD's FY2024 crosswalk.

The translated files then take the FY2024→FY2026 path every FY2024 export takes (hearth.exchange.versions), so
one change table per version step is all Hearth keeps. The crosswalk is data (hearth/spec/data/fy2022/):
``columns.csv`` says what happened to each FY2022 column (renamed, recoded, derived, added, removed, moved),
``codes.csv`` holds the value crosswalks (living situation / destination / current living situation to the
FY2024 3-digit codes and their subsidy types; FY2022 3.05 Ethnicity to 3.04 HispanicLatinaeo), ``files.csv``
the files FY2024 dropped or added. The few derivations that need more than a lookup are below, each citing
the HUD FY2024 HMIS Data Standards (DS) or HMIS CSV FY2024 specification section that decides it.

Rows keep their order and count, so every later message about a translated file names the row of the file the
user handed in. Only files that change are rewritten (streamed with Polars; the unchanged ones are read in
place).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl

from hearth.exchange.archive import ExportFiles, UnreadableExportError
from hearth.exchange.csvfile import locate_malformed
from hearth.exchange.issues import IssueLog, Severity
from hearth.spec import Spec
from hearth.spec.loader import DATA

FOLDER = DATA / "fy2022"
# FY2022 3.06 Gender columns: only FY2022 has these names (FY2020 had one Gender column, FY2024 Woman/Man).
_FY2022_GENDER = {"female", "male", "nosinglegender"}
_RACES = ("AmIndAKNative", "Asian", "BlackAfAmerican", "NativeHIPacific", "White")
# The three FY2024 living-situation elements and the subsidy-type column that goes with each (DS 3.917.A,
# 3.12.A, 4.12.A: required when the situation is 435, rental by client with ongoing housing subsidy).
_SITUATIONS = {
    "Enrollment": ("LivingSituation", "RentalSubsidyType"),
    "Exit": ("Destination", "DestinationSubsidyType"),
    "CurrentLivingSituation": ("CurrentLivingSituation", "CLSSubsidyType"),
}


@dataclass(frozen=True)
class ColumnChange:
    file: str
    fy2022: str
    fy2024: str
    change: str  # renamed | recoded | derived | added | removed | moved
    fill: str
    cite: str


@dataclass(frozen=True)
class Crosswalk:
    columns: tuple[ColumnChange, ...]
    codes: dict[str, dict[str, str]]  # table -> FY2022 code -> FY2024 code
    subsidy: dict[str, str]  # FY2022 situation code -> FY2024 subsidy type (3.12.A)
    files: dict[str, tuple[str, str]]  # file -> (change, cite)
    by_record: dict[str, list[ColumnChange]] = field(default_factory=dict)


def _rows(name: str) -> list[dict[str, str]]:
    with (FOLDER / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def crosswalk() -> Crosswalk:
    columns = tuple(
        ColumnChange(r["file"], r["fy2022"], r["fy2024"], r["change"], r["fill"], r["cite"])
        for r in _rows("columns.csv")
    )
    codes: dict[str, dict[str, str]] = {}
    subsidy: dict[str, str] = {}
    for r in _rows("codes.csv"):
        codes.setdefault(r["table"], {})[r["fy2022"]] = r["fy2024"]
        if r["subsidy"]:
            subsidy[r["fy2022"]] = r["subsidy"]
    by_record: dict[str, list[ColumnChange]] = {}
    for change in columns:
        by_record.setdefault(change.file.removesuffix(".csv"), []).append(change)
    files = {r["file"]: (r["change"], r["cite"]) for r in _rows("files.csv")}
    return Crosswalk(columns, codes, subsidy, files, by_record)


# -- detection ------------------------------------------------------------------------------------------


def _header(path: Path) -> list[str]:
    with path.open("rb") as handle:
        head = handle.read(256 * 1024).decode("utf-8-sig", errors="replace")
    return [h.strip() for h in next(csv.reader(io.StringIO(head)), [])]


def _export_row(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    with path.open("rb") as handle:
        head = handle.read(256 * 1024).decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(head)))
    if len(rows) < 2:
        return {}
    return {name.strip().lower(): value for name, value in zip(rows[0], rows[1], strict=False)}


def is_fy2022(files: ExportFiles) -> bool:
    """FY2022's own Client.csv gender columns decide; without Client.csv, EnrollmentCoC.csv and CSVVersion."""
    client = files.files.get("Client")
    if client is not None:
        # Any of FY2022's own gender columns (FY2020 had one Gender column, FY2024 Woman/Man/NonBinary).
        return bool({h.lower() for h in _header(client)} & _FY2022_GENDER)
    version = _export_row(files.files.get("Export")).get("csvversion", "")
    return "EnrollmentCoC" in files.older and "2022" in version


# -- translation -----------------------------------------------------------------------------------------


class _File:
    """One FY2022 file as a lazy frame whose columns are addressed by name, case-insensitively."""

    def __init__(self, path: Path, filename: str, log: IssueLog) -> None:
        self.path = path
        self.filename = filename
        self.raw = _header(path)
        self.lower: dict[str, str] = {}
        self.log = log
        for name in self.raw:
            if name.lower() in self.lower:
                message = f"Column {name!r} appears twice in the header (also as {self.lower[name.lower()]!r})."
                log.add(Severity.ERROR, filename, name, "header.duplicate", message, row=1, eva_id=12)
                raise UnreadableExportError(message)
            self.lower[name.lower()] = name

    def has(self, name: str) -> bool:
        return name.lower() in self.lower

    def col(self, name: str) -> pl.Expr:
        raw = self.lower.get(name.lower())
        return pl.col(raw) if raw is not None else pl.lit(None, pl.String)

    def scan(self) -> pl.LazyFrame:
        return pl.scan_csv(
            self.path,
            has_header=True,
            schema=dict.fromkeys(self.raw, pl.String),
            quote_char='"',
            encoding="utf8",
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )

    def fail(self, exc: Exception) -> UnreadableExportError:
        message = locate_malformed(self.path, self.filename, len(self.raw)) or (
            f"{self.filename} cannot be read as CSV ({str(exc).splitlines()[0]})."
        )
        self.log.add(Severity.ERROR, self.filename, "", "file.malformed", message)
        return UnreadableExportError(message)


def _code(expr: pl.Expr) -> pl.Expr:
    return expr.str.strip_chars()


def _fy2024_columns(spec: Spec, record: str) -> list[str]:
    """The FY2024 header of ``record``: FY2026's columns less those FY2026 added, with FY2024's names, plus the
    columns FY2026 dropped (hearth/spec/data/fy2024/changes.csv)."""
    previous = spec.previous["fy2024"]
    back = {new: old for old, new in previous.renamed.get(record, {}).items()}
    added = previous.added.get(record, frozenset())
    names = [back.get(c.name, c.name) for c in spec.record(record).columns if c.name not in added]
    return names + [name for name in previous.removed.get(record, {}) if name not in names]


def _translate_record(
    record: str,
    source: _File,
    spec: Spec,
    extra: dict[str, pl.Expr],
    dest: Path,
    lookup: tuple[str, pl.DataFrame] | None = None,
) -> tuple[list[str], list[str]]:
    """Write ``record`` as FY2024 CSV to ``dest``; return (FY2022 columns dropped, unknown columns kept).

    ``lookup`` (source column, frame keyed by its first column): joined on, row order kept, so ``extra`` may read
    the frame's other columns."""
    xw = crosswalk()
    changes = xw.by_record.get(record, [])
    renamed = {c.fy2024: c.fy2022 for c in changes if c.change in ("renamed", "recoded") and c.fy2022}
    fills = {c.fy2024: c.fill for c in changes if c.change == "added"}
    gone = {c.fy2022.lower() for c in changes if c.change in ("removed", "moved", "derived", "renamed", "recoded")}
    out_columns = _fy2024_columns(spec, record)
    exprs: list[pl.Expr] = []
    for name in out_columns:
        if name in extra:
            expr = extra[name]
        elif name in renamed:
            expr = source.col(renamed[name])
        elif name in fills and not source.has(name):
            expr = pl.lit(fills[name] or None, pl.String)
        else:
            expr = source.col(name)
        exprs.append(expr.alias(name))
    known = {n.lower() for n in out_columns} | gone
    unknown = [raw for raw in source.raw if raw.lower() not in known]
    dropped = [raw for raw in source.raw if raw.lower() in {c.fy2022.lower() for c in changes if c.change == "removed"}]
    frame = source.scan()
    if lookup is not None:
        column, table = lookup
        key = table.columns[0]
        frame = frame.join(
            table.lazy(), left_on=source.col(column), right_on=key, how="left", maintain_order="left"
        ).drop(key, strict=False)
    # with_columns, not select: a column made of a literal alone must have the file's height, not one row.
    frame = frame.with_columns(exprs).select([*out_columns, *unknown])
    try:
        frame.sink_csv(dest, quote_style="necessary")
    except pl.exceptions.PolarsError as exc:
        raise source.fail(exc) from None
    return dropped, unknown


def _situation(source: _File, column: str) -> tuple[pl.Expr, pl.Expr]:
    xw = crosswalk()
    value = _code(source.col(column))
    return value.replace(xw.codes["situation"]), value.replace_strict(xw.subsidy, default=None, return_dtype=pl.String)


def _client(source: _File) -> dict[str, pl.Expr]:
    """DS FY2024 3.04.1: one race-and-ethnicity element. FY2022 Ethnicity 1 is HispanicLatinaeo 1; RaceNone
    holds an answer only when nothing is selected, so it is cleared for a Hispanic client and takes FY2022's
    Ethnicity 8/9/99 when no race was selected and RaceNone was empty."""
    xw = crosswalk()
    ethnicity = _code(source.col("Ethnicity"))
    hispanic = ethnicity.replace(xw.codes["ethnicity"])
    no_race = pl.all_horizontal([_code(source.col(r)).fill_null("0") != "1" for r in _RACES])
    race_none = (
        pl.when(ethnicity == "1")
        .then(pl.lit(None, pl.String))
        .when(source.col("RaceNone").is_null() & no_race & ethnicity.is_in(["8", "9", "99"]))
        .then(ethnicity)
        .otherwise(source.col("RaceNone"))
    )
    return {"HispanicLatinaeo": hispanic, "RaceNone": race_none}


def _project(source: _File) -> dict[str, pl.Expr]:
    """DS FY2024 2.02.6: FY2022 ES (1) splits by 2.02.C TrackingMethod: 3 night-by-night → 1, else entry/exit → 0."""
    project_type = _code(source.col("ProjectType"))
    nbn = _code(source.col("TrackingMethod")) == "3"
    return {
        "ProjectType": pl.when(project_type == "1")
        .then(pl.when(nbn).then(pl.lit("1")).otherwise(pl.lit("0")))
        .otherwise(source.col("ProjectType"))
    }


def _export(source: _File) -> dict[str, pl.Expr]:
    """CSV FY2024 Export.ImplementationID (required, new): the source's own name for itself in FY2022."""
    return {
        "ImplementationID": pl.coalesce(
            pl.when(source.col(n).str.strip_chars() != "").then(source.col(n))
            for n in ("SourceID", "SourceName", "ExportID")
        )
    }


def _enrollment_coc(path: Path, filename: str, log: IssueLog) -> pl.DataFrame:
    """DS FY2024 3.16: the CoC at project start (EnrollmentCoC.csv DataCollectionStage 1, else the enrollment's
    earliest row; deleted rows ignored). FY2022's later location updates have no FY2024 place."""
    source = _File(path, filename, log)
    try:
        rows = (
            source.scan()
            .select(
                source.col("EnrollmentID").alias("EnrollmentID"),
                source.col("CoCCode").alias("__coc"),
                (_code(source.col("DataCollectionStage")) != "1").alias("__later"),
                source.col("InformationDate").alias("__date"),
                source.col("EnrollmentCoCID").alias("__id"),
                source.col("DateDeleted").alias("__deleted"),
            )
            .filter(pl.col("__deleted").is_null() & pl.col("EnrollmentID").is_not_null())
            .sort(["EnrollmentID", "__later", "__date", "__id"], nulls_last=True)
            .group_by("EnrollmentID", maintain_order=True)
            .first()
            .select("EnrollmentID", "__coc")
            .collect()
        )
    except pl.exceptions.PolarsError as exc:
        raise source.fail(exc) from None
    return rows


def _participation(files: ExportFiles, spec: Spec, log: IssueLog, dest: Path) -> tuple[Path, Path]:
    """HMISParticipation.csv and CEParticipation.csv (new in CSV FY2024) derived from FY2022 data; files.csv
    says how (DS 2.08 and 2.09)."""
    project = _File(files.files["Project"], files.names["Project"], log)
    org_vsp: dict[str, str] = {}
    if "Organization" in files.files:
        organization = _File(files.files["Organization"], files.names["Organization"], log)
        try:
            orgs = (
                organization.scan()
                .select(
                    organization.col("OrganizationID").alias("id"),
                    _code(organization.col("VictimServiceProvider")).alias("vsp"),
                )
                .collect()
            )
        except pl.exceptions.PolarsError as exc:
            raise organization.fail(exc) from None
        org_vsp = dict(zip(orgs["id"].to_list(), orgs["vsp"].to_list(), strict=True))
    ce_projects = _ce_projects(files, log)
    common = [
        project.col(name).alias(name) for name in ("DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID")
    ]
    participating = _code(project.col("HMISParticipatingProject"))
    vsp = project.col("OrganizationID").replace_strict(org_vsp, default=None, return_dtype=pl.String) == "1"
    hmis = project.scan().select(
        project.col("ProjectID").alias("HMISParticipationID"),
        project.col("ProjectID").alias("ProjectID"),
        # DS FY2024 2.08.1: 2 = comparable database participating, the VSP's way of participating (DS 2.08).
        pl.when((participating == "0") & vsp.fill_null(False))
        .then(pl.lit("2"))
        .otherwise(project.col("HMISParticipatingProject"))
        .alias("HMISParticipationType"),
        project.col("OperatingStartDate").alias("HMISParticipationStatusStartDate"),
        project.col("OperatingEndDate").alias("HMISParticipationStatusEndDate"),
        *common,
    )
    zero = pl.lit("0")
    ce = (
        project.scan()
        .filter((_code(project.col("ProjectType")) == "14") | project.col("ProjectID").is_in(list(ce_projects)))
        .select(
            project.col("ProjectID").alias("CEParticipationID"),
            project.col("ProjectID").alias("ProjectID"),
            pl.lit("1").alias("AccessPoint"),
            zero.alias("PreventionAssessment"),
            zero.alias("CrisisAssessment"),
            zero.alias("HousingAssessment"),
            zero.alias("DirectServices"),
            zero.alias("ReceivesReferrals"),
            project.col("OperatingStartDate").alias("CEParticipationStatusStartDate"),
            project.col("OperatingEndDate").alias("CEParticipationStatusEndDate"),
            *common,
        )
    )
    paths = []
    for record, frame in (("HMISParticipation", hmis), ("CEParticipation", ce)):
        path = dest / f"{record}.csv"
        try:
            frame.select([c.name for c in spec.record(record).columns]).sink_csv(path, quote_style="necessary")
        except pl.exceptions.PolarsError as exc:
            raise project.fail(exc) from None
        paths.append(path)
    return paths[0], paths[1]


def _ce_projects(files: ExportFiles, log: IssueLog) -> set[str]:
    """Projects whose enrollments hold 4.19 assessments or 4.20 events: in FY2022 the only trace of CE."""
    if "Enrollment" not in files.files:
        return set()
    parts: list[pl.LazyFrame] = []
    sources: list[_File] = []
    for record in ("Assessment", "Event"):
        if record in files.files:
            source = _File(files.files[record], files.names[record], log)
            sources.append(source)
            parts.append(source.scan().select(source.col("EnrollmentID").alias("e")))
    if not parts:
        return set()
    enrollment = _File(files.files["Enrollment"], files.names["Enrollment"], log)
    enrollments = enrollment.scan().select(
        enrollment.col("EnrollmentID").alias("e"), enrollment.col("ProjectID").alias("p")
    )
    try:
        projects = pl.concat(parts).unique().join(enrollments, on="e", how="inner").select("p").unique().collect()["p"]
    except pl.exceptions.PolarsError as exc:
        for source in (*sources, enrollment):
            located = locate_malformed(source.path, source.filename, len(source.raw))
            if located:
                raise source.fail(exc) from None
        raise enrollment.fail(exc) from None
    return {p for p in projects.to_list() if p}


def translate(files: ExportFiles, spec: Spec, log: IssueLog, *, workdir: Path | None = None) -> ExportFiles:
    """Rewrite the FY2022 files that changed as FY2024 files in a private folder; the others are read in place."""
    tmp = tempfile.TemporaryDirectory(prefix="hearth-fy2022-", dir=workdir)
    dest = Path(tmp.name)
    try:
        out_files = dict(files.files)
        out_names = dict(files.names)
        dropped_all: list[str] = []
        builders: dict[str, Callable[[_File], dict[str, pl.Expr]]] = {
            "Client": _client,
            "Project": _project,
            "Export": _export,
        }
        coc: pl.DataFrame | None = None
        if "EnrollmentCoC" in files.older:
            coc = _enrollment_coc(files.older["EnrollmentCoC"], "EnrollmentCoC.csv", log)
        for record in sorted(crosswalk().by_record):
            if record not in files.files:
                continue
            source = _File(files.files[record], files.names[record], log)
            if not source.raw:
                continue  # an empty file: read as it is, so the validator says so (file.empty)
            extra = builders[record](source) if record in builders else {}
            if record in _SITUATIONS:
                column, subsidy = _SITUATIONS[record]
                extra[column], extra[subsidy] = _situation(source, column)
            lookup = None
            if record == "Enrollment" and coc is not None:
                lookup = ("EnrollmentID", coc.rename({"EnrollmentID": "__enrollment"}))
                extra["EnrollmentCoC"] = pl.col("__coc")
            path = dest / f"{record}.csv"
            dropped, _ = _translate_record(record, source, spec, extra, path, lookup)
            dropped_all += [f"{files.names[record]} {name}" for name in dropped]
            out_files[record] = path
        if "Project" in files.files:
            for record, path in zip(
                ("HMISParticipation", "CEParticipation"), _participation(files, spec, log, dest), strict=True
            ):
                if record not in files.files:
                    out_files[record] = path
                    out_names[record] = f"{record}.csv"
    except BaseException:
        tmp.cleanup()
        raise
    log.add(
        Severity.WARNING,
        "Export.csv",
        "CSVVersion",
        "version.fy2022",
        "FY2022 export: translated to FY2024 with HUD's FY2024 crosswalk (living situation, destination and current "
        "living situation to the 3-digit codes with their subsidy types; Ethnicity into race; Female/Male/"
        "NoSingleGender to Woman/Man/NonBinary; ES split by tracking method; EnrollmentCoC.csv into "
        "Enrollment.EnrollmentCoC; HMISParticipation.csv and CEParticipation.csv derived from the projects), then "
        "read as FY2024. Not in FY2024, not read: " + (", ".join(dropped_all) or "nothing") + ".",
        value=_export_row(files.files.get("Export")).get("csvversion", ""),
    )
    translated = ExportFiles(
        label=files.label,
        files=out_files,
        names=out_names,
        unknown=files.unknown,
        _tmp=files._tmp,
        translated_from="fy2022",
        _more=[*files._more, tmp],
    )
    files._tmp = None  # now owned by ``translated``
    files._more = []
    return translated


def translate_if_fy2022(files: ExportFiles, spec: Spec, log: IssueLog, *, workdir: Path | None = None) -> ExportFiles:
    if is_fy2022(files):
        return translate(files, spec, log, workdir=workdir)
    for record, path in files.older.items():
        name = path.name
        log.add(
            Severity.WARNING,
            name,
            "",
            "file.unknown",
            f"{name} is an FY2022 (or older) file ({record}); this export is not FY2022, so it was not read.",
        )
    return files
