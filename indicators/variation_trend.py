"""Is variation narrowing? The spread across LAs year by year, and its trend.

For each period: the IQR, the P90/P10 ratio and the coefficient of variation (``spread``),
beside the within-group share (``variance_within_groups``) when a neighbour release is given.
The trend of each measure is its least-squares slope on ``year_end`` with a t interval
(``scipy.stats.linregress``'s numbers). The headline uses the CV when it is defined in every
year (a ratio-scale indicator with a positive mean), else the IQR.

The slope's interval treats the years as independent points; they are not (the same LAs,
serial correlation), so it is too narrow and a "clear" trend over few years is weak evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import ValueType
from indicators._common import require_columns, require_confidence, require_one_indicator
from indicators._linear import fit_line
from indicators.variance_share import variance_within_groups
from indicators.variation import spread

__all__ = ["RATIO_SCALE_TYPES", "VariationTrend", "variation_trend"]

#: Value types measured on a ratio scale (a true zero), where the CV means something. A mean
#: score, a gap or an index ("other", "mean") can be shifted, so its CV is not reported.
RATIO_SCALE_TYPES = frozenset(
    {ValueType.PROPORTION, ValueType.RATE, ValueType.COUNT, ValueType.CURRENCY}
)
_MEASURES = ("iqr", "p90_p10_ratio", "cv", "within_share")


@dataclass(frozen=True, slots=True)
class VariationTrend:
    """The spread across LAs in each period and the trend of each measure.

    Attributes:
        years: One row per period, oldest first: ``time_period``, ``year_end``, ``n``,
            ``mean``, ``p10``, ``p25``, ``median``, ``p75``, ``p90``, ``iqr``,
            ``p90_p10_ratio``, ``cv`` (NaN where undefined), and with a release
            ``within_share``, ``within_low``, ``within_high``, ``random_share``.
        trends: One row per measure (``iqr``, ``p90_p10_ratio``, ``cv``,
            ``within_share``): ``n_years``, ``slope`` (measure unit per year),
            ``slope_low``, ``slope_high``, ``p_value``, ``direction`` ("narrowing",
            "widening", "no clear trend", "no change", "not enough years" or "not
            computed"; for the within share "falling" or "rising" instead of narrowing or
            widening), ``reason``.
        headline_measure: ``"cv"`` or ``"iqr"``. ``statement``: a sentence for readers.
        ratio_scale: Whether the CV was reported. ``sn_release``: the release, or None.
    """

    years: pd.DataFrame
    trends: pd.DataFrame
    headline_measure: str
    statement: str
    ratio_scale: bool
    sn_release: str | None


def variation_trend(
    values: pd.DataFrame,
    neighbours: pd.DataFrame | None = None,
    *,
    value_type: ValueType,
    sn_release: str | None = None,
    n_draws: int = 0,
    seed: int = 0,
    confidence: float = 0.95,
) -> VariationTrend:
    """Describe the spread across LAs year by year and test whether it narrows.

    Args:
        values: One indicator's LA rows over several periods (``eligible_values`` per
            period): ``area_code``, ``time_period``, ``year_end``, ``value``.
        neighbours: The store's ``statistical_neighbours`` table (needed with a release).
        value_type: The indicator's type; the CV is reported only for ratio-scale types
            (``RATIO_SCALE_TYPES``).
        sn_release: Neighbour release for the within-group share (None: no share).
        n_draws: Bootstrap draws for each year's within-share interval (0: none).
        seed: Seed of those draws.
        confidence: Level of the slopes' and the shares' intervals, in [0.9, 1).

    Returns:
        A ``VariationTrend``.

    Raises:
        ValueError: On missing columns, mixed indicators, repeated areas within a period,
            a release without a neighbours table, or a bad option.

    Notes:
        Units: IQR in the indicator's unit; P90/P10, CV and shares dimensionless; slopes
        per year. Polarity: not used (narrowing is neither good nor bad). Ties: not
        applicable. Missing values: each period uses its LAs with a value (the set may
        change between periods, e.g. after reorganisations); an undefined measure (P10 of
        0 or below, mean of 0 or below) is NaN that year and its trend uses the other
        years (at least 3 are needed).

    Examples:
        >>> df = pd.DataFrame({"area_code": list("ABCDE") * 3,
        ...     "time_period": [2021] * 5 + [2022] * 5 + [2023] * 5,
        ...     "year_end": [2021] * 5 + [2022] * 5 + [2023] * 5,
        ...     "value": [10., 20, 30, 40, 50, 15, 22, 30, 38, 45, 20, 25, 30, 35, 40]})
        >>> t = variation_trend(df, value_type=ValueType.RATE)
        >>> t.years["iqr"].tolist(), t.headline_measure, t.trends["direction"].iloc[2]
        ([20.0, 16.0, 10.0], 'cv', 'narrowing')
    """
    require_columns(
        values, ["area_code", "time_period", "year_end", "value"], what="variation_trend"
    )
    require_one_indicator(values, what="variation_trend")
    confidence = require_confidence(confidence)
    if not isinstance(value_type, ValueType):
        raise ValueError(f"value_type must be a data.schema.ValueType, not {value_type!r}")
    if sn_release is not None and neighbours is None:
        raise ValueError("variation_trend: a neighbour release needs the neighbours table")
    ratio_scale = value_type in RATIO_SCALE_TYPES
    rows = []
    for period, frame in values.groupby("time_period", sort=True):
        summary = spread(frame)
        row: dict[str, object] = {
            "time_period": period,
            "year_end": int(pd.to_numeric(frame["year_end"]).max()),
            **{
                k: getattr(summary, k)
                for k in ("n", "mean", "p10", "p25", "median", "p75", "p90", "iqr")
            },
            "p90_p10_ratio": summary.p90_p10_ratio,
            "cv": summary.cv if ratio_scale else None,
        }
        if sn_release is not None and neighbours is not None:
            share = variance_within_groups(
                frame,
                neighbours,
                sn_release=sn_release,
                n_draws=n_draws,
                seed=seed,
                confidence=confidence,
            )
            row |= {
                "within_share": share.within_share,
                "within_low": share.ci_low,
                "within_high": share.ci_high,
                "random_share": share.random_share,
            }
        rows.append(row)
    columns = ["time_period", "year_end", "n", "mean", "p10", "p25", "median", "p75", "p90"]
    columns += ["iqr", "p90_p10_ratio", "cv"]
    if sn_release is not None:
        columns += ["within_share", "within_low", "within_high", "random_share"]
    years = pd.DataFrame(rows, columns=columns)
    years = years.sort_values("year_end", kind="stable").reset_index(drop=True)
    for column in years.columns.drop(["time_period"], errors="ignore"):
        years[column] = pd.to_numeric(years[column]).astype(float)
    years = years.astype({"year_end": int, "n": int}) if len(years) else years
    trends = _trends(years, confidence, ratio_scale)
    headline = "cv" if ratio_scale and len(years) and years["cv"].notna().all() else "iqr"
    return VariationTrend(
        years=years,
        trends=trends,
        headline_measure=headline,
        statement=_statement(trends, headline, years, confidence),
        ratio_scale=ratio_scale,
        sn_release=None if sn_release is None else str(sn_release),
    )


def _trends(years: pd.DataFrame, confidence: float, ratio_scale: bool) -> pd.DataFrame:
    out = []
    for measure in _MEASURES:
        record: dict[str, object] = {"measure": measure, "n_years": 0, "reason": None}
        record |= dict.fromkeys(("slope", "slope_low", "slope_high", "p_value"), np.nan)
        if measure == "cv" and not ratio_scale:
            reason = "not a ratio-scale indicator"
            out.append(record | {"direction": "not computed", "reason": reason})
            continue
        if measure not in years.columns:
            reason = "no neighbour release given"
            out.append(record | {"direction": "not computed", "reason": reason})
            continue
        y = years[measure].to_numpy(dtype=float)
        ok = np.isfinite(y)
        x = years["year_end"].to_numpy(dtype=float)[ok]
        record["n_years"] = int(ok.sum())
        if ok.sum() < 3:
            reason = "fewer than 3 years with this measure defined"
            out.append(record | {"direction": "not enough years", "reason": reason})
            continue
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            fit = fit_line(x, y[ok], confidence)
        bounds = (fit.slope, fit.slope_ci_low, fit.slope_ci_high) if fit else (np.nan,)
        if fit is None or not np.isfinite(bounds).all():
            reason = "the values are too extreme to fit a line (e.g. a P10 next to 0)"
            out.append(record | {"direction": "not computed", "reason": reason})
            continue
        record |= {
            "slope": fit.slope,
            "slope_low": fit.slope_ci_low,
            "slope_high": fit.slope_ci_high,
            "p_value": fit.p_value,
        }
        if np.ptp(y[ok]) <= 1e-9 * float(np.abs(y[ok]).max()):
            direction = "no change"  # the same in every year (rounding noise aside)
        elif fit.slope_ci_high < 0:
            direction = "narrowing"
        elif fit.slope_ci_low > 0:
            direction = "widening"
        else:
            direction = "no clear trend"
        if measure == "within_share":  # a falling share means groups grow more alike
            direction = {"narrowing": "falling", "widening": "rising"}.get(direction, direction)
        out.append(record | {"direction": direction})
    return pd.DataFrame(out)


def _statement(trends: pd.DataFrame, headline: str, years: pd.DataFrame, confidence: float) -> str:
    row = trends[trends["measure"] == headline].iloc[0]
    name = {"cv": "coefficient of variation", "iqr": "interquartile range"}[headline]
    if row["direction"] == "not enough years":
        return f"Not enough years to judge a trend in the {name} (at least 3 are needed)."
    if row["direction"] == "not computed":
        return f"No trend can be given for the {name}: {row['reason']}."
    first, last = int(years["year_end"].min()), int(years["year_end"].max())
    scale = 100.0 if headline == "cv" else 1.0
    unit = " percentage points" if headline == "cv" else ""
    where = "" if headline == "cv" else " in the indicator's unit"
    low, high = (_number(row[k] * scale) for k in ("slope_low", "slope_high"))
    slope = f"{_number(row['slope'] * scale, sign=True)}{unit} a year{where}"
    ci = f"{low} to {high}"
    verdict = {
        "narrowing": "variation between LAs is narrowing",
        "widening": "variation between LAs is widening",
        "no clear trend": "no clear trend in the variation between LAs",
        "no change": "the variation between LAs did not change",
    }[str(row["direction"])]
    return (
        f"{first} to {last}: the {name} changed by {slope} ({confidence:.0%} interval {ci}): "
        f"{verdict}. "
        "The years are not independent: read the interval as optimistic."
    )


def _number(value: float, *, sign: bool = False) -> str:
    """Three significant figures; rounding noise around 0 shows as 0."""
    value = round(float(value), 10) + 0.0
    return f"{value:+.3g}" if sign and value else f"{value:.3g}"
