"""Forms of client rights: a correction request and its outcome (hearth.rights.corrections validates again)."""

from __future__ import annotations

from django import forms

from hearth.rights.models import Element, Outcome

DATE = forms.DateInput(attrs={"type": "date"})


class CorrectionForm(forms.Form):
    requested_on = forms.DateField(label="Date the client asked", widget=DATE)
    elements = forms.MultipleChoiceField(
        label="What the client asked to correct", choices=Element.choices, widget=forms.CheckboxSelectMultiple
    )
    request = forms.CharField(
        label="What the client asked to change",
        help_text="In the client's words where you can: what is wrong and what it should say.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )


DECISIONS = [(o.value, o.label) for o in Outcome if o != Outcome.PENDING]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "Choose…"), *DECISIONS])
    decided_on = forms.DateField(label="Date of the decision", widget=DATE)
    reason = forms.CharField(
        label="Reason",
        help_text="Required when the request is denied or partly accepted: the client is told why.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
