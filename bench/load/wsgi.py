"""The WSGI application the load test runs: Hearth, plus two baseline endpoints outside Hearth's URLs.

``/bench/trivial/`` answers without touching the database; ``/bench/equality/?pk=N`` runs one indexed
equality query (a client's HUD ID by primary key) and answers. Both go through the same server, workers and
database connection as the pages measured, so the difference is Hearth's own work. Never deployed: only
bench/load/run.py points gunicorn at this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from hearth.wsgi import application as hearth


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if path == "/bench/trivial/":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    if path == "/bench/equality/":
        from django.db import close_old_connections

        from hearth.hmis.models import Client  # Django is set up by hearth.wsgi above

        close_old_connections()
        pk = int(parse_qs(environ.get("QUERY_STRING", "")).get("pk", ["0"])[0])
        found = Client.objects.filter(pk=pk).values_list("hud_id", flat=True).first()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"found" if found else b"none"]
    return hearth(environ, start_response)
