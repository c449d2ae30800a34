"""Funnel-plot control limits around a target (Spiegelhalter 2005; PHEindicatormethods).

Without adjustment the limits are exact for the count's distribution: Wilson-based for
proportions (the closed form of PHEindicatormethods' ``sigma_adjustment``: the values whose
Wilson interval just touches the target) and exact Poisson for rates (the counts whose exact
chi-square interval just touches the expected count). Such limits are labelled "Poisson/binomial
limits, no over-dispersion adjustment": between-LA variation in children's social care is far
wider than chance, so most large LAs fall outside them and points must not be called outliers.

With ``adjust_overdispersion=True`` the additive random-effects method of Spiegelhalter
(Handling over-dispersion of performance indicators, QSHC 2005;14:347) is used: z-scores
against the target are winsorised (10% each end by default), ``phi = mean(z**2)``, and
``tau2 = max(0, (I phi - (I - 1)) / (sum w - sum w**2 / sum w))`` with ``w = 1 / s**2``; the
limits are ``target +/- z sqrt(s**2 + tau2)`` (normal approximation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import ENGLAND_CODE, GeographicLevel, ValueType
from indicators._common import opt_float, require_columns, require_int
from indicators.funnel_limits import funnel_limits, limit_positions

__all__ = ["UNADJUSTED_LABEL", "Funnel", "funnel_plot"]

UNADJUSTED_LABEL = "Poisson/binomial limits, no over-dispersion adjustment"


@dataclass(frozen=True, slots=True)
class Funnel:
    """A funnel plot: points, limit curves and how they were made.

    Attributes:
        points: One row per plotted LA: ``area_code``, ``value`` (multiplier x numerator /
            denominator), ``published_value``, ``numerator``, ``denominator``, ``z``
            (against the target, with any tau2 added), the four limits at its denominator,
            and ``position`` ("above 99.8% limit", "above 95% limit", "within 95% limits",
            "below 95% limit", "below 99.8% limit").
        not_plotted: ``area_code`` and ``reason`` for rows without a usable numerator and
            denominator.
        curve: ``funnel_limits`` over a grid of denominators (for drawing).
        target: In the indicator's unit. ``target_source``: where it came from.
        method: The label to show, e.g. ``"Poisson/binomial limits, no over-dispersion
            adjustment"``.
        adjusted: Whether over-dispersion was allowed for.
        phi: Winsorised mean squared z (dispersion ratio; None when not adjusted).
        tau2: Between-LA variance added (indicator's unit squared; None when not adjusted).
    """

    points: pd.DataFrame
    not_plotted: pd.DataFrame
    curve: pd.DataFrame
    target: float
    target_source: str
    method: str
    adjusted: bool
    phi: float | None
    tau2: float | None


def usable_counts(values: pd.DataFrame, *, value_type: ValueType) -> pd.Series:
    """Which rows have counts a funnel plot can use (a boolean Series on ``values``' index).

    Usable: a finite numerator of at least 0 and a finite denominator above 0, and for a
    proportion a numerator no larger than its denominator. Missing counts are not usable.

    Examples:
        >>> df = pd.DataFrame({"numerator": [1.0, np.nan, 5.0, 2.0],
        ...                    "denominator": [10.0, 10.0, 4.0, 0.0]})
        >>> usable_counts(df, value_type=ValueType.PROPORTION).tolist()
        [True, False, False, False]
    """
    require_columns(values, ["numerator", "denominator"], what="usable_counts")
    numerators = pd.to_numeric(values["numerator"]).astype(float)
    denominators = pd.to_numeric(values["denominator"]).astype(float)
    finite = np.isfinite(numerators.to_numpy()) & np.isfinite(denominators.to_numpy())
    usable = pd.Series(finite, index=values.index)
    usable &= (denominators > 0) & (numerators >= 0)
    if value_type is ValueType.PROPORTION:
        usable &= numerators <= denominators
    return usable


def funnel_plot(
    values: pd.DataFrame,
    *,
    value_type: ValueType,
    multiplier: float,
    target: float | None = None,
    adjust_overdispersion: bool = False,
    winsor_fraction: float = 0.1,
    n_curve: int = 100,
) -> Funnel:
    """Place LAs on a funnel plot around a target (England by default).

    Args:
        values: Store ``values`` rows of one indicator and one period: LA rows with
            ``numerator`` and ``denominator``; an England row (``E92000001``) supplies the
            default target.
        value_type: ``ValueType.PROPORTION`` or ``ValueType.RATE``.
        multiplier: The indicator's multiplier (100 for a %, 10,000 per 10,000).
        target: Benchmark in the indicator's unit; default the published England value,
            else the pooled value of the plotted LAs (``target_source`` says which).
        adjust_overdispersion: Use Spiegelhalter's additive random-effects limits.
        winsor_fraction: Share of z-scores winsorised at each end (0 to < 0.5).
        n_curve: Points on the drawn limit curves (>= 2).

    Returns:
        A ``Funnel``.

    Raises:
        ValueError: On bad options or a frame without numerator/denominator columns.

    Notes:
        Units: the indicator's unit. Polarity: not used; positions say above/below, never
        better/worse or "outlier" (use ``compare_to_benchmark`` for judgements). Ties: a
        value exactly on a limit is within it. Missing values: rows without a numerator or
        with a denominator of 0 or below are listed in ``not_plotted``.

    Examples:
        >>> df = pd.DataFrame({"area_code": ["E92000001", "A", "B"],
        ...     "geographic_level": ["National", "Local authority", "Local authority"],
        ...     "value": [50.0, 60.0, 80.0], "numerator": [np.nan, 60.0, 80.0],
        ...     "denominator": [np.nan, 100.0, 100.0]})
        >>> f = funnel_plot(df, value_type=ValueType.PROPORTION, multiplier=100)
        >>> f.target_source, f.points["position"].tolist()
        ('England (published)', ['above 95% limit', 'above 99.8% limit'])
    """
    require_columns(values, ["area_code", "value", "numerator", "denominator"], what="funnel")
    if not 0 <= winsor_fraction < 0.5:
        raise ValueError(f"winsor_fraction must be in [0, 0.5), not {winsor_fraction!r}")
    n_curve = require_int(n_curve, name="n_curve", minimum=2)
    england = values[values["area_code"] == ENGLAND_CODE]
    rows = values[values["area_code"] != ENGLAND_CODE]
    if "geographic_level" in rows.columns:
        rows = rows[rows["geographic_level"] == str(GeographicLevel.LOCAL_AUTHORITY)]
    numerators = pd.to_numeric(rows["numerator"]).astype(float)
    denominators = pd.to_numeric(rows["denominator"]).astype(float)
    usable = usable_counts(rows, value_type=value_type)
    not_plotted = rows.loc[~usable, ["area_code"]].assign(
        reason="no usable numerator and denominator"
    )
    pts = rows[usable]
    x, n = numerators[usable].to_numpy(), denominators[usable].to_numpy()
    if target is None:
        eng = opt_float(england["value"].iloc[0]) if len(england) else None
        if eng is not None:
            target, source = eng, "England (published)"
        elif len(pts) and n.sum() > 0:
            target, source = multiplier * x.sum() / n.sum(), "pooled value of the plotted LAs"
        else:
            raise ValueError("funnel_plot: no target given, no England row, no LA counts")
    else:
        source = "given"
    target = float(target)
    theta = target / multiplier
    value = multiplier * x / n if len(pts) else np.array([])
    var = theta * (1 - theta) if value_type is ValueType.PROPORTION else theta
    phi = tau2 = None
    tau2_value = 0.0
    if adjust_overdispersion:
        phi, tau2_internal = _overdispersion(value / multiplier, theta, var / n, winsor_fraction)
        tau2_value = tau2_internal * multiplier**2
        tau2 = tau2_value
    limits = (
        funnel_limits(
            n, target=target, value_type=value_type, multiplier=multiplier, tau2=tau2_value
        )
        if len(pts)
        else pd.DataFrame(columns=["lower_95", "upper_95", "lower_998", "upper_998"])
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(var / n + tau2_value / multiplier**2) * multiplier
        z = np.where(sd > 0, (value - target) / np.where(sd > 0, sd, 1.0), np.nan)
    position = limit_positions(
        np.asarray(value, dtype=float),
        *(
            limits[c].to_numpy(dtype=float)
            for c in ("lower_95", "upper_95", "lower_998", "upper_998")
        ),
    )
    points = pd.DataFrame(
        {
            "area_code": pts["area_code"].astype(str).to_numpy(),
            "value": value,
            "published_value": pd.to_numeric(pts["value"]).astype(float).to_numpy(),
            "numerator": x,
            "denominator": n,
            "z": z,
            "lower_95": limits["lower_95"].to_numpy(dtype=float),
            "upper_95": limits["upper_95"].to_numpy(dtype=float),
            "lower_998": limits["lower_998"].to_numpy(dtype=float),
            "upper_998": limits["upper_998"].to_numpy(dtype=float),
            "position": position,
        }
    )
    grid = _grid(n, n_curve)
    curve = (
        funnel_limits(
            grid, target=target, value_type=value_type, multiplier=multiplier, tau2=tau2_value
        )
        if len(grid)
        else pd.DataFrame()
    )
    if adjust_overdispersion:
        method = (
            f"random-effects limits (Spiegelhalter 2005 additive over-dispersion), "
            f"tau² = {tau2_value:.4g}"
            if tau2_value > 0
            else "random-effects limits: no over-dispersion detected (tau² = 0), "
            "normal approximation"
        )
    else:
        method = UNADJUSTED_LABEL
    return Funnel(
        points=points,
        not_plotted=not_plotted.reset_index(drop=True),
        curve=curve,
        target=target,
        target_source=source,
        method=method,
        adjusted=adjust_overdispersion,
        phi=phi,
        tau2=tau2,
    )


def _overdispersion(
    p: np.ndarray, theta: float, s2: np.ndarray, winsor: float
) -> tuple[float | None, float]:
    """Spiegelhalter's winsorised phi and the additive tau2 (internal units)."""
    count = len(p)
    if count < 2 or not (s2 > 0).all():
        return None, 0.0
    z = (p - theta) / np.sqrt(s2)
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    zw = np.clip(z, lo, hi)
    phi = float(np.mean(zw**2))
    w = 1 / s2
    excess = count * phi - (count - 1)
    tau2 = max(0.0, excess / (w.sum() - (w**2).sum() / w.sum())) if excess > 0 else 0.0
    return phi, float(tau2)


def _grid(n: np.ndarray, count: int) -> np.ndarray:
    if not len(n):
        return np.array([])
    lo, hi = float(n.min()), float(n.max())
    if lo == hi:
        return np.array([lo])
    return np.unique(np.geomspace(lo, hi, count))
