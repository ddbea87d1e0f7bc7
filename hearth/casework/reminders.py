"""Reminders of data collection that falls due while a household stays in a project.

Two HUD rules, as pure functions over dates (unit-tested without a database), and one bounded read that applies
them to the enrollments a user can see:

- Annual assessment (HMIS Data Standards FY2026, "Data Collection: Annual Assessment" collection point): for a
  household in a project a year or longer, every member's annual assessment (DataCollectionStage 5) is recorded
  no more than 30 days before or after the anniversary of the head of household's Project Start Date (3.10),
  whatever the member's own start date.
- Aged into adulthood (Data Standards, "Data collection for … adults": elements collected for heads of household
  and adults): a child who turns 18 during the enrollment now needs the adult-only elements (income, disabilities,
  employment…) at the next assessment (Update, DataCollectionStage 2, or Annual).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from hearth.hmis.models import Enrollment, Exit, IncomeBenefits

WINDOW = timedelta(days=30)  # "30 days before or after the anniversary"
ANNUAL = 5  # list 5.03.1 DataCollectionStage: Annual assessment
UPDATE = 2  # list 5.03.1: Update
ADULT_AGE = 18


def anniversary(start: date, years: int) -> date:
    """The ``years``-th anniversary of ``start``; a February 29 start falls on February 28 in common years (as
    HUD's programming specifications' date arithmetic, DATEADD, does)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def age_on(dob: date, on: date) -> int:
    """Age in whole years (HUD's age calculation: a birthday not yet reached this year does not count)."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def adult_on(dob: date) -> date:
    """The first day the client is 18: a February 29 birthday turns 18 on March 1 of a common year."""
    try:
        return dob.replace(year=dob.year + ADULT_AGE)
    except ValueError:
        return date(dob.year + ADULT_AGE, 3, 1)


@dataclass(frozen=True)
class AnnualDue:
    anniversary: date
    opens: date
    closes: date
    overdue: bool


def annual_due(
    *, head_start: date, member_start: date, today: date, exit_date: date | None = None, recorded: Iterable[date] = ()
) -> AnnualDue | None:
    """The annual assessment due or overdue today for one member, or None.

    The current anniversary is the latest whose window has opened (anniversary - 30 days <= today). It is due
    until anniversary + 30 days, overdue after, unless an annual assessment dated inside the window exists. A
    member who exits before the window opens, or joins after the anniversary, owes nothing for it."""
    years = 0
    while anniversary(head_start, years + 1) - WINDOW <= today:
        years += 1
    if years == 0:
        return None  # in the project less than 11 months: no annual assessment yet
    day = anniversary(head_start, years)
    opens, closes = day - WINDOW, day + WINDOW
    if member_start > day or (exit_date is not None and exit_date < opens):
        return None
    if any(opens <= when <= closes for when in recorded):
        return None
    return AnnualDue(anniversary=day, opens=opens, closes=closes, overdue=today > closes)


def aged_into_adulthood(
    *, dob: date | None, entry_date: date, today: date, exit_date: date | None = None, recorded: Iterable[date] = ()
) -> date | None:
    """The 18th birthday when the client turned 18 after their Project Start Date, while still enrolled, and no
    Update or Annual assessment has been recorded since; otherwise None."""
    if dob is None:
        return None
    birthday = adult_on(dob)
    if not entry_date < birthday <= (exit_date or today) or birthday > today:
        return None
    if any(when >= birthday for when in recorded):
        return None
    return birthday


@dataclass(frozen=True)
class Reminder:
    enrollment: Enrollment
    kind: str  # "annual" | "adult"
    due: date  # window close (annual) or the 18th birthday (adult)
    overdue: bool
    stage: str  # the assessment stage to open (web:assessment)

    @property
    def text(self) -> str:
        if self.kind == "annual":
            state = "overdue since" if self.overdue else "due by"
            return f"Annual assessment {state} {self.due:%m/%d/%Y}"
        return f"Turned 18 on {self.due:%m/%d/%Y}: adult data elements are now due"


def _open(rows: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return rows.exclude(Exists(Exit.objects.filter(enrollment_id=OuterRef("pk"), date_deleted__isnull=True)))


def reminders_for(enrollments: QuerySet[Enrollment], *, today: date, limit: int = 200) -> list[Reminder]:
    """Apply both rules to the open enrollments of ``enrollments`` (a guarded queryset), in three queries
    whatever their number: the candidates (households a year old, clients who turned 18 within the year), the
    heads' start dates, and the assessments already recorded. Overdue first, then by due date."""
    open_rows = _open(enrollments)
    heads = Enrollment.objects.filter(
        source_id=OuterRef("source_id"),
        project_id=OuterRef("project_id"),
        household_id=OuterRef("household_id"),
        relationship_to_hoh=1,
        date_deleted__isnull=True,
        entry_date__lte=anniversary(today, -1) + WINDOW,
    )
    adult_since = anniversary(today, -ADULT_AGE)
    candidates = list(
        open_rows.filter(
            Q(Exists(heads))
            | Q(client__dob__lte=adult_since, client__dob__gt=anniversary(adult_since, -1), client__dob__isnull=False)
        )
        .select_related("client", "project")
        .order_by("pk")[: limit * 4]
    )
    if not candidates:
        return []
    starts = {
        (e.source_id, e.project_id, e.household_id): e.entry_date
        for e in Enrollment.objects.filter(
            household_id__in={c.household_id for c in candidates},
            project_id__in={c.project_id for c in candidates},
            relationship_to_hoh=1,
            date_deleted__isnull=True,
        ).only("source_id", "project_id", "household_id", "entry_date")
    }
    recorded: dict[tuple[int, int | None], list[date]] = defaultdict(list)
    for enrollment_id, stage, when in IncomeBenefits.objects.filter(
        enrollment_id__in=[c.pk for c in candidates],
        data_collection_stage__in=(UPDATE, ANNUAL),
        date_deleted__isnull=True,
    ).values_list("enrollment_id", "data_collection_stage", "information_date"):
        recorded[(enrollment_id, stage)].append(when)
    found = []
    for row in candidates:
        head_start = starts.get((row.source_id, row.project_id, row.household_id))
        if head_start is not None:
            due = annual_due(
                head_start=head_start, member_start=row.entry_date, today=today, recorded=recorded[(row.pk, ANNUAL)]
            )
            if due is not None:
                found.append(Reminder(row, "annual", due.closes, due.overdue, "annual"))
        birthday = aged_into_adulthood(
            dob=row.client.dob,
            entry_date=row.entry_date,
            today=today,
            recorded=[*recorded[(row.pk, UPDATE)], *recorded[(row.pk, ANNUAL)]],
        )
        if birthday is not None:
            found.append(Reminder(row, "adult", birthday, False, "update"))
    found.sort(key=lambda r: (not r.overdue, r.due, r.enrollment.pk))
    return found[:limit]
