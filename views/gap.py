"""The gap between an LA and its comparison group over time, and whether it is closing.

The gap in each period is the LA's value minus its group's mean or median there (the series
view's, so the benchmark page's chart, table and CSV agree). Its trend is
``indicators.gap_trend`` over the last 3-5 years with a gap up to the indicator's latest
period with LA data, with the tolerance the LA profile uses (a quarter of the across-LA
standard deviation in that period), so the benchmark page and the profile say the same word.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import indicators as ind
from data.store import Store
from views.benchmark import SeriesView, series_view
from views.la_rows import latest_periods
from views.memo import memoised
from views.profile import MAX_YEARS, MIN_YEARS, TOLERANCE_SHARE
from views.value_cube import value_cube

__all__ = ["GapPoint", "GapView", "gap_view"]


@dataclass(frozen=True, slots=True)
class GapPoint:
    """One period: the LA, its group's average (with how many had data) and the gap."""

    time_period: int
    period_label: str
    year_end: int
    la_value: float | None
    average: float | None
    n_with_data: int
    n_expected: int
    gap: float | None


@dataclass(frozen=True)
class GapView:
    """The gap in every period and its trend over the last 3-5 years with one.

    ``trend`` is closing / widening / stable / crossed over / not enough years (or "no
    comparison group"); ``trend_from``/``trend_to`` the years the fitted line spans,
    ``gap_first``/``gap_last`` its values there (the indicator's unit), ``tolerance`` the
    smallest change worth a word.
    """

    series: SeriesView
    points: tuple[GapPoint, ...]
    trend: str
    trend_from: int | None
    trend_to: int | None
    gap_first: float | None
    gap_last: float | None
    tolerance: float

    @property
    def has_gap(self) -> bool:
        """Whether any period has a gap."""
        return any(p.gap is not None for p in self.points)


def _number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


@memoised
def gap_view(
    store: Store,
    area_code: str,
    indicator_id: str,
    sn_release: str,
    statistic: ind.NeighbourStatistic,
    custom: tuple[str, ...] = (),
) -> GapView:
    """The LA's gap to its group in every period of the indicator, and its trend."""
    series = series_view(store, area_code, indicator_id, sn_release, statistic, custom)
    cube = value_cube(store)
    periods = np.array([p.time_period for p in series.points], dtype=np.int64)
    at = cube.group_rows(np.full(len(periods), indicator_id, dtype=object), periods)
    year_end = np.where(at >= 0, cube.groups["year_end"].to_numpy()[at], periods // 100)
    points = tuple(
        GapPoint(
            time_period=p.time_period,
            period_label=p.period_label,
            year_end=int(year),
            la_value=p.la_value,
            average=None if p.neighbours is None else p.neighbours.value,
            n_with_data=0 if p.neighbours is None else p.neighbours.n_with_data,
            n_expected=0 if p.neighbours is None else p.neighbours.n_expected,
            gap=gap,
        )
        for p, year, gap in zip(series.points, year_end.tolist(), series.gap, strict=True)
    )
    latest = latest_periods(store)
    mine = latest[latest["indicator_id"] == indicator_id]
    last = int(mine["time_period"].iloc[0]) if len(mine) else int(periods.max(initial=0))
    spread = cube.spread[cube.group_rows(np.array([indicator_id], dtype=object), np.array([last]))]
    tolerance = TOLERANCE_SHARE * float(np.nan_to_num(spread[0] if len(spread) else 0.0))
    if not series.group.available:
        return GapView(series, points, "no comparison group", None, None, None, None, tolerance)
    used = [p for p in points if p.time_period <= last]
    gaps = pd.DataFrame(
        {
            "indicator_id": indicator_id,
            "time_period": [p.time_period for p in used],
            "year_end": [p.year_end for p in used],
            "gap": [np.nan if p.gap is None else p.gap for p in used],
        }
    )
    gaps = gaps.sort_values("time_period").drop_duplicates("year_end", keep="last")
    trend = ind.gap_trend(
        gaps,
        tolerance=tolerance,
        keys=("indicator_id",),
        max_points=MAX_YEARS,
        min_points=MIN_YEARS,
    ).iloc[0]
    # Too few years for a trend: no span and no fitted ends (the years used are still
    # reported by gap_trend, but a span without a fitted line would read as a trend).
    fitted = int(trend["n_points"]) >= MIN_YEARS
    first, last_year = trend["first_year"], trend["last_year"]
    return GapView(
        series=series,
        points=points,
        trend=str(trend["trend"]),
        trend_from=int(first) if fitted else None,
        trend_to=int(last_year) if fitted else None,
        gap_first=_number(float(trend["gap_first"])),
        gap_last=_number(float(trend["gap_last"])),
        tolerance=tolerance,
    )
