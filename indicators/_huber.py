"""Private: Huber M-estimation of a linear model by iteratively reweighted least squares.

The estimator is the one ``statsmodels.RLM(y, X, M=HuberT(1.345))`` computes by default:

* start from ordinary least squares;
* each iteration: residual scale s = MAD(r) / 0.6745 (MAD about 0, as RLM), Huber weights
  w = min(1, c / |r / s|) with c = 1.345 (95% efficiency when the errors are normal), then
  weighted least squares;
* stop when no coefficient moves by more than ``tol`` times the data's scale;
* coefficient covariance: Huber's H1, k**2 [sum psi(r/s)**2 / (n - p)] s**2 /
  [mean psi'(r/s)]**2 (X'X)**-1 with k = 1 + p/n var(psi') / mean(psi')**2.

``huber_batch`` fits many resampled data sets at once (the bootstrap of R²).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Huber's tuning constant: 95% efficiency at the normal distribution.
HUBER_C = 1.345
#: MAD / 0.6745 estimates the standard deviation of normal errors.
MAD_NORMAL = 0.6744897501960817
_MAX_ITER = 200
_TOL = 1e-10


@dataclass(frozen=True, slots=True)
class RobustFit:
    """One Huber fit: coefficients of the design's columns and how they were reached."""

    coef: np.ndarray
    cov: np.ndarray
    scale: float
    weights: np.ndarray
    iterations: int
    converged: bool


def robust_scale(residuals: np.ndarray, fallback: float) -> np.ndarray:
    """MAD about 0 over 0.6745, along the last axis; ``fallback`` where that is 0.

    More than half the residuals exactly 0 makes the MAD 0; the root mean square residual
    then stands in, and ``fallback`` (a tiny multiple of the data's scale) when all are 0.
    """
    mad = np.median(np.abs(residuals), axis=-1) / MAD_NORMAL
    rms = np.sqrt(np.mean(residuals**2, axis=-1))
    scale = np.where(mad > fallback, mad, rms)
    return np.asarray(np.maximum(scale, fallback), dtype=float)


def huber_weights(residuals: np.ndarray, scale: np.ndarray | float, c: float) -> np.ndarray:
    """min(1, c / |r / s|), along the last axis (``scale`` per row)."""
    u = np.abs(residuals / np.expand_dims(np.asarray(scale, dtype=float), -1))
    with np.errstate(divide="ignore"):
        return np.where(u <= c, 1.0, c / u)


def huber_fit(design: np.ndarray, y: np.ndarray, *, c: float = HUBER_C) -> RobustFit:
    """Huber M-estimate of ``y`` on the columns of ``design`` (which holds the intercept)."""
    fallback = 1e-12 * max(float(np.max(np.abs(y))), 1.0)
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    converged = False
    iterations = 0
    for iterations in range(1, _MAX_ITER + 1):  # noqa: B007 (the count is reported)
        residuals = y - design @ coef
        scale = float(robust_scale(residuals, fallback))
        weights = huber_weights(residuals, scale, c)
        root = np.sqrt(weights)
        new = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)[0]
        step = float(np.max(np.abs(new - coef)))
        coef = new
        if step <= _TOL * max(float(np.max(np.abs(coef))), scale, 1.0):
            converged = True
            break
    residuals = y - design @ coef
    scale = float(robust_scale(residuals, fallback))
    weights = huber_weights(residuals, scale, c)
    return RobustFit(
        coef=coef,
        cov=_h1_covariance(design, residuals, scale, c),
        scale=scale,
        weights=weights,
        iterations=iterations,
        converged=converged,
    )


def _h1_covariance(
    design: np.ndarray, residuals: np.ndarray, scale: float, c: float
) -> np.ndarray:
    n, p = design.shape
    u = residuals / scale
    psi = np.clip(u, -c, c)
    slope = (np.abs(u) <= c).astype(float)
    m = slope.mean()
    k = 1.0 + p / n * slope.var() / m**2
    xtx_inv = np.linalg.pinv(design.T @ design)
    factor = float(k**2 * (psi @ psi / (n - p)) * scale**2 / m**2)
    return np.asarray(factor * xtx_inv, dtype=float)


def huber_batch(
    designs: np.ndarray, ys: np.ndarray, *, c: float = HUBER_C, tol: float = 1e-7
) -> np.ndarray:
    """Huber coefficients of many data sets at once: ``designs`` (B, n, p), ``ys`` (B, n).

    The same iteration as ``huber_fit``, each data set stopping once its coefficients move
    by less than ``tol`` times its scale (looser than ``huber_fit``: a bootstrap needs R² to
    a few decimals, not the coefficients to ten). A data set whose weighted design is
    singular (a predictor constant in a resample) gets the minimum-norm solution.
    """
    fallback = 1e-12 * max(float(np.max(np.abs(ys))) if ys.size else 1.0, 1.0)
    coef = _solve(designs, ys, np.ones(ys.shape))
    active = np.arange(len(ys))
    for _ in range(_MAX_ITER):
        x, y = designs[active], ys[active]
        residuals = y - np.matmul(x, coef[active][:, :, None])[:, :, 0]
        scale = robust_scale(residuals, fallback)
        new = _solve(x, y, huber_weights(residuals, scale, c))
        step = np.max(np.abs(new - coef[active]), axis=1)
        coef[active] = new
        bound = np.maximum(np.maximum(np.max(np.abs(new), axis=1), scale), 1.0)
        active = active[step > tol * bound]
        if not len(active):
            break
    return coef


def _solve(designs: np.ndarray, ys: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted least squares for every data set (normal equations, pinv when singular)."""
    weighted = designs * weights[:, :, None]
    # Batched matmul (BLAS) rather than einsum: the same sums, an order of magnitude faster.
    weighted_t = weighted.transpose(0, 2, 1)
    xtwx = np.matmul(weighted_t, designs)
    xtwy = np.matmul(weighted_t, ys[:, :, None])[:, :, 0]
    try:
        solved = np.linalg.solve(xtwx, xtwy[:, :, None])
        return np.asarray(solved[:, :, 0], dtype=float)
    except np.linalg.LinAlgError:
        return np.asarray(np.einsum("bpq,bq->bp", np.linalg.pinv(xtwx), xtwy), dtype=float)
