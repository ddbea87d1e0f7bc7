"""Forms of the household and enrollment pages: HUD's responses come from the spec (3.12.1, 3.12.A, 3.15.1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from hearth.hmis.fields import hud_choices

DATE = forms.DateInput(attrs={"type": "date"})


def _coded(record: str, column: str, *, label: str, required: bool = True, **kwargs: Any) -> forms.TypedChoiceField:
    choices: list[tuple[Any, str]] = list(hud_choices(record, column))
    if not required:
        choices = [("", "—"), *choices]
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, required=required, empty_value=None, **kwargs
    )


def relationship_field(label: str = "Relationship to head of household", **kwargs: Any) -> forms.TypedChoiceField:
    return _coded("Enrollment", "RelationshipToHoH", label=label, **kwargs)


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put an action's messages on the fields they name (or on the form)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class EnrollForm(forms.Form):
    project = forms.TypedChoiceField(label="Project", coerce=int, choices=[])
    entry_date = forms.DateField(
        label="Project start date", widget=DATE, help_text="3.10: the day the household entered."
    )
    relationship = relationship_field(initial=1)
    enrollment_coc = forms.ChoiceField(
        label="CoC where the household is enrolled",
        required=False,
        choices=[],
        help_text="3.16 Client Location. Leave as is when the project operates in one CoC.",
    )

    def __init__(self, *args: Any, projects: list[Any], cocs: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project = self.fields["project"]
        assert isinstance(project, forms.ChoiceField)
        project.choices = [(p.pk, f"{p.project_name} · {p.organization.organization_name}") for p in projects]
        coc = self.fields["enrollment_coc"]
        assert isinstance(coc, forms.ChoiceField)
        coc.choices = [("", "The project’s CoC"), *[(code, code) for code in cocs]]


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a household member by name, date of birth or Hearth ID", max_length=200, required=False
    )


class AddMemberForm(forms.Form):
    relationship = relationship_field(initial=2)
    entry_date = forms.DateField(
        label="Project start date", widget=DATE, help_text="3.10: the day this person joined; not before the head’s."
    )


class RelationshipForm(forms.Form):
    relationship = relationship_field()


class ChangeHeadForm(forms.Form):
    new_head = forms.TypedChoiceField(label="New head of household", coerce=int, choices=[])
    former_head_relationship = relationship_field(label="Former head’s relationship to the new head")

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_head"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m.pk, _name(m.client)) for m in members]


class ExitForm(forms.Form):
    members = forms.TypedMultipleChoiceField(
        label="Who is leaving", coerce=int, choices=[], widget=forms.CheckboxSelectMultiple
    )
    exit_date = forms.DateField(label="Exit date", widget=DATE, help_text="3.11: the last day in the project.")
    destination = forms.TypedChoiceField(
        label="Destination",
        choices=[("", "—"), *hud_choices("Exit", "Destination")],
        coerce=int,
        empty_value=None,
        help_text="3.12: where the member goes right after leaving.",
        error_messages={"required": "Choose where the household is going (3.12 Destination)."},
    )
    destination_subsidy_type = _coded(
        "Exit",
        "DestinationSubsidyType",
        label="Rental subsidy type",
        required=False,
        help_text="3.12.A: only for “Rental by client, with ongoing housing subsidy”.",
    )
    other_destination = forms.CharField(
        label="Other destination",
        max_length=50,
        required=False,
        help_text="3.12.B: only when the destination is “Other”.",
    )
    new_head = forms.TypedChoiceField(
        label="New head of household (if the head leaves and others stay)",
        coerce=int,
        required=False,
        choices=[],
        empty_value=None,
    )
    former_head_relationship = relationship_field(label="Former head’s relationship to the new head", required=False)

    def __init__(self, *args: Any, leaving: list[Any], staying: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.ChoiceField)
        members.choices = [(m.pk, _name(m.client)) for m in leaving]
        head = self.fields["new_head"]
        assert isinstance(head, forms.ChoiceField)
        head.choices = [("", "—"), *[(m.pk, _name(m.client)) for m in staying]]


def _name(client: Any) -> str:
    return f"{client.first_name or '(no first name)'} {client.last_name or '(no last name)'}"
