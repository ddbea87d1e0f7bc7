"""The shipped FY2026 spec data: counts, code lists, exclusions, dependent lists, older versions."""

from __future__ import annotations

import pytest

from hearth.spec import CURRENT, current, get
from hearth.spec.expressions import parse


def test_one_place_decides_the_version() -> None:
    assert CURRENT == "fy2026"
    assert current() is get("fy2026")
    assert current().csv_version == "2026 v1.0"


def test_record_types_and_columns_match_hud_counts() -> None:
    spec = current()
    assert list(spec.record_types) == [
        "Export",
        "Organization",
        "User",
        "Project",
        "Funder",
        "ProjectCoC",
        "Inventory",
        "Affiliation",
        "HMISParticipation",
        "CEParticipation",
        "Client",
        "Enrollment",
        "Exit",
        "IncomeBenefits",
        "HealthAndDV",
        "EmploymentEducation",
        "Disabilities",
        "Services",
        "CurrentLivingSituation",
        "Assessment",
        "AssessmentQuestions",
        "AssessmentResults",
        "Event",
        "YouthEducationStatus",
    ]
    assert sum(len(rt.columns) for rt in spec.record_types.values()) == 519
    assert len(spec.lists) == 88
    assert sum(len(cl.labels) for cl in spec.lists.values()) == 774
    client = spec.record("Client")
    assert client.header[:11] == [
        "PersonalID",
        "FirstName",
        "MiddleName",
        "LastName",
        "NameSuffix",
        "NameDataQuality",
        "SSN",
        "SSNDataQuality",
        "DOB",
        "DOBDataQuality",
        "Sex",
    ]
    assert client.column("SSN").max_length == 9
    assert spec.record("Enrollment").column("HOHLeaseholder").position == 47


def test_living_situation_exclusions_per_column() -> None:
    spec = current()
    prior = spec.allowed_values(spec.record("Enrollment").column("LivingSituation"))
    destination = spec.allowed_values(spec.record("Exit").column("Destination"))
    current_situation = spec.allowed_values(spec.record("CurrentLivingSituation").column("CurrentLivingSituation"))
    assert {312, 313, 327, 422, 423, 426, 30, 17, 24, 37}.isdisjoint(prior)
    assert {336, 335, 37}.isdisjoint(destination)
    assert 37 in current_situation
    assert 17 in current_situation
    assert 24 not in current_situation
    assert 116 in prior
    assert 435 in destination


def test_lists_chosen_by_another_column() -> None:
    spec = current()
    response = spec.record("Disabilities").column("DisabilityResponse")
    assert spec.allowed_values(response, "4.10.2") == frozenset({0, 1, 2, 3, 8, 9, 99})
    assert spec.allowed_values(response, "1.8") == frozenset({0, 1, 8, 9, 99})
    kinds = {(r.when_value, r.list_id) for r in spec.rules_for("Services", "TypeProvided") if r.kind == "select"}
    assert (200, "4.14") in kinds
    assert (144, "V2.2") in kinds
    assert len(kinds) == 10


def test_labels_are_hud_wording() -> None:
    spec = current()
    assert spec.lists["4.21"].label(0) == "Female"
    assert spec.lists["1.8"].label(9) == "Client prefers not to answer"
    assert spec.lists["V6.1"].label("528A5") == "(528A5) Canandaigua, NY"
    choices = spec.static_choices(spec.record("Client").column("VeteranStatus"))
    assert choices == [
        (0, "No"),
        (1, "Yes"),
        (8, "Client doesn’t know"),
        (9, "Client prefers not to answer"),
        (99, "Data not collected"),
    ]


def test_fy2024_is_described_as_changes() -> None:
    fy2024 = current().previous["fy2024"]
    assert fy2024.renamed == {"Client": {"HispanicLatinaeo": "HispanicLatinao"}}
    assert fy2024.added == {"Client": frozenset({"Sex"}), "Enrollment": frozenset({"MentalHealthConsultation"})}
    assert set(fy2024.removed["Enrollment"]) == {
        "SexualOrientation",
        "SexualOrientationOther",
        "TranslationNeeded",
        "PreferredLanguage",
        "PreferredLanguageDifferent",
    }
    assert fy2024.retired["2.06.1"] == {47: "HUD: ESG – CV", 48: "HUD: HOPWA – CV"}
    assert fy2024.retired["V3.4"] == {11: "General housing stability assistance - emergency supplies"}
    assert current().retired_label("2.06.1", 48) == "HUD: HOPWA – CV"


def test_lenient_and_required_columns() -> None:
    spec = current()
    enrollment = spec.record("Enrollment")
    assert enrollment.column("HouseholdID").required
    assert not enrollment.column("EnrollmentCoC").required
    assert enrollment.column("EnrollmentCoC").lenient_null_when == parse("RelationshipToHoH = 1")
    assert spec.record("Client").column("Sex").nullable


def test_conditions_cover_the_spec_notes() -> None:
    spec = current()
    rules = {(c.record, c.column, c.rule) for c in spec.conditions}
    assert ("Enrollment", "RentalSubsidyType", "null_unless") in rules
    assert ("Exit", "DestinationSubsidyType", "required_if") in rules
    assert ("Services", "FAAmount", "null_unless") in rules
    assert ("Inventory", "ESBedType", "null_unless") in rules
    assert len(spec.conditions) == 116
    assert len(spec.eva_checks) == 27
    assert spec.eva_checks[126].severity == "High Priority"


@pytest.mark.parametrize("version", ["fy2030", "../fy2026"])
def test_unknown_version_is_refused(version: str) -> None:
    with pytest.raises(LookupError):
        get(version)
