"""Is the gap between an LA and its neighbours closing or widening?

For each key (e.g. indicator and LA), the gap is ``LA value - neighbours' average`` per year.
Over the key's last ``max_points`` years with a gap (default 5, at least ``min_points`` = 3)
a least-squares line is fitted to the gap against ``year_end``; its values at the first and
last of those years (``gap_first``, ``gap_last``) say where the LA stood then and now, with
the year-to-year noise smoothed out. With a tolerance ``t`` in the indicator's unit (a gap
or a change smaller than ``t`` is not worth a word):

* the LA's **side** at each end is "above" (fitted gap > t), "below" (< -t) or "level";
* **crossed over**: it was above and is now below, or the reverse;
* otherwise, with ``change = |gap_last| - |gap_first|``: **closing** if ``change < -t`` (the
  LA and its neighbours have moved towards each other, whichever side the LA is on),
  **widening** if ``change > t``, **stable** if neither;
* **not enough years**: fewer than ``min_points`` years with a gap.

The words describe the gap, not who moved: the neighbours catching up with an LA also closes
it. Polarity is not used; whether closing is good news depends on which side the LA is on and
the indicator's polarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators._common import require_columns, require_int

__all__ = ["CLOSING", "CROSSED", "NOT_ENOUGH", "STABLE", "WIDENING", "gap_trend"]

CLOSING = "closing"
WIDENING = "widening"
STABLE = "stable"
CROSSED = "crossed over"
NOT_ENOUGH = "not enough years"


def gap_trend(
    gaps: pd.DataFrame,
    *,
    tolerance: float | str,
    keys: Sequence[str] = ("indicator_id", "area_code"),
    gap_column: str = "gap",
    max_points: int = 5,
    min_points: int = 3,
) -> pd.DataFrame:
    """Closing, widening, stable or crossed over: the trend of each key's gap (vectorised).

    Args:
        gaps: Long frame: the ``keys`` columns, ``year_end`` and ``gap_column`` (LA value -
            neighbours' mean or median, in the indicator's unit; NaN when either is
            missing). One row per key and year.
        tolerance: The smallest gap or change in the gap worth calling a difference, in the
            indicator's unit (>= 0): one number for every key, or the name of a column of
            ``gaps`` holding each row's (its value in the key's latest year is used). A
            quarter of the across-LA standard deviation of the indicator in the latest
            period is a sensible choice (``docs/methods.md`` section 17).
        keys: Columns that identify one series (default indicator and LA).
        gap_column: The column holding the gap.
        max_points: Use at most this many of the key's latest years with a gap (default 5).
        min_points: Fewest years with a gap for a trend (default 3, at least 2).

    Returns:
        A new frame, one row per key (sorted by the keys): the keys, ``n_points``,
        ``first_year``/``last_year`` (of the points used), ``gap_first``/``gap_last`` (the
        fitted line there, in the indicator's unit), ``latest_gap`` (the observed gap in
        ``last_year``), ``slope`` (the gap's change per year: the unit per year),
        ``abs_gap_change`` (``|gap_last| - |gap_first|``), ``side_first``/``side_last``
        ("above", "below", "level"), ``tolerance``, ``trend`` and ``reason`` (None unless
        there are not enough years).

    Raises:
        ValueError: On a missing column, a key and year that repeat, a negative or missing
            tolerance, or bad options.

    Notes:
        Units: gaps and tolerance in the indicator's unit, ``slope`` in that unit per year.
        Polarity: not used. Ties: a change or fitted gap exactly equal to the tolerance is
        not beyond it ("stable", "level"); differences below 1e-9 of the gaps' own size are
        taken as rounding in the fit, not movement. Missing values: years whose gap is NaN are
        skipped (the window is the key's last ``max_points`` years *with* a gap, however
        far apart); a key with fewer than ``min_points`` gets "not enough years".

    Examples:
        >>> g = pd.DataFrame({"indicator_id": "i", "area_code": "A",
        ...     "year_end": [2021, 2022, 2023], "gap": [-6.0, -4.0, -2.0]})
        >>> gap_trend(g, tolerance=0.5)[["gap_first", "gap_last", "trend"]].values.tolist()
        [[-6.0, -2.0, 'closing']]
    """
    keys = list(keys)
    require_columns(gaps, [*keys, "year_end", gap_column], what="gap_trend")
    max_points = require_int(max_points, name="max_points", minimum=2)
    min_points = require_int(min_points, name="min_points", minimum=2)
    if min_points > max_points:
        raise ValueError(f"min_points {min_points} exceeds max_points {max_points}")
    group, n_groups = _key_groups(gaps, keys)
    year = pd.to_numeric(gaps["year_end"]).to_numpy(dtype=float)
    gap = pd.to_numeric(gaps[gap_column]).to_numpy(dtype=float, na_value=np.nan)
    row_tolerance = _row_tolerance(gaps, tolerance)
    by_year = np.lexsort((year, group))
    if ((np.diff(group[by_year]) == 0) & (np.diff(year[by_year]) == 0)).any():
        raise ValueError(f"gap_trend: {[*keys, 'year_end']} must be unique, but a row repeats")
    # Latest year first within each key; keep each key's first max_points finite gaps.
    has = np.isfinite(gap) & np.isfinite(year)
    order = np.lexsort((-year, ~has, group))
    start = np.searchsorted(group[order], np.arange(n_groups))
    rank = np.arange(len(order)) - start[group[order]]
    used = order[has[order] & (rank < max_points)]
    fit = _fit(group[used], year[used], gap[used], n_groups)
    first_row = order[start]  # each key's latest year with a gap, if it has one
    latest_gap = np.where(fit.n > 0, gap[first_row], np.nan)
    tol = row_tolerance[first_row]
    enough = fit.n >= min_points
    # Differences below 1e-9 of the gaps' own size are rounding in the fit, not movement.
    size = np.zeros(n_groups)
    np.maximum.at(size, group[used], np.abs(gap[used]))
    words = _judge(fit, tol + 1e-9 * size, enough)
    reason = np.full(n_groups, None, dtype=object)
    short = np.flatnonzero(~enough)
    reason[short] = [
        f"{k} year(s) with a gap (minimum {min_points})" for k in fit.n[short].tolist()
    ]
    columns: dict[str, object] = {k: gaps[k].array.take(first_row) for k in keys}
    columns.update(
        n_points=fit.n,
        first_year=pd.array(fit.first_year, dtype="Int64"),
        last_year=pd.array(fit.last_year, dtype="Int64"),
        gap_first=np.where(enough, fit.gap_first, np.nan),
        gap_last=np.where(enough, fit.gap_last, np.nan),
        latest_gap=latest_gap,
        slope=np.where(enough, fit.slope, np.nan),
        abs_gap_change=np.where(enough, words.change, np.nan),
        side_first=words.side_first,
        side_last=words.side_last,
        tolerance=tol,
        trend=words.trend,
        reason=reason,
    )
    return pd.DataFrame(columns)


def _key_groups(gaps: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, int]:
    """Each row's key as a number 0..n-1, numbered in sorted key order."""
    group = np.zeros(len(gaps), dtype=np.int64)
    for key in keys:
        codes, labels = pd.factorize(gaps[key], sort=True, use_na_sentinel=False)
        group = group * len(labels) + codes
    _, group = np.unique(group, return_inverse=True)
    return group.astype(np.intp), int(group.max()) + 1 if len(group) else 0


@dataclass(frozen=True, slots=True)
class _Words:
    side_first: np.ndarray
    side_last: np.ndarray
    change: np.ndarray
    trend: np.ndarray


def _judge(fit: _Fit, tol: np.ndarray, enough: np.ndarray) -> _Words:
    """Sides at both ends, the change in |gap| and the word, against each key's tolerance."""
    side_first = _side(fit.gap_first, tol, enough)
    side_last = _side(fit.gap_last, tol, enough)
    change = np.abs(fit.gap_last) - np.abs(fit.gap_first)
    trend = np.where(change < -tol, CLOSING, np.where(change > tol, WIDENING, STABLE))
    crossed = ((side_first == "above") & (side_last == "below")) | (
        (side_first == "below") & (side_last == "above")
    )
    trend = np.where(crossed, CROSSED, trend)
    return _Words(
        side_first=side_first,
        side_last=side_last,
        change=change,
        trend=np.where(enough, trend, NOT_ENOUGH).astype(object),
    )


@dataclass(frozen=True, slots=True)
class _Fit:
    """Per-key least-squares line of gap on year (arrays of length n_groups; NaN if no data)."""

    n: np.ndarray
    slope: np.ndarray
    first_year: np.ndarray
    last_year: np.ndarray
    gap_first: np.ndarray
    gap_last: np.ndarray


def _fit(group: np.ndarray, x: np.ndarray, y: np.ndarray, n_groups: int) -> _Fit:
    """Least-squares line of y on x within each group (a flat line for a single point)."""
    n = np.bincount(group, minlength=n_groups)
    safe_n = np.maximum(n, 1)
    xbar = np.bincount(group, weights=x, minlength=n_groups) / safe_n
    ybar = np.bincount(group, weights=y, minlength=n_groups) / safe_n
    dx = x - xbar[group]
    sxx = np.bincount(group, weights=dx * dx, minlength=n_groups)
    sxy = np.bincount(group, weights=dx * (y - ybar[group]), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(sxx > 0, sxy / sxx, np.where(n > 0, 0.0, np.nan))
    first = np.full(n_groups, np.inf)
    np.minimum.at(first, group, x)
    last = np.full(n_groups, -np.inf)
    np.maximum.at(last, group, x)
    first = np.where(n > 0, first, np.nan)
    last = np.where(n > 0, last, np.nan)
    return _Fit(
        n=n.astype(np.int64),
        slope=slope,
        first_year=first,
        last_year=last,
        gap_first=np.where(n > 0, ybar + slope * (first - xbar), np.nan),
        gap_last=np.where(n > 0, ybar + slope * (last - xbar), np.nan),
    )


def _side(fitted: np.ndarray, tol: np.ndarray, enough: np.ndarray) -> np.ndarray:
    """The side of each fitted gap against the tolerance; None without enough years."""
    side = np.where(fitted > tol, "above", np.where(fitted < -tol, "below", "level"))
    words: np.ndarray = side.astype(object)
    words[~enough] = None
    return words


def _row_tolerance(gaps: pd.DataFrame, tolerance: float | str) -> np.ndarray:
    """Each row's tolerance as floats; ``ValueError`` if negative, missing or not a number."""
    if isinstance(tolerance, str):
        require_columns(gaps, [tolerance], what="gap_trend")
        values: np.ndarray = pd.to_numeric(gaps[tolerance]).to_numpy(dtype=float, na_value=np.nan)
    elif isinstance(tolerance, int | float | np.integer | np.floating) and not isinstance(
        tolerance, bool
    ):
        values = np.full(len(gaps), float(tolerance))
    else:
        raise ValueError(f"tolerance must be a number or a column name, not {tolerance!r}")
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError("tolerance must be a finite number >= 0 on every row")
    return values
