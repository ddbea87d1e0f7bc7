from __future__ import annotations

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "hearth.search"
    label = "search"
    verbose_name = "Client search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # After an import the index is rebuilt for the import's source (hearth.exchange.hooks).
        from hearth.exchange.hooks import after_import
        from hearth.search.index import rebuild_after_import

        after_import("Indexing clients for search")(rebuild_after_import)
