"""Security keys and passkeys (WebAuthn Level 2, through the ``webauthn`` package): registered from the account's
security page, asked for after the password at sign-in. Only the credential's id and public key are kept; the
signature counter is checked so a cloned authenticator shows (OWASP ASVS 5.0 V6.5).

The browser side is hearth/web/static/web/passkeys.js (navigator.credentials.create/get). WebAuthn needs a
secure context: HTTPS, or http://localhost for development. The relying party id is the host name
(HEARTH_WEBAUTHN_RP_ID, or the request's host); the origin is the request's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from hearth.audit.actor import Actor
from hearth.signin import conf
from hearth.signin.conf import ISSUER
from hearth.signin.models import Passkey

_REGISTER = "hearth.webauthn.register"
_AUTHENTICATE = "hearth.webauthn.authenticate"


class PasskeyError(Exception):
    """The browser's answer could not be verified; the message is safe to show."""


def rp_id(request: HttpRequest) -> str:
    return conf.webauthn_rp_id() or request.get_host().rsplit(":", 1)[0].strip("[]")


def origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _descriptors(user: Any) -> list[PublicKeyCredentialDescriptor]:
    found = []
    for key in Passkey.objects.filter(user=user):
        transports = []
        for name in key.transports:
            try:
                transports.append(AuthenticatorTransport(name))
            except ValueError:
                continue  # a transport newer than the library: the browser finds the key without the hint
        found.append(PublicKeyCredentialDescriptor(id=bytes(key.credential_id), transports=transports or None))
    return found


def registration_options(request: HttpRequest, user: Any) -> str:
    """The options for navigator.credentials.create, as JSON; the challenge is kept in the session."""
    options = generate_registration_options(
        rp_id=rp_id(request),
        rp_name=ISSUER,
        user_name=user.get_username(),
        # A stable, opaque handle: not the username or the account number.
        user_id=_user_handle(user),
        user_display_name=user.get_full_name() or user.get_username(),
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    request.session[_REGISTER] = _b64(options.challenge)
    return options_to_json(options)


def _user_handle(user: Any) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), f"webauthn:{user.pk}".encode(), hashlib.sha256).digest()


def register(*, request: HttpRequest, user: Any, credential: str, name: str, by: Actor) -> Passkey:
    """Verify the browser's answer to ``registration_options`` and keep the new credential; audited."""
    challenge = request.session.pop(_REGISTER, None)
    if challenge is None:
        raise PasskeyError("The request to add a security key expired. Try again.")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=_unb64(challenge),
            expected_rp_id=rp_id(request),
            expected_origin=origin(request),
        )
        transports = json.loads(credential).get("response", {}).get("transports", []) or []
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        raise PasskeyError("The security key's answer could not be verified. Try again.") from None
    with transaction.atomic():
        if Passkey.objects.filter(credential_id_hex=verified.credential_id.hex()).exists():
            raise PasskeyError("That security key is already registered.")
        key = Passkey.objects.create(
            user=user,
            name=(name.strip() or "Security key")[:60],
            credential_id=verified.credential_id,
            credential_id_hex=verified.credential_id.hex(),
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=[str(t) for t in transports if isinstance(t, str)][:8],
        )
        by.record("mfa.passkey_added", object_type="User", object_id=user.pk, passkey=key.pk)
    return key


def authentication_options(request: HttpRequest, user: Any) -> str:
    """The options for navigator.credentials.get, limited to the account's keys, as JSON."""
    options = generate_authentication_options(
        rp_id=rp_id(request),
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[_AUTHENTICATE] = _b64(options.challenge)
    return options_to_json(options)


def authenticate(*, request: HttpRequest, user: Any, credential: str) -> bool:
    """Whether the browser's answer to ``authentication_options`` is a valid signature by one of the account's
    keys, with a signature counter that went forward (a counter of 0 means the key keeps none)."""
    challenge = request.session.pop(_AUTHENTICATE, None)
    if challenge is None:
        return False
    try:
        parsed = parse_authentication_credential_json(credential)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return False
    with transaction.atomic():
        key = (
            Passkey.objects.select_for_update().filter(user=user, credential_id_hex=bytes(parsed.raw_id).hex()).first()
        )
        if key is None:
            return False
        try:
            verified = verify_authentication_response(
                credential=parsed,
                expected_challenge=_unb64(challenge),
                expected_rp_id=rp_id(request),
                expected_origin=origin(request),
                credential_public_key=bytes(key.public_key),
                credential_current_sign_count=key.sign_count,
            )
        except (WebAuthnException, ValueError, KeyError, TypeError):
            return False
        key.sign_count = verified.new_sign_count
        key.last_used_at = timezone.now()
        key.save(update_fields=["sign_count", "last_used_at"])
    return True


def has_passkey(user: Any) -> bool:
    return Passkey.objects.filter(user=user).exists()


@transaction.atomic
def remove(*, user: Any, passkey_id: int, by: Actor) -> bool:
    deleted, _ = Passkey.objects.filter(user=user, pk=passkey_id).delete()
    if deleted:
        by.record("mfa.passkey_removed", object_type="User", object_id=user.pk, passkey=passkey_id)
    return bool(deleted)
