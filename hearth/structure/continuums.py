"""Continuums of Care: created by the deployment, named by their HMIS Lead (HMIS Data Standards FY2026 2.03.1:
a CoC is identified by HUD's code, two letters and three digits)."""

from __future__ import annotations

from django.db import transaction

from hearth.audit.actor import Actor
from hearth.audit.log import record_changes
from hearth.hmis.models import Continuum
from hearth.structure.authority import may_create_continuum, may_manage_continuum, require
from hearth.structure.records import apply, check, save_changes
from hearth.structure.rules import COC_CODE


def continuum_problems(*, code: str, name: str, exclude_pk: int | None = None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not COC_CODE.match(code):
        problems["code"] = "Enter the CoC code as two capital letters, a hyphen and three digits (e.g. XX-501)."
    elif Continuum.objects.filter(code=code).exclude(pk=exclude_pk or 0).exists():
        problems["code"] = f"Hearth already has CoC {code}."
    if not name.strip():
        problems["name"] = "Enter the CoC's name."
    return problems


@transaction.atomic
def create_continuum(*, code: str, name: str, by: Actor) -> Continuum:
    require(may_create_continuum(by.user), "CoC")
    code, name = code.strip().upper(), name.strip()
    check(continuum_problems(code=code, name=name))
    continuum = Continuum(code=code, name=name)
    continuum.full_clean()
    continuum.save()
    event = by.record("continuum.created", object_type="Continuum", object_id=continuum.pk, code=code)
    record_changes(event, {"code": (None, code), "name": (None, name)})
    return continuum


@transaction.atomic
def update_continuum(*, continuum: Continuum, code: str, name: str, by: Actor) -> list[str]:
    """Rename the CoC or correct its code; returns the fields changed. The code of a CoC that projects already
    report (ProjectCoC) is HUD's, so changing it is for corrections only."""
    require(may_manage_continuum(by.user, continuum), "CoC")
    locked = Continuum.objects.select_for_update().get(pk=continuum.pk)
    code, name = code.strip().upper(), name.strip()
    check(continuum_problems(code=code, name=name, exclude_pk=locked.pk))
    changed = apply(locked, {"code": code, "name": name})
    save_changes(locked, changed, action="continuum.updated", by=by)
    return list(changed)
