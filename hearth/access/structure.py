"""Place imported organizations in their CoC.

An HMIS CSV export has no organization-to-CoC link; HUD ties projects to CoCs through ProjectCoC.CoCCode
(HMIS Data Standards 2.03.1). An organization without a CoC in Hearth joins the CoC most of its projects
report, creating that CoC (named by its code until the HMIS Lead renames it) if Hearth has none yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from hearth.hmis.models import Continuum, Organization, ProjectCoC, Source


@transaction.atomic
def assign_continuums(source: Source, counts: Mapping[str, Any] | None = None) -> int:
    """Returns how many organizations were placed (``counts``: the import's, unused: placing is cheap)."""
    unplaced = Organization.objects.filter(source=source, continuum__isnull=True, date_deleted__isnull=True)
    codes: dict[int, Counter[str]] = {}
    for organization_id, code in ProjectCoC.objects.filter(
        project__organization__in=unplaced, date_deleted__isnull=True, project__date_deleted__isnull=True
    ).values_list("project__organization_id", "coc_code"):
        codes.setdefault(organization_id, Counter())[code] += 1
    placed = 0
    continuums = {c.code: c for c in Continuum.objects.all()}
    for organization_id, counter in codes.items():
        # Most projects first; ties go to the lowest code, so the result never depends on row order.
        code = min(counter, key=lambda c: (-counter[c], c))
        if code not in continuums:
            continuums[code] = Continuum.objects.create(code=code, name=f"CoC {code}")
        Organization.objects.filter(pk=organization_id).update(continuum=continuums[code])
        placed += 1
    return placed
