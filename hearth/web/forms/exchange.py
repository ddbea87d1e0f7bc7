"""Forms of the data-exchange pages: upload an HMIS CSV export, choose what an export holds (HUD's options)."""

from __future__ import annotations

import zipfile
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from hearth.exchange.exporter import DELTA, FULL, OTHER, REPORTING_PERIOD, UPDATED, ExportOptions
from hearth.jobs.access import exportable_organizations, exportable_projects, exports_everything
from hearth.jobs.conf import upload_max_bytes
from hearth.jobs.exchange import plain_name


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One zip, or the CSV files of an unzipped export (a browser cannot upload a folder as one file)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".zip,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            raise forms.ValidationError("Choose the HMIS CSV export to upload: its .zip file, or its CSV files.")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UploadForm(forms.Form):
    export = MultipleFileField(
        label="HMIS CSV export",
        help_text="The export's .zip file, or all the CSV files of an unzipped export (select them together).",
        error_messages={"empty": "The file you chose is empty.", "invalid": "That is not a file Hearth can read."},
    )
    source = forms.CharField(
        label="Source (optional)",
        required=False,
        max_length=180,
        help_text="Which HMIS the export comes from. Leave empty to recognise it by the export's ImplementationID.",
    )

    def clean_export(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["export"]
        limit = upload_max_bytes()
        total = sum(f.size or 0 for f in files)
        for upload in files:
            name = plain_name(upload.name)
            if not upload.size:
                raise forms.ValidationError(f"“{name}” is empty: choose the export's .zip file or its CSV files.")
        if total > limit:
            raise forms.ValidationError(
                f"The upload is {filesizeformat(total)}; the largest Hearth accepts here is {filesizeformat(limit)}. "
                "Import a larger export with the “hearth import” command on the server."
            )
        names = [plain_name(f.name) for f in files]
        if len(files) == 1 and names[0].lower().endswith(".zip"):
            if not zipfile.is_zipfile(files[0]):
                raise forms.ValidationError(f"“{names[0]}” is not a readable zip file.")
            files[0].seek(0)
            return files
        not_csv = [n for n in names if not n.lower().endswith(".csv")]
        if not_csv:
            raise forms.ValidationError(
                f"“{not_csv[0]}” is neither a .zip nor a .csv file. Upload the export's .zip file, or the CSV "
                "files of an unzipped export."
            )
        if len({n.lower() for n in names}) != len(names):
            raise forms.ValidationError("Two of the CSV files have the same name; choose each file once.")
        return files


PERIODS = [
    ("other", "Everything Hearth holds (ExportPeriodType 4, Other)"),
    ("reporting", "Records active in a reporting period (ExportPeriodType 3)"),
    ("updated", "Records changed in a period (ExportPeriodType 1, Updated)"),
]
PERIOD_CODES = {"other": OTHER, "reporting": REPORTING_PERIOD, "updated": UPDATED}
DIRECTIVES = [
    ("full", "Full refresh (ExportDirective 2): the receiver replaces what it holds from this export"),
    ("delta", "Delta refresh (ExportDirective 1): only what changed, with deletions"),
]
DIRECTIVE_CODES = {"full": FULL, "delta": DELTA}


class ExportForm(forms.Form):
    """HUD's export parameters (HMIS CSV FY2026, Export.csv: ExportPeriodType, ExportDirective, HashStatus)."""

    period = forms.ChoiceField(label="What to export", choices=PERIODS, initial="other", widget=forms.RadioSelect)
    start = forms.DateField(
        label="Period start",
        required=False,
        help_text="ExportStartDate. Needed for a period.",
        widget=DateInput(),
    )
    end = forms.DateField(
        label="Period end",
        required=False,
        help_text="ExportEndDate, included.",
        widget=DateInput(),
    )
    directive = forms.ChoiceField(label="Refresh", choices=DIRECTIVES, initial="full", widget=forms.RadioSelect)
    organizations = forms.MultipleChoiceField(
        label="Organizations", required=False, help_text="Leave empty for all the organizations you may export."
    )
    projects = forms.MultipleChoiceField(
        label="Projects", required=False, help_text="Leave empty for all the projects you may export."
    )
    hashed = forms.BooleanField(
        label="Hash names and SSN (HashStatus 4, SHA-256), as HUD's Eva and RHY uploads require", required=False
    )
    acknowledge = forms.BooleanField(
        label="I will keep the file on an approved, encrypted device and delete it when it is no longer needed.",
        error_messages={"required": "Confirm how you will keep the file: it holds client data."},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        in_reach = list(exportable_organizations(user))
        reachable = list(exportable_projects(user))
        self.organization_ids = {str(o.pk) for o in in_reach}
        self.project_ids = {str(p.pk) for p in reachable}
        organizations = self.fields["organizations"]
        projects = self.fields["projects"]
        assert isinstance(organizations, forms.MultipleChoiceField)
        assert isinstance(projects, forms.MultipleChoiceField)
        organizations.choices = [(str(o.pk), o.organization_name) for o in in_reach]
        projects.choices = [(str(p.pk), f"{p.project_name} ({p.organization.organization_name})") for p in reachable]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period, start, end = data.get("period"), data.get("start"), data.get("end")
        if period in ("reporting", "updated"):
            if not start:
                self.add_error("start", "Enter the period's start date.")
            if not end:
                self.add_error("end", "Enter the period's end date.")
        if start and end and end < start:
            self.add_error("end", "The period ends before it starts: enter an end date on or after the start.")
        if period == "other" and data.get("directive") == "delta":
            self.add_error(
                "directive", "A delta refresh needs a period of changes: choose “Records changed in a period”."
            )
        if not self.project_ids:
            raise forms.ValidationError("There are no projects you may export.")
        return data

    def options(self) -> ExportOptions:
        data = self.cleaned_data
        organizations = [pk for pk in data["organizations"] if pk in self.organization_ids]
        projects = [pk for pk in data["projects"] if pk in self.project_ids]
        if not (organizations or projects) and not exports_everything(self.user):
            # The user's reach is not the whole HMIS: the export holds their projects only.
            projects = list(self.project_ids)
        period = data["period"]
        return ExportOptions(
            start=data.get("start") if period != "other" else None,
            end=data.get("end") if period != "other" else None,
            period_type=PERIOD_CODES[period],
            directive=DIRECTIVE_CODES[data["directive"]],
            hashed=bool(data.get("hashed")),
            # By database id: HUD IDs are unique within a source only, and a selection by HUD ID could reach
            # another source's project of the same ProjectID, outside the user's reach.
            organization_keys=tuple(sorted(int(pk) for pk in organizations)),
            project_keys=tuple(sorted(int(pk) for pk in projects)),
        )
