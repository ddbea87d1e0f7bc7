"""Hearth: an open-source HMIS built on HUD's FY2026 HMIS data standards."""

import os

__version__ = "0.1.0"

# Polars' allocator (jemalloc) is told by Polars to give freed pages back to the kernel within about 1.5 s
# (dirty_decay_ms:500, muzzy_decay_ms:1000), so an import's next batch faults them in and zeroes them again: a
# fifth of an import's CPU went to the kernel. Kept ten seconds as lazily-freed pages (MADV_FREE, which the
# kernel still reclaims under memory pressure), a 200K-client import measured 6-8 % faster (docs/PERFORMANCE.md).
# Read when Polars loads (it prepends its own values, so ours win), hence set here, before any module imports
# it; an operator's own setting is kept.
os.environ.setdefault("_RJEM_MALLOC_CONF", "muzzy_decay_ms:10000")
