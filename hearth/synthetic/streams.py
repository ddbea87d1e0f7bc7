"""Named, independent random streams derived from one seed.

Each part of the generator draws from its own stream (``streams.rng("clients")``), so changing how one part
draws leaves every other part's output unchanged, and the same seed always gives byte-identical output.
"""

from __future__ import annotations

import zlib

import numpy as np


class Streams:
    def __init__(self, seed: int) -> None:
        self.seed = seed

    def rng(self, name: str, *index: int) -> np.random.Generator:
        """A generator for ``name`` (and an optional chunk index), the same for the same seed every time."""
        key = [self.seed & 0xFFFFFFFF, self.seed >> 32, zlib.crc32(name.encode()), *index]
        return np.random.default_rng(np.random.SeedSequence(key))


def choice(rng: np.random.Generator, values: np.ndarray | list[int], weights: list[float], size: int) -> np.ndarray:
    """``size`` draws from ``values`` with relative ``weights`` (need not sum to 1)."""
    p = np.asarray(weights, dtype=np.float64)
    return np.asarray(values)[rng.choice(len(p), size=size, p=p / p.sum())]


def pick_rows(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row from a (rows x categories) matrix of relative weights (rows with no weight: -1)."""
    totals = probabilities.sum(axis=1)
    cumulative = np.cumsum(probabilities, axis=1)
    draw = rng.random(len(probabilities)) * totals
    picked = (cumulative <= draw[:, None]).sum(axis=1)
    picked = np.minimum(picked, probabilities.shape[1] - 1)
    return np.where(totals > 0, picked, -1)


def lognormal_days(
    rng: np.random.Generator, median: np.ndarray | float, sigma: np.ndarray | float, size: int
) -> np.ndarray:
    """Durations in whole days with the given median, skewed to the right like real lengths of stay."""
    return np.floor(np.asarray(median) * np.exp(rng.normal(0.0, 1.0, size) * np.asarray(sigma))).astype(np.int64)


def keyed_uniform(seed: int, keys: np.ndarray, salt: int) -> np.ndarray:
    """A uniform [0, 1) number per key that is the same whenever the same key and salt are drawn.

    Facts about a person that hold across all their enrollments (an income source, a disability) are drawn
    this way, so enrollments processed in different chunks still agree. SplitMix64 finalizer.
    """
    x = keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    x = x + np.uint64((seed * 0x632BE59BD9B4E019 + salt * 0x85EBCA77C2B2AE63) & 0xFFFFFFFFFFFFFFFF)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)
