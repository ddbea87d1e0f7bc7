"""Read-only admin pages for HUD project descriptor records: a superuser can browse what imports brought in.

Records change only through Hearth's actions, never by editing rows here, so every change is validated and
audited the same way. Client-level records (Client and everything hanging off it) are not registered at all:
client data is read only through the guarded, audited lookups of hearth.access (docs/adr/0005), and the admin
would be a second read path around both.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from hearth.hmis.models import Source
from hearth.hmis.registry import all_maps

LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "Project": ("hud_id", "project_name", "project_type", "organization", "source"),
    "Organization": ("hud_id", "organization_name", "victim_service_provider", "source"),
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
        if getattr(rmap.model, "CLIENT_LEVEL", False):
            continue
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
        if rmap.record == "ProjectCoC":
            # Addresses (2.03.3-2.03.7) may be confidential locations, shown to the project's own agency only
            # (hearth.structure.confidential); the deployment's superuser is not that agency.
            attrs["exclude"] = ("address1", "address2", "city", "state", "zip")
        admin.site.register(rmap.model, type(f"{rmap.model.__name__}Admin", (ReadOnlyHudAdmin,), attrs))


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "implementation_id", "is_local", "created_at")
    readonly_fields = ("implementation_id", "is_local", "created_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


_register()
