"""What every page needs to draw the navigation: which areas the user may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from hearth.access.lookups import can, manages_structure
from hearth.access.roles import Permission
from hearth.access.scope import reach


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "clients": can(user, Permission.VIEW_CLIENTS),
            "people": user.is_superuser or can(user, Permission.MANAGE_USERS),
            "exchange": can(user, Permission.IMPORT_EXPORT),
            "reports": can(user, Permission.VIEW_REPORTS),
            "structure": manages_structure(user),
            "sharing": can(user, Permission.MANAGE_CONTINUUM),
            # Unusual-access alerts: VIEW_AUDIT held CoC-wide (hearth.web.views.alerts).
            "alerts": bool(reach(user, Permission.VIEW_AUDIT).continuums),
        }
    }
