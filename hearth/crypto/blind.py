"""The blind index: keyed hashes (HMAC-SHA256) of sensitive values, so search and duplicate matching compare
values without storing or decrypting them (docs/adr/0015-audit-integrity-and-data-protection.md).

Its key is its own, never the field key's: ``HEARTH_BLIND_INDEX_KEY`` (or the file ``HEARTH_BLIND_INDEX_KEY_FILE``
names), 64 random bytes in base64url like a field key (``hearth fieldkey new`` prints one). Kept apart because
the two change for different reasons: rotating the field key re-encrypts values and must not change a single
search key, and a blind-index key that leaked (it is all that protects the 10,000 possible endings of an SSN)
is replaced with a rebuild of the search index (``hearth refresh``) without touching the encrypted values.
Outside production with none configured, one is made per data folder (``blind-index-key.txt``), as the field
key is; production refuses to start without it.

Each use has a purpose (``ssn-last4``, ``ssn``) that goes into the hash, so equal values of different kinds
never share a hash.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import threading
from pathlib import Path

from django.conf import settings

from hearth.crypto.keys import KEY_BYTES, FieldKeyError, configured_key, development_key

KEY_FILE = "blind-index-key.txt"
SETTING = "HEARTH_BLIND_INDEX_KEY"

_lock = threading.Lock()
_cached: bytes | None = None


def blind_key() -> bytes:
    global _cached
    key = _cached
    if key is None:
        with _lock:
            if _cached is None:
                _cached = _load()
            key = _cached
    return key


def forget() -> None:
    global _cached
    with _lock:
        _cached = None


def _load() -> bytes:
    text = configured_key(SETTING)
    source = f"{SETTING}_FILE" if getattr(settings, f"{SETTING}_FILE", "") else SETTING
    if not text:
        if getattr(settings, "PRODUCTION", False):
            raise FieldKeyError(f"{SETTING} or {SETTING}_FILE must be set when HEARTH_ENV=production")
        text, source = development_key(Path(settings.DATA_DIR), KEY_FILE), f"the key in {KEY_FILE}"
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise FieldKeyError(f"{source} is not base64url text (make one with: hearth fieldkey new)") from None
    if len(raw) != KEY_BYTES:
        raise FieldKeyError(
            f"{source} must hold {KEY_BYTES} bytes, not {len(raw)} (make one with: hearth fieldkey new)"
        )
    return raw


def blind_index(value: str, *, purpose: str) -> str:
    """The keyed hash of a value for one purpose, as 64 hex digits (callers keep a prefix of it)."""
    message = purpose.encode("ascii") + b"\x00" + value.encode("utf-8")
    return hmac.new(blind_key(), message, hashlib.sha256).hexdigest()
