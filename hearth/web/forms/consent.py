"""Forms of the consent pages: a release of information, a revocation, the CoC's sharing policy and groups.

They check shapes; the rules (identity always shared, verbal consent needs a follow-up date, victim service
providers never take part …) live in hearth.consent.actions, whose messages come back to the same fields.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from hearth.consent.form_texts import LANGUAGES
from hearth.consent.models import Category, Method, Policy, Through
from hearth.consent.signature_pad import Signature, SignatureError, from_pad
from hearth.hmis.models import Client, Organization, Project

DATE = forms.DateInput(attrs={"type": "date"})
ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.heif,application/pdf,image/jpeg,image/png,image/heic"
SCOPES = [("coc", "Every agency in the CoC"), ("chosen", "Only the agencies or projects chosen below")]
MEMBER_CHOICES = [("", "Not covered"), *Through.choices]


def _adult(client: Client, on: date) -> bool:
    if client.dob is None:
        return True
    return (on.year - client.dob.year - ((on.month, on.day) < (client.dob.month, client.dob.day))) >= 18


class ReleaseForm(forms.Form):
    """A release of information (consent to share), as the case worker records it with the client."""

    scope = forms.ChoiceField(label="Share with", choices=SCOPES, initial="coc", widget=forms.RadioSelect)
    organizations = forms.MultipleChoiceField(label="Agencies", required=False, widget=forms.CheckboxSelectMultiple)
    projects = forms.MultipleChoiceField(label="Projects", required=False, widget=forms.CheckboxSelectMultiple)
    categories = forms.MultipleChoiceField(
        label="Information shared",
        choices=Category.choices,
        initial=[Category.IDENTITY, Category.ENROLLMENT_HISTORY, Category.SERVICES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the data the client agrees to share."},
    )
    starts_on = forms.DateField(label="Starts on", widget=DATE)
    ends_on = forms.DateField(
        label="Ends on", widget=DATE, required=False, help_text="Leave empty when it lasts until the client revokes it."
    )
    method = forms.ChoiceField(
        label="How the client gave consent",
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the client gave consent."},
    )
    follow_up_due = forms.DateField(
        label="Signed form due by",
        widget=DATE,
        required=False,
        help_text="Verbal consent: when the signed form will follow.",
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    signature_typed = forms.CharField(
        label="Or type the client's full name to sign",
        required=False,
        max_length=120,
        help_text="For clients who sign with a keyboard or cannot draw on the screen.",
    )
    document = forms.FileField(
        label="Signed form (optional)",
        required=False,
        help_text="A scan or photo of the signed form: PDF, JPEG, PNG or HEIC.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(
        self,
        *args: Any,
        organizations: list[Organization],
        projects: list[Project],
        household: list[Client],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["follow_up_due"].initial = today + timedelta(days=30)
        agencies = self.fields["organizations"]
        assert isinstance(agencies, forms.MultipleChoiceField)
        agencies.choices = [(str(o.pk), o.organization_name) for o in organizations]
        programs = self.fields["projects"]
        assert isinstance(programs, forms.MultipleChoiceField)
        programs.choices = [(str(p.pk), f"{p.project_name} ({p.organization.organization_name})") for p in projects]
        self.household = household
        for member in household:
            # Minors are covered through the head of household by default; adults usually sign for themselves.
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=f"Hearth ID {member.pk}",
                choices=MEMBER_CHOICES,
                required=False,
                initial=Through.SELF if _adult(member, today) else Through.HEAD_OF_HOUSEHOLD,
            )
        self.signed: Signature | None = None

    def member_fields(self) -> list[tuple[Client, forms.BoundField]]:
        return [(m, self[f"member_{m.pk}"]) for m in self.household]

    def members(self) -> list[tuple[Client, str]]:
        return [
            (m, self.cleaned_data[f"member_{m.pk}"]) for m in self.household if self.cleaned_data.get(f"member_{m.pk}")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        printing = str(self.data.get("action", "")).startswith("print")
        if data.get("method") == Method.ELECTRONIC_SIGNATURE and not printing:
            try:
                self.signed = from_pad(data.get("signature") or "", data.get("signature_typed") or "")
            except SignatureError as problem:
                self.add_error("signature", str(problem))
            else:
                if self.signed.empty:
                    self.add_error("signature", "Have the client sign in the box, or type their name.")
        if data.get("scope") == "coc":
            data["organizations"], data["projects"] = [], []
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In the client's words, if they gave one. It is printed on the revocation form.",
    )
    document = forms.FileField(
        label="Signed revocation (optional)",
        required=False,
        help_text="A scan or photo of the signed revocation form: PDF, JPEG, PNG or HEIC.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    confirm = forms.BooleanField(
        label="The client asked to revoke this consent. I understand sharing under it stops at once.",
        error_messages={"required": "Confirm that the client asked to revoke this consent."},
    )


class SignedFormForm(forms.Form):
    document = forms.FileField(
        label="Signed form",
        help_text="A scan or photo of the signed form: PDF, JPEG, PNG or HEIC.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Choose the scan or photo of the signed form."},
    )


class SharingPolicyForm(forms.Form):
    policy = forms.ChoiceField(label="Sharing policy", choices=Policy.choices, widget=forms.RadioSelect)
    deidentify_on_revocation = forms.BooleanField(
        label="When a client revokes consent, remove their name, date of birth and SSN from what other agencies see",
        required=False,
    )
    privacy_notice_version = forms.CharField(
        label="Privacy notice version posted",
        max_length=40,
        required=False,
        help_text="Recorded on every release and printed on the consent form (for example 2026-1).",
    )


class SharingGroupForm(forms.Form):
    name = forms.CharField(label="Group name", max_length=100)
    organizations = forms.MultipleChoiceField(
        label="Agencies in the group", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = self.fields["organizations"]
        assert isinstance(agencies, forms.MultipleChoiceField)
        agencies.choices = [(str(o.pk), o.organization_name) for o in organizations]


class PeriodForm(forms.Form):
    """The period of a disclosure log (dates only: no personal data in the address)."""

    start = forms.DateField(label="From", widget=DATE, required=False)
    end = forms.DateField(label="To", widget=DATE, required=False)

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=365)
        return (start, end) if start <= end else (end, start)


def language(value: str | None) -> str:
    return value if value in LANGUAGES else "en"
