"""How HUD's HMIS CSV names map to Hearth's database names.

Rules, in order:
1. A file's first column (its own HUD identifier: PersonalID in Client.csv, EnrollmentID in Enrollment.csv…)
   is ``hud_id``; a record is keyed by (source, hud_id).
2. A column that names another record (ProjectID, EnrollmentID, PersonalID, OrganizationID, AssessmentID,
   ResProjectID outside their own file) is a foreign key named after that record (``project``, ``client``…).
3. ``ExportID`` is the foreign key ``export`` (the export that last wrote the record).
4. Everything else is HUD's name in snake_case (``HOHLeaseholder`` → ``hoh_leaseholder``).
"""

from __future__ import annotations

import re

# HUD column -> (field name, target record type) for references to other records.
REFERENCES: dict[str, tuple[str, str]] = {
    "OrganizationID": ("organization", "Organization"),
    "ProjectID": ("project", "Project"),
    "ResProjectID": ("res_project", "Project"),
    "PersonalID": ("client", "Client"),
    "EnrollmentID": ("enrollment", "Enrollment"),
    "AssessmentID": ("assessment", "Assessment"),
    "ExportID": ("export", "Export"),
}

# Module (file) name for each record type's model.
MODULES: dict[str, str] = {
    "Export": "export",
    "Organization": "organization",
    "User": "user",
    "Project": "project",
    "Funder": "funder",
    "ProjectCoC": "project_coc",
    "Inventory": "inventory",
    "Affiliation": "affiliation",
    "HMISParticipation": "hmis_participation",
    "CEParticipation": "ce_participation",
    "Client": "client",
    "Enrollment": "enrollment",
    "Exit": "exit",
    "IncomeBenefits": "income_benefits",
    "HealthAndDV": "health_and_dv",
    "EmploymentEducation": "employment_education",
    "Disabilities": "disabilities",
    "Services": "services",
    "CurrentLivingSituation": "current_living_situation",
    "Assessment": "assessment",
    "AssessmentQuestions": "assessment_questions",
    "AssessmentResults": "assessment_results",
    "Event": "event",
    "YouthEducationStatus": "youth_education_status",
}

# Model class names: HUD's, except User (clashes with Django's auth user in every reader's head).
CLASS_NAMES: dict[str, str] = {name: name for name in MODULES} | {"User": "HmisUser"}

# snake_case that the mechanical rule gets wrong or unreadable.
OVERRIDES: dict[str, str] = {
    "TCellCount": "tcell_count",
    "TCellSource": "tcell_source",
    "TCellCountAvailable": "tcell_count_available",
    "LeaseOwn60Day": "lease_own_60_day",
    "HH5Plus": "hh_5_plus",
    "DependentUnder6": "dependent_under_6",
    "LeaveSituation14Days": "leave_situation_14_days",
    "WorldWarII": "world_war_ii",
    "MidEastNAfrican": "mid_east_n_african",
    "AmIndAKNative": "am_ind_ak_native",
    "NativeHIPacific": "native_hi_pacific",
    "BlackAfAmerican": "black_af_american",
    "SSI": "ssi",
    "SSDI": "ssdi",
    "SSN": "ssn",
    "DOB": "dob",
    "ZIP": "zip",
    "CoCCode": "coc_code",
    "CoCPrioritized": "coc_prioritized",
    "EnrollmentCoC": "enrollment_coc",
    "DisabledHoH": "disabled_hoh",
    "RelationshipToHoH": "relationship_to_hoh",
    # Export.SourceID would collide with the ``source_id`` column of Hearth's own source relation.
    "SourceID": "source_identifier",
}


def snake(name: str) -> str:
    if name in OVERRIDES:
        return OVERRIDES[name]
    step = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    step = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", step)
    return step.lower()


def field_name(record: str, column: str, position: int) -> str:
    """The model field for a HUD column (for foreign keys: the relation's name, not its ``_id`` column)."""
    if position == 1:
        return "hud_id"
    if column in REFERENCES:
        return REFERENCES[column][0]
    return snake(column)


def reference_target(record: str, column: str, position: int) -> str | None:
    """The record type a column points at, or None for a plain value."""
    if position == 1 or column not in REFERENCES:
        return None
    return REFERENCES[column][1]
