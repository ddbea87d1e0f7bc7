"""Encryption at rest of the most sensitive values (the SSN, HMIS Data Standards FY2026 3.02).

AES-SIV (RFC 5297, AES-256-SIV): deterministic authenticated encryption, so equal values stay comparable while
the database, its dumps and its backups hold no readable SSN. The key comes from ``HEARTH_FIELD_KEY`` (a
generated per-data-folder file outside production); see docs/adr/0007-ssn-encryption.md.

- ``encrypt`` / ``decrypt``: one value; ``encrypt_series`` / ``decrypt_series``: a Polars column (bulk paths).
- ``hearth.hmis.fields.EncryptedCharField`` applies them to a model field.
"""

from hearth.crypto.keys import FieldKeyError, keyring, new_key
from hearth.crypto.siv import (
    PREFIX,
    FieldCryptoError,
    decrypt,
    decrypt_series,
    encrypt,
    encrypt_series,
    is_encrypted,
    key_id_of,
    stored_length,
)

__all__ = [
    "PREFIX",
    "FieldCryptoError",
    "FieldKeyError",
    "decrypt",
    "decrypt_series",
    "encrypt",
    "encrypt_series",
    "is_encrypted",
    "key_id_of",
    "keyring",
    "new_key",
    "stored_length",
]
