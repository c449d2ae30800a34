"""Do similar areas vary as much? The within-group share and whether variation is narrowing.

For the variation page's "similar areas" panel, its "Is variation narrowing?" chart and
``GET /api/v1/variation``: the share of the variance across LAs that lies within
statistical-neighbour groups (``indicators.variance_within_groups``, with its bootstrap
interval) for each neighbour release the store holds, and the spread year by year beside it
(``indicators.variation_trend``). Both read the same competing LAs as the page's other charts
and draw with the same seed, so a year's share is the same number in the panel, the chart and
the API.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import indicators as ind
from data.schema import IndicatorMeta
from data.store import Store
from views.benchmark import held_releases
from views.memo import memoised
from views.period import period_view
from views.variation import cv_reason, ratio_reason, spread_of

__all__ = [
    "SHARE_DRAWS",
    "SHARE_SEED",
    "NarrowingView",
    "SharesView",
    "VariationSummary",
    "narrowing_view",
    "shares_view",
    "variation_summary",
    "within_share",
]

#: Bootstrap draws behind each within-group share's interval, and their seed.
SHARE_DRAWS, SHARE_SEED = ind.N_BOOTSTRAP, 0


def _values(rows: pd.DataFrame) -> pd.DataFrame:
    """Competing LAs' values in ``indicators`` form, in one order (period, then area code).

    The bootstrap draws positions, so the panel, the chart and the API must hand the same
    rows in the same order to get the same interval.
    """
    competing = rows[rows["competes"].to_numpy(dtype=bool)]
    frame = competing[["area_code", "time_period", "year_end", "value"]].astype(
        {"area_code": str, "year_end": int}
    )
    return frame.sort_values(["time_period", "area_code"], kind="stable").reset_index(drop=True)


@memoised
def within_share(
    store: Store, indicator_id: str, time_period: int, sn_release: str
) -> ind.VarianceShare:
    """The within-group share of one period for one neighbour release (held by the store)."""
    view = period_view(store, indicator_id, time_period)
    return ind.variance_within_groups(
        _values(view.rows),
        store.neighbours,
        sn_release=sn_release,
        n_draws=SHARE_DRAWS,
        seed=SHARE_SEED,
    )


@dataclass(frozen=True)
class SharesView:
    """The within-group share of one period for every neighbour release held, newest first."""

    meta: IndicatorMeta
    period_label: str
    shares: tuple[ind.VarianceShare, ...]


@memoised
def shares_view(store: Store, indicator_id: str, time_period: int) -> SharesView:
    """The "do similar areas vary as much?" panel's numbers."""
    view = period_view(store, indicator_id, time_period)
    shares = tuple(
        within_share(store, indicator_id, time_period, release) for release in held_releases(store)
    )
    return SharesView(view.meta, view.label, shares)


@dataclass(frozen=True)
class NarrowingView:
    """The spread across LAs year by year with the within-group share beside it.

    ``trend`` is ``indicators.variation_trend`` for ``sn_release`` over the periods in which
    some LA has a value (its ``years`` oldest first, with ``time_period``); ``labels`` maps
    every period of the indicator to its published label, oldest first; ``empty`` lists the
    periods in which no LA has a value (e.g. not collected that year), left out of the trend.
    """

    meta: IndicatorMeta
    sn_release: str
    trend: ind.VariationTrend
    labels: dict[int, str]
    empty: tuple[int, ...]


@memoised
def narrowing_view(store: Store, indicator_id: str, sn_release: str) -> NarrowingView:
    """Is variation narrowing? Every period of the indicator (one slice of the table)."""
    bench = store.benchmark
    assert bench is not None  # period_view's callers have checked the release has one
    values = _values(bench.rows("benchmark", indicator_id))
    labels = {int(tp): label for tp, label in store.catalogue.periods.get(indicator_id, ())}
    with_values = set(values.loc[values["value"].notna(), "time_period"].astype(int))
    trend = ind.variation_trend(
        values[values["time_period"].isin(with_values)],
        store.neighbours,
        value_type=store.indicator_meta(indicator_id).value_type,
        sn_release=sn_release,
        n_draws=SHARE_DRAWS,
        seed=SHARE_SEED,
    )
    empty = tuple(tp for tp in labels if tp not in with_values)
    return NarrowingView(store.indicator_meta(indicator_id), sn_release, trend, labels, empty)


@dataclass(frozen=True)
class VariationSummary:
    """``GET /api/v1/variation``: the spread of one period and its within-group share."""

    meta: IndicatorMeta
    time_period: int
    spread: ind.Spread
    cv: float | None
    cv_reason: str | None
    ratio_reason: str | None
    share: ind.VarianceShare


@memoised
def variation_summary(
    store: Store, indicator_id: str, time_period: int, sn_release: str
) -> VariationSummary:
    """The API's numbers (the page's: the same spread and share)."""
    spread = spread_of(store, indicator_id, time_period)
    meta = store.indicator_meta(indicator_id)
    reason = cv_reason(spread, meta.value_type)
    return VariationSummary(
        meta=meta,
        time_period=time_period,
        spread=spread,
        cv=None if reason else spread.cv,
        cv_reason=reason,
        ratio_reason=ratio_reason(spread),
        share=within_share(store, indicator_id, time_period, sn_release),
    )
