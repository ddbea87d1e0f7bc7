"""What an assessment of one enrollment at one stage asks: the project's type and funders on the information
date, who the person is to HUD (head of household, adult), and the questions the rules give for that."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from hearth.collection import fields as form_fields
from hearth.collection.rules import ANNUAL, EXIT, POST_EXIT, START, Element, Subject, elements_for, subject_for
from hearth.hmis.models import Enrollment, Exit, Funder, Project


def funders_on(project: Project, on: date) -> frozenset[int]:
    """Funder codes (list 2.06.1) of the project's grants active on the date (2.06.3 start, 2.06.4 end)."""
    codes = Funder.objects.filter(project=project, date_deleted__isnull=True, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    return frozenset(int(code) for code in codes.values_list("funder", flat=True))


def live_exit(enrollment: Enrollment) -> Exit | None:
    return Exit.objects.filter(enrollment=enrollment, date_deleted__isnull=True).order_by("-exit_date").first()


def default_information_date(stage: str, enrollment: Enrollment, exit_record: Exit | None, today: date) -> date:
    if stage == START:
        return enrollment.entry_date
    if stage in (EXIT, POST_EXIT) and exit_record is not None:
        return exit_record.exit_date if stage == EXIT else today
    return today


@dataclass(frozen=True)
class AssessmentContext:
    enrollment: Enrollment
    stage: str
    information_date: date
    project_type: int | None
    funders: frozenset[int]
    subject: Subject
    exit: Exit | None
    # Annual assessments of every member fall in the head of household's window (the anniversary of the head's
    # project start: HMIS Data Standards Manual FY2026, "Annual Assessment").
    anniversary_from: date
    elements: tuple[Element, ...]
    forms: tuple[form_fields.ElementForm, ...]

    @property
    def fields(self) -> list[form_fields.Field]:
        return form_fields.all_fields(self.forms)


def context_for(
    enrollment: Enrollment, stage: str, *, information_date: date | None, today: date, exit_record: Exit | None = None
) -> AssessmentContext:
    exit_record = exit_record if exit_record is not None else live_exit(enrollment)
    on = information_date or default_information_date(stage, enrollment, exit_record, today)
    project = enrollment.project
    funders = funders_on(project, on)
    subject = subject_for(
        relationship_to_hoh=enrollment.relationship_to_hoh, dob=enrollment.client.dob, entry_date=enrollment.entry_date
    )
    elements = elements_for(project.project_type, funders, stage, subject)
    anniversary_from = enrollment.entry_date
    if stage == ANNUAL and enrollment.relationship_to_hoh != 1:
        head_entry = (
            Enrollment.objects.filter(
                household_id=enrollment.household_id,
                project_id=enrollment.project_id,
                source_id=enrollment.source_id,
                relationship_to_hoh=1,
                date_deleted__isnull=True,
            )
            .values_list("entry_date", flat=True)
            .first()
        )
        anniversary_from = head_entry or enrollment.entry_date
    return AssessmentContext(
        enrollment=enrollment,
        stage=stage,
        information_date=on,
        project_type=project.project_type,
        funders=funders,
        subject=subject,
        exit=exit_record,
        anniversary_from=anniversary_from,
        elements=elements,
        forms=form_fields.build(elements),
    )
