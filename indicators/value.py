"""Value for money: spend per child, spend against an outcome, and who provides the services.

(The provider split of s251 lines is in ``indicators.provision``.)

Spend per child divides section 251 gross spend (pounds, financial year ending 31 March of
``year_end``) by the ONS mid-year estimate of children aged 0-17 for calendar year
``year_end - 1`` (the mid-year point inside that financial year), as DfE's s251 benchmarking
does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from data.schema import Polarity
from indicators._common import (
    opt_float,
    require_columns,
    require_polarity,
    require_unique,
)

__all__ = ["SpendVsOutcome", "spend_per_child", "spend_vs_outcome"]

_NOT_DERIVABLE = "nd"


def spend_per_child(spend: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Divide gross spend by the 0-17 population: pounds per child.

    Args:
        spend: Store ``values`` rows of ONE s251 gross-spend indicator (pounds), any areas
            and financial years (``area_code``, ``time_period``, ``year_end``, ``value``).
        population: Store ``values`` rows of ``ons_population_0_17`` (children aged 0-17;
            ``time_period`` is the calendar year of the mid-year estimate).

    Returns:
        A new frame, one row per spend row: the spend row's columns with ``value`` replaced
        by pounds per child, plus ``spend`` (pounds), ``population`` (children),
        ``population_year`` (``year_end - 1``) and ``reason`` (None, or why there is no
        value). ``value_status`` is ``"nd"`` when no value can be derived.

    Raises:
        ValueError: On missing columns or repeated (area, period) keys.

    Notes:
        Units: pounds / children = pounds per child. Polarity: none (spend is neither good
        nor bad). Ties: not applicable. Missing values: missing spend, missing population or
        a population of 0 or below give NaN with status ``"nd"`` and a reason; the spend
        row's own symbol is kept in ``reason``.

    Examples:
        >>> spend = pd.DataFrame({"area_code": ["A"], "time_period": [202425],
        ...     "year_end": [2025], "value": [1_000_000.0], "value_status": [None]})
        >>> pop = pd.DataFrame({"area_code": ["A"], "time_period": [2024], "value": [4000.0]})
        >>> spend_per_child(spend, pop)[["value", "population_year"]].to_dict("records")
        [{'value': 250.0, 'population_year': 2024}]
    """
    require_columns(spend, ["area_code", "time_period", "year_end", "value"], what="spend")
    require_columns(population, ["area_code", "time_period", "value"], what="population")
    require_unique(spend, ["area_code", "time_period"], what="spend")
    require_unique(population, ["area_code", "time_period"], what="population")
    pop = pd.DataFrame(
        {
            "_key_area": population["area_code"].astype(str).to_numpy(),
            "population_year": pd.to_numeric(population["time_period"]).astype(int).to_numpy(),
            "population": pd.to_numeric(population["value"]).astype(float).to_numpy(),
        }
    )
    keyed = spend.assign(
        _key_area=spend["area_code"].astype(str),
        population_year=pd.to_numeric(spend["year_end"]).astype(int) - 1,
    )
    merged = keyed.merge(pop, on=["_key_area", "population_year"], how="left")
    amount = pd.to_numeric(merged["value"]).astype(float)
    people = merged["population"]
    ok = np.isfinite(amount) & np.isfinite(people) & (people > 0)
    status_in = (
        merged["value_status"].astype(object)
        if "value_status" in merged.columns
        else pd.Series(None, index=merged.index, dtype=object)
    )
    reason = np.select(
        [~np.isfinite(amount), ~np.isfinite(people), ~(people > 0)],
        [
            "no spend value (" + status_in.fillna("missing").astype(str) + ")",
            "no population estimate for " + merged["population_year"].astype(str),
            "population is 0 or below",
        ],
        default="",
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        per_child = np.where(ok, amount / people, np.nan)
    status = status_in.where(ok, _NOT_DERIVABLE).where(~ok, None)
    return merged.drop(columns="_key_area").assign(
        value=per_child,
        value_status=status,
        spend=amount,
        reason=pd.Series(reason, index=merged.index, dtype=object).where(~ok, None),
    )


@dataclass(frozen=True, slots=True)
class SpendVsOutcome:
    """Spend per child against an outcome across LAs, with quadrants and residuals.

    Attributes:
        points: One row per LA with both values: ``area_code``, ``spend`` (pounds per
            child), ``outcome`` (its unit), ``quadrant``, ``fitted`` and ``residual``
            (outcome minus the line, outcome's unit), ``better_than_fitted`` (None for an
            outcome with no polarity or a zero residual).
        excluded: LAs lacking one of the two values: ``area_code``, ``reason``.
        spend_median, outcome_median: The quadrant lines.
        slope: Outcome units per pound per child (None with fewer than 3 LAs).
        intercept, r, p_value: Of the least-squares line (Pearson r and its p-value).
    """

    points: pd.DataFrame
    excluded: pd.DataFrame
    spend_median: float | None
    outcome_median: float | None
    slope: float | None
    intercept: float | None
    r: float | None
    p_value: float | None


def spend_vs_outcome(
    spend: pd.DataFrame, outcome: pd.DataFrame, *, outcome_polarity: Polarity
) -> SpendVsOutcome:
    """Place LAs in spend/outcome quadrants and fit outcome on spend.

    Args:
        spend: One row per LA: ``area_code``, ``value`` (pounds per child; see
            ``spend_per_child``) for one period.
        outcome: One row per LA: ``area_code``, ``value`` (the outcome's unit) for the
            period to compare.
        outcome_polarity: Turns "higher/lower outcome" into "better/worse outcome".

    Returns:
        A ``SpendVsOutcome``.

    Raises:
        ValueError: On a bad polarity, missing columns or repeated areas.

    Notes:
        Units: spend in pounds per child, outcome in its unit, slope in outcome units per
        pound per child. Polarity: quadrant labels such as "higher spend, better outcome";
        with no polarity "higher spend, higher outcome". Ties: a value equal to a median is
        "at median" and the quadrant reads "on a median line". Missing values: an LA
        lacking either value is listed in ``excluded``.

    Examples:
        >>> s = pd.DataFrame({"area_code": list("ABCD"), "value": [100.0, 200.0, 300.0, 400.0]})
        >>> o = pd.DataFrame({"area_code": list("ABCD"), "value": [1.0, 3.0, 2.0, 4.0]})
        >>> res = spend_vs_outcome(s, o, outcome_polarity=Polarity.HIGH_IS_BETTER)
        >>> res.points["quadrant"].tolist()[0], round(res.slope, 3)
        ('lower spend, worse outcome', 0.008)
    """
    require_polarity(outcome_polarity)
    for frame, name in ((spend, "spend"), (outcome, "outcome")):
        require_columns(frame, ["area_code", "value"], what=name)
        require_unique(frame, ["area_code"], what=name)
    merged = pd.DataFrame({"area_code": spend["area_code"].astype(str)}).assign(
        spend=pd.to_numeric(spend["value"]).astype(float).to_numpy()
    )
    merged = merged.merge(
        pd.DataFrame(
            {
                "area_code": outcome["area_code"].astype(str).to_numpy(),
                "outcome": pd.to_numeric(outcome["value"]).astype(float).to_numpy(),
            }
        ),
        on="area_code",
        how="outer",
    ).sort_values("area_code")
    has_s, has_o = np.isfinite(merged["spend"]), np.isfinite(merged["outcome"])
    excluded = merged.loc[~(has_s & has_o), ["area_code"]].assign(
        reason=np.where(~has_s[~(has_s & has_o)], "no spend value", "no outcome value")
    )
    points = merged[has_s & has_o].reset_index(drop=True)
    s_med = opt_float(points["spend"].median()) if len(points) else None
    o_med = opt_float(points["outcome"].median()) if len(points) else None
    points = points.assign(quadrant=_quadrants(points, s_med, o_med, outcome_polarity))
    slope = intercept = r = p = None
    fitted = pd.Series(np.nan, index=points.index)
    if len(points) >= 3 and np.ptp(points["spend"]) > 0:
        res = stats.linregress(points["spend"], points["outcome"])
        slope, intercept = float(res.slope), float(res.intercept)
        if np.ptp(points["outcome"]) > 0:
            r, p = float(res.rvalue), float(res.pvalue)
        fitted = intercept + slope * points["spend"]
    residual = points["outcome"] - fitted
    better = pd.Series(None, index=points.index, dtype=object)
    if outcome_polarity is not Polarity.NONE:
        up = outcome_polarity is Polarity.HIGH_IS_BETTER
        judged = residual.notna() & (residual != 0)
        better = better.where(~judged, (residual > 0) == up)
    return SpendVsOutcome(
        points=points.assign(fitted=fitted, residual=residual, better_than_fitted=better),
        excluded=excluded.reset_index(drop=True),
        spend_median=s_med,
        outcome_median=o_med,
        slope=slope,
        intercept=intercept,
        r=r,
        p_value=p,
    )


def _quadrants(
    points: pd.DataFrame, s_med: float | None, o_med: float | None, polarity: Polarity
) -> list[str]:
    labels = []
    for spend, outcome in zip(points["spend"], points["outcome"], strict=True):
        if spend == s_med or outcome == o_med:
            labels.append("on a median line")
            continue
        side = "higher spend" if spend > s_med else "lower spend"
        high = outcome > o_med
        if polarity is Polarity.NONE:
            result = "higher outcome" if high else "lower outcome"
        else:
            good = high == (polarity is Polarity.HIGH_IS_BETTER)
            result = "better outcome" if good else "worse outcome"
        labels.append(f"{side}, {result}")
    return labels
