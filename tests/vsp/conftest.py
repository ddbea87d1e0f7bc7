from __future__ import annotations

import pytest

from tests.vsp.world import VspWorld, build_vsp_world


@pytest.fixture
def vw(db: None) -> VspWorld:
    return build_vsp_world()
