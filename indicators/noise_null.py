"""The regression-to-the-mean null of ``level_vs_improvement``: slopes from noise alone.

Each LA's year-to-year noise is the residual standard deviation around its own trend line.
Simulated data keep each LA's fitted starting level, give it a trend drawn at random (with
replacement) from all LAs' fitted trends, so that level and trend are unrelated, and add only
that noise; the across-LA slope of change on start level is refitted for each draw. The two
noise terms per LA are drawn from their closed-form joint normal distribution (see
``simulate_noise_null``), in float32 and in blocks of draws, which is exact for the model and
fast. Seeded with NumPy's SFC64 generator, so results are reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indicators._linear import RowFits

__all__ = ["NoiseNull", "simulate_noise_null"]

_BLOCK = 100


class _Buffers:
    """float32 work arrays for one block of ``size`` draws over ``n`` LAs."""

    def __init__(self, size: int, n: int) -> None:
        self.size = size
        self.z = np.empty((2, size, n), dtype=np.float32)
        self.noise_b = np.empty((size, n), dtype=np.float32)
        self.start = np.empty((size, n), dtype=np.float32)
        self.scratch = np.empty((size, n), dtype=np.float32)
        self.change = np.empty((size, n), dtype=np.float32)


@dataclass(frozen=True, slots=True)
class NoiseNull:
    """Slopes produced by year-to-year noise alone (regression to the mean).

    ``expected_slope`` is their mean, ``low``/``high`` their central ``confidence`` range,
    ``p_value`` the share of draws at least as far from ``expected_slope`` as the observed
    slope (two-sided).
    """

    n_draws: int
    seed: int
    expected_slope: float
    low: float
    high: float
    p_value: float


def simulate_noise_null(
    years: np.ndarray,
    y: np.ndarray,
    fits: RowFits,
    included: np.ndarray,
    k: int,
    observed: float,
    *,
    n_draws: int,
    seed: int,
    confidence: float,
) -> NoiseNull:
    """Slopes of change on start level when only each LA's own noise links them.

    Per LA, the least-squares slope is sum(c_t y_t) with c_t = (x_t - xbar) / sxx and the start
    level is the mean of the values in the start periods S, so their noise parts are jointly
    normal with var_b = sigma^2 / sxx, var_s = sigma^2 / |S| and cov = sigma^2 mean_S(c_t).
    Each draw: start = fitted start + start noise; change = a trend drawn at random (with
    replacement) from all LAs' fitted trends + slope noise; then the across-LA slope.
    """
    rows = np.flatnonzero(included)
    mask = np.isfinite(y[rows])
    xbar, sxx, sigma = fits.xbar[rows], fits.sxx[rows], fits.residual_sd[rows]
    alpha, beta = fits.intercept[rows], fits.slope[rows]
    c = np.where(mask, (years[None, :] - xbar[:, None]) / sxx[:, None], 0.0)
    in_start = mask & (np.arange(len(years)) < k)[None, :]
    s_count = in_start.sum(axis=1)
    var_b = sigma**2 / sxx
    var_s = sigma**2 / s_count
    cov = sigma**2 * np.where(in_start, c, 0.0).sum(axis=1) / s_count
    true_start = alpha + beta * np.where(in_start, years[None, :], 0.0).sum(axis=1) / s_count
    safe_var_b = np.where(var_b > 0, var_b, 1.0)
    load = np.where(var_b > 0, cov / safe_var_b, 0.0)
    resid_sd = np.sqrt(np.maximum(var_s - load * cov, 0.0))
    n = len(rows)
    # float32 keeps the simulation fast; its rounding (1e-7 relative) is far below the
    # Monte Carlo error of the quantiles.
    rng = np.random.Generator(np.random.SFC64(seed))
    sd_b = np.sqrt(var_b).astype(np.float32)
    load32, resid32 = load.astype(np.float32), resid_sd.astype(np.float32)
    centred = (true_start - true_start.mean()).astype(np.float32)
    trends = beta.astype(np.float32)
    null_slopes = np.empty(n_draws)
    # Blocks of draws keep the working arrays small enough to stay in the CPU cache; the
    # buffers are reused across blocks (filling them in place draws the same numbers).
    buffers = _Buffers(min(_BLOCK, n_draws), n)
    for first in range(0, n_draws, _BLOCK):
        size = min(_BLOCK, n_draws - first)
        if size != buffers.size:
            buffers = _Buffers(size, n)
        z = rng.standard_normal(dtype=np.float32, out=buffers.z)
        noise_b = np.multiply(z[0], sd_b, out=buffers.noise_b)
        start = np.multiply(noise_b, load32, out=buffers.start)
        start += np.multiply(z[1], resid32, out=buffers.scratch)
        start += centred
        change = np.take(
            trends, rng.integers(0, n, size=(size, n), dtype=np.int32), out=buffers.change
        )
        change += noise_b
        s_mean, c_mean = start.mean(axis=1), change.mean(axis=1)
        sxy = np.einsum("ij,ij->i", start, change) - n * s_mean * c_mean
        sxs = np.einsum("ij,ij->i", start, start) - n * s_mean * s_mean
        with np.errstate(invalid="ignore", divide="ignore"):
            null_slopes[first : first + size] = sxy / sxs
    null_slopes = null_slopes[np.isfinite(null_slopes)]
    expected = float(null_slopes.mean())
    tail = (1 - confidence) / 2
    low, high = np.quantile(null_slopes, [tail, 1 - tail])
    extreme = np.abs(null_slopes - expected) >= abs(observed - expected)
    return NoiseNull(
        n_draws=n_draws,
        seed=seed,
        expected_slope=expected,
        low=float(low),
        high=float(high),
        p_value=float(extreme.mean()),
    )
