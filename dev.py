#!/usr/bin/env python3
"""Hearth's developer loop, needing only Python 3.11+ on the machine.

    python3 dev.py start     set up (virtualenv, locked dependencies, database, demo data) and start Hearth
    python3 dev.py test      run the test suite on SQLite (pytest arguments may follow; set
                             HEARTH_TEST_DATABASE_URL=postgres://… to run it on PostgreSQL)
    python3 dev.py lint      ruff, mypy and the migrations check

The virtualenv (.venv) and the data folder (var/) live in this checkout; delete them to start from scratch.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "dev.lock"
STAMP = VENV / ".hearth-lock"


def python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)  # noqa: S603 - our own tools
    if result.returncode:
        raise SystemExit(result.returncode)


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs before anything checks the version
        raise SystemExit(f"Hearth needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not python().exists():
        print("Creating the virtualenv in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Front-end assets (USWDS, htmx, axe-core) come from the npm registry, pinned in requirements/assets.json.
    run(python(), "-m", "hearth.assets", "--dev")
    wanted = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Installing the locked dependencies …", flush=True)
    quiet = ["--quiet", "--disable-pip-version-check"]
    run(python(), "-m", "pip", "install", *quiet, "--require-hashes", "-r", LOCK)
    run(python(), "-m", "pip", "install", *quiet, "--no-deps", "-e", ROOT)
    STAMP.write_text(wanted)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("HEARTH_DATA_DIR", str(ROOT / "var"))
    env.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    return env


def _workers(args: list[str]) -> list[str]:
    """The whole suite runs on every core (pytest-xdist; on PostgreSQL twice as fast with two); a chosen test
    or an explicit -n runs as asked."""
    paths = [a for a in args if not a.startswith("-") and ("::" in a or (ROOT / a.split("::")[0]).exists())]
    chosen = bool(paths) or any(a.startswith(("-n", "--numprocesses", "-k", "--lf")) for a in args)
    return [] if chosen else ["-n", "auto"]


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in {"start", "test", "lint"}:
        print(__doc__)
        raise SystemExit(2)
    command, rest = argv[0], argv[1:]
    ensure_environment()
    env = environment()
    if command == "start":
        run(python(), "-m", "hearth", "demo", *rest, env=env)
    elif command == "test":
        # Tests never touch the database DATABASE_URL names: SQLite in memory unless asked otherwise.
        env.pop("DATABASE_URL", None)
        if env.get("HEARTH_TEST_DATABASE_URL"):
            env["DATABASE_URL"] = env["HEARTH_TEST_DATABASE_URL"]
        run(python(), "-m", "pytest", *_workers(rest), *rest, env=env)
    else:
        run(python(), "-m", "ruff", "check", "hearth", "tests", "tools", "bench", "dev.py", env=env)
        run(python(), "-m", "ruff", "format", "--check", "hearth", "tests", "tools", "bench", "dev.py", env=env)
        run(python(), "-m", "mypy", "hearth", "dev.py", "tests", env=env)
        run(python(), "-m", "hearth", "makemigrations", "--check", "--dry-run", env=env)


if __name__ == "__main__":
    main(sys.argv[1:])
