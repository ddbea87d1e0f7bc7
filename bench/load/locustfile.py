"""Locust users for bench/load/run.py: case workers opening client profiles and the nightly roster, with
signed-in sessions, plus the two baselines measured in the same run."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

TARGETS = json.loads(Path(os.environ["HEARTH_LOAD_TARGETS"]).read_text())
_accounts = itertools.cycle(TARGETS["accounts"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class CaseWorker(HttpUser):
    # A person at a desk: a page every 1-3 seconds (the 50 users then send about 25 requests a second).
    wait_time = between(1, 3)

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login")
        token = CSRF.search(page.text)
        assert token is not None, "no CSRF token on the login page"
        response = self.client.post(
            "/accounts/login/",
            {"username": next(_accounts), "password": TARGETS["password"], "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            allow_redirects=False,
        )
        assert response.status_code == 302, f"login failed: {response.status_code}"

    @task(3)
    def profile(self) -> None:
        client_id = random.choice(TARGETS["clients"])
        self.client.get(f"/clients/{client_id}/", name="profile")

    @task(2)
    def roster(self) -> None:
        self.client.get(f"/projects/{TARGETS['project']}/roster/?night={TARGETS['night']}", name="roster")

    @task(1)
    def baseline_equality(self) -> None:
        client_id = random.choice(TARGETS["clients"])
        self.client.get(f"/bench/equality/?pk={client_id}", name="baseline: equality query")

    @task(1)
    def baseline_trivial(self) -> None:
        self.client.get("/bench/trivial/", name="baseline: no database")
