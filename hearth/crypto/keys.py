"""The field keys: the current one (``HEARTH_FIELD_KEY``) and retired ones still accepted for reading.

Each key comes from the environment or from a file (``HEARTH_FIELD_KEY_FILE``, ``HEARTH_FIELD_KEYS_RETIRED_FILE``
with one key a line): a secret mounted as a file (systemd credentials, Kubernetes or Docker secrets) never
enters the process environment, where child processes and crash reports could see it. Setting both the variable
and its file is refused, so there is never a doubt which key is in use.

A key is 64 random bytes (AES-256-SIV uses two 256-bit keys), written as base64url. Its key id, the first 8
hex digits of a SHA-256 over a label and the key, goes in front of every ciphertext, so a value names the key
that decrypts it and rotation needs no bookkeeping (docs/adr/0007-ssn-encryption.md).

Outside production, with no key configured, a key is made once per data folder and kept there
(``field-key.txt``, readable only by its owner), the way the demo password is. In production a missing key
stops start-up (hearth/settings.py reads it with ``required_in_production``).

Messages name the setting and the key id, never a key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from django.conf import settings

KEY_BYTES = 64
KEY_FILE = "field-key.txt"
_ID_LABEL = b"hearth field key id\x00"


class FieldKeyError(RuntimeError):
    """A field key is missing or malformed; the message names the setting, never the key."""


@dataclass(frozen=True)
class FieldKey:
    key_id: str
    cipher: AESSIV = field(repr=False)


@dataclass(frozen=True)
class Keyring:
    current: FieldKey
    by_id: dict[str, FieldKey]

    def get(self, key_id: str) -> FieldKey | None:
        return self.by_id.get(key_id)


def new_key() -> str:
    """A fresh key, as ``HEARTH_FIELD_KEY`` takes it."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode().rstrip("=")


def key_id(raw: bytes) -> str:
    return hashlib.sha256(_ID_LABEL + raw).hexdigest()[:8]


def parse_key(text: str, *, setting: str) -> FieldKey:
    cleaned = text.strip()
    try:
        raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError):
        raise FieldKeyError(f"{setting} is not base64url text (make one with: hearth fieldkey new)") from None
    if len(raw) != KEY_BYTES:
        raise FieldKeyError(
            f"{setting} must hold {KEY_BYTES} bytes, not {len(raw)} (make one with: hearth fieldkey new)"
        )
    return FieldKey(key_id(raw), AESSIV(raw))


_lock = threading.Lock()
_cached: Keyring | None = None


def keyring() -> Keyring:
    """The configured keys, read once per process (tests changing the settings reset it)."""
    global _cached
    ring = _cached
    if ring is None:
        with _lock:
            if _cached is None:
                _cached = _load()
            ring = _cached
    return ring


def forget() -> None:
    global _cached
    with _lock:
        _cached = None


KEY_SETTINGS = frozenset(
    {
        "HEARTH_FIELD_KEY",
        "HEARTH_FIELD_KEY_FILE",
        "HEARTH_FIELD_KEYS_RETIRED",
        "HEARTH_FIELD_KEYS_RETIRED_FILE",
        "HEARTH_BLIND_INDEX_KEY",
        "HEARTH_BLIND_INDEX_KEY_FILE",
        "DATA_DIR",
        "PRODUCTION",
    }
)


def forget_on_setting_change(*, setting: str, **_: Any) -> None:
    if setting in KEY_SETTINGS:
        forget()
        from hearth.crypto import blind

        blind.forget()


def read_key_file(path_setting: str) -> str | None:
    """The text of the key file a ``*_FILE`` setting names (None when it names none); unreadable files are
    refused naming the setting and the path, never the content."""
    name = str(getattr(settings, path_setting, "") or "")
    if not name:
        return None
    try:
        return Path(name).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise FieldKeyError(
            f"{path_setting} names a file that cannot be read ({name}): {type(error).__name__}"
        ) from None


def configured_key(setting: str) -> str | None:
    """A key from its setting or from the file its ``<setting>_FILE`` names; both at once is refused."""
    direct = str(getattr(settings, setting, "") or "").strip()
    from_file = read_key_file(f"{setting}_FILE")
    if direct and from_file is not None:
        raise FieldKeyError(f"set {setting} or {setting}_FILE, not both")
    if from_file is not None:
        if not from_file.strip():
            raise FieldKeyError(f"{setting}_FILE names an empty file")
        return from_file.strip()
    return direct or None


def _load() -> Keyring:
    configured = configured_key("HEARTH_FIELD_KEY")
    if configured:
        source = "HEARTH_FIELD_KEY_FILE" if getattr(settings, "HEARTH_FIELD_KEY_FILE", "") else "HEARTH_FIELD_KEY"
        current = parse_key(configured, setting=source)
    elif getattr(settings, "PRODUCTION", False):
        raise FieldKeyError("HEARTH_FIELD_KEY or HEARTH_FIELD_KEY_FILE must be set when HEARTH_ENV=production")
    else:
        current = parse_key(development_key(Path(settings.DATA_DIR)), setting=f"the key in {KEY_FILE}")
    by_id = {current.key_id: current}
    retired_texts = [str(t) for t in getattr(settings, "HEARTH_FIELD_KEYS_RETIRED", None) or []]
    retired_file = read_key_file("HEARTH_FIELD_KEYS_RETIRED_FILE")
    if retired_file is not None:
        if retired_texts:
            raise FieldKeyError("set HEARTH_FIELD_KEYS_RETIRED or HEARTH_FIELD_KEYS_RETIRED_FILE, not both")
        retired_texts = [line.strip() for line in retired_file.splitlines() if line.strip()]
        where = "HEARTH_FIELD_KEYS_RETIRED_FILE (key {})"
    else:
        where = "HEARTH_FIELD_KEYS_RETIRED (key {})"
    for index, text in enumerate(retired_texts):
        retired = parse_key(text, setting=where.format(index + 1))
        by_id.setdefault(retired.key_id, retired)
    return Keyring(current, by_id)


def development_key(data_dir: Path, name: str = KEY_FILE) -> str:
    """The data folder's own key, made on first use. Made under a temporary name and linked into place, so
    two processes starting at once (parallel tests) agree on one key and never read a half-written file."""
    path = data_dir / name
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        temporary = data_dir / f".{name}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_key() + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            temporary.unlink()
    return path.read_text().strip()
