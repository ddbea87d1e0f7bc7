"""Street outreach and other contact-based projects: current living situation contacts (HMIS Data Standards
FY2026 4.12, CurrentLivingSituation.csv) and the date of engagement (4.13, Enrollment.DateOfEngagement)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hearth.access.accounts import hmis_user_id
from hearth.audit.actor import Actor
from hearth.audit.log import record_changes
from hearth.casework.services import exit_date_of, within_enrollment
from hearth.casework.stamps import stamp
from hearth.hmis.models import CurrentLivingSituation, Enrollment
from hearth.spec import current

# 4.12 is collected by Street Outreach (4), ES night-by-night (1), Services Only (6) and Coordinated Entry
# (14); 4.13 by Street Outreach, ES night-by-night and Services Only (2.02.6 project types).
CONTACT_PROJECT_TYPES = frozenset({1, 4, 6, 14})
ENGAGEMENT_PROJECT_TYPES = frozenset({1, 4, 6})
COORDINATED_ENTRY = 14

# 4.12.B "Is client going to have to leave their current living situation within 14 days?" is asked only for
# these living situations (CurrentLivingSituation.csv LeaveSituation14Days condition).
ASKS_LEAVE_14_DAYS = frozenset({215, 206, 207, 225, 204, 205, 302, 329, 314, 332, 336, 335, 410, 435, 421, 411})
# 4.12.A: a subsidy type only with "Rental by client, with ongoing housing subsidy" (435).
WITH_SUBSIDY = 435
YES = 1
FOLLOW_UPS = ("subsequent_residence", "resources_to_obtain", "lease_own_60_day", "moved_two_or_more")


def living_situation_choices() -> list[tuple[int, str]]:
    """List 3.12.1 minus the values 4.12.2 excludes (list_rules.csv)."""
    spec = current()
    return spec.static_choices(spec.record("CurrentLivingSituation").column("CurrentLivingSituation"))  # type: ignore[return-value]


@dataclass
class ContactData:
    information_date: date
    current_living_situation: int
    cls_subsidy_type: int | None = None
    verified_by: str | None = None
    leave_situation_14_days: int | None = None
    subsequent_residence: int | None = None
    resources_to_obtain: int | None = None
    lease_own_60_day: int | None = None
    moved_two_or_more: int | None = None
    location_details: str | None = None


def check_contact(data: ContactData, *, project_type: int | None) -> dict[str, str]:
    """Field → message; the conditional follow-ups of 4.12 are checked here and nulled by ``_normalized``."""
    errors: dict[str, str] = {}
    allowed = {value for value, _ in living_situation_choices()}
    if data.current_living_situation not in allowed:
        errors["current_living_situation"] = "Choose the current living situation from the list."
    spec = current()
    if data.current_living_situation == WITH_SUBSIDY and data.cls_subsidy_type not in spec.lists["3.12.A"].values:
        errors["cls_subsidy_type"] = "Choose the rental subsidy type."
    if data.current_living_situation in ASKS_LEAVE_14_DAYS:
        if data.leave_situation_14_days is None:
            errors["leave_situation_14_days"] = "Answer whether the client must leave within 14 days."
        elif data.leave_situation_14_days == YES:
            for name in FOLLOW_UPS:
                if getattr(data, name) is None:
                    errors[name] = "Answer this question (the client must leave within 14 days)."
    if project_type not in CONTACT_PROJECT_TYPES:
        errors["enrollment"] = "This project does not record current living situation contacts."
    return errors


def _normalized(data: ContactData, *, project_type: int | None) -> dict[str, object]:
    asks = data.current_living_situation in ASKS_LEAVE_14_DAYS
    leaving = asks and data.leave_situation_14_days == YES
    values: dict[str, object] = {
        "information_date": data.information_date,
        "current_living_situation": data.current_living_situation,
        "cls_subsidy_type": data.cls_subsidy_type if data.current_living_situation == WITH_SUBSIDY else None,
        # 4.12.3 VerifiedBy: Coordinated Entry projects only.
        "verified_by": (data.verified_by or "").strip()[:200] or None if project_type == COORDINATED_ENTRY else None,
        "leave_situation_14_days": data.leave_situation_14_days if asks else None,
        "location_details": (data.location_details or "").strip()[:250] or None,
    }
    for name in FOLLOW_UPS:
        values[name] = getattr(data, name) if leaving else None
    return values


@transaction.atomic
def record_contact(*, enrollment: Enrollment, data: ContactData, by: Actor) -> CurrentLivingSituation:
    """Record a contact with the client and where they are staying (4.12), within the enrollment."""
    project_type = enrollment.project.project_type
    errors = check_contact(data, project_type=project_type)
    exit = exit_date_of(enrollment)
    if not within_enrollment(data.information_date, entry=enrollment.entry_date, exit=exit, exit_inclusive=True):
        errors["information_date"] = "The contact date must be within the enrollment (from project start to exit)."
    if data.information_date > timezone.localdate():
        errors["information_date"] = "The contact date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    contact = CurrentLivingSituation(
        **stamp(by),
        enrollment=enrollment,
        client_id=enrollment.client_id,
        **_normalized(data, project_type=project_type),
    )
    contact.full_clean(exclude=["source", "export", "enrollment", "client"])
    contact.save()
    by.record("contact.recorded", object_type="CurrentLivingSituation", object_id=contact.pk, enrollment=enrollment.pk)
    return contact


@transaction.atomic
def delete_contact(*, contact: CurrentLivingSituation, by: Actor) -> None:
    locked = CurrentLivingSituation.objects.select_for_update().get(pk=contact.pk)
    if locked.date_deleted is not None:
        return
    locked.date_deleted = locked.date_updated = timezone.now()
    locked.user_id = hmis_user_id(by.user)
    locked.save(update_fields=["date_deleted", "date_updated", "user_id"])
    by.record("contact.deleted", object_type="CurrentLivingSituation", object_id=locked.pk)


def engagement_problem(engaged: date | None, *, entry: date, exit: date | None, project_type: int | None) -> str | None:
    """HMIS Data Standards FY2026 4.13 Date of Engagement: only for Street Outreach, ES night-by-night and
    Services Only; on or after the project start date and on or before the exit date."""
    if project_type not in ENGAGEMENT_PROJECT_TYPES:
        return "This project does not record a date of engagement."
    if engaged is None:
        return None
    if engaged < entry:
        return "The date of engagement must be on or after the project start date."
    if exit is not None and engaged > exit:
        return "The date of engagement must be on or before the exit date."
    return None


@transaction.atomic
def set_date_of_engagement(*, enrollment: Enrollment, engaged: date | None, by: Actor) -> bool:
    """Set (or clear, with None) the enrollment's date of engagement; returns whether it changed."""
    locked = Enrollment.objects.select_for_update().select_related("project").get(pk=enrollment.pk)
    problem = engagement_problem(
        engaged, entry=locked.entry_date, exit=exit_date_of(locked), project_type=locked.project.project_type
    )
    if problem is None and engaged is not None and engaged > timezone.localdate():
        problem = "The date of engagement cannot be in the future."
    if problem:
        raise ValidationError({"date_of_engagement": problem})
    old = locked.date_of_engagement
    if old == engaged:
        return False
    locked.date_of_engagement = engaged
    locked.date_updated = timezone.now()
    locked.user_id = hmis_user_id(by.user)
    locked.save(update_fields=["date_of_engagement", "date_updated", "user_id"])
    event = by.record("enrollment.engagement_set", object_type="Enrollment", object_id=locked.pk)
    record_changes(event, {"date_of_engagement": (old, engaged)})
    return True
