from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from hearth.hmis.models import Source


class AccessConfig(AppConfig):
    name = "hearth.access"
    label = "access"
    verbose_name = "Access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hearth.access.structure import assign_continuums
        from hearth.exchange.hooks import after_import

        def place(source: Source, counts: Mapping[str, Any]) -> None:
            assign_continuums(source, counts)

        after_import("Placing organizations in their CoC")(place)
