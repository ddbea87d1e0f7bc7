"""HashStatus 4 (SHA-256) hashing of identifying Client fields for HMIS CSV exports.

HMIS CSV spec, Hash Status (list 1.5: 4 = SHA-256, as RHY and HUD's Eva require). As implemented by the
reference HMIS vendors: FirstName, MiddleName and LastName become the lowercase hex SHA-256 of the name's
Soundex code (letter + three digits); SSN is left-padded with ``x`` to nine characters and becomes the last
four of those characters followed by the lowercase hex SHA-256 of all nine. Empty values stay empty; DOB and
every other field stay in clear.
"""

from __future__ import annotations

import hashlib

import polars as pl

_CODES = {
    **dict.fromkeys("BFPV", "1"),
    **dict.fromkeys("CGJKQSXZ", "2"),
    **dict.fromkeys("DT", "3"),
    "L": "4",
    **dict.fromkeys("MN", "5"),
    "R": "6",
}


def soundex(name: str) -> str:
    """American Soundex (the variant the US Census uses): H and W do not separate letters with the same code."""
    letters = [c for c in name.upper() if "A" <= c <= "Z"]
    if not letters:
        return ""
    first = letters[0]
    digits: list[str] = []
    previous = _CODES.get(first, "")
    for char in letters[1:]:
        code = _CODES.get(char, "")
        if code and code != previous:
            digits.append(code)
        if char not in "HW":
            previous = code
        if len(digits) == 3:
            break
    return (first + "".join(digits)).ljust(4, "0")


def hash_name(name: str | None) -> str | None:
    if name is None or name == "":
        return name
    code = soundex(name)
    return hashlib.sha256(code.encode("ascii")).hexdigest() if code else None


def hash_ssn(ssn: str | None) -> str | None:
    if ssn is None or ssn == "":
        return ssn
    padded = ssn.rjust(9, "x")
    return padded[-4:] + hashlib.sha256(padded.encode("ascii")).hexdigest()


def hash_client_frame(frame: pl.DataFrame, skip: pl.Series | None = None) -> pl.DataFrame:
    """Hash FirstName, MiddleName, LastName and SSN of a Client.csv frame (string columns). ``skip`` (boolean, one
    per row): rows whose values are digests already (a source imported hashed), left as they are."""
    exprs = [
        pl.col(name).map_elements(hash_name, return_dtype=pl.String).alias(name)
        for name in ("FirstName", "MiddleName", "LastName")
        if name in frame.columns
    ]
    if "SSN" in frame.columns:
        exprs.append(pl.col("SSN").map_elements(hash_ssn, return_dtype=pl.String).alias("SSN"))
    if skip is not None:
        keep = pl.lit(skip)
        exprs = [pl.when(keep).then(pl.col(e.meta.output_name())).otherwise(e) for e in exprs]
    return frame.with_columns(exprs)
