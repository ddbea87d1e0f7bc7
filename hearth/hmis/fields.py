"""Model fields for HUD coded data elements.

A coded field takes its values and labels from the current spec version (hearth.spec), so the model code
does not change when HUD's lists do. Columns whose list depends on another column (DisabilityResponse,
TypeProvided, SubTypeProvided) are validated per record by ``hearth.hmis.codes``. ``EncryptedCharField`` keeps
a value encrypted at rest (the SSN).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import polars as pl
from django.db import models

from hearth.crypto import decrypt, decrypt_series, encrypt, encrypt_series, is_encrypted, stored_length
from hearth.spec import Code, current


def hud_choices(record: str, column: str) -> list[tuple[Code, str]]:
    spec = current()
    return spec.static_choices(spec.record(record).column(column))


def _has_static_list(record: str, column: str) -> bool:
    spec = current()
    return not any(rule.kind != "exclude" for rule in spec.rules_for(record, column))


class _HudCoded:
    hud_record: str
    hud_column: str

    def _init_hud(self, record: str, column: str, kwargs: dict[str, Any]) -> None:
        self.hud_record = record
        self.hud_column = column
        if _has_static_list(record, column):
            kwargs["choices"] = partial(hud_choices, record, column)

    def _deconstruct_hud(self, kwargs: dict[str, Any]) -> None:
        # Values live in the spec data, not in migrations: a new HUD list version needs no migration.
        kwargs.pop("choices", None)
        kwargs["record"] = self.hud_record
        kwargs["column"] = self.hud_column


class HudCodeField(_HudCoded, models.SmallIntegerField):
    """An integer from a HUD code list (every HUD list value fits in a smallint)."""

    description = "HUD coded value"

    def __init__(self, *args: Any, record: str, column: str, **kwargs: Any) -> None:
        self._init_hud(record, column, kwargs)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        self._deconstruct_hud(kwargs)
        return name, path, args, kwargs


class HudCodeCharField(_HudCoded, models.CharField):
    """A HUD list whose values are not all numbers (V6.1 VAMC station numbers such as 528A5)."""

    description = "HUD coded text value"

    def __init__(self, *args: Any, record: str, column: str, **kwargs: Any) -> None:
        self._init_hud(record, column, kwargs)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        self._deconstruct_hud(kwargs)
        return name, path, args, kwargs


class HudIdField(models.CharField):
    """A record's HUD identifier (PersonalID, EnrollmentID…): an opaque string, compared byte by byte.

    On PostgreSQL the column uses the "C" collation: identifiers have no linguistic order, and byte order
    makes the (source, hud_id) key's index faster to build and search (docs/adr/0003-keys-and-references.md).
    """

    description = "HUD identifier"

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


class EncryptedCharField(models.CharField):
    """Text encrypted at rest: plain text in Python, AES-SIV ciphertext in the database (hearth.crypto,
    docs/adr/0007-ssn-encryption.md). Used for the SSN (HMIS Data Standards FY2026 3.02 Social Security Number).

    ``max_length`` is the value's (validation, forms); the column is as wide as that value's ciphertext. The
    associated data is ``<table>.<column>``, so the bulk paths (hearth.exchange) encrypt exactly as the ORM does
    through ``encrypt_series`` / ``decrypt_series``. Encryption is deterministic, so ``exact``, ``in`` and
    ``isnull`` work; other lookups (``endswith``, ``contains``…) would match nothing and are refused.
    """

    description = "Text encrypted at rest"
    LOOKUPS = frozenset({"exact", "in", "isnull"})

    @property
    def context(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def db_type(self, connection: Any) -> str | None:
        column_type = connection.data_types["CharField"]
        data = {"max_length": stored_length(self.max_length or 0)}
        return str(column_type(data) if callable(column_type) else column_type % data)

    def cast_db_type(self, connection: Any) -> str | None:
        return self.db_type(connection)

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name in self.LOOKUPS else None

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value, context=self.context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value), context=self.context)

    def encrypt_series(self, series: pl.Series) -> pl.Series:
        return encrypt_series(series, context=self.context)

    def decrypt_series(self, series: pl.Series) -> pl.Series:
        return decrypt_series(series, context=self.context)


def encrypted_fields(model: type[models.Model]) -> dict[str, EncryptedCharField]:
    """A model's encrypted fields by field name (the bulk paths encrypt and decrypt these columns)."""
    return {f.name: f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)}


class SensitiveCharField(EncryptedCharField):
    """Free text the HMIS Lead may choose to encrypt at rest (hearth.crypto.sensitive: a fixed, reviewed list of
    candidates; docs/adr/0015-audit-integrity-and-data-protection.md). The column is wide enough for ciphertext
    whether or not the field is switched on; values are encrypted on write while it is on, and read either way
    (plain or encrypted), so switching on or off, and the job that then rewrites existing values, never stop
    Hearth. Because a column may hold both while that job runs, no lookup but ``isnull`` exists: these fields are
    chosen among those nothing searches, sorts or filters by."""

    description = "Text encrypted at rest when the HMIS Lead chooses"
    LOOKUPS = frozenset({"isnull"})

    @property
    def sealed(self) -> bool:
        from hearth.crypto.sensitive import is_sealed

        return is_sealed(self.context)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "" or not is_encrypted(value):
            return value
        return decrypt(value, context=self.context)

    def get_prep_value(self, value: Any) -> Any:
        value = models.CharField.get_prep_value(self, value)
        if value is None or value == "" or not self.sealed:
            return value
        return encrypt(str(value), context=self.context)

    def encrypt_series(self, series: pl.Series) -> pl.Series:
        return encrypt_series(series, context=self.context) if self.sealed else series

    def decrypt_series(self, series: pl.Series) -> pl.Series:
        context = self.context
        values = series.cast(pl.String).to_list()
        plain = [decrypt(v, context=context) if v and is_encrypted(v) else v for v in values]
        return pl.Series(series.name, plain, dtype=pl.String)
