"""Sections of the client profile, each contributed by one area of case work.

The profile page shows the universal data elements itself; households and enrollments, services, outreach
contacts, case notes and files each register a panel here (in the module of their views), so an area adds its
section without editing the profile view. A panel reads through the guarded lookups like any view and answers
None when the user may not see anything of it, which hides it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from hearth.hmis.models import Client

PanelContext = Callable[[HttpRequest, Client], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    order: int
    context: PanelContext


@dataclass(frozen=True)
class ShownPanel:
    name: str
    template: str
    context: dict[str, Any]


_PANELS: dict[str, Panel] = {}


def panel(name: str, *, template: str, order: int) -> Callable[[PanelContext], PanelContext]:
    """Register ``fn(request, client) -> context | None`` as the profile section ``name``."""

    def register(fn: PanelContext) -> PanelContext:
        _PANELS[name] = Panel(name=name, template=template, order=order, context=fn)
        return fn

    return register


def panels_for(request: HttpRequest, client: Client) -> list[ShownPanel]:
    shown = []
    for item in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        context = item.context(request, client)
        if context is not None:
            shown.append(ShownPanel(name=item.name, template=item.template, context=context))
    return shown
