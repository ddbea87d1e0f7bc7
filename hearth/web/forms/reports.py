"""The form that starts a report run: which report, which projects, which dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from hearth.hmis.models import Project
from hearth.reports import registry
from hearth.reports.runs import reportable_projects
from hearth.web.forms.exchange import DateInput


def _last_federal_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """HUD's operating years most often run with the federal fiscal year (October 1 - September 30)."""
    year = today.year if today.month >= 10 else today.year - 1
    return dt.date(year - 1, 10, 1), dt.date(year, 9, 30)


class ReportRunForm(forms.Form):
    report = forms.ChoiceField(label="Report", widget=forms.RadioSelect)
    start = forms.DateField(label="Report start date", widget=DateInput())
    end = forms.DateField(label="Report end date", widget=DateInput(), help_text="Both dates are included.")
    projects = forms.MultipleChoiceField(label="Projects", help_text="The projects to report on.")

    def __init__(self, *args: Any, user: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        registry.discover()
        report = self.fields["report"]
        assert isinstance(report, forms.ChoiceField)
        report.choices = [(r.name, r.label) for r in registry.REPORTS.values()]
        self._projects = {str(p.pk): p for p in reportable_projects(user)}
        projects = self.fields["projects"]
        assert isinstance(projects, forms.MultipleChoiceField)
        projects.choices = [
            (pk, f"{p.organization.organization_name} · {p.project_name}") for pk, p in self._projects.items()
        ]
        start, end = _last_federal_year(today or timezone.localdate())
        self.fields["start"].initial = start
        self.fields["end"].initial = end

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        return data

    def chosen_projects(self) -> list[Project]:
        return [self._projects[pk] for pk in self.cleaned_data["projects"]]
