from __future__ import annotations

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "hearth.search"
    label = "search"
    verbose_name = "Client search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A new source's clients are keyed within its import; after any other import the index is rebuilt for
        # the import's source (hearth.exchange.hooks).
        from hearth.exchange.hooks import after_import, within_import
        from hearth.search.index import import_indexing, rebuild_after_import

        within_import("Indexing clients for search")(import_indexing)
        after_import("Indexing clients for search")(rebuild_after_import)
