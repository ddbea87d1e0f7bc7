"""Breached passwords, checked against a local list (an HMIS server may have no internet).

The list holds SHA-1 hashes, as Have I Been Pwned publishes them, in either shape:

- one sorted file, a hash per line, optionally ``:COUNT`` after it (HIBP's "ordered by hash" download, or any
  subset of it): looked up by binary search, so a file of a billion lines costs ~30 reads;
- a folder of k-anonymity range files named by the hash's first five hex digits (``00000.txt`` … ``FFFFF.txt``,
  or without the extension), each line the other 35 digits and ``:COUNT`` (what the HIBP range API answers and
  its downloader writes). Lines with a count of 0 are HIBP's padding and never match.

NIST SP 800-63B 3.1.1.2 asks that new passwords be compared against values known to be compromised.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ImproperlyConfigured, ValidationError

from hearth.signin import conf


def sha1_hex(password: str) -> str:
    # SHA-1 is the list's format, not a protection: nothing is stored (S324: not a security use here).
    return hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


def is_breached(password: str, source: Path) -> bool:
    digest = sha1_hex(password)
    if source.is_dir():
        return _in_range_file(digest, source)
    if source.is_file():
        return _in_sorted_file(digest, source)
    raise ImproperlyConfigured(f"HEARTH_BREACHED_PASSWORDS names no file or folder: {source}")


def _count_ok(rest: str) -> bool:
    count = rest.strip()
    return not count or not count.isdigit() or int(count) > 0


def _in_range_file(digest: str, folder: Path) -> bool:
    prefix, suffix = digest[:5], digest[5:]
    for name in (f"{prefix}.txt", prefix, f"{prefix.lower()}.txt", prefix.lower()):
        path = folder / name
        if path.is_file():
            with path.open(encoding="ascii", errors="replace") as lines:
                for line in lines:
                    head, _, rest = line.strip().partition(":")
                    if head.upper() == suffix and _count_ok(rest):
                        return True
            return False
    return False


def _line_at(handle: BinaryIO, offset: int) -> str:
    """The first whole line starting after ``offset`` (the first line when ``offset`` is 0)."""
    handle.seek(offset)
    if offset:
        handle.readline()  # the rest of a line begun before offset
    return handle.readline().decode("ascii", errors="replace").strip()


def _in_sorted_file(digest: str, path: Path) -> bool:
    with path.open("rb") as handle:
        # Bisect on byte offsets for the first offset whose next whole line's hash is >= digest; the line read
        # there is the only candidate (lines only grow with the offset, the first line is read at offset 0).
        low, high = 0, os.fstat(handle.fileno()).st_size
        while low < high:
            middle = (low + high) // 2
            line = _line_at(handle, middle)
            if line and line.partition(":")[0].upper() < digest:
                low = middle + 1
            else:
                high = middle
        head, _, rest = _line_at(handle, low).partition(":")
        return head.upper() == digest and _count_ok(rest)


class BreachedPasswordValidator:
    """Refuses a password whose SHA-1 is in HEARTH_BREACHED_PASSWORDS (no check when it is not set)."""

    def __init__(self, source: str | None = None) -> None:
        self.source = source

    def validate(self, password: str, user: object = None) -> None:
        source = self.source if self.source is not None else conf.breached_passwords()
        if source and is_breached(password, Path(source)):
            raise ValidationError(
                "This password appears in a list of passwords exposed in data breaches. Choose another one.",
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return "Your password cannot be one known from data breaches."
