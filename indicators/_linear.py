"""Private: least-squares lines for many series at once (one row of a matrix per series).

Each series is a row of ``y`` (NaN where there is no value) against the shared ``x`` (years).
The closed forms below are the textbook simple-regression ones; they agree with
``scipy.stats.linregress`` row by row (checked in the unit tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

FloatArray = np.ndarray


@dataclass(frozen=True, slots=True)
class LineFit:
    """Least-squares line of change per year on starting level, across LAs.

    ``slope`` is in "change per year per unit of starting level" (1/year): -0.1 means an LA
    starting 1 unit higher changes 0.1 units per year less. ``intercept`` is in the
    indicator's unit per year. ``p_value`` and ``r`` are Pearson's (``scipy.stats``).
    """

    n: int
    slope: float
    intercept: float
    slope_ci_low: float
    slope_ci_high: float
    r: float
    p_value: float
    confidence: float


@dataclass(frozen=True, slots=True)
class RowFits:
    """Per-row least-squares fits; arrays of length n_rows (NaN where undefined)."""

    n: np.ndarray
    slope: np.ndarray
    intercept: np.ndarray
    slope_se: np.ndarray
    p_value: np.ndarray
    r: np.ndarray
    residual_sd: np.ndarray
    xbar: np.ndarray
    sxx: np.ndarray


def series_matrix(
    frame: pd.DataFrame, *, row: str, column: str, value: str, what: str = "series"
) -> tuple[pd.Index, np.ndarray, FloatArray]:
    """Pivot a long frame into (row labels, sorted column labels, matrix with NaN gaps).

    Raises ``ValueError`` if a (row, column) pair repeats.
    """
    row_keys = frame[row]
    # An extension array (Arrow strings) is factorised natively: the same codes and sorted
    # labels as factorising its Python objects, without making them.
    keys = (
        row_keys.to_numpy(dtype=object) if isinstance(row_keys.dtype, np.dtype) else row_keys.array
    )
    rows, row_labels = pd.factorize(keys, sort=True)
    column_keys = frame[column].to_numpy()
    if column_keys.dtype.kind in "iu" and len(column_keys):
        cols, col_labels = _small_int_codes(column_keys)
    else:
        cols, col_labels = pd.factorize(column_keys, sort=True)
    cell = rows.astype(np.int64) * max(len(col_labels), 1) + cols
    if len(cell) and cell.min() >= 0:
        repeats = bool(np.bincount(cell).max() > 1)
    else:  # a missing key (code -1): count distinct cells as before
        repeats = len(np.unique(cell)) != len(cell)
    if repeats:
        raise ValueError(f"{what}: ['{row}', '{column}'] must be unique, but a pair repeats")
    matrix = np.full((len(row_labels), len(col_labels)), np.nan)
    column_values = frame[value]
    if column_values.dtype.kind != "f":
        column_values = pd.to_numeric(column_values)
    matrix[rows, cols] = column_values.to_numpy(dtype=float, na_value=np.nan)
    return pd.Index(row_labels), np.asarray(col_labels, dtype=float), matrix


def _small_int_codes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(keys, sort=True)`` for integers (years): codes and sorted labels."""
    low = keys.min()
    span = int(keys.max()) - int(low) + 1
    if span > 4 * len(keys) + 1024:  # sparse keys: let pandas hash them
        codes, labels = pd.factorize(keys, sort=True)
        return codes, np.asarray(labels)
    offset = (keys - low).astype(np.intp)
    present = np.bincount(offset, minlength=span) > 0
    code_of = np.cumsum(present) - 1
    return code_of[offset], (np.flatnonzero(present) + low).astype(keys.dtype)


def fit_rows(x: FloatArray, y: FloatArray) -> RowFits:
    """Least-squares line of each row of ``y`` on ``x``, ignoring NaN cells."""
    mask = np.isfinite(y)
    n = mask.sum(axis=1)
    xm = np.where(mask, x[None, :], 0.0)
    ym = np.where(mask, y, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        xbar = xm.sum(axis=1) / n
        ybar = ym.sum(axis=1) / n
        dx = np.where(mask, x[None, :] - xbar[:, None], 0.0)
        dy = np.where(mask, y - ybar[:, None], 0.0)
        sxx = (dx * dx).sum(axis=1)
        syy = (dy * dy).sum(axis=1)
        sxy = (dx * dy).sum(axis=1)
        ok = (n >= 2) & (sxx > 0)
        slope = np.where(ok, sxy / sxx, np.nan)
        intercept = np.where(ok, ybar - slope * xbar, np.nan)
        resid = np.where(mask, dy - slope[:, None] * dx, 0.0)
        ssr = np.maximum((resid * resid).sum(axis=1), 0.0)
        dof = n - 2
        has_dof = ok & (dof > 0)
        residual_sd = np.where(has_dof, np.sqrt(ssr / np.where(has_dof, dof, 1)), np.nan)
        slope_se = np.where(has_dof, residual_sd / np.sqrt(sxx), np.nan)
        r = np.where(ok & (syy > 0), sxy / np.sqrt(sxx * syy), np.where(ok, 0.0, np.nan))
        p_value = _slope_p(slope, slope_se, dof, has_dof, ssr, syy)
    return RowFits(n, slope, intercept, slope_se, p_value, r, residual_sd, xbar, sxx)


def _slope_p(
    slope: FloatArray,
    se: FloatArray,
    dof: np.ndarray,
    has_dof: np.ndarray,
    ssr: FloatArray,
    syy: FloatArray,
) -> FloatArray:
    """Two-sided t-test p-value of each slope; exact lines get 0 (or 1 when flat)."""
    # A perfect fit relative to the data's own scale is treated as exact (se == 0).
    exact = has_dof & (ssr <= 1e-24 * np.maximum(syy, 1e-300))
    safe_se = np.where(has_dof & ~exact & (se > 0), se, 1.0)
    t = np.where(has_dof & ~exact, slope / safe_se, 0.0)
    p = 2.0 * _t_sf(np.abs(t), np.where(has_dof, dof, 1))
    p = np.where(exact, np.where(slope == 0, 1.0, 0.0), p)
    return np.where(has_dof, p, np.nan)


def _t_sf(t: Any, dof: Any) -> Any:
    """Student's t survival function: ``scipy.stats.t.sf(t, dof)`` for finite t, dof > 0.

    The same special function ``scipy.stats.t`` evaluates, without its per-call argument
    handling (about 100 times slower than the function itself).
    """
    return special.stdtr(dof, -np.asarray(t, dtype=float))


def _t_ppf(q: float, dof: int) -> float:
    """Student's t quantile: ``scipy.stats.t.ppf(q, dof)`` for 0 < q < 1 (as ``_t_sf``)."""
    return float(special.stdtrit(dof, q))


def r_p_value(r: float, dof: int) -> float:
    """Two-sided p-value of a Pearson r (t-test with n - 2 df, as scipy.stats.pearsonr)."""
    if abs(r) >= 1.0:
        return 0.0
    t = r * np.sqrt(dof / (1.0 - r * r))
    return float(2.0 * _t_sf(abs(t), dof))


def pearson(x: np.ndarray, y: np.ndarray) -> tuple[float | None, float | None]:
    """Pearson r and its two-sided p-value; (None, None) with < 3 points or a constant."""
    x_arr, y_arr = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x_arr) < 3 or np.ptp(x_arr) == 0 or np.ptp(y_arr) == 0:
        return None, None
    dx, dy = x_arr - x_arr.mean(), y_arr - y_arr.mean()
    r = float(np.clip((dx @ dy) / np.sqrt((dx @ dx) * (dy @ dy)), -1.0, 1.0))
    return r, r_p_value(r, len(x_arr) - 2)


def fit_line(x: np.ndarray, y: np.ndarray, confidence: float) -> LineFit | None:
    """Least-squares line of y on x with its t-based interval (as scipy.stats.linregress)."""
    n = len(x)
    if n < 3 or np.ptp(x) == 0:
        return None
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy, sxy = float(dx @ dx), float(dy @ dy), float(dx @ dy)
    slope = sxy / sxx
    intercept = float(y.mean()) - slope * float(x.mean())
    r = sxy / np.sqrt(sxx * syy) if syy > 0 else 0.0
    r = float(np.clip(r, -1.0, 1.0))
    dof = n - 2
    stderr = np.sqrt(max(syy - slope * sxy, 0.0) / dof / sxx)
    p = r_p_value(r, dof) if syy > 0 else 1.0
    half = float(_t_ppf(0.5 + confidence / 2, dof)) * float(stderr)
    return LineFit(
        n=n,
        slope=slope,
        intercept=intercept,
        slope_ci_low=slope - half,
        slope_ci_high=slope + half,
        r=r,
        p_value=p,
        confidence=confidence,
    )


def select_window(
    values: pd.DataFrame, first_year: int | None, last_year: int | None
) -> pd.DataFrame:
    """Rows whose ``year_end`` is within [first_year, last_year] (either bound optional)."""
    if first_year is not None and last_year is not None and first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}")
    if first_year is None and last_year is None:
        return values
    year = values["year_end"].to_numpy(dtype=float)
    keep = np.ones(len(values), dtype=bool)
    if first_year is not None:
        keep &= year >= first_year
    if last_year is not None:
        keep &= year <= last_year
    return values[keep]
