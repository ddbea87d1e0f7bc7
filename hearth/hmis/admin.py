"""Read-only admin pages for HUD records: the HMIS Lead can browse what imports brought in.

Records change only through Hearth's actions (imports now; case-work pages later), never by editing rows here,
so every change is validated and audited the same way.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from hearth.hmis.models import Source
from hearth.hmis.registry import all_maps

LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "Client": ("hud_id", "source", "veteran_status", "date_updated"),
    "Enrollment": ("hud_id", "source", "project", "entry_date", "household_id", "relationship_to_hoh"),
    "Exit": ("hud_id", "source", "enrollment", "exit_date", "destination"),
    "Project": ("hud_id", "project_name", "project_type", "organization", "source"),
    "Organization": ("hud_id", "organization_name", "victim_service_provider", "source"),
    "Services": ("hud_id", "source", "enrollment", "date_provided", "record_type"),
    "Export": ("hud_id", "source", "export_date", "csv_version", "export_directive", "hash_status"),
}


class ReadOnlyHudAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False  # counting millions of rows on every page is slow
    search_fields = ("hud_id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _register() -> None:
    for rmap in all_maps():
        columns = LIST_COLUMNS.get(rmap.record, ("hud_id", "source", "date_updated"))
        foreign = tuple(
            f.name for f in rmap.model._meta.get_fields() if isinstance(f, models.ForeignKey) and f.name != "export"
        )
        attrs = {
            "list_display": columns,
            "list_filter": ("source",),
            "list_select_related": tuple(c for c in columns if c in foreign),
            "raw_id_fields": foreign,
        }
        admin.site.register(rmap.model, type(f"{rmap.model.__name__}Admin", (ReadOnlyHudAdmin,), attrs))


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "implementation_id", "is_local", "created_at")
    readonly_fields = ("implementation_id", "is_local", "created_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


_register()
