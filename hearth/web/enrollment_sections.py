"""Sections of the enrollment page, each contributed by one area of case work (services, bed nights, contacts…).

Like the profile panels (hearth/web/panels.py): an area registers ``fn(request, enrollment) -> context | None``
with a template, in the module of its views, and the enrollment page draws the sections in order without being
edited. A section reads through the guarded lookups and answers None to stay hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from hearth.hmis.models import Enrollment

SectionContext = Callable[[HttpRequest, Enrollment], dict[str, Any] | None]


@dataclass(frozen=True)
class Section:
    name: str
    template: str
    order: int
    context: SectionContext


@dataclass(frozen=True)
class ShownSection:
    name: str
    template: str
    context: dict[str, Any]


_SECTIONS: dict[str, Section] = {}


def enrollment_section(name: str, *, template: str, order: int) -> Callable[[SectionContext], SectionContext]:
    """Register ``fn(request, enrollment) -> context | None`` as the enrollment-page section ``name``."""

    def register(fn: SectionContext) -> SectionContext:
        _SECTIONS[name] = Section(name=name, template=template, order=order, context=fn)
        return fn

    return register


def sections_for(request: HttpRequest, enrollment: Enrollment) -> list[ShownSection]:
    shown = []
    for item in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name)):
        context = item.context(request, enrollment)
        if context is not None:
            shown.append(ShownSection(name=item.name, template=item.template, context=context))
    return shown
