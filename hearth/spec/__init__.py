"""HUD HMIS CSV specifications as data.

``current()`` is the one place that decides which specification version Hearth speaks. Adding FY2028 means
adding ``data/fy2028/`` (and the rules that changed), then moving ``CURRENT`` — never copying code.
"""

from __future__ import annotations

from functools import cache

from hearth.spec.model import Code, CodeList, Column, RecordType, Spec

CURRENT = "fy2026"

__all__ = ["CURRENT", "Code", "CodeList", "Column", "RecordType", "Spec", "current", "get"]


@cache
def get(version: str) -> Spec:
    from hearth.spec.loader import load

    return load(version)


def current() -> Spec:
    return get(CURRENT)
