"""Sign-in state: throttles and locks, the sessions each account holds, second factors, the per-role MFA rule.

Secrets are never stored as entered: TOTP seeds are encrypted at rest (hearth.crypto, like SSNs), recovery codes
are kept as salted hashes, WebAuthn keeps only public keys.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hearth.access.roles import ROLE_CHOICES
from hearth.hmis.fields import EncryptedCharField


class Throttle(models.Model):
    """Failed sign-ins counted for one account name or one network address.

    ``key`` is a keyed hash of the lower-cased account name (whatever was typed: a password typed into the
    name field must not be stored) or the address itself.
    """

    ACCOUNT, ADDRESS = "account", "address"
    KINDS = [(ACCOUNT, "account"), (ADDRESS, "address")]

    kind = models.CharField(max_length=8, choices=KINDS)
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)  # null with locked_at: until unlocked

    class Meta:
        db_table = "signin_throttle"
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="signin_throttle_key_uniq")]

    def __str__(self) -> str:
        return f"{self.kind} throttle: {self.failures} failures"


class UserSession(models.Model):
    """A signed-in session of an account: when it began (absolute lifetime), so the oldest can be ended when
    too many are open, and all ended at once when the account is disabled."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="signin_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=16, blank=True, default="")  # password, totp, passkey, recovery
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        db_table = "signin_user_session"
        indexes = [models.Index(fields=["user", "ended_at"], name="signin_session_user_open")]
        constraints = [
            models.CheckConstraint(
                name="signin_session_ended_with_reason",
                condition=models.Q(ended_at__isnull=True, end_reason="")
                | models.Q(ended_at__isnull=False) & ~models.Q(end_reason=""),
            )
        ]

    def __str__(self) -> str:
        return f"session of account {self.user_id} from {self.started_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """An authenticator app (RFC 6238 TOTP, 30-second steps, 6 digits). Confirmed once a code from it was
    right; the last step used is kept so a code cannot be replayed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="totp_device")
    secret = EncryptedCharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    class Meta:
        db_table = "signin_totp_device"

    def __str__(self) -> str:
        return f"authenticator app of account {self.user_id}"


class RecoveryCode(models.Model):
    """A one-time recovery code, kept as a salted SHA-256 (the codes are random, 50 bits: no stretching needed)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "signin_recovery_code"

    def __str__(self) -> str:
        return f"recovery code of account {self.user_id}"


class Passkey(models.Model):
    """A WebAuthn credential (security key, or a passkey on a phone or computer): its id and public key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="passkeys")
    name = models.CharField(max_length=60)
    credential_id = models.BinaryField(max_length=1023)
    credential_id_hex = models.CharField(max_length=2046, unique=True)  # for lookups (BinaryField is not indexed)
    public_key = models.BinaryField()
    sign_count = models.BigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "signin_passkey"

    def __str__(self) -> str:
        return f"passkey {self.name} of account {self.user_id}"


class MfaRequirement(models.Model):
    """The HMIS Lead's rule: accounts holding ``role`` anywhere in the CoC sign in with a second factor."""

    continuum = models.ForeignKey("hmis.Continuum", models.CASCADE, related_name="+")
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)
    set_at = models.DateTimeField(default=timezone.now)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        db_table = "signin_mfa_requirement"
        constraints = [models.UniqueConstraint(fields=["continuum", "role"], name="signin_mfa_requirement_uniq")]

    def __str__(self) -> str:
        return f"second factor required for {self.role} in CoC {self.continuum_id}"
