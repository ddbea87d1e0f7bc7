"""The client intake form: universal data elements 3.01-3.07 with HUD's responses and data-quality rules."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from hearth.casework.clients import RACE_COLUMNS, ClientData
from hearth.hmis.fields import hud_choices
from hearth.hmis.models import Client

# Responses meaning "no value": Client doesn't know (8), Client prefers not to answer (9), Data not collected (99).
NOT_GIVEN = {8, 9, 99}
SSN_PATTERN = re.compile(r"^[0-9xX]{9}$")


def _coded(column: str, *, label: str, required: bool = True, initial: int | None = None) -> forms.TypedChoiceField:
    choices: list[tuple[Any, str]] = [(code, label) for code, label in hud_choices("Client", column)]
    if not required:
        choices = [("", "—"), *choices]
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, required=required, initial=initial, empty_value=None
    )


class ClientForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=64, required=False)
    middle_name = forms.CharField(label="Middle name", max_length=64, required=False)
    last_name = forms.CharField(label="Last name", max_length=64, required=False)
    name_suffix = forms.CharField(label="Suffix", max_length=50, required=False)
    name_data_quality = _coded("NameDataQuality", label="Name data quality", initial=1)
    ssn = forms.CharField(
        label="Social Security Number",
        max_length=11,
        required=False,
        help_text="9 digits; for a partial number, type x for each unknown digit.",
    )
    ssn_data_quality = _coded("SSNDataQuality", label="SSN data quality", initial=99)
    dob = forms.DateField(label="Date of birth", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    dob_data_quality = _coded("DOBDataQuality", label="Date of birth data quality", initial=99)
    races = forms.MultipleChoiceField(
        label="Race and ethnicity (all that apply)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],  # HUD's labels, set in __init__
    )
    race_none = _coded("RaceNone", label="If none of the above", required=False)
    additional_race_ethnicity = forms.CharField(
        label="Additional race and ethnicity detail", max_length=100, required=False
    )
    sex = _coded("Sex", label="Sex", initial=99)
    veteran_status = _coded("VeteranStatus", label="Veteran status", initial=99)

    def __init__(self, *args: Any, ssn_on_record: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Correcting a client: the number on record is never written into the page (it shows as its last four,
        # like everywhere without the reveal permission; docs/adr/0015). Left empty, it is kept.
        self.ssn_on_record = ssn_on_record or None
        if self.ssn_on_record:
            self.fields["ssn"].help_text = (
                f"On record: •••-••-{self.ssn_on_record[-4:]}. Leave empty to keep it; type the whole number to "
                "replace it (x for each unknown digit)."
            )
        labels = dict(_RACE_LABELS)
        field = self.fields["races"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(column, labels[column]) for column in RACE_COLUMNS]

    def clean_ssn(self) -> str | None:
        raw = re.sub(r"[\s-]", "", self.cleaned_data.get("ssn") or "")
        if not raw:
            return None
        if not SSN_PATTERN.match(raw):
            raise forms.ValidationError("Enter 9 digits, with x for any digit the client does not know.")
        return raw.lower()

    def clean_dob(self) -> date | None:
        dob: date | None = self.cleaned_data.get("dob")
        if dob is not None and dob > timezone.localdate():
            raise forms.ValidationError("Date of birth cannot be in the future.")
        return dob

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_name"), data.get("last_name")
        # 3.01 Name: "Full name reported" needs first and last; no name at all means 8, 9 or 99.
        if data.get("name_data_quality") == 1 and not (first and last):
            self.add_error("name_data_quality", "“Full name reported” needs both a first and a last name.")
        if not (first or last) and data.get("name_data_quality") not in NOT_GIVEN:
            self.add_error("name_data_quality", "With no name entered, choose why it was not collected.")
        ssn = data.get("ssn")
        quality = data.get("ssn_data_quality")
        if not ssn and self.ssn_on_record and quality in {1, 2} and "ssn" not in self.errors:
            data["ssn"] = ssn = self.ssn_on_record  # left empty while correcting: the number on record stays
        # 3.02 SSN: 1 = full SSN reported, 2 = approximate or partial; 8/9/99 = no number.
        if ssn and quality in NOT_GIVEN:
            self.add_error("ssn_data_quality", "An SSN was entered: choose full or partial.")
        if ssn and quality == 1 and "x" in ssn:
            self.add_error("ssn_data_quality", "A number with unknown digits is “Approximate or partial”.")
        if not ssn and quality in {1, 2}:
            self.add_error("ssn", "Enter the number, or choose why it was not collected.")
        # 3.03 DOB: 1 = full, 2 = approximate or partial; 8/9/99 = no date.
        dob, dob_quality = data.get("dob"), data.get("dob_data_quality")
        if dob and dob_quality in NOT_GIVEN:
            self.add_error("dob_data_quality", "A date of birth was entered: choose full or approximate.")
        if not dob and dob_quality in {1, 2}:
            self.add_error("dob", "Enter the date of birth, or choose why it was not collected.")
        # 3.04: RaceNone only when no category is chosen.
        if data.get("races") and data.get("race_none") is not None:
            self.add_error("race_none", "Leave this empty when a race or ethnicity is chosen.")
        return data

    def client_data(self) -> ClientData:
        data = self.cleaned_data
        return ClientData(
            first_name=data["first_name"] or None,
            middle_name=data["middle_name"] or None,
            last_name=data["last_name"] or None,
            name_suffix=data["name_suffix"] or None,
            name_data_quality=data["name_data_quality"],
            ssn=data["ssn"],
            ssn_data_quality=data["ssn_data_quality"],
            dob=data["dob"],
            dob_data_quality=data["dob_data_quality"],
            races=list(data["races"]),
            race_none=data["race_none"],
            additional_race_ethnicity=data["additional_race_ethnicity"] or None,
            sex=data["sex"],
            veteran_status=data["veteran_status"],
        )

    @classmethod
    def initial_for(cls, client: Client) -> dict[str, Any]:
        # Never the SSN: the form is built with ssn_on_record instead (shown as its last four only).
        initial = {name: getattr(client, name) for name in cls.base_fields if name not in {"races", "ssn"}}
        initial["races"] = [column for column in RACE_COLUMNS if getattr(client, column) == 1]
        return initial


# HUD's labels for the 3.04 categories (HMIS Data Standards FY2026, 3.04.1).
_RACE_LABELS = (
    ("am_ind_ak_native", "American Indian, Alaska Native, or Indigenous"),
    ("asian", "Asian or Asian American"),
    ("black_af_american", "Black, African American, or African"),
    ("hispanic_latinao", "Hispanic/Latina/e/o"),
    ("mid_east_n_african", "Middle Eastern or North African"),
    ("native_hi_pacific", "Native Hawaiian or Pacific Islander"),
    ("white", "White"),
)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Name, date of birth, last 4 of SSN or Hearth ID",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )
