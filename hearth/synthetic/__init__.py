"""Synthetic HMIS data: realistic, deterministic FY2026 exports of a whole CoC, for demos, tests and benchmarks."""
