"""Any indicator against any other: Pearson and Spearman correlation across LAs.

Intervals use Fisher's z transform, atanh(r) +/- z_(1-a/2) se, back-transformed with tanh:

* Pearson: se = 1 / sqrt(n - 3) (exact in the limit for bivariate normal data);
* Spearman: se = sqrt((1 + rho**2 / 2) / (n - 3)) (Bonett and Wright 2000), which keeps
  close to the nominal coverage for n >= 10 and |rho| up to about 0.9, where Fieller's
  1.06 / sqrt(n - 3) is too narrow for strong correlations. It needs no seed and no draws.

Spearman's rho is Pearson's r of the mid-ranks (ties share the average rank, the standard
definition; this is not the competition ranking of league tables). p-values are the usual
t-tests with n - 2 df, as ``scipy.stats.pearsonr``/``spearmanr``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from indicators._common import float_values, require_confidence
from indicators._groups import check_values
from indicators._linear import pearson

__all__ = ["Correlation", "correlate_indicators"]


@dataclass(frozen=True, slots=True)
class Correlation:
    """Pearson and Spearman correlation of two indicators across LAs.

    Attributes:
        n: LAs with a value on both sides (the pairs used).
        n_missing_x, n_missing_y: LAs (of either frame) without a value on that side;
            an LA missing both counts in both. ``n_dropped``: LAs left out.
        pearson_r, pearson_low, pearson_high, pearson_p: r, its Fisher-z interval and
            two-sided p-value (None with fewer than 3 pairs, or 4 for the interval, or a
            side with no spread).
        spearman_rho, spearman_low, spearman_high, spearman_p: the same for Spearman's
            rho (Bonett-Wright interval).
        confidence: The intervals' level.
        pairs: One row per LA in either frame: ``area_code``, ``x``, ``y``, ``x_rank``,
            ``y_rank`` (mid-ranks among the pairs used), ``used``, ``reason``.
        reason: Why a coefficient is missing, else None.
    """

    n: int
    n_missing_x: int
    n_missing_y: int
    n_dropped: int
    pearson_r: float | None
    pearson_low: float | None
    pearson_high: float | None
    pearson_p: float | None
    spearman_rho: float | None
    spearman_low: float | None
    spearman_high: float | None
    spearman_p: float | None
    confidence: float
    pairs: pd.DataFrame
    reason: str | None


def correlate_indicators(
    x_values: pd.DataFrame, y_values: pd.DataFrame, *, confidence: float = 0.95
) -> Correlation:
    """Correlate two indicators across LAs (Pearson and Spearman, with intervals).

    Args:
        x_values: One row per LA of the first indicator in one period (``area_code``,
            ``value`` in its unit; ``eligible_values`` rows).
        y_values: The same for the second indicator (any period, e.g. a later year).
        confidence: Level of both intervals, in [0.9, 1) (90..100 read as a percentage).

    Returns:
        A ``Correlation``.

    Raises:
        ValueError: On missing columns, repeated areas, mixed periods within a frame, or a
            bad ``confidence``.

    Notes:
        Units: coefficients are dimensionless, in [-1, 1]; ``x`` and ``y`` keep their
        indicators' units. Polarity: not used (a positive r says both rise together, not
        that either is better). Ties: mid-ranks for Spearman. Missing values: an LA
        without a value on either side is dropped and counted; with fewer than 3 pairs
        (or a side with no spread) there is no coefficient, and with fewer than 4 no
        interval, with a ``reason``.

    Examples:
        >>> x = pd.DataFrame({"area_code": list("ABCDEF"),
        ...                   "value": [1.0, 2.0, 3.0, 4.0, 5.0, None]})
        >>> y = pd.DataFrame({"area_code": list("ABCDEF"),
        ...                   "value": [2.0, 1.0, 4.0, 3.0, 5.0, 6.0]})
        >>> c = correlate_indicators(x, y)
        >>> c.n, c.n_dropped, round(c.pearson_r, 2), round(c.spearman_rho, 2)
        (5, 1, 0.8, 0.8)
    """
    confidence = require_confidence(confidence)
    check_values(x_values, "correlate_indicators (x)")
    check_values(y_values, "correlate_indicators (y)")
    pairs = _pairs(x_values, y_values)
    used = pairs["used"].to_numpy(dtype=bool)
    x = pairs["x"].to_numpy(dtype=float)[used]
    y = pairs["y"].to_numpy(dtype=float)[used]
    x_rank = _mid_ranks(x)
    y_rank = _mid_ranks(y)
    pairs["x_rank"] = np.nan
    pairs["y_rank"] = np.nan
    pairs.loc[used, "x_rank"] = x_rank
    pairs.loc[used, "y_rank"] = y_rank
    n = len(x)
    r, r_p = pearson(x, y)
    rho, rho_p = pearson(x_rank, y_rank)
    z = float(special.ndtri(0.5 + confidence / 2))
    p_low, p_high = _fisher_interval(r, n, z, spearman=False)
    s_low, s_high = _fisher_interval(rho, n, z, spearman=True)
    return Correlation(
        n=n,
        n_missing_x=int((~np.isfinite(pairs["x"].to_numpy(dtype=float))).sum()),
        n_missing_y=int((~np.isfinite(pairs["y"].to_numpy(dtype=float))).sum()),
        n_dropped=int((~used).sum()),
        pearson_r=r,
        pearson_low=p_low,
        pearson_high=p_high,
        pearson_p=r_p,
        spearman_rho=rho,
        spearman_low=s_low,
        spearman_high=s_high,
        spearman_p=rho_p,
        confidence=confidence,
        pairs=pairs,
        reason=_reason(n, x, y),
    )


def _pairs(x_values: pd.DataFrame, y_values: pd.DataFrame) -> pd.DataFrame:
    """Both sides' values for every LA in either frame, in area-code order."""
    x = pd.Series(float_values(x_values), index=x_values["area_code"].astype(str).to_numpy())
    y = pd.Series(float_values(y_values), index=y_values["area_code"].astype(str).to_numpy())
    codes = sorted(set(x.index) | set(y.index))
    xs = x.reindex(codes).to_numpy(dtype=float)
    ys = y.reindex(codes).to_numpy(dtype=float)
    has_x, has_y = np.isfinite(xs), np.isfinite(ys)
    reason = np.select(
        [~has_x & ~has_y, ~has_x, ~has_y],
        ["no value on either side", "no x value", "no y value"],
        default="",
    ).astype(object)
    reason[reason == ""] = None
    return pd.DataFrame(
        {
            "area_code": pd.Series(codes, dtype=object),
            "x": xs,
            "y": ys,
            "used": has_x & has_y,
            "reason": pd.Series(reason, dtype=object),
        }
    )


def _mid_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank."""
    if not len(values):
        return values.astype(float)
    return pd.Series(values).rank(method="average").to_numpy(dtype=float)


def _fisher_interval(
    r: float | None, n: int, z: float, *, spearman: bool
) -> tuple[float | None, float | None]:
    if r is None or n < 4:
        return None, None
    if abs(r) >= 1.0:
        return r, r
    se = math.sqrt(((1.0 + r * r / 2.0) if spearman else 1.0) / (n - 3))
    centre = math.atanh(r)
    return math.tanh(centre - z * se), math.tanh(centre + z * se)


def _reason(n: int, x: np.ndarray, y: np.ndarray) -> str | None:
    if n < 3:
        return f"only {n} LA(s) have both values (at least 3 needed)"
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return "one indicator has the same value for every LA: no correlation"
    if n < 4:
        return "only 3 pairs: coefficients without intervals (at least 4 needed)"
    return None
