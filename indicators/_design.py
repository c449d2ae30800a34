"""Private: the design matrix of the need model (standardised, collinear columns dropped)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A predictor is dropped when the others (and the intercept) explain all but this share of
#: its variance across the LAs used (numerically collinear; VIF above 1e6).
COLLINEAR_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Design:
    """Standardised design ``[1, (x - mean) / sd]`` of the kept predictors.

    ``kept`` and ``dropped`` (name, reason) partition the predictors in the caller's order;
    ``mean`` and ``sd`` turn standardised coefficients back into the predictors' units.
    """

    matrix: np.ndarray
    kept: tuple[str, ...]
    dropped: tuple[tuple[str, str], ...]
    mean: np.ndarray
    sd: np.ndarray

    def standardise(self, raw: np.ndarray) -> np.ndarray:
        """The design rows of other LAs' raw predictor values (columns in ``kept`` order)."""
        return np.column_stack([np.ones(len(raw)), (raw - self.mean) / self.sd])

    def to_units(self, coef: np.ndarray, cov: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients and their covariance in the predictors' own units."""
        p = len(coef)
        transform = np.zeros((p, p))
        transform[0, 0] = 1.0
        transform[0, 1:] = -self.mean / self.sd
        transform[np.arange(1, p), np.arange(1, p)] = 1.0 / self.sd
        return transform @ coef, transform @ cov @ transform.T

    def vif(self) -> np.ndarray:
        """Variance inflation factor of each kept predictor (1 = uncorrelated with the rest)."""
        z = self.matrix[:, 1:]
        if z.shape[1] < 2:
            return np.ones(z.shape[1])
        correlation = (z.T @ z) / len(z)
        return np.diag(np.linalg.pinv(correlation))


def build_design(raw: np.ndarray, names: tuple[str, ...]) -> Design:
    """Standardise each predictor over the LAs used, dropping constant and collinear ones.

    Predictors are taken in the caller's order; one that is constant, or that the intercept
    and the predictors already kept explain to within ``COLLINEAR_TOLERANCE``, is dropped
    with a reason naming them.
    """
    n = len(raw)
    columns = [np.ones(n)]
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    means: list[float] = []
    sds: list[float] = []
    for j, name in enumerate(names):
        x = raw[:, j]
        sd = float(x.std())
        if not sd > 1e-12 * max(float(np.abs(x).max()), 1.0):
            dropped.append((name, "the same value for every LA used"))
            continue
        z = (x - x.mean()) / sd
        basis = np.column_stack(columns)
        residual = z - basis @ np.linalg.lstsq(basis, z, rcond=None)[0]
        if float(residual @ residual) / n < COLLINEAR_TOLERANCE:
            dropped.append((name, f"collinear with {', '.join(kept)} (and the intercept)"))
            continue
        columns.append(z)
        kept.append(name)
        means.append(float(x.mean()))
        sds.append(sd)
    return Design(
        matrix=np.column_stack(columns),
        kept=tuple(kept),
        dropped=tuple(dropped),
        mean=np.array(means),
        sd=np.array(sds),
    )
