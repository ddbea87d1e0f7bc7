"""Authenticator apps: time-based one-time passwords (RFC 6238: SHA-1, 30-second steps, 6 digits, the
parameters every authenticator app supports). A code is accepted for the current step and one step either side
(clock drift), and never twice: the last step used is kept (OWASP ASVS 5.0 V6.5.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp
import segno
from django.db import transaction
from django.utils import timezone

from hearth.audit.actor import Actor
from hearth.signin.conf import ISSUER
from hearth.signin.models import TotpDevice

STEP = 30
DRIFT = 1  # steps accepted either side of now


def start_enrolment(*, user: Any) -> TotpDevice:
    """The account's app being set up: a new secret (160 bits, RFC 4226's recommendation), kept unconfirmed
    until a code from the app is right, so the page can be reloaded while scanning."""
    device, _ = TotpDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32(32)})
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret, interval=STEP).provisioning_uri(
        name=device.user.get_username(), issuer_name=ISSUER
    )


def qr_svg_data_uri(device: TotpDevice) -> str:
    """The provisioning address as a QR code, an SVG data URI made here (no third-party service sees it)."""
    return str(segno.make(provisioning_uri(device), error="m").svg_data_uri(scale=5, border=2))


def _matching_step(device: TotpDevice, code: str, now: dt.datetime) -> int | None:
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(device.secret, interval=STEP)
    current = int(now.timestamp()) // STEP
    for step in range(current - DRIFT, current + DRIFT + 1):
        if step > device.last_step and pyotp.utils.strings_equal(totp.at(step * STEP), code):
            return step
    return None


@transaction.atomic
def confirm(*, device: TotpDevice, code: str, by: Actor, now: dt.datetime | None = None) -> bool:
    """Put the app in force once a code from it is right; audited."""
    step = _matching_step(device, code, now or timezone.now())
    if step is None:
        return False
    device.confirmed_at = now or timezone.now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    by.record("mfa.totp_added", object_type="User", object_id=device.user_id)
    return True


def verify(*, user: Any, code: str, now: dt.datetime | None = None) -> bool:
    """A sign-in code: right for the account's confirmed app and not used before."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        if device is None:
            return False
        step = _matching_step(device, code, now or timezone.now())
        if step is None:
            return False
        device.last_step = step
        device.save(update_fields=["last_step"])
        return True


def has_app(user: Any) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


@transaction.atomic
def remove(*, user: Any, by: Actor) -> bool:
    deleted, _ = TotpDevice.objects.filter(user=user).delete()
    if deleted:
        by.record("mfa.totp_removed", object_type="User", object_id=user.pk)
    return bool(deleted)
