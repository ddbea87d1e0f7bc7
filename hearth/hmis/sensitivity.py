"""Which HUD columns hold personal data, and how sensitive they are.

One catalogue drives masking in messages and reports, log scrubbing and (later) field-level access. A value
from an ``IDENTIFYING`` or ``CONTACT`` column never appears in an import report, error message or log line.
"""

from __future__ import annotations

from enum import StrEnum


class Sensitivity(StrEnum):
    IDENTIFYING = "identifying"  # identifies a person on its own: names, SSN, date of birth
    CONTACT = "contact"  # reaches a person: phone, email, free-text location
    SENSITIVE = "sensitive"  # health, domestic violence, sexual exploitation: protected, not identifying


CATALOGUE: dict[tuple[str, str], Sensitivity] = {
    ("Client", "FirstName"): Sensitivity.IDENTIFYING,
    ("Client", "MiddleName"): Sensitivity.IDENTIFYING,
    ("Client", "LastName"): Sensitivity.IDENTIFYING,
    ("Client", "NameSuffix"): Sensitivity.IDENTIFYING,
    ("Client", "SSN"): Sensitivity.IDENTIFYING,
    ("Client", "DOB"): Sensitivity.IDENTIFYING,
    ("Client", "AdditionalRaceEthnicity"): Sensitivity.CONTACT,
    ("User", "UserFirstName"): Sensitivity.CONTACT,
    ("User", "UserLastName"): Sensitivity.CONTACT,
    ("User", "UserPhone"): Sensitivity.CONTACT,
    ("User", "UserExtension"): Sensitivity.CONTACT,
    ("User", "UserEmail"): Sensitivity.CONTACT,
    ("Export", "SourceContactFirst"): Sensitivity.CONTACT,
    ("Export", "SourceContactLast"): Sensitivity.CONTACT,
    ("Export", "SourceContactPhone"): Sensitivity.CONTACT,
    ("Export", "SourceContactExtension"): Sensitivity.CONTACT,
    ("Export", "SourceContactEmail"): Sensitivity.CONTACT,
    ("CurrentLivingSituation", "LocationDetails"): Sensitivity.CONTACT,
    ("CurrentLivingSituation", "VerifiedBy"): Sensitivity.CONTACT,
    ("Exit", "OtherDestination"): Sensitivity.CONTACT,
    ("AssessmentQuestions", "AssessmentAnswer"): Sensitivity.CONTACT,
    ("AssessmentResults", "AssessmentResult"): Sensitivity.CONTACT,
    ("Event", "LocationCrisisOrPHHousing"): Sensitivity.CONTACT,
    ("Assessment", "AssessmentLocation"): Sensitivity.CONTACT,
    ("HealthAndDV", "DomesticViolenceSurvivor"): Sensitivity.SENSITIVE,
    ("HealthAndDV", "WhenOccurred"): Sensitivity.SENSITIVE,
    ("HealthAndDV", "CurrentlyFleeing"): Sensitivity.SENSITIVE,
    ("HealthAndDV", "PregnancyStatus"): Sensitivity.SENSITIVE,
    ("HealthAndDV", "DueDate"): Sensitivity.SENSITIVE,
    ("Exit", "ExchangeForSex"): Sensitivity.SENSITIVE,
    ("Exit", "CountOfExchangeForSex"): Sensitivity.SENSITIVE,
    ("Exit", "AskedOrForcedToExchangeForSex"): Sensitivity.SENSITIVE,
}


def sensitivity(record: str, column: str) -> Sensitivity | None:
    return CATALOGUE.get((record, column))


def is_masked(record: str, column: str) -> bool:
    """True when a value from this column must not be shown in reports, messages or logs."""
    return sensitivity(record, column) in {Sensitivity.IDENTIFYING, Sensitivity.CONTACT}
