"""System checks: a breached-password list that is configured must be there (a missing one would let every
password through silently)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.checks import Error, register

from hearth.signin import conf


@register()
def breached_list_exists(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    source = conf.breached_passwords()
    if source and not Path(source).exists():
        return [
            Error(
                f"HEARTH_BREACHED_PASSWORDS names no file or folder: {source}",
                hint="Point it at a sorted SHA-1 list or a folder of range files, or leave it empty.",
                id="hearth.signin.E001",
            )
        ]
    return []
