"""The percentile the benchmarks report, computed one way for all of them."""

from __future__ import annotations


def p95(xs: list[float]) -> float:
    """The sample at rank ⌊0.95·n⌋ (1-based) of the sorted samples; the first if n < 2."""
    return sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]
