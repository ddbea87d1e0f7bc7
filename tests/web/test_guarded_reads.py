"""Pages read client data only through hearth.access.lookups (docs/adr/0005-access-and-audit.md)."""

from __future__ import annotations

import re
from pathlib import Path

import hearth.web
from hearth.hmis.registry import hud_models

WEB = Path(hearth.web.__file__).resolve().parent


def client_level_models() -> set[str]:
    return {model.__name__ for model in hud_models() if model.CLIENT_LEVEL}


def test_no_page_queries_client_level_models_directly() -> None:
    names = client_level_models()
    assert {"Client", "Enrollment", "Services", "Exit"} <= names
    pattern = re.compile(r"\b(" + "|".join(sorted(names)) + r")\.(objects|_default_manager|_base_manager)\b")
    offenders = [
        f"{path.relative_to(WEB)}:{number}: {line.strip()}"
        for path in WEB.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line) or "raw(" in line or "connection.cursor" in line
    ]
    assert offenders == []


def test_the_check_would_catch_a_direct_query(tmp_path: Path) -> None:
    names = client_level_models()
    pattern = re.compile(r"\b(" + "|".join(sorted(names)) + r")\.(objects|_default_manager|_base_manager)\b")
    assert pattern.search("    client = Client.objects.get(pk=pk)")
    assert pattern.search("Services.objects.filter(enrollment=e)")
    assert not pattern.search("clients_for(request.user).get(pk=pk)")
