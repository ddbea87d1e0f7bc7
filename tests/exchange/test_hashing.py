"""SHA-256 hashing (HashStatus 4) of names via Soundex, and of SSNs, for HMIS CSV exports."""

from __future__ import annotations

import hashlib

import polars as pl
import pytest

from hearth.exchange.hashing import hash_client_frame, hash_name, hash_ssn, soundex


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Robert", "R163"),
        ("Rupert", "R163"),
        ("Rubin", "R150"),
        ("Ashcraft", "A261"),
        ("Ashcroft", "A261"),
        ("Tymczak", "T522"),
        ("Pfister", "P236"),
        ("Honeyman", "H555"),
        ("Lee", "L000"),
        ("O'Brien", "O165"),
        ("van der Berg", "V536"),
        ("", ""),
        ("123", ""),
    ],
)
def test_american_soundex(name: str, code: str) -> None:
    assert soundex(name) == code


def test_names_hash_to_the_sha256_of_their_soundex() -> None:
    assert hash_name("Robert") == hashlib.sha256(b"R163").hexdigest()
    assert hash_name("Robert") == hash_name("Rupert")
    assert hash_name("Robert") == "9841ba9e86d8bbc72379d20791640a315e5c20ec9f75b5550b12b894af26f47f"
    assert hash_name("") == ""
    assert hash_name(None) is None


def test_ssn_keeps_last_four_and_hashes_the_padded_value() -> None:
    assert hash_ssn("900123456") == "3456" + hashlib.sha256(b"900123456").hexdigest()
    assert hash_ssn("123xx") == "23xx" + hashlib.sha256(b"xxxx123xx").hexdigest()
    assert len(hash_ssn("900123456") or "") == 68
    assert hash_ssn(None) is None


def test_frame_hashing_touches_only_names_and_ssn() -> None:
    frame = pl.DataFrame(
        {
            "PersonalID": ["C1"],
            "FirstName": ["Maria"],
            "MiddleName": [None],
            "LastName": ["Lopez"],
            "SSN": ["900123456"],
            "DOB": ["1985-04-12"],
        }
    )
    hashed = hash_client_frame(frame).row(0, named=True)
    assert hashed["PersonalID"] == "C1"
    assert hashed["DOB"] == "1985-04-12"
    assert hashed["MiddleName"] is None
    assert hashed["FirstName"] == hashlib.sha256(b"M600").hexdigest()
    assert hashed["LastName"] == hashlib.sha256(b"L120").hexdigest()
