"""Every rule of the HMIS CSV specification, broken once: the exact problem reported, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hearth.exchange.models import RunStatus
from tests.builders import ExportBuilder
from tests.exchange.helpers import do_import, hud_row_count, kinds, rows_of

pytestmark = pytest.mark.django_db

Mutation = Callable[[ExportBuilder], object]

# (id, mutation, severity, file, column, rule, rows) — row numbers as a spreadsheet shows them (header = 1).
ERRORS: list[tuple[str, Mutation, str, str, str, list[int]]] = [
    (
        "integer",
        lambda b: b.set("Client", "C1", VeteranStatus="yes"),
        "Client.csv",
        "VeteranStatus",
        "type.integer",
        [2],
    ),
    (
        "date",
        lambda b: b.set("Enrollment", "E1", EntryDate="2024-13-01"),
        "Enrollment.csv",
        "EntryDate",
        "type.date",
        [2],
    ),
    (
        "date-time",
        lambda b: b.set("Exit", "X2", DateCreated="yesterday"),
        "Exit.csv",
        "DateCreated",
        "type.date-time",
        [3],
    ),
    (
        "money",
        lambda b: b.set("IncomeBenefits", "IB1", EarnedAmount="$850"),
        "IncomeBenefits.csv",
        "EarnedAmount",
        "type.money",
        [2],
    ),
    (
        "money-negative",
        lambda b: b.set("IncomeBenefits", "IB1", EarnedAmount="-5.00"),
        "IncomeBenefits.csv",
        "EarnedAmount",
        "type.money",
        [2],
    ),
    (
        "length",
        lambda b: b.set("Organization", "O1", OrganizationName="x" * 201),
        "Organization.csv",
        "OrganizationName",
        "type.length",
        [2],
    ),
    ("required", lambda b: b.set("Enrollment", "E3", HouseholdID=""), "Enrollment.csv", "HouseholdID", "required", [4]),
    ("list", lambda b: b.set("Client", "C2", Sex=7), "Client.csv", "Sex", "list", [3]),
    (
        "list-excluded",
        lambda b: b.set("Enrollment", "E1", LivingSituation=24),
        "Enrollment.csv",
        "LivingSituation",
        "list",
        [2],
    ),
    ("list-selected", lambda b: b.set("Services", "S1", TypeProvided=5), "Services.csv", "TypeProvided", "list", [2]),
    (
        "list-disability",
        lambda b: b.set("Disabilities", "D1", DisabilityType=5),
        "Disabilities.csv",
        "DisabilityResponse",
        "list",
        [2],
    ),
    (
        "duplicate-key",
        lambda b: b.set("Client", "C3", PersonalID="C2"),
        "Client.csv",
        "PersonalID",
        "key.duplicate",
        [3, 4],
    ),
    ("reference", lambda b: b.set("Enrollment", "E3", ProjectID="P9"), "Enrollment.csv", "ProjectID", "reference", [4]),
    (
        "reference-enrollment",
        lambda b: b.set("Services", "S2", EnrollmentID="E9"),
        "Services.csv",
        "EnrollmentID",
        "reference",
        [3],
    ),
    (
        "other-client",
        lambda b: b.set("Services", "S2", PersonalID="C1"),
        "Services.csv",
        "PersonalID",
        "reference.client",
        [3],
    ),
    (
        "exit-before-entry",
        lambda b: b.set("Exit", "X1", ExitDate="2024-10-31"),
        "Exit.csv",
        "ExitDate",
        "date.exit_before_entry",
        [2],
    ),
    (
        "two-exits",
        lambda b: b.add("Exit", **dict(b.row("Exit", "X1"), ExitID="X9")),
        "Exit.csv",
        "EnrollmentID",
        "exit.duplicate",
        [2, 4],
    ),
    (
        "future-entry",
        lambda b: b.set("Enrollment", "E3", EntryDate="2025-03-01"),
        "Enrollment.csv",
        "EntryDate",
        "date.future",
        [4],
    ),
    ("export-id", lambda b: b.set("Client", "C1", ExportID="OTHER"), "Client.csv", "ExportID", "export.mismatch", [2]),
    ("short-row", lambda b: b.set("User", "U1", ExportID=""), "User.csv", "ExportID", "row.short", [2]),
    (
        "nul",
        lambda b: b.set("Project", "P1", ProjectName="Shelter\x00"),
        "Project.csv",
        "ProjectName",
        "characters.nul",
        [2],
    ),
]


@pytest.mark.parametrize(
    ("mutation", "file", "column", "rule", "rows"),
    [pytest.param(*case[1:], id=case[0]) for case in ERRORS],
)
def test_broken_rule_is_reported_and_nothing_is_written(
    tmp_path: Path, minimal: ExportBuilder, mutation: Mutation, file: str, column: str, rule: str, rows: list[int]
) -> None:
    mutation(minimal)
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert outcome.status == RunStatus.REJECTED
    assert ("error", file, column, rule) in kinds(outcome)
    assert rows_of(outcome, file, column, rule) == rows
    assert hud_row_count() == 0


# Data-quality problems HUD allows: imported, and listed.
WARNINGS: list[tuple[str, Mutation, str, str, str, list[int]]] = [
    (
        "conditional",
        lambda b: b.set("Enrollment", "E1", RentalSubsidyType=419),
        "Enrollment.csv",
        "RentalSubsidyType",
        "condition.null_unless",
        [2],
    ),
    (
        "required-if",
        lambda b: b.set("Exit", "X1", DestinationSubsidyType=""),
        "Exit.csv",
        "DestinationSubsidyType",
        "condition.required_if",
        [2],
    ),
    ("pattern", lambda b: b.set("ProjectCoC", "PCP1", ZIP="6270"), "ProjectCoC.csv", "ZIP", "condition.pattern", [2]),
    ("retired", lambda b: b.set("Funder", "FP1", Funder=47), "Funder.csv", "Funder", "list.retired", [2]),
    (
        "tolerated",
        lambda b: b.set("Exit", "X1", Destination=419, DestinationSubsidyType=""),
        "Exit.csv",
        "Destination",
        "list.tolerated",
        [2],
    ),
    (
        "lenient-null",
        lambda b: b.set("Enrollment", "E1", EnrollmentCoC=""),
        "Enrollment.csv",
        "EnrollmentCoC",
        "required.lenient",
        [2],
    ),
    (
        "no-head",
        lambda b: b.set("Enrollment", "E1", RelationshipToHoH=3),
        "Enrollment.csv",
        "RelationshipToHoH",
        "household.no_head",
        [2, 3],
    ),
    ("dangling-user", lambda b: b.set("Client", "C2", UserID="U7"), "Client.csv", "UserID", "reference.user", [3]),
    (
        "move-in",
        lambda b: b.set("Enrollment", "E1", MoveInDate="2024-10-01"),
        "Enrollment.csv",
        "MoveInDate",
        "date.move_in",
        [2],
    ),
    (
        "bed-night-on-exit",
        lambda b: b.set("Services", "S1", EnrollmentID="E1", PersonalID="C1", DateProvided="2025-01-05"),
        "Services.csv",
        "DateProvided",
        "date.bed_night_on_exit",
        [2],
    ),
    (
        "stage-date",
        lambda b: b.set("HealthAndDV", "HD1", InformationDate="2024-11-02"),
        "HealthAndDV.csv",
        "InformationDate",
        "stage.1",
        [2],
    ),
    (
        "characters",
        lambda b: b.set("Project", "P1", ProjectName="Shelter <East>"),
        "Project.csv",
        "ProjectName",
        "characters",
        [2],
    ),
    (
        "loose-date",
        lambda b: b.set("Enrollment", "E1", DateToStreetESSH="10/20/2024"),
        "Enrollment.csv",
        "DateToStreetESSH",
        "format.date",
        [2],
    ),
]


@pytest.mark.parametrize(
    ("mutation", "file", "column", "rule", "rows"),
    [pytest.param(*case[1:], id=case[0]) for case in WARNINGS],
)
def test_data_quality_problem_is_imported_and_listed(
    tmp_path: Path, minimal: ExportBuilder, mutation: Mutation, file: str, column: str, rule: str, rows: list[int]
) -> None:
    mutation(minimal)
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert outcome.ok, outcome.log.summary_lines()
    assert ("warning", file, column, rule) in kinds(outcome)
    assert rows_of(outcome, file, column, rule) == rows
    assert hud_row_count() > 0


def test_personal_data_is_never_repeated_in_the_report(tmp_path: Path, minimal: ExportBuilder) -> None:
    minimal.set("Client", "C1", FirstName="M" * 80, SSN="12-34-5678", DOB="04/12/1985x")
    outcome = do_import(minimal.write_zip(tmp_path / "export.zip"))
    assert outcome.status == RunStatus.REJECTED
    values = {i.value for i in outcome.log.issues() if i.file == "Client.csv"}
    assert values == {"(hidden: personal data)"}
    assert outcome.report_path is not None
    text = outcome.report_path.read_text()
    assert "M" * 80 not in text
    assert "12-34-5678" not in text
    assert "04/12/1985x" not in text
