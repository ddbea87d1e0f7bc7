"""Recovery codes: ten one-time codes for when the authenticator app or security key is lost. Shown once when
made; kept as salted SHA-256 digests (each code is 50 random bits, so a fast hash is enough); using one marks it
used and is audited."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.signin.models import RecoveryCode

COUNT = 10
# Crockford's base32 without look-alikes: easy to read from paper and type.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _normalize(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{_normalize(code)}".encode()).hexdigest()


@transaction.atomic
def make_codes(*, user: Any, by: Actor) -> list[str]:
    """New codes for the account (the old ones stop working); returned once, to be shown once."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _ in range(COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        salt = secrets.token_hex(16)
        RecoveryCode.objects.create(user=user, salt=salt, digest=_digest(salt, raw))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    by.record("mfa.recovery_codes_made", object_type="User", object_id=user.pk, count=COUNT)
    return codes


def use(*, user: Any, code: str, by: Actor) -> bool:
    """Sign-in with a recovery code: right and unused, then used up; audited."""
    if len(_normalize(code)) != 10:
        return False
    with transaction.atomic():
        for stored in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
            if hmac.compare_digest(stored.digest, _digest(stored.salt, code)):
                stored.used_at = timezone.now()
                stored.save(update_fields=["used_at"])
                left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                by.record("mfa.recovery_code_used", object_type="User", object_id=user.pk, left=left)
                return True
    return False


def remaining(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
