"""Pace of change: the least-squares change per year of each area, and a test of its trend.

LAIT's trend arrow is the sign of the latest year-on-year change, with no test. This module
adds the per-annum change over a chosen window (least-squares slope against ``year_end``), the
slope's t-test p-value (as ``scipy.stats.linregress``), and, for proportions with numerators
and denominators, the chi-square test for trend (Cochran-Armitage) that OHID Fingertips uses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from data.schema import Polarity, ValueType
from indicators._common import (
    require_columns,
    require_int,
    require_one_indicator,
    require_polarity,
)
from indicators._linear import fit_rows, select_window, series_matrix

__all__ = ["change_per_year", "direction_label"]


def direction_label(slope: float, *, polarity: Polarity) -> str:
    """Turn the sign of a change into words, by polarity.

    Args:
        slope: A change (any unit; only its sign is used). NaN gives ``"no trend"``.
        polarity: ``HIGH_IS_BETTER``: up is "improving"; ``LOW_IS_BETTER``: down is
            "improving"; ``NONE``: "rising"/"falling".

    Returns:
        ``"improving"``, ``"worsening"``, ``"rising"``, ``"falling"``, ``"no change"``
        (exactly zero) or ``"no trend"`` (NaN).

    Raises:
        ValueError: If ``polarity`` is not a ``Polarity``.

    Notes:
        Units: none. Polarity: as above. Ties: a zero change is "no change". Missing
        values: NaN gives "no trend".

    Examples:
        >>> direction_label(-0.5, polarity=Polarity.LOW_IS_BETTER)
        'improving'
    """
    require_polarity(polarity)
    if slope is None or not np.isfinite(slope):
        return "no trend"
    if slope == 0:
        return "no change"
    if polarity is Polarity.NONE:
        return "rising" if slope > 0 else "falling"
    up_is_good = polarity is Polarity.HIGH_IS_BETTER
    return "improving" if (slope > 0) == up_is_good else "worsening"


def change_per_year(
    values: pd.DataFrame,
    *,
    polarity: Polarity,
    first_year: int | None = None,
    last_year: int | None = None,
    min_points: int = 3,
    value_type: ValueType | None = None,
    significance: float | None = None,
) -> pd.DataFrame:
    """Per-annum change of each area over a window, with a trend test.

    Args:
        values: Store ``values`` rows of ONE indicator, any number of areas and periods
            (``area_code``, ``year_end``, ``value``; ``numerator`` and ``denominator`` for
            the chi-square test). ``value`` in the indicator's unit.
        polarity: Turns the slope's sign into "improving"/"worsening" (``NONE``:
            "rising"/"falling").
        first_year: First ``year_end`` of the window (default: the earliest present).
        last_year: Last ``year_end`` of the window (default: the latest present).
        min_points: Fewest values an area needs in the window for a slope (>= 2; the
            t-test needs 3).
        value_type: ``ValueType.PROPORTION`` enables the chi-square test for trend when
            every point has a numerator and denominator.
        significance: If given (e.g. 0.05), a slope whose t-test p-value is at or above it
            reads "no significant change" instead of its direction.

    Returns:
        A new frame, one row per area (sorted by ``area_code``): ``area_code``,
        ``n_points``, ``first_year``, ``last_year`` (years with data), ``slope`` (the
        indicator's unit per year: percentage points per year for a %), ``slope_se``,
        ``p_value`` (two-sided t-test of the slope, n - 2 df), ``r``, ``fitted_first`` and
        ``fitted_last`` (the line at the window's ends), ``direction``, ``chi2_trend`` and
        ``chi2_p_value`` (NaN unless computed), ``reason`` (why there is no slope, else
        None).

    Raises:
        ValueError: On a bad ``polarity`` or option, repeated (area, year_end), mixed
            indicators, or a window with ``first_year > last_year``.

    Notes:
        Units: ``slope`` is in the indicator's unit per year; x is ``year_end``. Polarity:
        only the ``direction`` words. Ties: a zero slope is "no change". Missing values:
        NaN points are skipped; an area with fewer than ``min_points`` values gets no slope
        and a ``reason``. Chi-square test for trend: ``X2 = (sum x_i (t_i - tbar))**2 /
        (pbar (1 - pbar) sum n_i (t_i - tbar)**2)`` with ``tbar`` weighted by ``n_i``, 1 df.

    Examples:
        >>> df = pd.DataFrame({"area_code": "A", "year_end": [2021, 2022, 2023],
        ...                    "value": [10.0, 12.0, 14.0]})
        >>> row = change_per_year(df, polarity=Polarity.HIGH_IS_BETTER).iloc[0]
        >>> float(row["slope"]), row["direction"], float(row["p_value"])
        (2.0, 'improving', 0.0)
    """
    require_polarity(polarity)
    min_points = require_int(min_points, name="min_points", minimum=2)
    if significance is not None and not 0 < significance < 1:
        raise ValueError(f"significance must be between 0 and 1, not {significance!r}")
    if value_type is not None and not isinstance(value_type, ValueType):
        raise ValueError(f"value_type must be a data.schema.ValueType, not {value_type!r}")
    require_columns(values, ["area_code", "year_end", "value"], what="change_per_year")
    require_one_indicator(values, what="change_per_year")
    window = select_window(values, first_year, last_year)
    codes, years, y = series_matrix(
        window, row="area_code", column="year_end", value="value", what="change_per_year"
    )
    fits = fit_rows(years, y)
    mask = np.isfinite(y)
    enough = fits.n >= min_points
    lo = years.min() if len(years) else np.nan
    hi = years.max() if len(years) else np.nan
    slope = np.where(enough, fits.slope, np.nan)
    p_value = np.where(enough, fits.p_value, np.nan)
    earliest = np.where(mask, years, np.inf).min(axis=1, initial=np.inf)
    latest = np.where(mask, years, -np.inf).max(axis=1, initial=-np.inf)
    first = np.where(mask.any(axis=1), earliest, np.nan)
    last = np.where(mask.any(axis=1), latest, np.nan)
    directions = [direction_label(s, polarity=polarity) for s in slope]
    if significance is not None:
        directions = [
            "no significant change" if np.isfinite(p) and p >= significance else d
            for d, p in zip(directions, p_value, strict=True)
        ]
    chi2, chi2_p = _chi2_trend(window, codes, years, mask, value_type)
    reason = [
        None if ok else f"{int(k)} point(s) in the window (minimum {min_points})"
        for ok, k in zip(enough, fits.n, strict=True)
    ]
    return pd.DataFrame(
        {
            "area_code": codes.astype(str),
            "n_points": fits.n.astype(int),
            "first_year": pd.array(first, dtype="Int64") if len(first) else [],
            "last_year": pd.array(last, dtype="Int64") if len(last) else [],
            "slope": slope,
            "slope_se": np.where(enough, fits.slope_se, np.nan),
            "p_value": p_value,
            "r": np.where(enough, fits.r, np.nan),
            "fitted_first": np.where(enough, fits.intercept + fits.slope * lo, np.nan),
            "fitted_last": np.where(enough, fits.intercept + fits.slope * hi, np.nan),
            "direction": directions,
            "chi2_trend": np.where(enough, chi2, np.nan),
            "chi2_p_value": np.where(enough, chi2_p, np.nan),
            "reason": pd.Series(reason, dtype=object),
        }
    )


def _chi2_trend(
    window: pd.DataFrame,
    codes: pd.Index,
    years: np.ndarray,
    mask: np.ndarray,
    value_type: ValueType | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cochran-Armitage chi-square test for trend in proportions, per area (NaN if n/a)."""
    nan = np.full(len(codes), np.nan)
    if value_type is not ValueType.PROPORTION or not {"numerator", "denominator"} <= set(
        window.columns
    ):
        return nan, nan
    _, _, x = series_matrix(window, row="area_code", column="year_end", value="numerator")
    _, _, n = series_matrix(window, row="area_code", column="year_end", value="denominator")
    complete = (np.isfinite(x) & np.isfinite(n) & (n > 0)) | ~mask
    usable = complete.all(axis=1) & (mask.sum(axis=1) >= 2)
    w = mask & np.isfinite(x) & np.isfinite(n)
    xs = np.where(w, x, 0.0)
    ns = np.where(w, n, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        n_tot = ns.sum(axis=1)
        pbar = xs.sum(axis=1) / n_tot
        tbar = (ns * years[None, :]).sum(axis=1) / n_tot
        dt = np.where(w, years[None, :] - tbar[:, None], 0.0)
        numerator = (xs * dt).sum(axis=1) ** 2
        denominator = pbar * (1 - pbar) * (ns * dt * dt).sum(axis=1)
        ok = usable & (denominator > 0)
        chi2 = np.where(ok, numerator / np.where(ok, denominator, 1.0), np.nan)
    return chi2, np.where(ok, stats.chi2.sf(np.where(ok, chi2, 0.0), 1), np.nan)
