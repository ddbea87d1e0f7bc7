from __future__ import annotations

from pathlib import Path
from typing import Any

from hearth.exchange.importer import ImportOutcome, import_export
from hearth.hmis.registry import hud_models


def do_import(path: Path, **options: Any) -> ImportOutcome:
    return import_export(path=path, actor="test", **options)


def hud_row_count() -> int:
    """Rows in every HUD record table: zero after a rejected import into an empty database."""
    return sum(model.objects.count() for model in hud_models())


def kinds(outcome: ImportOutcome) -> set[tuple[str, str, str, str]]:
    """(severity, file, column, rule) of every kind of problem found."""
    return {(str(k.severity), k.file, k.column, k.rule) for k in outcome.log.kinds()}


def rows_of(outcome: ImportOutcome, file: str, column: str, rule: str) -> list[int]:
    return sorted(
        i.row for i in outcome.log.issues() if (i.file, i.column, i.rule) == (file, column, rule) and i.row is not None
    )


def other_session(*, autocommit: bool = False) -> Any:
    """A second PostgreSQL connection to the test database (psycopg), as another request or user would hold."""
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=autocommit,
    )
