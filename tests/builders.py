"""Build small, exact HMIS CSV exports for tests, then break them one rule at a time.

``ExportBuilder.minimal()`` is a valid FY2026 export of one CoC: an organization with an emergency shelter
(entry/exit), a night-by-night shelter and a rapid re-housing project; a family of two that exits; a single
adult staying in the night-by-night shelter with bed nights. Tests change cells, add rows or drop files and
write the result as a folder or zip, optionally with the byte-level defects real files have.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from copy import deepcopy
from pathlib import Path
from typing import TypedDict, Unpack

from hearth.spec import current

EXPORT_ID = "EXP1"
STAMP = "2025-01-15 09:30:00"


class CsvStyle(TypedDict, total=False):
    """How the CSV files are written: the byte-level variations real exports have."""

    crlf: bool
    bom: bool
    quote_all: bool


def _meta(user: str = "U1") -> dict[str, str]:
    return {"DateCreated": STAMP, "DateUpdated": STAMP, "UserID": user, "DateDeleted": "", "ExportID": EXPORT_ID}


class ExportBuilder:
    def __init__(self) -> None:
        self.spec = current()
        self.rows: dict[str, list[dict[str, str]]] = {name: [] for name in self.spec.record_types}
        self.header_override: dict[str, list[str]] = {}
        self.missing: set[str] = set()

    # -- content --------------------------------------------------------------------------------------
    def add(self, record: str, **values: str | int | None) -> dict[str, str]:
        row = {k: "" if v is None else str(v) for k, v in values.items()}
        unknown = set(row) - set(self.spec.record(record).header)
        if unknown:
            raise KeyError(f"{record} has no column {sorted(unknown)}")
        self.rows[record].append(row)
        return row

    def row(self, record: str, key: str) -> dict[str, str]:
        column = self.spec.record(record).key.name
        for row in self.rows[record]:
            if row.get(column) == key:
                return row
        raise KeyError(f"{record} {key}")

    def set(self, record: str, key: str, **values: str | int | None) -> ExportBuilder:
        self.row(record, key).update({k: "" if v is None else str(v) for k, v in values.items()})
        return self

    def copy(self) -> ExportBuilder:
        clone = ExportBuilder()
        clone.rows = deepcopy(self.rows)
        clone.header_override = deepcopy(self.header_override)
        clone.missing = set(self.missing)
        return clone

    @classmethod
    def minimal(cls) -> ExportBuilder:
        b = cls()
        b.add(
            "Export",
            ExportID=EXPORT_ID,
            SourceType=1,
            SourceID="XX-501",
            ExportDate="2025-02-01 08:00:00",
            ExportStartDate="2024-10-01",
            ExportEndDate="2025-01-31",
            SoftwareName="Test HMIS",
            SoftwareVersion="1",
            CSVVersion="2026 v1.0",
            ExportPeriodType=4,
            ExportDirective=2,
            HashStatus=1,
            ImplementationID="TEST-IMPL-1",
        )
        b.add(
            "Organization",
            OrganizationID="O1",
            OrganizationName="Harbor Light",
            VictimServiceProvider=0,
            DateCreated=STAMP,
            DateUpdated=STAMP,
            UserID="U1",
            ExportID=EXPORT_ID,
        )
        b.add(
            "User",
            UserID="U1",
            UserFirstName="Pat",
            UserLastName="Worker",
            UserEmail="pat@example.org",
            DateCreated=STAMP,
            DateUpdated=STAMP,
            ExportID=EXPORT_ID,
        )
        projects = [("P1", "Harbor Shelter", 0, 1), ("P2", "Night Shelter", 1, 1), ("P3", "Harbor RRH", 13, 3)]
        for pid, name, ptype, housing in projects:
            b.add(
                "Project",
                ProjectID=pid,
                OrganizationID="O1",
                ProjectName=name,
                OperatingStartDate="2020-01-01",
                ContinuumProject=1,
                ProjectType=ptype,
                HousingType=housing,
                RRHSubType=2 if ptype == 13 else None,
                TargetPopulation=4,
                **_meta(),
            )
            b.add(
                "Funder",
                FunderID=f"F{pid}",
                ProjectID=pid,
                Funder=2 if ptype == 13 else 8,
                GrantID=f"G-{pid}",
                StartDate="2020-01-01",
                **_meta(),
            )
            b.add(
                "ProjectCoC",
                ProjectCoCID=f"PC{pid}",
                ProjectID=pid,
                CoCCode="XX-501",
                Geocode="123456",
                Address1="1 Main St",
                City="Springfield",
                State="IL",
                ZIP="62701",
                GeographyType=1,
                **_meta(),
            )
            es = ptype in (0, 1)
            b.add(
                "Inventory",
                InventoryID=f"I{pid}",
                ProjectID=pid,
                CoCCode="XX-501",
                HouseholdType=1,
                Availability=1 if es else None,
                UnitInventory=10,
                BedInventory=20,
                CHVetBedInventory=0,
                YouthVetBedInventory=0,
                VetBedInventory=0,
                CHYouthBedInventory=0,
                YouthBedInventory=0,
                CHBedInventory=0,
                OtherBedInventory=20,
                ESBedType=1 if es else None,
                InventoryStartDate="2020-01-01",
                **_meta(),
            )
            b.add(
                "HMISParticipation",
                HMISParticipationID=f"H{pid}",
                ProjectID=pid,
                HMISParticipationType=1,
                HMISParticipationStatusStartDate="2020-01-01",
                **_meta(),
            )
            b.add(
                "CEParticipation",
                CEParticipationID=f"CE{pid}",
                ProjectID=pid,
                AccessPoint=0,
                ReceivesReferrals=1,
                CEParticipationStatusStartDate="2020-01-01",
                **_meta(),
            )
        people = [
            ("C1", "Maria", "Lopez", "1985-04-12", 0),
            ("C2", "Ana", "Lopez", "2015-09-30", 0),
            ("C3", "James", "Carter", "1970-01-05", 1),
        ]
        for pid, first, last, dob, sex in people:
            b.add(
                "Client",
                PersonalID=pid,
                FirstName=first,
                LastName=last,
                NameDataQuality=1,
                SSN="900123456",
                SSNDataQuality=1,
                DOB=dob,
                DOBDataQuality=1,
                Sex=sex,
                AmIndAKNative=0,
                Asian=0,
                BlackAfAmerican=0,
                HispanicLatinao=1 if last == "Lopez" else 0,
                MidEastNAfrican=0,
                NativeHIPacific=0,
                White=0 if last == "Lopez" else 1,
                VeteranStatus=0,
                **_meta(),
            )
        b.add(
            "Enrollment",
            EnrollmentID="E1",
            PersonalID="C1",
            ProjectID="P1",
            EntryDate="2024-11-01",
            HouseholdID="HH1",
            RelationshipToHoH=1,
            EnrollmentCoC="XX-501",
            LivingSituation=116,
            LengthOfStay=10,
            LOSUnderThreshold=1,
            PreviousStreetESSH=1,
            DateToStreetESSH="2024-10-20",
            TimesHomelessPastThreeYears=1,
            MonthsHomelessPastThreeYears=101,
            DisablingCondition=0,
            **_meta(),
        )
        b.add(
            "Enrollment",
            EnrollmentID="E2",
            PersonalID="C2",
            ProjectID="P1",
            EntryDate="2024-11-01",
            HouseholdID="HH1",
            RelationshipToHoH=2,
            DisablingCondition=0,
            **_meta(),
        )
        b.add(
            "Enrollment",
            EnrollmentID="E3",
            PersonalID="C3",
            ProjectID="P2",
            EntryDate="2025-01-10",
            HouseholdID="HH2",
            RelationshipToHoH=1,
            EnrollmentCoC="XX-501",
            LivingSituation=116,
            LengthOfStay=11,
            DisablingCondition=1,
            DateToStreetESSH="2024-06-01",
            TimesHomelessPastThreeYears=2,
            MonthsHomelessPastThreeYears=107,
            **_meta(),
        )
        for xid, eid, pid in (("X1", "E1", "C1"), ("X2", "E2", "C2")):
            b.add(
                "Exit",
                ExitID=xid,
                EnrollmentID=eid,
                PersonalID=pid,
                ExitDate="2025-01-05",
                Destination=435,
                DestinationSubsidyType=419,
                **_meta(),
            )
        b.add(
            "IncomeBenefits",
            IncomeBenefitsID="IB1",
            EnrollmentID="E1",
            PersonalID="C1",
            InformationDate="2024-11-01",
            IncomeFromAnySource=1,
            TotalMonthlyIncome="850.50",
            Earned=1,
            EarnedAmount="850.50",
            Unemployment=0,
            SSI=0,
            SSDI=0,
            VADisabilityService=0,
            VADisabilityNonService=0,
            PrivateDisability=0,
            WorkersComp=0,
            TANF=0,
            GA=0,
            SocSecRetirement=0,
            Pension=0,
            ChildSupport=0,
            Alimony=0,
            OtherIncomeSource=0,
            BenefitsFromAnySource=0,
            InsuranceFromAnySource=1,
            Medicaid=1,
            DataCollectionStage=1,
            **_meta(),
        )
        b.add(
            "HealthAndDV",
            HealthAndDVID="HD1",
            EnrollmentID="E1",
            PersonalID="C1",
            InformationDate="2024-11-01",
            DomesticViolenceSurvivor=1,
            WhenOccurred=2,
            CurrentlyFleeing=0,
            DataCollectionStage=1,
            **_meta(),
        )
        b.add(
            "Disabilities",
            DisabilitiesID="D1",
            EnrollmentID="E1",
            PersonalID="C1",
            InformationDate="2024-11-01",
            DisabilityType=10,
            DisabilityResponse=3,
            IndefiniteAndImpairs=0,
            DataCollectionStage=1,
            **_meta(),
        )
        for n, day in enumerate(("2025-01-10", "2025-01-11", "2025-01-12"), start=1):
            b.add(
                "Services",
                ServicesID=f"S{n}",
                EnrollmentID="E3",
                PersonalID="C3",
                DateProvided=day,
                RecordType=200,
                TypeProvided=200,
                **_meta(),
            )
        return b

    def rename_column(self, record: str, old: str, new: str) -> ExportBuilder:
        header = self.header_override.get(record, list(self.spec.record(record).header))
        self.header_override[record] = [new if h == old else h for h in header]
        for row in self.rows[record]:
            if old in row:
                row[new] = row.pop(old)
        return self

    def drop_file(self, record: str) -> ExportBuilder:
        self.missing.add(record)
        return self

    # -- output ---------------------------------------------------------------------------------------
    def csv_bytes(self, record: str, *, crlf: bool = False, bom: bool = False, quote_all: bool = False) -> bytes:
        header = self.header_override.get(record, list(self.spec.record(record).header))
        buffer = io.StringIO()
        writer = csv.writer(
            buffer, lineterminator="\r\n" if crlf else "\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
        )
        writer.writerow(header)
        for row in self.rows[record]:
            writer.writerow([row.get(column, "") for column in header])
        data = buffer.getvalue().encode("utf-8")
        return (b"\xef\xbb\xbf" + data) if bom else data

    def files(self, **options: Unpack[CsvStyle]) -> dict[str, bytes]:
        return {
            self.spec.record(r).filename: self.csv_bytes(r, **options)
            for r in self.spec.record_types
            if r not in self.missing
        }

    def write_folder(self, folder: Path, **options: Unpack[CsvStyle]) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files(**options).items():
            (folder / name).write_bytes(data)
        return folder

    def write_zip(
        self, path: Path, *, prefix: str = "", extra: Iterable[tuple[str, bytes]] = (), **options: Unpack[CsvStyle]
    ) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files(**options).items():
                archive.writestr(prefix + name, data)
            for name, data in extra:
                archive.writestr(name, data)
        return path
