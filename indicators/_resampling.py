"""Private: seeded resampling shared by the bootstrap and simulation methods.

Every simulation in ``indicators`` draws from NumPy's SFC64 generator seeded by the caller, so
a result is reproducible from its ``seed`` and ``n_draws`` alone.
"""

from __future__ import annotations

import numpy as np

from indicators._common import require_int


def generator(seed: int) -> np.random.Generator:
    """The seeded generator every method uses (SFC64, as ``level_vs_improvement``)."""
    return np.random.Generator(np.random.SFC64(require_int(seed, name="seed", minimum=0)))


def bootstrap_indices(n: int, n_draws: int, seed: int) -> np.ndarray:
    """``n_draws`` rows of ``n`` positions drawn with replacement from ``range(n)``."""
    return generator(seed).integers(0, n, size=(n_draws, n))


def percentile_interval(draws: np.ndarray, confidence: float) -> tuple[float | None, float | None]:
    """The central ``confidence`` range of the finite ``draws`` (type 7 percentiles).

    None, None when no draw is finite.
    """
    finite = draws[np.isfinite(draws)]
    if not len(finite):
        return None, None
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(finite, [tail, 1.0 - tail])
    return float(low), float(high)
