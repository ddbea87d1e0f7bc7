"""Forms for CoCs, organizations, projects and their HUD descriptor data (HMIS Data Standards FY2026 2.01-2.09).

Each form offers HUD's responses (from the spec), checks the same rules the actions enforce
(hearth.structure.rules) and names the field to fix. ``fieldsets`` drives the shared template.
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any, ClassVar

from django import forms

from hearth.hmis.fields import hud_choices
from hearth.hmis.models import Project
from hearth.structure.descriptors import (
    CEParticipationData,
    FunderData,
    HMISParticipationData,
    InventoryData,
    ProjectCoCData,
    ce_participation_context_problems,
    funder_context_problems,
    hmis_participation_context_problems,
    inventory_context_problems,
    project_coc_context_problems,
)
from hearth.structure.organizations import OrganizationData
from hearth.structure.projects import ProjectData, project_context_problems
from hearth.structure.rules import BEDS_BY_POPULATION, CE_ASSESSMENTS, project_problems


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def coded(
    record: str, column: str, *, label: str, required: bool = True, help_text: str = ""
) -> forms.TypedChoiceField:
    """A HUD coded element with HUD's labels; optional ones start empty."""
    choices: list[tuple[Any, str]] = list(hud_choices(record, column))
    choices = [("", "— Choose —"), *choices]
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, required=required, empty_value=None, help_text=help_text
    )


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def count(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, initial=0, help_text=help_text)


def text(label: str, max_length: int, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, help_text=help_text)


class StructureForm(forms.Form):
    """Shared behaviour: HUD-rule errors attached to their fields, blank text as None, the action's data."""

    fieldsets: ClassVar[list[tuple[str, list[str]]]] = []
    data_class: ClassVar[Any] = None

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        return {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = value.strip() or None
        for name, message in self.problems(data).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
            elif name not in self.fields:
                self.add_error(None, message)
        return data

    @property
    def layout(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fieldsets with their bound fields (a field the user may not change is left out)."""
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.fieldsets]

    def to_data(self) -> Any:
        names = [f.name for f in dataclass_fields(self.data_class)]
        return self.data_class(**{name: self.cleaned_data.get(name) for name in names})

    @classmethod
    def initial_for(cls, record: Any) -> dict[str, Any]:
        return {name: getattr(record, name) for name in cls.base_fields if hasattr(record, name)}

    def without_required_errors(self) -> None:
        """Inline validation while typing: keep the rule errors, drop "required" for fields not reached yet."""
        for name in list(self.errors):
            if name == "__all__":
                continue
            kept = [e for e in self.errors.as_data()[name] if e.code != "required"]
            if kept:
                self.errors[name] = self.error_class([m for e in kept for m in e.messages])
            else:
                del self.errors[name]


class ContinuumForm(StructureForm):
    code = forms.CharField(
        label="CoC code", max_length=6, help_text="HUD's code: two letters, a hyphen and three digits (XX-501)."
    )
    name = text("Name", 200, required=True)
    fieldsets: ClassVar[list[tuple[str, list[str]]]] = [("Continuum of Care", ["code", "name"])]

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class OrganizationForm(StructureForm):
    organization_name = text("Organization name", 200, required=True, help_text="2.01.2")
    organization_common_name = text("Common name", 200, help_text="The name staff use, if different.")
    victim_service_provider = coded(
        "Organization",
        "VictimServiceProvider",
        label="Victim service provider",
        help_text="2.01.3. Its clients' records are never reached by CoC-wide roles. Set by the HMIS Lead.",
    )
    fieldsets: ClassVar[list[tuple[str, list[str]]]] = [
        (
            "2.01 Organization information",
            ["organization_name", "organization_common_name", "victim_service_provider"],
        )
    ]
    data_class = OrganizationData

    def __init__(self, *args: Any, may_set_vsp: bool = True, current_vsp: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_vsp = current_vsp
        if not may_set_vsp:
            # Shown as a fact, not a field: the HMIS Lead decides it (hearth.structure.authority).
            del self.fields["victim_service_provider"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "victim_service_provider" not in self.fields:
            data["victim_service_provider"] = self.current_vsp
        return data


class ProjectForm(StructureForm):
    project_name = text("Project name", 200, required=True, help_text="2.02.2")
    project_common_name = text("Common name", 200)
    operating_start_date = date_field("Operating start date", help_text="2.02.3. The first day clients were served.")
    operating_end_date = date_field(
        "Operating end date", required=False, help_text="2.02.4. The last day, when the project closes."
    )
    continuum_project = coded("Project", "ContinuumProject", label="Continuum project", help_text="2.02.5")
    project_type = coded(
        "Project",
        "ProjectType",
        label="Project type",
        required=False,
        help_text="2.02.6. Required for a Continuum project.",
    )
    rrh_sub_type = coded(
        "Project",
        "RRHSubType",
        label="RRH subtype",
        required=False,
        help_text="2.02.A. For PH – Rapid Re-Housing only.",
    )
    residential_affiliation = coded(
        "Project",
        "ResidentialAffiliation",
        label="Affiliated with a residential project",
        required=False,
        help_text="2.02.B. For Services Only and RRH services-only projects only.",
    )
    housing_type = coded(
        "Project",
        "HousingType",
        label="Housing type",
        required=False,
        help_text="2.02.D. For residential projects and RRH housing.",
    )
    target_population = coded("Project", "TargetPopulation", label="Target population", required=False)
    hopwa_med_assisted_living_fac = coded(
        "Project",
        "HOPWAMedAssistedLivingFac",
        label="HOPWA-funded medically assisted living facility",
        required=False,
        help_text="2.02.8",
    )
    pit_count = forms.IntegerField(
        label="PIT count", required=False, min_value=0, help_text="Active clients on the night of the PIT count (HIC)."
    )
    fieldsets: ClassVar[list[tuple[str, list[str]]]] = [
        (
            "Name and operating dates",
            ["project_name", "project_common_name", "operating_start_date", "operating_end_date"],
        ),
        (
            "Type",
            ["continuum_project", "project_type", "rrh_sub_type", "residential_affiliation", "housing_type"],
        ),
        ("Population", ["target_population", "hopwa_med_assisted_living_fac", "pit_count"]),
    ]
    data_class = ProjectData

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        return project_problems(values) | project_context_problems(self.project, values)


class DescriptorForm(StructureForm):
    """A form for one of a project's descriptor records, checked in the project's context."""

    context_problems: ClassVar[Any] = None

    def __init__(self, *args: Any, project: Project, record_pk: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.record_pk = record_pk

    def problems(self, values: dict[str, Any]) -> dict[str, str]:
        # Rules see every value (None for one not given or not valid); an error already on a field stays first.
        names = [f.name for f in dataclass_fields(self.data_class)]
        padded = {name: values.get(name) for name in names}
        return dict(type(self).context_problems(self.project, padded, self.record_pk))


class FunderForm(DescriptorForm):
    funder = coded("Funder", "Funder", label="Funder", help_text="2.06.1")
    other_funder = text("Other funder", 100, help_text="2.06.A. Only for “Local or Other Funding Source”.")
    grant_id = text("Grant identifier", 100, required=True, help_text="2.06.2")
    start_date = date_field("Grant start date", help_text="2.06.3")
    end_date = date_field("Grant end date", required=False, help_text="2.06.4. Enter it when the grant ends.")
    fieldsets: ClassVar[list[tuple[str, list[str]]]] = [
        ("2.06 Funding source", ["funder", "other_funder", "grant_id", "start_date", "end_date"])
    ]
    data_class = FunderData
    context_problems = staticmethod(funder_context_problems)


class ProjectCoCForm(DescriptorForm):
    coc_code = forms.CharField(label="CoC code", max_length=6, help_text="2.03.1. Two letters, a hyphen, three digits.")
    geocode = forms.CharField(label="Geocode", max_length=6, help_text="2.03.2. HUD's six-digit geographic code.")
    address1 = text("Address line 1", 100, help_text="2.03.3. The project's principal site.")
    address2 = text("Address line 2", 100)
    city = text("City", 50)
    state = text("State", 2, help_text="Two-letter abbreviation.")
    zip = text("ZIP code", 5)
    geography_type = coded("ProjectCoC", "GeographyType", label="Geography type", required=False, help_text="2.03.8")
    fieldsets: ClassVar[list[tuple[str, list[str]]]] = [
        ("2.03 Continuum of Care", ["coc_code", "geocode", "geography_type"]),
        ("Address", ["address1", "address2", "city", "state", "zip"]),
    ]
    data_class = ProjectCoCData
    context_problems = staticmethod(project_coc_context_problems)

    def clean_coc_code(self) -> str:
        return str(self.cleaned_data["coc_code"]).strip().upper()

    def clean_state(self) -> str | None:
        return (self.cleaned_data.get("state") or "").strip().upper() or None


class InventoryForm(DescriptorForm):
    coc_code = forms.ChoiceField(label="CoC code", choices=[], help_text="2.07.3. One of the project's CoCs.")
    household_type = coded("Inventory", "HouseholdType", label="Household type", help_text="2.07.4")
    es_bed_type = coded(
        "Inventory", "ESBedType", label="Bed type", required=False, help_text="2.07.5. Emergency shelters only."
    )
    availability = coded(
        "Inventory", "Availability", label="Availability", required=False, help_text="2.07.6. Emergency shelters only."
    )
    ch_vet_bed_inventory = count("Beds for chronically homeless veterans", "2.07.7")
    youth_vet_bed_inventory = count("Beds for youth veterans", "2.07.8")
    vet_bed_inventory = count("Beds for other veterans", "2.07.9")
    ch_youth_bed_inventory = count("Beds for chronically homeless youth", "2.07.10")
    youth_bed_inventory = count("Beds for other youth", "2.07.11")
    ch_bed_inventory = count("Beds for other chronically homeless people", "2.07.12")
    other_bed_inventory = count("Other beds", "2.07.13. Beds not dedicated to a population above.")
    bed_inventory = count("Total beds", "2.07.14. The beds above added together.")
    unit_inventory = count("Total units", "2.07.15")
    inventory_start_date = date_field("Inventory start date", help_text="2.07.1")
    inventory_end_date = date_field(
        "Inventory end date", required=False, help_text="2.07.2. Enter it when these beds stop being available."
    )
    fieldsets: ClassVar[list[tuple[str, list[str]]]] = [
        ("2.07 Inventory", ["coc_code", "household_type", "es_bed_type", "availability"]),
        ("Beds by population", [*BEDS_BY_POPULATION, "bed_inventory", "unit_inventory"]),
        ("Dates", ["inventory_start_date", "inventory_end_date"]),
    ]
    data_class = InventoryData
    context_problems = staticmethod(inventory_context_problems)

    def __init__(self, *args: Any, coc_codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["coc_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "— Choose —"), *((code, code) for code in coc_codes)]
        if len(coc_codes) == 1:
            field.initial = coc_codes[0]


class HMISParticipationForm(DescriptorForm):
    hmis_participation_type = coded(
        "HMISParticipation", "HMISParticipationType", label="Participation type", help_text="2.08.1"
    )
    hmis_participation_status_start_date = date_field("Start date", help_text="2.08.2")
    hmis_participation_status_end_date = date_field(
        "End date", required=False, help_text="2.08.3. Enter it when the status changes; then add the new one."
    )
    fieldsets: ClassVar[list[tuple[str, list[str]]]] = [
        (
            "2.08 HMIS participation",
            [
                "hmis_participation_type",
                "hmis_participation_status_start_date",
                "hmis_participation_status_end_date",
            ],
        )
    ]
    data_class = HMISParticipationData
    context_problems = staticmethod(hmis_participation_context_problems)


class CEParticipationForm(DescriptorForm):
    access_point = coded("CEParticipation", "AccessPoint", label="Access point", help_text="2.09.1")
    prevention_assessment = coded(
        "CEParticipation", "PreventionAssessment", label="Prevention assessment", required=False, help_text="2.09.A"
    )
    crisis_assessment = coded(
        "CEParticipation", "CrisisAssessment", label="Crisis assessment", required=False, help_text="2.09.A"
    )
    housing_assessment = coded(
        "CEParticipation", "HousingAssessment", label="Housing assessment", required=False, help_text="2.09.A"
    )
    direct_services = coded(
        "CEParticipation", "DirectServices", label="Direct services", required=False, help_text="2.09.A"
    )
    receives_referrals = coded("CEParticipation", "ReceivesReferrals", label="Receives referrals", help_text="2.09.2")
    ce_participation_status_start_date = date_field("Start date", help_text="2.09.3")
    ce_participation_status_end_date = date_field("End date", required=False, help_text="2.09.4")
    fieldsets: ClassVar[list[tuple[str, list[str]]]] = [
        ("2.09 Coordinated entry participation", ["access_point", "receives_referrals"]),
        ("Services of an access point (2.09.A)", list(CE_ASSESSMENTS)),
        ("Dates", ["ce_participation_status_start_date", "ce_participation_status_end_date"]),
    ]
    data_class = CEParticipationData
    context_problems = staticmethod(ce_participation_context_problems)


class AffiliationForm(forms.Form):
    res_project = forms.TypedChoiceField(label="Residential project", choices=[], coerce=int, help_text="2.02.C")

    def __init__(self, *args: Any, candidates: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["res_project"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            ("", "— Choose —"),
            *((p.pk, f"{p.project_name} ({p.organization.organization_name})") for p in candidates),
        ]
