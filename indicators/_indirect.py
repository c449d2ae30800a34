"""Private: indirect standardisation of the need model's expected values (as SHMI does).

An LA's expected count is its expected value (from the need model) times its denominator
over the multiplier; the ratio observed/expected gets the exact Poisson interval of the
observed count divided by the expected count, and its place in SHMI's funnel: 95% and 99.8%
limits around 1 with Spiegelhalter's additive over-dispersion (10% winsorised z-scores), which
fall back to exact Poisson limits when there is no over-dispersion (``funnel_plot``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from data.schema import ValueType
from indicators._common import float_values
from indicators.funnel import funnel_plot


def count_ratios(
    values: pd.DataFrame, points: pd.DataFrame, *, multiplier: float, confidence: float
) -> pd.DataFrame:
    """``points`` plus ``observed``, ``expected_count``, ``ratio``, its limits and position.

    ``values`` and ``points`` are row-aligned (the need model keeps ``values``' order).
    """
    nan = np.full(len(points), np.nan)
    if "numerator" in values.columns and "denominator" in values.columns:
        observed = float_values(values, "numerator")
        denominator = float_values(values, "denominator")
    else:
        observed, denominator = nan.copy(), nan.copy()
    expected = points["expected"].to_numpy(dtype=float) * denominator / multiplier
    ok = (
        np.isfinite(observed)
        & np.isfinite(expected)
        & (observed >= 0)
        & (denominator > 0)
        & (expected > 0)
    )
    safe_e = np.where(ok, expected, 1.0)
    safe_o = np.where(ok, observed, 0.0)
    alpha = 1.0 - confidence
    lower = np.where(safe_o > 0, stats.chi2.ppf(alpha / 2, 2 * safe_o) / 2, 0.0) / safe_e
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * safe_o + 2) / 2 / safe_e
    position = np.full(len(points), None, dtype=object)
    in_funnel = ok & points["used"].to_numpy(dtype=bool)
    if in_funnel.any():
        funnel = funnel_plot(
            pd.DataFrame(
                {
                    "area_code": points["area_code"].to_numpy(dtype=object)[in_funnel],
                    "value": observed[in_funnel] / expected[in_funnel],
                    "numerator": observed[in_funnel],
                    "denominator": expected[in_funnel],
                }
            ),
            value_type=ValueType.RATE,
            multiplier=1.0,
            target=1.0,
            adjust_overdispersion=True,
        )
        position[in_funnel] = funnel.points["position"].to_numpy(dtype=object)
    return points.assign(
        observed=np.where(ok, observed, np.nan),
        expected_count=np.where(ok, expected, np.nan),
        ratio=np.where(ok, safe_o / safe_e, np.nan),
        ratio_lower=np.where(ok, lower, np.nan),
        ratio_upper=np.where(ok, upper, np.nan),
        ratio_position=pd.Series(position, dtype=object),
    )
