"""Domestic violence answers (HMIS Data Standards FY2026 4.11: 4.11.2 DomesticViolenceSurvivor, 4.11.A
WhenOccurred, 4.11.B CurrentlyFleeing) are read only inside the agency that recorded them.

One rule, asked by every page, history, export and drill-down that would show them: the answers of an
enrollment are readable by an account whose *role grants* reach the enrollment's project (its own agency's
staff; and the CoC's HMIS administration, which VSP projects are outside of — see hearth.access.scope).
Consent to share, sharing groups and an open CoC policy widen who sees a client; they never widen this: a
survivor's answer is never shown to another agency, whatever the sharing settings (issue 4 §3,
docs/adr/0013-victim-service-and-dv.md).

Callers pass what they already read through the guarded lookups; this module only decides what to blank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import polars as pl

from hearth.access.roles import Permission
from hearth.access.scope import reach

RECORD = "HealthAndDV"
# HMIS CSV FY2026 HealthAndDV columns of data element 4.11, with their model fields.
COLUMNS = ("DomesticViolenceSurvivor", "WhenOccurred", "CurrentlyFleeing")
FIELDS = ("domestic_violence_survivor", "when_occurred", "currently_fleeing")
# What a page shows instead of a hidden answer.
HIDDEN = "Hidden: recorded by another agency"
# Report tables whose cells count 4.11 answers (CoC APR and ESG CAPER Programming Specifications FY2026: Q14a
# "Domestic Violence History", Q14b "Persons Fleeing Domestic Violence"): their drill-downs list only the
# members whose enrollment's answers the reader may read (``readable_enrollment_hud_ids``).
REPORT_TABLES = frozenset({"Q14a", "Q14b"})

T = TypeVar("T")


def readable_projects(user: Any) -> frozenset[int]:
    """Projects whose DV answers the user may read: those the user's role grants reach for VIEW_CLIENTS.
    Never widened by consent (the reach is computed from role grants only)."""
    return reach(user, Permission.VIEW_CLIENTS).projects


def may_read_dv(user: Any, project_id: int | None) -> bool:
    """Whether the DV answers of an enrollment in this project are readable by ``user``."""
    return project_id is not None and int(project_id) in readable_projects(user)


def is_dv_column(record: str, column: str) -> bool:
    return record == RECORD and column in COLUMNS


def is_dv_change(field: str) -> bool:
    """Whether a FieldChange's field (``"HealthAndDV.DomesticViolenceSurvivor"``, as assessments record it)
    holds a DV answer."""
    record, _, column = field.partition(".")
    return is_dv_column(record, column)


def mask_values(user: Any, project_id: int | None, record: str, values: Mapping[str, T]) -> dict[str, T]:
    """One HUD record's values keyed by HUD column (a client's full record, a shared enrollment page): the 4.11
    columns left out unless the user may read them. Records other than HealthAndDV pass unchanged."""
    if record != RECORD or may_read_dv(user, project_id):
        return dict(values)
    return {column: value for column, value in values.items() if column not in COLUMNS}


def readable_enrollments(user: Any, enrollment_ids: Iterable[int]) -> set[int]:
    """Of these enrollments (database ids), those whose DV answers the user may read: report drill-downs of
    cells counting 4.11 (APR/CAPER Q14a, Q14b) list only these, whatever else the user may see of the people."""
    from hearth.hmis.models import Enrollment

    ids = {int(pk) for pk in enrollment_ids}
    projects = readable_projects(user)
    if not ids or not projects:
        return set()
    return set(Enrollment.objects.filter(pk__in=ids, project_id__in=projects).values_list("pk", flat=True))


def readable_enrollment_hud_ids(user: Any, hud_ids: Iterable[str]) -> set[str]:
    """Of these HUD EnrollmentIDs (a report cell's members), those whose DV answers the user may read."""
    from hearth.hmis.models import Enrollment

    wanted = {str(h) for h in hud_ids}
    projects = readable_projects(user)
    if not wanted or not projects:
        return set()
    found = Enrollment.objects.filter(hud_id__in=wanted, project_id__in=projects).values_list("hud_id", flat=True)
    return set(found)


def mask_answers(user: Any, project_id: int | None, answers: Mapping[str, T], columns: Mapping[str, str]) -> dict:
    """``answers`` keyed by form key with ``columns`` mapping each key to its ``"Record.Column"``: the same
    answers with the DV ones dropped unless the user may read them."""
    if may_read_dv(user, project_id):
        return dict(answers)
    return {key: value for key, value in answers.items() if not is_dv_change(columns.get(key, ""))}


def mask_changes(user: Any, project_id: int | None, changes: Iterable[tuple[str, T, T]]) -> list[tuple[str, Any, Any]]:
    """Field-change rows ``(field, old, new)`` of one enrollment's event, DV answers replaced by ``HIDDEN``
    unless the user may read them (the audit history page)."""
    readable = may_read_dv(user, project_id)
    return [
        (field, old, new) if readable or not is_dv_change(field) else (field, HIDDEN, HIDDEN)
        for field, old, new in changes
    ]


def mask_frame(frame: pl.DataFrame, readable_enrollment: pl.Expr) -> pl.DataFrame:
    """A HUD-shaped HealthAndDV frame with the 4.11 columns emptied where ``readable_enrollment`` is false
    (exports and report drill-downs, one vectorized pass)."""
    present = [c for c in COLUMNS if c in frame.columns]
    if not present:
        return frame
    return frame.with_columns(
        pl.when(readable_enrollment).then(pl.col(c)).otherwise(pl.lit(None, frame.schema[c])).alias(c) for c in present
    )
