"""AES-SIV encryption of text values, one at a time or a Polars column at a time.

A stored value reads ``e1:<key id>:<base64url(SIV tag ‖ ciphertext)>``: ``e1`` is this format's version, the key
id names the key that decrypts it (hearth.crypto.keys). The associated data is the column the value belongs to
(``hmis_client.ssn``), so a ciphertext copied into another column does not decrypt. The same value under the
same key always gives the same text, so equality lookups work on the ciphertext (docs/adr/0007).

Errors name the column and the key id only: never the value, whole or in part.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable

import polars as pl
from cryptography.exceptions import InvalidTag

from hearth.crypto.keys import keyring

PREFIX = "e1:"
TAG_BYTES = 16
_BODY = len(PREFIX) + 9  # where the base64 text starts, after "e1:" and the key id with its colon
_HEX = frozenset("0123456789abcdef")


class FieldCryptoError(RuntimeError):
    """A stored value cannot be decrypted (unknown key, altered value, plain text where ciphertext belongs)."""


def stored_length(max_chars: int) -> int:
    """The longest stored text for a value of ``max_chars`` characters (each up to 4 bytes in UTF-8)."""
    return len(PREFIX) + 8 + 1 + math.ceil((TAG_BYTES + 4 * max_chars) * 4 / 3)


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def key_id_of(value: str) -> str | None:
    """The key id of a stored value, or None for a value that is not in this format."""
    if not value.startswith(PREFIX) or value[_BODY - 1 : _BODY] != ":":
        return None
    kid = value[len(PREFIX) : _BODY - 1]
    return kid if _HEX.issuperset(kid) else None


def encrypt(value: str, *, context: str) -> str:
    key = keyring().current
    sealed = key.cipher.encrypt(value.encode("utf-8"), [context.encode("ascii")])
    return f"{PREFIX}{key.key_id}:{_encode(sealed)}"


def _encode(sealed: bytes) -> str:
    return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")


def decrypt(value: str, *, context: str) -> str:
    kid = key_id_of(value)
    if kid is None:
        raise FieldCryptoError(
            f"{context} holds a value that is not encrypted (was it written past the encrypted field? "
            "see docs/adr/0007-ssn-encryption.md)"
        )
    key = keyring().get(kid)
    if key is None:
        raise FieldCryptoError(
            f"{context} holds a value encrypted with key {kid}, which is neither HEARTH_FIELD_KEY nor one of "
            "HEARTH_FIELD_KEYS_RETIRED: Hearth is running with a different key than the one that wrote it"
        )
    body = value[_BODY:]
    try:
        sealed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if _encode(sealed) != body:  # one stored text per value: stray characters or padding bits are tampering
            raise ValueError
        plain = key.cipher.decrypt(sealed, [context.encode("ascii")])
    except (binascii.Error, ValueError, InvalidTag):
        raise FieldCryptoError(
            f"{context} holds a value under key {kid} that fails authentication: it was altered, truncated or "
            "copied from another column"
        ) from None
    return plain.decode("utf-8")


def encrypt_series(series: pl.Series, *, context: str) -> pl.Series:
    """Encrypt a column of text: nulls and empty strings stay as they are."""
    return _map_values(series, lambda value: encrypt(value, context=context))


def decrypt_series(series: pl.Series, *, context: str) -> pl.Series:
    """Decrypt a column read from the database (raw SQL, COPY, ADBC): the inverse of ``encrypt_series``."""
    return _map_values(series, lambda value: decrypt(value, context=context))


def _map_values(series: pl.Series, function: Callable[[str], str]) -> pl.Series:
    """One pass over the column's values. Measured on 100K synthetic clients: faster than encrypting each distinct
    value once and mapping back (most SSNs are distinct; the mapping costs more than the ~1.5 µs a value)."""
    values = series.cast(pl.String).to_list()
    return pl.Series(series.name, [function(v) if v else v for v in values], dtype=pl.String)
