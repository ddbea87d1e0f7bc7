"""Hearth keeps freed memory a while before giving it back to the kernel (hearth/__init__.py)."""

from __future__ import annotations

import os
import subprocess
import sys


def _conf_seen_by_polars(extra_env: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"} | extra_env
    out = subprocess.run(
        [sys.executable, "-c", "import hearth, polars, os; print(os.environ['_RJEM_MALLOC_CONF'])"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def _effective(conf: str) -> dict[str, str]:
    """jemalloc reads the options left to right: the last value of an option wins."""
    return dict(option.split(":", 1) for option in conf.split(","))


def test_hearth_asks_for_lazily_freed_pages_over_polars_defaults() -> None:
    assert _effective(_conf_seen_by_polars({}))["muzzy_decay_ms"] == "10000"


def test_an_operators_own_setting_is_kept() -> None:
    assert _effective(_conf_seen_by_polars({"_RJEM_MALLOC_CONF": "muzzy_decay_ms:0"}))["muzzy_decay_ms"] == "0"
