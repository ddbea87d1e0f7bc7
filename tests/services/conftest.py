from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hearth.audit.actor import Actor
from hearth.hmis.models import Funder
from tests import factories as make
from tests.web.personas import World, build_world


@pytest.fixture(autouse=True)
def files_dir(settings: Any, tmp_path: Path) -> Path:
    settings.HEARTH_FILES_DIR = tmp_path / "files"
    settings.HEARTH_DOCUMENT_MAX_BYTES = 64 * 1024
    return tmp_path / "files"


def add_funder(project: Any, funder: int, *, start: date = date(2020, 1, 1)) -> Funder:
    return Funder.objects.create(
        hud_id=f"F{project.pk}-{funder}",
        project=project,
        funder=funder,
        grant_id="G-1",
        start_date=start,
        **make._stamp(),
    )


@pytest.fixture
def world(db: None) -> World:
    """The persona world plus a night-by-night shelter of agency A (project type 1) with two guests, and PATH
    funding for A's street outreach."""
    w = build_world()
    w.projects["a_nbn"] = make.project("Harbor Nightly Beds", w.orgs["a"], project_type=1)
    w.clients["guest_1"] = make.client("Rosa", "Diaz", dob=date(1980, 5, 1))
    w.clients["guest_2"] = make.client("Ben", "Okafor", dob=date(1972, 9, 9))
    w.enrollments = {  # type: ignore[attr-defined]
        "guest_1": make.enrollment(w.clients["guest_1"], w.projects["a_nbn"], entry=date(2026, 3, 1)),
        "guest_2": make.enrollment(w.clients["guest_2"], w.projects["a_nbn"], entry=date(2026, 3, 1)),
    }
    add_funder(w.projects["a_outreach"], 21)  # HHS: PATH
    return w


@pytest.fixture
def actor(world: World) -> Actor:
    return Actor(user=world.users["manager_a"], name="manager_a", ip="127.0.0.1")
