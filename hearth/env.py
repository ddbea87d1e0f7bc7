"""Small, loud helpers for reading settings from the environment.

In production mode (``HEARTH_ENV=production``) a missing required setting stops start-up with a
message naming the variable; in development the documented default applies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse


class ImproperlyConfiguredError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


def is_production() -> bool:
    return env_str("HEARTH_ENV", "development").lower() in {"production", "prod"}


def env_str(name: str, default: str | None = None, *, required_in_production: bool = False) -> str:
    value = os.environ.get(name)
    if value is not None and value != "":
        return value
    if required_in_production and is_production():
        raise ImproperlyConfiguredError(f"{name} must be set when HEARTH_ENV=production")
    if default is None:
        raise ImproperlyConfiguredError(f"{name} must be set")
    return default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfiguredError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfiguredError(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str], *, required_in_production: bool = False) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required_in_production and is_production():
            raise ImproperlyConfiguredError(f"{name} must be set when HEARTH_ENV=production")
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded database, uploads and job output live.

    ``HEARTH_DATA_DIR`` if set, else ``$XDG_DATA_HOME/hearth`` (``~/.local/share/hearth``).
    """
    explicit = os.environ.get("HEARTH_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "hearth"


@dataclass(frozen=True)
class DatabaseConfig:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: tuple[tuple[str, str], ...] = ()

    def as_django(self) -> dict[str, object]:
        config: dict[str, object] = {
            "ENGINE": self.engine,
            "NAME": self.name,
            "USER": self.user,
            "PASSWORD": self.password,
            "HOST": self.host,
            "PORT": self.port,
            "OPTIONS": dict(self.options),
        }
        if self.engine.endswith("sqlite3"):
            # WAL lets readers continue while an import writes; IMMEDIATE avoids upgrade deadlocks.
            config["OPTIONS"] = {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                **dict(self.options),
            }
        else:
            config["CONN_MAX_AGE"] = 60
        return config


def parse_database_url(url: str) -> DatabaseConfig:
    """Parse ``sqlite:///path`` or ``postgres://user:pass@host:port/name?opt=v``."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        # As in SQLAlchemy: sqlite:///relative.db and sqlite:////absolute/path.db
        path = unquote(url.split("://", 1)[1])
        path = path[1:] if path.startswith("/") else path
        if not path:
            raise ImproperlyConfiguredError("DATABASE_URL for SQLite needs a file path: sqlite:////abs/path.db")
        return DatabaseConfig(engine="django.db.backends.sqlite3", name=path)
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parsed.path.lstrip("/"))
        if not name:
            raise ImproperlyConfiguredError("DATABASE_URL for PostgreSQL needs a database name")
        return DatabaseConfig(
            engine="django.db.backends.postgresql",
            name=name,
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
            host=parsed.hostname or "",
            port=str(parsed.port or ""),
            options=tuple(parse_qsl(parsed.query)),
        )
    raise ImproperlyConfiguredError(
        f"DATABASE_URL scheme {scheme!r} is not supported; use sqlite:///path or postgres://…"
    )
