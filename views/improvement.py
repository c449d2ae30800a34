"""The pace-of-improvement page and ``/api/v1/improvement``: level against change per year.

The LAs compared over a window are those competing in the window's last period (the
benchmark table's ``competes``: current then, or newly created and already publishing), with
their local-authority rows in every period of the window. Both views below, and the API's
answer, are built from those rows, so the page and the API cannot disagree about an LA.
Improvement is the change turned by polarity (up is better; up is rising with no polarity):
every number a chart draws on that scale is turned here, so the figures only draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

import indicators as ind
from data.schema import GeographicLevel, IndicatorMeta, Polarity
from data.store import Store
from views.frame_values import first_record
from views.memo import memoised
from views.period import period_view

__all__ = [
    "SIGNIFICANCE",
    "ChangeView",
    "LevelImprovementView",
    "Window",
    "build_change_view",
    "build_level_improvement_view",
    "change_view",
    "level_improvement_view",
    "window_of",
    "window_values",
]

#: A slope whose t-test p-value is at least this reads "no significant change".
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Window:
    """An indicator's window: its first and last periods (codes, year ends and labels)."""

    meta: IndicatorMeta
    first_period: int
    last_period: int
    first_year: int
    last_year: int
    start_label: str
    end_label: str
    periods: tuple[int, ...]
    """Every period code of the indicator within the window, oldest first."""

    @property
    def label(self) -> str:
        """E.g. ``"2016 to 2025"``."""
        return f"{self.start_label} to {self.end_label}"

    @property
    def sign(self) -> float:
        """-1 when lower is better (improvement is the change turned), else +1."""
        return -1.0 if self.meta.polarity is Polarity.LOW_IS_BETTER else 1.0


@memoised
def window_of(store: Store, indicator_id: str, first_period: int, last_period: int) -> Window:
    """The window between two known periods of a known indicator (``first <= last``)."""
    start = period_view(store, indicator_id, first_period)
    end = period_view(store, indicator_id, last_period)
    periods = tuple(
        int(tp)
        for tp, _ in store.catalogue.periods.get(indicator_id, ())
        if first_period <= int(tp) <= last_period
    )
    return Window(
        meta=end.meta,
        first_period=first_period,
        last_period=last_period,
        first_year=start.year_end,
        last_year=end.year_end,
        start_label=start.label,
        end_label=end.label,
        periods=periods,
    )


@memoised
def window_values(store: Store, indicator_id: str, last_period: int) -> pd.DataFrame:
    """Local-authority rows, every period, of the LAs competing in ``last_period``."""
    competing = set(period_view(store, indicator_id, last_period).las["area_code"].astype(str))
    rows = store.indicator_values(indicator_id, levels=[GeographicLevel.LOCAL_AUTHORITY])
    keep = rows["area_code"].astype(str).isin(competing).to_numpy()
    return rows[keep].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Each LA's change per year
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeView:
    """Every compared LA's change per year over a window (``indicators.change_per_year``).

    ``changes`` is one row per LA (``change_per_year``'s columns, with ``area_name``);
    ``ordered`` the LAs with a slope from least to most improving (most falling to most
    rising with no polarity), with ``shown`` (the change turned by polarity) and ``order``
    (1, 2, ... along the chart's x axis).
    """

    window: Window
    changes: pd.DataFrame
    ordered: pd.DataFrame

    @property
    def meta(self) -> IndicatorMeta:
        """The indicator's metadata."""
        return self.window.meta

    def row(self, area_code: str) -> dict[str, object] | None:
        """One LA's row of ``changes`` (None when it is not compared)."""
        return first_record(self.changes[self.changes["area_code"] == area_code])


@memoised
def change_view(
    store: Store, indicator_id: str, first_period: int, last_period: int
) -> ChangeView:
    """Each LA's least-squares change per year, p-value and label over the window."""
    window = window_of(store, indicator_id, first_period, last_period)
    meta = window.meta
    changes = ind.change_per_year(
        window_values(store, indicator_id, last_period),
        polarity=meta.polarity,
        first_year=window.first_year,
        last_year=window.last_year,
        value_type=meta.value_type,
        significance=SIGNIFICANCE,
    )
    return build_change_view(window, changes, store.area_names)


def build_change_view(
    window: Window, changes: pd.DataFrame, names: Mapping[str, str]
) -> ChangeView:
    """The ``ChangeView`` of ``change_per_year``'s answer over ``window`` (no store needed)."""
    changes = changes.assign(area_name=[names.get(c, c) for c in changes["area_code"]])
    have = changes[changes["slope"].notna()]
    have = have.assign(shown=window.sign * have["slope"]).sort_values(["shown", "area_code"])
    ordered = have.reset_index(drop=True).assign(order=np.arange(1, len(have) + 1))
    return ChangeView(window=window, changes=changes, ordered=ordered)


# ---------------------------------------------------------------------------------------------
# Level against improvement
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LevelImprovementView:
    """Every compared LA's starting level against its improvement per year, with the tests.

    Attributes:
        window: The window; ``start_periods`` how many periods the start level averages.
        result: ``indicators.level_vs_improvement``'s answer (raw change scale).
        points: One row per LA: ``result.points``' columns plus ``area_name``,
            ``direction`` (``change_per_year``'s label, with its significance test, so both
            charts name an LA alike) and ``fitted`` (the fitted line at the LA's start,
            turned by polarity; NaN for LAs left out). ``improvement_per_year`` is the
            number drawn.
        band: The fitted line and its confidence band on the drawn scale (``start_level``,
            ``fitted``, ``low``, ``high``); empty without a fit.
        noise: Lines regression to the mean alone would give on the drawn scale
            (``start_level``, ``expected``, ``low``, ``high``); empty without a null.
        drawn_slope: Slope of the drawn fitted line (improvement per year per unit of
            starting level): the fit's slope turned by polarity. None without a fit.
        noise_slope: Slope of the drawn regression-to-the-mean line, likewise.
        top_reason: The commonest reason LAs were left out and how many (None if none).
    """

    window: Window
    start_periods: int
    result: ind.LevelVsImprovement
    points: pd.DataFrame
    band: pd.DataFrame
    noise: pd.DataFrame
    drawn_slope: float | None
    noise_slope: float | None
    top_reason: tuple[str, int] | None

    @property
    def meta(self) -> IndicatorMeta:
        """The indicator's metadata."""
        return self.window.meta

    @property
    def included(self) -> pd.DataFrame:
        """The LAs drawn (start, end and at least 3 values)."""
        return self.points[self.points["included"].to_numpy(dtype=bool)]

    def row(self, area_code: str) -> dict[str, object] | None:
        """One LA's row of ``points`` (None when it is not compared)."""
        return first_record(self.points[self.points["area_code"] == area_code])


@memoised
def level_improvement_view(
    store: Store,
    indicator_id: str,
    first_period: int,
    last_period: int,
    start_periods: int,
    n_draws: int,
) -> LevelImprovementView:
    """Level against improvement over the window, with the fit, Oldham's check and the null.

    ``n_draws`` noise-only data sets are simulated (``indicators.N_DRAWS`` on the page).
    """
    window = window_of(store, indicator_id, first_period, last_period)
    result = ind.level_vs_improvement(
        window_values(store, indicator_id, last_period),
        polarity=window.meta.polarity,
        first_year=window.first_year,
        last_year=window.last_year,
        start_periods=start_periods,
        n_draws=n_draws,
    )
    changes = change_view(store, indicator_id, first_period, last_period).changes
    labels = dict(zip(changes["area_code"], changes["direction"], strict=True))
    return build_level_improvement_view(window, result, labels, store.area_names)


def build_level_improvement_view(
    window: Window,
    result: ind.LevelVsImprovement,
    labels: Mapping[str, str],
    names: Mapping[str, str],
) -> LevelImprovementView:
    """The view of ``level_vs_improvement``'s answer over ``window`` (no store needed).

    ``labels`` maps area codes to their ``change_per_year`` label (with its significance
    test); an LA without one is labelled by the sign of its change.
    """
    sign = window.sign
    points, fit, null = result.points, result.fit, result.null
    fitted = (
        np.full(len(points), np.nan)
        if fit is None
        else sign * (fit.intercept + fit.slope * points["start_level"].to_numpy(dtype=float))
    )
    points = points.assign(
        area_name=[names.get(c, c) for c in points["area_code"]],
        direction=[
            labels.get(code, ind.direction_label(change, polarity=window.meta.polarity))
            for code, change in zip(points["area_code"], points["change_per_year"], strict=True)
        ],
        fitted=np.where(points["included"].to_numpy(dtype=bool), fitted, np.nan),
    )
    top = result.points["reason"].dropna().value_counts()
    return LevelImprovementView(
        window=window,
        start_periods=result.start_periods,
        result=result,
        points=points,
        band=_turned(ind.fit_band(result), sign, ("fitted",)),
        noise=_turned(_noise_lines(result), sign, ("expected",)),
        drawn_slope=None if fit is None else sign * fit.slope,
        noise_slope=None if null is None or fit is None else sign * null.expected_slope,
        top_reason=None if top.empty else (str(top.index[0]), int(top.iloc[0])),
    )


def _noise_lines(result: ind.LevelVsImprovement) -> pd.DataFrame:
    """The regression-to-the-mean line and its noise-only range (empty without a null)."""
    null = result.null
    if null is None:
        return pd.DataFrame(columns=["start_level", "expected", "low", "high"], dtype=float)
    slopes = {"expected": null.expected_slope, "low": null.low, "high": null.high}
    return ind.centre_lines(result, slopes=slopes)


def _turned(lines: pd.DataFrame, sign: float, middle: tuple[str, ...]) -> pd.DataFrame:
    """Lines on the change scale turned by polarity; ``low`` stays the lower edge."""
    turned = lines.assign(**{c: sign * lines[c] for c in (*middle, "low", "high")})
    if sign < 0:
        turned = turned.assign(low=turned["high"], high=turned["low"])
    return turned.reset_index(drop=True)
