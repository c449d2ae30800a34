"""Confidence intervals as OHID Fingertips computes them (PHEindicatormethods).

* Proportions: Wilson score interval (``wilson_lower``/``wilson_upper``).
* Rates: Byar's method when the count is 10 or more, the exact Poisson interval from the
  chi-square distribution below 10 (``phe_rate``; the switch is exactly at 10).

Fingertips shows 95% and 99.8% intervals; both are a ``confidence`` argument here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from data.schema import ValueType
from indicators._common import count_problems, require_columns, require_confidence

__all__ = [
    "BYAR_MIN_COUNT",
    "Interval",
    "confidence_intervals",
    "rate_interval",
    "wilson_interval",
]

#: Counts from this value up use Byar's approximation; below it the exact Poisson interval.
BYAR_MIN_COUNT = 10


@dataclass(frozen=True, slots=True)
class Interval:
    """A confidence interval in the value's unit.

    Attributes:
        lower, upper: The bounds; None when there is no interval (see ``reason``).
        method: ``"Wilson"``, ``"Byar"`` or ``"exact Poisson"``.
        confidence: e.g. 0.95 or 0.998.
        reason: Why there is no interval (e.g. a zero denominator), else None.
    """

    lower: float | None
    upper: float | None
    method: str
    confidence: float
    reason: str | None = None


def _z(confidence: float) -> float:
    return float(stats.norm.ppf(0.5 + require_confidence(confidence) / 2))


def _check_counts(x: float, n: float, *, what: str) -> tuple[float, float]:
    x, n = float(x), float(n)
    if not (math.isfinite(x) and math.isfinite(n)):
        raise ValueError(f"{what}: numerator and denominator must be finite numbers")
    if x < 0 or n < 0:
        raise ValueError(f"{what}: numerator ({x}) and denominator ({n}) must be >= 0")
    return x, n


def wilson_interval(
    numerator: float, denominator: float, *, confidence: float = 0.95, multiplier: float = 1.0
) -> Interval:
    """Wilson score interval of a proportion ``numerator / denominator``.

    Args:
        numerator: Count with the characteristic (>= 0).
        denominator: Count in the group (>= numerator).
        confidence: 0.95 (default) or 0.998 (Fingertips' two levels), or any in [0.9, 1);
            90..100 are read as percentages.
        multiplier: Scale of the result: 1 for a fraction, 100 for a percentage.

    Returns:
        An ``Interval`` in units of ``multiplier`` (a % when 100). A denominator of 0 gives
        no interval, with a reason (never infinity).

    Raises:
        ValueError: If a count is negative or not finite, ``numerator > denominator``, or
            ``confidence`` is out of range.

    Notes:
        Units: fraction x ``multiplier``. Polarity: not used. Ties: not applicable. Missing
        values: not accepted (the frame version reports them). Formula:
        ``(2x + z**2 -/+ z sqrt(z**2 + 4x(1 - x/n))) / (2(n + z**2))``.

    Examples:
        >>> ci = wilson_interval(5, 25)
        >>> round(ci.lower, 4), round(ci.upper, 4)
        (0.0886, 0.3913)
    """
    x, n = _check_counts(numerator, denominator, what="wilson_interval")
    if x > n:
        raise ValueError(f"wilson_interval: numerator {x} exceeds denominator {n}")
    z = _z(confidence)
    conf = require_confidence(confidence)
    if n == 0:
        return Interval(None, None, "Wilson", conf, "denominator is 0")
    lower, upper = _wilson(np.array([x]), np.array([n]), z)
    return Interval(float(lower[0]) * multiplier, float(upper[0]) * multiplier, "Wilson", conf)


def rate_interval(
    count: float,
    population: float,
    *,
    confidence: float = 0.95,
    multiplier: float = 10_000.0,
) -> Interval:
    """Interval of a rate ``multiplier * count / population`` (exact below 10, else Byar).

    Args:
        count: Number of events or children (>= 0).
        population: The population at risk (> 0 for an interval).
        confidence: 0.95 (default) or 0.998, or any in [0.9, 1); 90..100 as percentages.
        multiplier: Rate base, e.g. 10,000 for "per 10,000 children".

    Returns:
        An ``Interval`` per ``multiplier``; ``method`` is ``"exact Poisson"`` when
        ``count < 10`` and ``"Byar"`` otherwise. A population of 0 gives no interval, with
        a reason.

    Raises:
        ValueError: If a number is negative or not finite, or ``confidence`` is out of range.

    Notes:
        Units: per ``multiplier`` of population. Polarity: not used. Ties: not applicable.
        Missing values: not accepted. Exact: ``qchisq(a/2, 2x)/2`` to
        ``qchisq(1 - a/2, 2x + 2)/2``; Byar: ``x(1 - 1/(9x) - z/(3 sqrt x))**3`` to
        ``(x+1)(1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))**3``.

    Examples:
        >>> ci = rate_interval(20, 654)
        >>> ci.method, round(ci.lower, 1), round(ci.upper, 1)
        ('Byar', 186.7, 472.3)
    """
    x, n = _check_counts(count, population, what="rate_interval")
    conf = require_confidence(confidence)
    method = "exact Poisson" if x < BYAR_MIN_COUNT else "Byar"
    if n == 0:
        return Interval(None, None, method, conf, "population is 0")
    lower, upper = _poisson(np.array([x]), _z(conf), conf)
    scale = multiplier / n
    return Interval(float(lower[0]) * scale, float(upper[0]) * scale, method, conf)


def confidence_intervals(
    values: pd.DataFrame,
    *,
    value_type: ValueType,
    multiplier: float | None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Add confidence intervals to values rows that have a numerator and denominator.

    Args:
        values: Store ``values`` rows (``numerator``, ``denominator``; ``value`` in the
            indicator's unit).
        value_type: ``PROPORTION`` gives Wilson intervals, ``RATE`` exact/Byar intervals;
            other types get none (with a reason).
        multiplier: The indicator's multiplier (100 for a %, 10,000 per 10,000); required
            for proportions and rates.
        confidence: 0.95 (default) or 0.998, or any in [0.9, 1).

    Returns:
        A new frame: the input plus ``lower``, ``upper`` (indicator's unit; NaN when there
        is no interval), ``ci_method`` and ``ci_reason`` (None when there is an interval).

    Raises:
        ValueError: On a bad ``value_type``/``confidence``, a missing multiplier for a
            proportion or rate, or missing columns.

    Notes:
        Units: the indicator's unit. Polarity: not used. Ties: not applicable. Missing
        values: a row with no numerator or denominator, a zero denominator, a negative
        count or a numerator above its denominator gets no interval and a reason, rather
        than stopping the whole frame (the scalar functions raise instead).

    Examples:
        >>> df = pd.DataFrame({"value": [20.0], "numerator": [5.0], "denominator": [25.0]})
        >>> out = confidence_intervals(df, value_type=ValueType.PROPORTION, multiplier=100)
        >>> round(float(out["lower"].iloc[0]), 2), round(float(out["upper"].iloc[0]), 2)
        (8.86, 39.13)
    """
    if not isinstance(value_type, ValueType):
        raise ValueError(f"value_type must be a data.schema.ValueType, not {value_type!r}")
    conf = require_confidence(confidence)
    require_columns(values, ["numerator", "denominator"], what="confidence_intervals")
    nan = np.full(len(values), np.nan)
    if value_type not in (ValueType.PROPORTION, ValueType.RATE):
        reason = f"no interval method for value_type {value_type}"
        return values.assign(lower=nan, upper=nan, ci_method=None, ci_reason=reason)
    if multiplier is None or not multiplier > 0:
        raise ValueError(f"multiplier must be > 0 for a {value_type}, not {multiplier!r}")
    x = pd.to_numeric(values["numerator"]).to_numpy(dtype=float)
    n = pd.to_numeric(values["denominator"]).to_numpy(dtype=float)
    reason = count_problems(x, n, proportion=value_type is ValueType.PROPORTION)
    ok = reason == ""
    xs, ns = np.where(ok, x, 0.0), np.where(ok, n, 1.0)
    z = _z(conf)
    if value_type is ValueType.PROPORTION:
        lower, upper = _wilson(xs, ns, z)
        lower, upper = lower * multiplier, upper * multiplier
        method = np.full(len(values), "Wilson", dtype=object)
    else:
        lower, upper = _poisson(xs, z, conf)
        lower, upper = lower * multiplier / ns, upper * multiplier / ns
        method = np.where(xs < BYAR_MIN_COUNT, "exact Poisson", "Byar").astype(object)
    return values.assign(
        lower=np.where(ok, lower, np.nan),
        upper=np.where(ok, upper, np.nan),
        ci_method=np.where(ok, method, None),
        ci_reason=np.where(ok, None, reason.astype(object)),
    )


def _wilson(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson bounds as fractions (n > 0)."""
    z2 = z * z
    root = z * np.sqrt(np.maximum(z2 + 4 * x * (1 - x / n), 0.0))
    lower = (2 * x + z2 - root) / (2 * (n + z2))
    upper = (2 * x + z2 + root) / (2 * (n + z2))
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


def _poisson(x: np.ndarray, z: float, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on a Poisson count: exact (chi-square) below 10, Byar from 10."""
    alpha = 1 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        exact_lo = np.where(x > 0, stats.chi2.ppf(alpha / 2, 2 * x) / 2, 0.0)
        exact_hi = stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2
        safe = np.maximum(x, 1.0)
        byar_lo = safe * (1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))) ** 3
        byar_hi = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    exact = x < BYAR_MIN_COUNT
    return np.where(exact, exact_lo, byar_lo), np.where(exact, exact_hi, byar_hi)
