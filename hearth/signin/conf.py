"""The sign-in settings (hearth/settings.py reads them from the environment; .env.example documents them)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def idle_timeout() -> timedelta:
    return timedelta(seconds=int(settings.SESSION_COOKIE_AGE))


def session_lifetime() -> timedelta:
    """How long a session may last however active it is (the absolute lifetime)."""
    return timedelta(minutes=int(getattr(settings, "HEARTH_SESSION_MAX_MINUTES", 12 * 60)))


def max_sessions() -> int:
    """Sessions one account may hold at once; 0: no limit."""
    return int(getattr(settings, "HEARTH_SESSION_MAX_CONCURRENT", 3))


def lockout_failures() -> int:
    """Failed sign-ins in a row that lock an account."""
    return int(getattr(settings, "HEARTH_LOCKOUT_FAILURES", 5))


def lockout_duration() -> timedelta | None:
    """How long a lock lasts; None: until an administrator unlocks the account."""
    minutes = int(getattr(settings, "HEARTH_LOCKOUT_MINUTES", 30))
    return timedelta(minutes=minutes) if minutes > 0 else None


def ip_failures() -> int:
    """Failed sign-ins from one address within the window after which the address is refused."""
    return int(getattr(settings, "HEARTH_SIGNIN_IP_FAILURES", 30))


def ip_window() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "HEARTH_SIGNIN_IP_WINDOW_MINUTES", 15)))


def inactive_days() -> int:
    """Days without a sign-in after which an account is disabled; 0: never."""
    return int(getattr(settings, "HEARTH_INACTIVE_DAYS", 90))


def breached_passwords() -> str:
    """A local list of breached passwords' SHA-1 hashes (a file or a folder of range files); "" for none."""
    return str(getattr(settings, "HEARTH_BREACHED_PASSWORDS", "") or "")


def webauthn_rp_id() -> str:
    """The WebAuthn relying party id (a host name); "" derives it from the request's host."""
    return str(getattr(settings, "HEARTH_WEBAUTHN_RP_ID", "") or "")


def pending_timeout() -> timedelta:
    """How long a password that was right stays good while the second factor is asked for."""
    return timedelta(minutes=5)


ISSUER = "Hearth HMIS"
