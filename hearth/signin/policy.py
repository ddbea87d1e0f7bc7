"""Which accounts must sign in with a second factor: the HMIS Lead requires it per role for the CoC's accounts
(an account holding that role at the CoC, one of its organizations or one of its projects). Accounts of such a
role without a second factor are walked through enrolment at their next sign-in."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hearth.access.models import RoleAssignment
from hearth.access.roles import ROLES
from hearth.audit.actor import Actor
from hearth.signin import passkeys, totp
from hearth.signin.models import MfaRequirement, Passkey, RecoveryCode, TotpDevice
from hearth.signin.sessions import end_sessions


def _continuum_roles(user: Any) -> set[tuple[int, str]]:
    rows = RoleAssignment.objects.filter(user=user).values_list(
        "role", "continuum_id", "organization__continuum_id", "project__organization__continuum_id"
    )
    found = set()
    for role, *continuums in rows:
        for continuum in continuums:
            if continuum is not None:
                found.add((int(continuum), str(role)))
    return found


def required_for(user: Any) -> bool:
    """Whether any of the account's roles is one its CoC requires a second factor for."""
    held = _continuum_roles(user)
    if not held:
        return False
    rules = MfaRequirement.objects.filter(
        continuum_id__in={c for c, _ in held}, role__in={r for _, r in held}
    ).values_list("continuum_id", "role")
    return any((int(c), str(r)) in held for c, r in rules)


def has_second_factor(user: Any) -> bool:
    return totp.has_app(user) or passkeys.has_passkey(user)


def required_roles(continuum: Any) -> set[str]:
    return set(MfaRequirement.objects.filter(continuum=continuum).values_list("role", flat=True))


@transaction.atomic
def set_required_roles(*, continuum: Any, roles: set[str], by: Actor) -> None:
    """The CoC's rule, whole: exactly these roles need a second factor; audited with the roles added and
    dropped."""
    unknown = roles - ROLES.keys()
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    before = required_roles(continuum)
    if before == roles:
        return
    MfaRequirement.objects.filter(continuum=continuum).exclude(role__in=roles).delete()
    for role in sorted(roles - before):
        MfaRequirement.objects.create(continuum=continuum, role=role, set_by=by.user)
    by.record(
        "signin.mfa_policy_set",
        object_type="Continuum",
        object_id=continuum.pk,
        added=sorted(roles - before),
        dropped=sorted(before - roles),
    )


@transaction.atomic
def reset_second_factor(*, account: Any, by: Actor) -> bool:
    """An administrator removes every second factor of an account that lost them (phone and recovery codes):
    its sessions end, and a role that requires one sets one up again at the next sign-in. Audited. False when
    there was nothing to remove."""
    removed = sum(model.objects.filter(user=account).delete()[0] for model in (TotpDevice, Passkey, RecoveryCode))
    if not removed:
        return False
    by.record("mfa.reset", object_type="User", object_id=account.pk)
    end_sessions(account, reason="second_factor_reset", by=by)
    return True
