from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hearth.exchange.models import ExportRun, ImportRun


class RunAdmin(admin.ModelAdmin):
    list_display = ("pk", "status", "filename", "actor", "created_at", "errors", "warnings")
    list_filter = ("status",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(ImportRun, RunAdmin)
admin.site.register(ExportRun, RunAdmin)
