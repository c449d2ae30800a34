"""Funnel-plot control limits at 95% and 99.8% around a target value.

Without between-area variance (``tau2 = 0``) the limits are exact for the count's distribution:

* proportions: the observed proportions whose Wilson interval just touches the target, i.e. the
  roots of ``(1 + k) p**2 - (2A + k) p + (A**2 - k**2/4) = 0`` with ``k = z**2/n`` and
  ``A = t(1 + k) - k/2`` (the closed form of PHEindicatormethods' ``sigma_adjustment``);
* rates: the counts whose exact Poisson (chi-square) interval just touches the expected count,
  found by bisection.

With ``tau2 > 0`` (Spiegelhalter's additive random effects, see ``indicators.funnel``) the
limits are ``t +/- z sqrt(s**2 + tau2)``, a normal approximation.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats

from data.schema import ValueType

__all__ = ["funnel_limits"]

_LEVELS = {"95": 0.95, "998": 0.998}


def funnel_limits(
    denominators: np.ndarray | pd.Series | list[float],
    *,
    target: float,
    value_type: ValueType,
    multiplier: float,
    tau2: float = 0.0,
) -> pd.DataFrame:
    """95% and 99.8% control limits around ``target`` for each denominator.

    Args:
        denominators: Population sizes (> 0), e.g. children aged 0-17 or the group size.
        target: The benchmark value in the indicator's unit (e.g. England's rate).
        value_type: ``ValueType.PROPORTION`` or ``ValueType.RATE``.
        multiplier: The indicator's multiplier (100 for a %, 10,000 per 10,000).
        tau2: Between-area variance to add, in the indicator's unit squared; 0 (default)
            gives exact Wilson/Poisson limits, > 0 random-effects (normal) limits.

    Returns:
        A new frame: ``denominator``, ``target``, ``lower_95``, ``upper_95``,
        ``lower_998``, ``upper_998`` (indicator's unit; proportions kept within 0 and
        ``multiplier``, rates at or above 0).

    Raises:
        ValueError: On a bad ``value_type``, a target outside the possible range, a
            non-positive multiplier or denominator, or a negative ``tau2``.

    Notes:
        Units: the indicator's unit. Polarity: not used (limits are symmetric in
        probability). Ties: not applicable. Missing values: not accepted. Limits widen as
        the denominator falls.

    Examples:
        >>> lim = funnel_limits([100, 10_000], target=50.0, value_type=ValueType.PROPORTION,
        ...                     multiplier=100)
        >>> [round(v, 2) for v in lim["upper_95"]]
        [59.8, 50.98]
    """
    den = np.asarray(denominators, dtype=float)
    if value_type not in (ValueType.PROPORTION, ValueType.RATE):
        raise ValueError(f"funnel limits need a proportion or rate, not {value_type!r}")
    if not multiplier > 0:
        raise ValueError(f"multiplier must be > 0, not {multiplier!r}")
    if not (np.isfinite(den).all() and (den > 0).all()):
        raise ValueError("denominators must be finite and > 0")
    if not (np.isfinite(tau2) and tau2 >= 0):
        raise ValueError(f"tau2 must be >= 0, not {tau2!r}")
    theta = float(target) / multiplier
    if value_type is ValueType.PROPORTION and not 0 <= theta <= 1:
        raise ValueError(f"a proportion's target must be within 0 and {multiplier}")
    if value_type is ValueType.RATE and not theta >= 0:
        raise ValueError("a rate's target must be >= 0")
    out: dict[str, np.ndarray] = {"denominator": den, "target": np.full(len(den), target)}
    for name, level in _LEVELS.items():
        z = float(stats.norm.ppf(0.5 + level / 2))
        if tau2 > 0:
            var = theta * (1 - theta) if value_type is ValueType.PROPORTION else theta
            half = z * np.sqrt(var / den + tau2 / multiplier**2)
            lower, upper = theta - half, theta + half
        elif value_type is ValueType.PROPORTION:
            lower, upper = _wilson_funnel(theta, den, z)
        else:
            lower, upper = _poisson_funnel(theta, den, level)
        top = 1.0 if value_type is ValueType.PROPORTION else np.inf
        out[f"lower_{name}"] = np.clip(lower, 0.0, top) * multiplier
        out[f"upper_{name}"] = np.clip(upper, 0.0, top) * multiplier
    return pd.DataFrame(out)


def limit_positions(
    value: np.ndarray,
    lower_95: np.ndarray,
    upper_95: np.ndarray,
    lower_998: np.ndarray,
    upper_998: np.ndarray,
) -> np.ndarray:
    """Where each value lies against its 95% and 99.8% limits (an object array of labels).

    "above 99.8% limit", "above 95% limit", "within 95% limits", "below 95% limit" or
    "below 99.8% limit"; a value on a limit is within it. None where the value or a limit
    is NaN.
    """
    value = np.asarray(value, dtype=float)
    labels = np.select(
        [value > upper_998, value > upper_95, value < lower_998, value < lower_95],
        ["above 99.8% limit", "above 95% limit", "below 99.8% limit", "below 95% limit"],
        default="within 95% limits",
    ).astype(object)
    known = np.isfinite(value) & np.isfinite(lower_95) & np.isfinite(upper_95)
    known &= np.isfinite(lower_998) & np.isfinite(upper_998)
    labels[~known] = None
    return labels


def _wilson_funnel(theta: float, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Observed proportions whose Wilson interval has ``theta`` as an end point."""
    k = z * z / n
    a = theta * (1 + k) - k / 2
    # (1 + k) p**2 - (2a + k) p + (a**2 - k**2 / 4) = 0
    qa, qb, qc = 1 + k, -(2 * a + k), a * a - k * k / 4
    root = np.sqrt(np.maximum(qb * qb - 4 * qa * qc, 0.0))
    return (-qb - root) / (2 * qa), (-qb + root) / (2 * qa)


def _poisson_funnel(theta: float, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Rates whose exact Poisson interval has the expected count as an end point."""
    alpha = 1 - level
    expected = theta * n
    # Upper: the count whose exact lower bound, qchisq(a/2, 2O)/2, equals the expected count.
    upper = _bisect(lambda o: stats.chi2.ppf(alpha / 2, 2 * o) / 2 - expected, expected)
    # Lower: the count whose exact upper bound, qchisq(1 - a/2, 2O + 2)/2, equals it; below 0
    # (when even a count of 0 is not significantly low) the limit is 0.
    at_zero = stats.chi2.ppf(1 - alpha / 2, 2) / 2
    lower = _bisect(lambda o: stats.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2 - expected, expected)
    lower = np.where(expected <= at_zero, 0.0, lower)
    return lower / n, upper / n


def _bisect(func: Callable[[np.ndarray], np.ndarray], expected: np.ndarray) -> np.ndarray:
    """Solve the increasing ``func(o) = 0`` for o in [0, hi] element-wise by bisection."""
    lo = np.zeros_like(expected)
    hi = expected + 10 * np.sqrt(expected) + 20
    for _ in range(80):
        mid = (lo + hi) / 2
        above = func(mid) > 0
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    return (lo + hi) / 2
