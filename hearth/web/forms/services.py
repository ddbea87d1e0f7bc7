"""Forms for services, bed nights, outreach contacts, case notes and documents.

They check shapes (dates, numbers, choices); the HUD rules live in the actions (hearth/casework), whose
messages come back to the same fields.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from hearth.casework.models import FileKind, ServiceType
from hearth.casework.outreach import ASKS_LEAVE_14_DAYS, WITH_SUBSIDY, ContactData, living_situation_choices
from hearth.casework.services import ServiceData, choices, label, sub_type_list, type_provided_list
from hearth.spec import current

DATE = forms.DateInput(attrs={"type": "date"})
LOCAL = "coc"  # the record-type value prefix of a CoC-defined service type ("coc:12")


def _past(value: date | None, what: str) -> date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(f"{what} cannot be in the future.")
    return value


def _yes_no(label_text: str) -> forms.TypedChoiceField:
    options = [("", "—"), *[(int(v), text) for v, text in current().lists["1.8"].labels.items()]]
    return forms.TypedChoiceField(label=label_text, choices=options, coerce=int, required=False, empty_value=None)


class ServiceForm(forms.Form):
    """One service: a HUD RecordType the project's funders allow, or one of the CoC's own service types."""

    record_type = forms.ChoiceField(label="Kind of service")
    date_provided = forms.DateField(label="Date provided", widget=DATE)
    type_provided = forms.TypedChoiceField(
        label="Service provided", coerce=int, required=False, empty_value=None, choices=[]
    )
    sub_type_provided = forms.TypedChoiceField(
        label="SSVF assistance detail (V2.A-C)", coerce=int, required=False, empty_value=None, choices=[]
    )
    other_type_provided = forms.CharField(label="Other service (specify)", max_length=50, required=False)
    moving_on_other_type = forms.CharField(label="Other Moving On assistance (specify)", max_length=50, required=False)
    fa_amount = forms.DecimalField(
        label="Financial assistance amount ($)", max_digits=12, decimal_places=2, required=False, min_value=Decimal(0)
    )
    fa_start_date = forms.DateField(label="Assistance start date", widget=DATE, required=False)
    fa_end_date = forms.DateField(label="Assistance end date", widget=DATE, required=False)
    referral_outcome = forms.TypedChoiceField(
        label="Referral outcome (P2.A)", coerce=int, required=False, empty_value=None, choices=[]
    )
    quantity = forms.IntegerField(label="Quantity", min_value=1, max_value=1000, initial=1, required=False)

    def __init__(self, *args: Any, record_types: list[int], local_types: list[ServiceType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.record_types = record_types
        self.local_types = {str(t.pk): t for t in local_types}
        options: list[tuple[str, str]] = [("", "Choose…")]
        options += [(str(rt), label("1.4", rt)) for rt in record_types]
        options += [(f"{LOCAL}:{t.pk}", f"{t.name} (CoC service)") for t in local_types]
        kinds = self.fields["record_type"]
        assert isinstance(kinds, forms.ChoiceField)
        kinds.choices = options
        # TypeProvided's list depends on RecordType: offer the list of the chosen (or only) record type.
        # (An unbound form redrawn for a new choice carries the answers so far as its initial values.)
        self.answers = self.data if self.is_bound else self.initial
        chosen = self.answers.get("record_type") or (str(record_types[0]) if len(record_types) == 1 else "")
        type_field = self.fields["type_provided"]
        assert isinstance(type_field, forms.TypedChoiceField)
        if chosen.isdigit() and int(chosen) in record_types:
            type_field.choices = [("", "Choose…"), *choices(type_provided_list(int(chosen)))]
        sub_field = self.fields["sub_type_provided"]
        assert isinstance(sub_field, forms.TypedChoiceField)
        chosen_type = str(self.answers.get("type_provided") or "")
        sub_list = sub_type_list(int(chosen_type)) if chosen == "144" and chosen_type.isdigit() else None
        sub_field.choices = [("", "—"), *(choices(sub_list) if sub_list else [])]
        outcome = self.fields["referral_outcome"]
        assert isinstance(outcome, forms.TypedChoiceField)
        outcome.choices = [("", "—"), *choices("P2.A")]
        self.chosen_record_type = chosen

    def shown(self) -> list[str]:
        """The fields that apply to the chosen kind of service (Services.csv conditions), in form order."""
        chosen = self.chosen_record_type
        names = ["record_type", "date_provided"]
        if chosen.startswith(f"{LOCAL}:"):
            return [*names, "quantity"]
        if not chosen.isdigit():
            return names
        rt = int(chosen)
        names.append("type_provided")
        tp = str(self.answers.get("type_provided") or "")
        tp_value = int(tp) if tp.isdigit() else None
        if rt == 144 and tp_value in (3, 4, 5):
            names.append("sub_type_provided")
        if (rt == 144 and tp_value == 6) or (rt == 210 and tp_value == 12):
            names.append("other_type_provided")
        if rt == 300 and tp_value == 5:
            names.append("moving_on_other_type")
        if rt in (151, 152):
            names += ["fa_amount", "fa_start_date", "fa_end_date"]
        if rt == 161:
            names.append("referral_outcome")
        return names

    def shown_fields(self) -> list[Any]:
        return [self[name] for name in self.shown()]

    def clean_date_provided(self) -> date | None:
        return _past(self.cleaned_data.get("date_provided"), "The date provided")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("record_type") or ""
        if chosen.startswith(f"{LOCAL}:"):
            if chosen.removeprefix(f"{LOCAL}:") not in self.local_types:
                self.add_error("record_type", "Choose a kind of service from the list.")
        elif not chosen.isdigit() or int(chosen) not in self.record_types:
            self.add_error("record_type", "Choose a kind of service from the list.")
        elif data.get("type_provided") is None:
            self.add_error("type_provided", "Choose the service provided.")
        return data

    @property
    def local_type(self) -> ServiceType | None:
        chosen = self.cleaned_data.get("record_type") or ""
        return self.local_types.get(chosen.removeprefix(f"{LOCAL}:")) if chosen.startswith(f"{LOCAL}:") else None

    def service_data(self) -> ServiceData:
        d = self.cleaned_data
        return ServiceData(
            date_provided=d["date_provided"],
            record_type=int(d["record_type"]),
            type_provided=d["type_provided"],
            other_type_provided=d.get("other_type_provided") or None,
            moving_on_other_type=d.get("moving_on_other_type") or None,
            sub_type_provided=d.get("sub_type_provided"),
            fa_amount=d.get("fa_amount"),
            fa_start_date=d.get("fa_start_date"),
            fa_end_date=d.get("fa_end_date"),
            referral_outcome=d.get("referral_outcome"),
        )


class RosterNightForm(forms.Form):
    night = forms.DateField(label="Night of", widget=DATE)

    def clean_night(self) -> date | None:
        return _past(self.cleaned_data.get("night"), "The night")


class ContactForm(forms.Form):
    """4.12 Current Living Situation, with its follow-ups (asked only when they apply)."""

    information_date = forms.DateField(label="Date of contact", widget=DATE)
    current_living_situation = forms.TypedChoiceField(label="Current living situation", coerce=int, choices=[])
    cls_subsidy_type = forms.TypedChoiceField(
        label="Rental subsidy type (if rental with ongoing subsidy)", coerce=int, required=False, empty_value=None
    )
    leave_situation_14_days = _yes_no("Must the client leave this living situation within 14 days?")
    subsequent_residence = _yes_no("Has a subsequent residence been identified?")
    resources_to_obtain = _yes_no("Does the client have resources to obtain permanent housing?")
    lease_own_60_day = _yes_no(
        "Has the client had a lease or ownership interest in a permanent unit in the last 60 days?"
    )
    moved_two_or_more = _yes_no("Has the client moved two or more times in the last 60 days?")
    verified_by = forms.CharField(label="Verified by (Coordinated Entry)", max_length=200, required=False)
    location_details = forms.CharField(
        label="Location details",
        max_length=250,
        required=False,
        help_text="Where you met the client (a landmark or cross streets), to find them again.",
    )

    def __init__(self, *args: Any, coordinated_entry: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        situation = self.fields["current_living_situation"]
        assert isinstance(situation, forms.TypedChoiceField)
        situation.choices = [("", "Choose…"), *living_situation_choices()]
        subsidy = self.fields["cls_subsidy_type"]
        assert isinstance(subsidy, forms.TypedChoiceField)
        subsidy.choices = [("", "—"), *choices("3.12.A")]
        if not coordinated_entry:
            del self.fields["verified_by"]
        self.asks_leave = sorted(ASKS_LEAVE_14_DAYS)
        self.with_subsidy = WITH_SUBSIDY

    def clean_information_date(self) -> date | None:
        return _past(self.cleaned_data.get("information_date"), "The date of contact")

    def contact_data(self) -> ContactData:
        d = self.cleaned_data
        return ContactData(
            information_date=d["information_date"],
            current_living_situation=d["current_living_situation"],
            cls_subsidy_type=d.get("cls_subsidy_type"),
            verified_by=d.get("verified_by") or None,
            leave_situation_14_days=d.get("leave_situation_14_days"),
            subsequent_residence=d.get("subsequent_residence"),
            resources_to_obtain=d.get("resources_to_obtain"),
            lease_own_60_day=d.get("lease_own_60_day"),
            moved_two_or_more=d.get("moved_two_or_more"),
            location_details=d.get("location_details") or None,
        )


class EngagementForm(forms.Form):
    date_of_engagement = forms.DateField(
        label="Date of engagement",
        widget=DATE,
        required=False,
        help_text="The date the client engaged in an interactive relationship and began a plan (HUD 4.13). "
        "Leave empty to clear it.",
    )


class NoteForm(forms.Form):
    contact_date = forms.DateField(label="Date of contact", widget=DATE)
    enrollment = forms.TypedChoiceField(label="About the enrollment", coerce=int, required=False, empty_value=None)
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000)

    def __init__(self, *args: Any, enrollments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enrollment"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "None (about the client)"), *enrollments]
        if not enrollments:
            del self.fields["enrollment"]

    def clean_contact_date(self) -> date | None:
        return _past(self.cleaned_data.get("contact_date"), "The date of contact")


class FileForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of document", choices=[("", "Choose…"), *FileKind.choices])
    upload = forms.FileField(
        label="File", help_text="PDF, JPEG, PNG or HEIC (a phone photo); at most {max_mb} MB.", allow_empty_file=True
    )

    def __init__(self, *args: Any, max_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = str(self.fields["upload"].help_text).format(max_mb=max_mb)
        self.fields["upload"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.heic,.heif"
