"""Rules that span rows and files: keys, references, households, dates across records.

HMIS CSV spec (keys and references): each file's first column is unique; PersonalID, ProjectID,
EnrollmentID, OrganizationID and AssessmentID must name a record of their file; enrollment-level records
carry the EnrollmentID and PersonalID of one enrollment; at most one Exit per enrollment. HMIS Data Standards:
one head of household per household (3.15), a HouseholdID names one household's stay in one project (5.09),
exit on or after project start (3.11), move-in date within the stay (3.20), night-by-night bed nights from
the project start date up to, not including, the exit date (4.14).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from hearth.exchange.checks import Check, run_checks
from hearth.exchange.context import Context
from hearth.exchange.csvfile import ROW
from hearth.exchange.issues import IssueLog, Severity
from hearth.exchange.keyindex import HASH_SEED
from hearth.hmis.naming import REFERENCES, reference_target
from hearth.spec import Spec
from hearth.spec.model import DATE, DATETIME, RecordType

if TYPE_CHECKING:
    from hearth.exchange.validator import Validator

ENR = "__enr_"
# Eva file-structure checks for references from Enrollment.csv.
EVA_REFERENCE = {("Enrollment", "PersonalID"): 9, ("Enrollment", "ProjectID"): 10}
# A date later than the export itself is impossible for these (error); for other dates it is suspicious.
IMPOSSIBLE_IN_FUTURE = {("Enrollment", "EntryDate"), ("Exit", "ExitDate"), ("Client", "DOB")}
EVA_FUTURE = {("Enrollment", "EntryDate"): 75, ("Exit", "ExitDate"): 14}
RESIDENTIAL_TYPES = [0, 1, 2, 3, 8, 9, 10, 13]


def average_row_bytes(path: Path) -> float:
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    lines = max(1, sample.count(b"\n"))
    return len(sample) / lines


def peek_export_ids(files: dict[str, Path]) -> set[str]:
    """The ExportID values found in the first data row of each data file."""
    found: set[str] = set()
    for record, path in files.items():
        if record == "Export":
            continue
        with path.open("rb") as handle:
            text = handle.read(64 * 1024).decode("utf-8-sig", errors="replace")
        rows = list(csv.reader(io.StringIO(text)))
        if len(rows) >= 2:
            header = [h.strip().lower() for h in rows[0]]
            if "exportid" in header and len(rows[1]) == len(header):
                found.add(rows[1][header.index("exportid")])
    return found


def duplicated(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """The rows of ``frame`` whose values in ``columns`` another row shares (as Polars' ``is_duplicated``).

    Found through 64-bit hashes first: sorting the hashes is an order of magnitude faster than building a hash
    table of the strings (6.6M ServicesIDs: 0.13 s against 1.9 s). Only the rows whose hash repeats are then
    compared exactly, so a hash collision never makes two different keys look equal.
    """
    if frame.height < 2:
        return frame.clear()
    hashes = _row_hashes(frame, columns)
    ordered = np.sort(hashes)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if repeated.size == 0:
        return frame.clear()
    candidates = frame.filter(pl.Series(np.isin(hashes, repeated)))
    value = pl.col(columns[0]) if len(columns) == 1 else pl.struct(columns)
    return candidates.filter(value.is_duplicated())


def _row_hashes(frame: pl.DataFrame, columns: Sequence[str]) -> np.ndarray:
    return frame.select(columns).hash_rows(seed=HASH_SEED).to_numpy()


def check_duplicate_keys(rt: RecordType, keys: list[pl.DataFrame], log: IssueLog) -> None:
    if not keys:
        return
    key = rt.key.name
    frame = pl.concat(keys)
    duplicates = duplicated(frame.filter(pl.col(key).is_not_null()), [key])
    eva = {"Client": 7, "Enrollment": 8}.get(rt.name)
    log.add_rows(
        Severity.ERROR,
        rt.filename,
        key,
        "key.duplicate",
        duplicates,
        f"{key} appears more than once in {rt.filename}; each record's {key} must be unique.",
        eva_id=eva,
    )


class RecordChecks:
    """Cross-record checks for one file, fed batch by batch."""

    def __init__(self, rt: RecordType, spec: Spec, context: Context, log: IssueLog, validator: Validator) -> None:
        self.rt = rt
        self.spec = spec
        self.context = context
        self.log = log
        self.validator = validator
        self.columns = set(rt.by_name)
        self.enrollment_level = (
            "EnrollmentID" in self.columns and rt.name != "Enrollment" and rt.key.name != "EnrollmentID"
        )
        self.bed_nights_on_entry: list[pl.DataFrame] = []

    # -- adding what the checks read --------------------------------------------------------------------
    def enrich(self, typed: pl.DataFrame) -> pl.DataFrame:
        """Add the referenced rows' columns the checks read (by key index: no per-batch join)."""
        lookups: list[pl.DataFrame] = []
        if self.enrollment_level:
            wanted = ["PersonalID", "ProjectID", "EntryDate", "ExitDate", "MoveInDate"]
            enrollments = self.context.unique("Enrollment")
            if enrollments is not None:
                columns = [c for c in wanted if c in enrollments.columns]
                found = self.context.lookup("Enrollment", typed["EnrollmentID"], columns, prefix=ENR)
                if found is not None:
                    lookups.append(found)
                    project = self.context.lookup("Project", found[ENR + "ProjectID"], ["ProjectType"])
                    if project is not None:
                        lookups.append(project.rename({"ProjectType": "Project.ProjectType"}))
        elif "ProjectID" in self.columns and self.rt.name != "Project":
            project = self.context.lookup("Project", typed["ProjectID"], ["ProjectType", "RRHSubType"])
            if project is not None:
                lookups.append(
                    project.rename({"ProjectType": "Project.ProjectType", "RRHSubType": "Project.RRHSubType"})
                )
        if self.rt.name == "Enrollment":
            client = self.context.lookup("Client", typed["PersonalID"], ["DOB"])
            if client is not None:
                lookups.append(client.rename({"DOB": "__client_DOB"}))
        return pl.concat([typed, *lookups], how="horizontal") if lookups else typed

    # -- per batch ---------------------------------------------------------------------------------------
    def check(self, typed: pl.DataFrame) -> pl.DataFrame:
        typed = self._references(typed)
        self._user_reference(typed)
        self._future_dates(typed)
        name = self.rt.name
        if self.enrollment_level:
            self._same_client(typed)
            self._stage_dates(typed)
        if name == "Enrollment":
            self._enrollment(typed)
        elif name == "Exit":
            self._exit(typed)
        elif name == "Services":
            self._services(typed)
        elif name in ("AssessmentQuestions", "AssessmentResults"):
            self._assessment_parts(typed)
        elif name == "Inventory":
            self._inventory(typed)
        elif name == "Affiliation":
            self._affiliation(typed)
        return typed

    def _references(self, typed: pl.DataFrame) -> pl.DataFrame:
        filename = self.rt.filename
        for column in self.rt.columns:
            target = reference_target(self.rt.name, column.name, column.position)
            if target is None or target == "Export" or column.name not in REFERENCES:
                continue
            if target in self.context.broken:
                continue
            index = self.context.index(target)
            if index is None:
                continue
            value = pl.col(column.name)
            missing = typed.filter(value.is_not_null() & ~index.contains(typed[column.name]))
            if missing.height == 0:
                continue
            deleted = missing.filter(pl.col("DateDeleted").is_not_null())
            if deleted.height:
                self.log.add_rows(
                    Severity.WARNING,
                    filename,
                    column.name,
                    "reference.deleted",
                    deleted,
                    f"This deleted record refers to a {column.name} that is not in {target}.csv; it was skipped.",
                )
                typed = typed.filter(~(pl.col(ROW).is_in(deleted[ROW].implode())))
            live = missing.filter(pl.col("DateDeleted").is_null())
            self.log.add_rows(
                Severity.ERROR,
                filename,
                column.name,
                "reference",
                live,
                f"{column.name} names no record in {target}.csv.",
                eva_id=EVA_REFERENCE.get((self.rt.name, column.name)),
            )
        return typed

    def _user_reference(self, typed: pl.DataFrame) -> None:
        if "UserID" not in self.columns or self.rt.name == "User" or "User" in self.context.broken:
            return
        users = self.context.index("User")
        if users is None:
            return
        value = pl.col("UserID")
        missing = typed.filter(value.is_not_null() & ~users.contains(typed["UserID"]))
        self.log.add_rows(
            Severity.WARNING,
            self.rt.filename,
            "UserID",
            "reference.user",
            missing,
            "UserID names no record in User.csv (kept as given).",
        )

    def _future_dates(self, typed: pl.DataFrame) -> None:
        limit_date = self.validator.export_local_date + dt.timedelta(days=1)
        moment = self.validator.export_moment
        checks = []
        for column in self.rt.columns:
            if column.type not in (DATE, DATETIME) or column.name == "DateDeleted":
                continue
            value = pl.col(column.name)
            if column.type == DATE:
                late = value > limit_date
            elif moment is not None:
                late = value > moment + dt.timedelta(days=1)
            else:
                continue
            impossible = (self.rt.name, column.name) in IMPOSSIBLE_IN_FUTURE
            checks.append(
                Check(
                    Severity.ERROR if impossible else Severity.WARNING,
                    self.rt.filename,
                    column.name,
                    "date.future",
                    late,
                    f"{column.name} is later than the export itself (ExportDate).",
                    eva_id=EVA_FUTURE.get((self.rt.name, column.name)),
                )
            )
        run_checks(typed, checks, self.log)

    def _same_client(self, typed: pl.DataFrame) -> None:
        if ENR + "PersonalID" not in typed.columns:
            return
        other = typed.filter(
            pl.col(ENR + "PersonalID").is_not_null() & (pl.col("PersonalID") != pl.col(ENR + "PersonalID"))
        )
        self.log.add_rows(
            Severity.ERROR,
            self.rt.filename,
            "PersonalID",
            "reference.client",
            other,
            pl.format("PersonalID differs from the PersonalID of its enrollment ({}).", pl.col(ENR + "PersonalID")),
        )

    def _stage_dates(self, typed: pl.DataFrame) -> None:
        """(HMIS CSV spec) A project-start record's InformationDate is the EntryDate; an exit record's, the ExitDate."""
        if "DataCollectionStage" not in typed.columns or "InformationDate" not in typed.columns:
            return
        for stage, column, label in ((1, "EntryDate", "project start"), (3, "ExitDate", "project exit")):
            if ENR + column not in typed.columns:
                continue
            wrong = typed.filter(
                (pl.col("DataCollectionStage") == stage)
                & pl.col(ENR + column).is_not_null()
                & (pl.col("InformationDate") != pl.col(ENR + column))
                & pl.col("DateDeleted").is_null()
            )
            self.log.add_rows(
                Severity.WARNING,
                self.rt.filename,
                "InformationDate",
                f"stage.{stage}",
                wrong,
                pl.format(
                    f"A {label} record (DataCollectionStage {stage}) should be dated the enrollment's {column} ({{}}).",
                    pl.col(ENR + column).cast(pl.String),
                ),
            )

    def _enrollment(self, typed: pl.DataFrame) -> None:
        live = typed.filter(pl.col("DateDeleted").is_null())
        if "__client_DOB" in typed.columns:
            born_after = live.filter(pl.col("__client_DOB") > pl.col("EntryDate"))
            self.log.add_rows(
                Severity.WARNING,
                "Enrollment.csv",
                "EntryDate",
                "date.dob_after_entry",
                born_after,
                "The client's DOB is after this EntryDate (DE 3.03, 3.10).",
                eva_id=84,
            )
        early = live.filter(pl.col("MoveInDate") < pl.col("EntryDate"))
        self.log.add_rows(
            Severity.WARNING,
            "Enrollment.csv",
            "MoveInDate",
            "date.move_in",
            early,
            "MoveInDate is before EntryDate (DE 3.20: move-in falls within the stay).",
            eva_id=40,
        )
        coc = self.context.frame("ProjectCoC")
        if coc is not None and "ProjectCoC" not in self.context.broken:
            codes = coc.filter(pl.col("DateDeleted").is_null()).select(
                "ProjectID", pl.col("CoCCode").alias("EnrollmentCoC")
            )
            unmatched = live.filter(pl.col("EnrollmentCoC").is_not_null()).join(
                codes, on=["ProjectID", "EnrollmentCoC"], how="anti"
            )
            self.log.add_rows(
                Severity.WARNING,
                "Enrollment.csv",
                "EnrollmentCoC",
                "reference.coc",
                unmatched,
                "EnrollmentCoC is not one of the project's CoC codes in ProjectCoC.csv (DE 3.16).",
            )

    def _exit(self, typed: pl.DataFrame) -> None:
        if ENR + "EntryDate" not in typed.columns:
            return
        live = typed.filter(pl.col("DateDeleted").is_null())
        before = live.filter(pl.col("ExitDate") < pl.col(ENR + "EntryDate"))
        self.log.add_rows(
            Severity.ERROR,
            "Exit.csv",
            "ExitDate",
            "date.exit_before_entry",
            before,
            pl.format(
                "ExitDate is before the enrollment's EntryDate ({}) (DE 3.11).",
                pl.col(ENR + "EntryDate").cast(pl.String),
            ),
            eva_id=99,
        )
        if ENR + "MoveInDate" in typed.columns:
            late = live.filter(pl.col(ENR + "MoveInDate") > pl.col("ExitDate"))
            self.log.add_rows(
                Severity.WARNING,
                "Exit.csv",
                "ExitDate",
                "date.move_in",
                late,
                "The enrollment's MoveInDate is after this ExitDate (DE 3.20: move-in falls within the stay).",
                eva_id=40,
            )

    def _services(self, typed: pl.DataFrame) -> None:
        if ENR + "EntryDate" not in typed.columns:
            return
        nights = typed.filter((pl.col("RecordType") == 200) & pl.col("DateDeleted").is_null())
        before = nights.filter(pl.col("DateProvided") < pl.col(ENR + "EntryDate"))
        self.log.add_rows(
            Severity.WARNING,
            "Services.csv",
            "DateProvided",
            "date.bed_night_before_entry",
            before,
            "A bed night is dated before the enrollment's EntryDate (DE 4.14).",
        )
        if ENR + "ExitDate" in typed.columns:
            after = nights.filter(pl.col("DateProvided") >= pl.col(ENR + "ExitDate"))
            self.log.add_rows(
                Severity.WARNING,
                "Services.csv",
                "DateProvided",
                "date.bed_night_on_exit",
                after,
                "A bed night is dated on or after the enrollment's ExitDate; the exit night is not a bed night "
                "(DE 4.14).",
                eva_id=108,
            )
        self.bed_nights_on_entry.append(
            nights.filter(pl.col("DateProvided") == pl.col(ENR + "EntryDate")).select("EnrollmentID").unique()
        )

    def _assessment_parts(self, typed: pl.DataFrame) -> None:
        assessments = self.context.unique("Assessment")
        if assessments is None or "Assessment" in self.context.broken:
            return
        found = self.context.lookup("Assessment", typed["AssessmentID"], ["EnrollmentID"], prefix="__a_")
        assert found is not None
        joined = pl.concat([typed, found.rename({"__a_EnrollmentID": "__a_enr"})], how="horizontal")
        other = joined.filter(pl.col("__a_enr").is_not_null() & (pl.col("EnrollmentID") != pl.col("__a_enr")))
        self.log.add_rows(
            Severity.ERROR,
            self.rt.filename,
            "EnrollmentID",
            "reference.assessment",
            other,
            pl.format("EnrollmentID differs from its assessment's EnrollmentID ({}).", pl.col("__a_enr")),
        )

    def _inventory(self, typed: pl.DataFrame) -> None:
        coc = self.context.frame("ProjectCoC")
        if coc is None or "ProjectCoC" in self.context.broken:
            return
        codes = coc.filter(pl.col("DateDeleted").is_null()).select("ProjectID", "CoCCode")
        unmatched = typed.filter(pl.col("CoCCode").is_not_null() & pl.col("DateDeleted").is_null()).join(
            codes, on=["ProjectID", "CoCCode"], how="anti"
        )
        self.log.add_rows(
            Severity.WARNING,
            "Inventory.csv",
            "CoCCode",
            "reference.coc",
            unmatched,
            "CoCCode does not match a ProjectCoC row of the same project (DE 2.07.3).",
            eva_id=137,
        )

    def _affiliation(self, typed: pl.DataFrame) -> None:
        projects = self.context.unique("Project")
        if projects is None:
            return
        if "Project.ProjectType" in typed.columns:
            wrong = typed.filter(
                ~(
                    (pl.col("Project.ProjectType") == 6)
                    | ((pl.col("Project.ProjectType") == 13) & (pl.col("Project.RRHSubType") == 1))
                ).fill_null(False)
            )
            self.log.add_rows(
                Severity.WARNING,
                "Affiliation.csv",
                "ProjectID",
                "affiliation.project",
                wrong,
                "ProjectID must be a services-only project (ProjectType 6, or 13 with RRHSubType 1) (DE 2.02.B).",
            )
        found = self.context.lookup("Project", typed["ResProjectID"], ["ProjectType", "RRHSubType"])
        if found is None:
            return
        residential = pl.concat(
            [typed, found.rename({"ProjectType": "__res_type", "RRHSubType": "__res_sub"})], how="horizontal"
        )
        wrong = residential.filter(
            ~(
                pl.col("__res_type").is_in(RESIDENTIAL_TYPES)
                & ((pl.col("__res_type") != 13) | (pl.col("__res_sub") == 2))
            ).fill_null(False)
        )
        self.log.add_rows(
            Severity.WARNING,
            "Affiliation.csv",
            "ResProjectID",
            "affiliation.residential",
            wrong,
            "ResProjectID must be a residential project (ProjectType 0, 1, 2, 3, 8, 9, 10, or 13 with RRHSubType 2) "
            "(DE 2.02.C).",
        )

    # -- after the whole file ----------------------------------------------------------------------------
    def after_file(self) -> None:
        if self.rt.name == "Enrollment":
            self._households()
        elif self.rt.name == "Exit":
            self._exits_per_enrollment()
        elif self.rt.name == "Services":
            self._entry_bed_nights()

    def _households(self) -> None:
        enrollments = self.context.frame("Enrollment")
        if enrollments is None:
            return
        live = enrollments.filter(pl.col("DateDeleted").is_null() & pl.col("HouseholdID").is_not_null())
        heads = live.group_by("HouseholdID").agg(
            (pl.col("RelationshipToHoH") == 1).sum().alias("__heads"),
            pl.col("ProjectID").n_unique().alias("__projects"),
            pl.col("EntryDate").filter(pl.col("RelationshipToHoH") == 1).n_unique().alias("__stays"),
        )
        rows = live.join(heads, on="HouseholdID").filter(pl.col(ROW).is_not_null())
        self.log.add_rows(
            Severity.WARNING,
            "Enrollment.csv",
            "RelationshipToHoH",
            "household.no_head",
            rows.filter(pl.col("__heads") == 0),
            "The household has no head of household (RelationshipToHoH = 1) (DE 3.15).",
            eva_id=2,
        )
        self.log.add_rows(
            Severity.WARNING,
            "Enrollment.csv",
            "RelationshipToHoH",
            "household.many_heads",
            rows.filter((pl.col("__heads") > 1) & (pl.col("RelationshipToHoH") == 1)),
            "The household has more than one head of household (DE 3.15).",
            eva_id=3,
        )
        self.log.add_rows(
            Severity.WARNING,
            "Enrollment.csv",
            "HouseholdID",
            "household.projects",
            rows.filter(pl.col("__projects") > 1),
            "The HouseholdID is used in more than one project; it names one household's stay in one project (DE 5.09).",
            eva_id=98,
        )
        self.log.add_rows(
            Severity.WARNING,
            "Enrollment.csv",
            "HouseholdID",
            "household.reused",
            rows.filter((pl.col("__stays") > 1) & (pl.col("__projects") == 1) & (pl.col("RelationshipToHoH") == 1)),
            "The HouseholdID is used again for another stay (heads of household with different EntryDates); a "
            "readmission gets a new HouseholdID (DE 5.09).",
            eva_id=98,
        )
        duplicates = duplicated(live, ["PersonalID", "ProjectID", "EntryDate"]).filter(pl.col(ROW).is_not_null())
        self.log.add_rows(
            Severity.WARNING,
            "Enrollment.csv",
            "EntryDate",
            "enrollment.duplicate",
            duplicates,
            "The client has another enrollment in the same project with the same EntryDate (DE 3.10).",
            eva_id=1,
        )

    def _exits_per_enrollment(self) -> None:
        exits = self.context.frame("Exit")
        enrollments = self.context.frame("Enrollment")
        if exits is None or enrollments is None:
            return
        live = exits.filter(pl.col("DateDeleted").is_null())
        several = duplicated(live, ["EnrollmentID"]).filter(pl.col(ROW).is_not_null())
        self.log.add_rows(
            Severity.ERROR,
            "Exit.csv",
            "EnrollmentID",
            "exit.duplicate",
            several,
            "The enrollment has more than one Exit; an enrollment has at most one (HMIS CSV spec).",
        )
        one = live.unique("EnrollmentID", keep="first").select("EnrollmentID", "ExitDate")
        if "ExitDate" in enrollments.columns:
            enrollments = enrollments.drop("ExitDate")
        self.context.replace("Enrollment", enrollments.join(one, on="EnrollmentID", how="left"))

    def _entry_bed_nights(self) -> None:
        enrollments = self.context.frame("Enrollment")
        projects = self.context.frame("Project")
        if enrollments is None or projects is None:
            return
        nbn = projects.filter(pl.col("ProjectType") == 1).select("ProjectID")
        with_night = pl.concat(self.bed_nights_on_entry).unique() if self.bed_nights_on_entry else None
        candidates = enrollments.filter(pl.col("DateDeleted").is_null() & pl.col(ROW).is_not_null()).join(
            nbn, on="ProjectID", how="semi"
        )
        if with_night is not None:
            candidates = candidates.join(with_night, on="EnrollmentID", how="anti")
        self.log.add_rows(
            Severity.WARNING,
            "Enrollment.csv",
            "EntryDate",
            "bed_night.entry",
            candidates,
            "This night-by-night shelter enrollment has no bed night on its EntryDate (DE 4.14).",
            eva_id=107,
        )
