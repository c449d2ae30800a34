"""The variation page and its API resources: how widely LAs differ on one indicator in one year.

Every view takes validated ids (the callers check them against the store) and returns a frozen
view model read from the release's benchmark table (``period_view``) and the ``indicators``
functions; the figure builders (``figures/best_worst``, ``distribution``, ``funnel``,
``spread_strip``) only draw and format them, and each chart's table and CSV come from the same
model. A number that cannot be computed is None with a sentence saying why, never a stale or
made-up value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

import indicators as ind
from data.schema import IndicatorMeta, ValueType
from data.store import Store
from indicators.funnel import usable_counts
from views.frame_values import first_record
from views.memo import memoised
from views.period import PeriodView, period_view

__all__ = [
    "FUNNEL_MIN_LAS",
    "BestWorstView",
    "DistributionView",
    "FunnelView",
    "Place",
    "RankRanges",
    "SpreadView",
    "best_worst_view",
    "distribution_view",
    "funnel_view",
    "ranges_of",
    "rank_ranges",
    "ranked_las",
    "spread_of",
    "spread_view",
]

#: A funnel plot is drawn when at least this many LAs publish their counts.
FUNNEL_MIN_LAS = 10
NO_VALUES = "No LA has a published value for this indicator and period."


@memoised
def ranked_las(store: Store, indicator_id: str, time_period: int) -> pd.DataFrame:
    """The competing LAs of one period in rank order (``rank_areas``: ranked, then not ranked).

    Ranks are the benchmark table's (the same competition ranks); the order and the
    ``rank_label`` / ``status`` columns are ``rank_areas``' so every chart lists LAs alike.
    """
    view = period_view(store, indicator_id, time_period)
    return ind.rank_areas(_competing(view), polarity=view.meta.polarity)


@memoised
def spread_of(store: Store, indicator_id: str, time_period: int) -> ind.Spread:
    """The spread of the competing LAs' values in one period (``indicators.spread``)."""
    return ind.spread(_competing(period_view(store, indicator_id, time_period)))


def _competing(view: PeriodView) -> pd.DataFrame:
    """The period's competing LAs with the columns the ``indicators`` functions read."""
    columns = ["area_code", "time_period", "value", "value_status", "numerator", "denominator"]
    return view.las[[*columns, "band"]].astype({"value_status": object})


# ---------------------------------------------------------------------------------------------
# The summary strip
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Place:
    """Where the selected LA stands.

    ``text`` completes "<la_name>: ...", e.g. "12th of 150 ranked, 1 = best" or "not ranked
    (c)"; ``ranked`` says whether it has a rank.
    """

    area_code: str
    la_name: str
    ranked: bool
    text: str


@dataclass(frozen=True)
class SpreadView:
    """How widely the LAs vary in one period: the numbers of the page's summary strip.

    Every number is None when it is not defined, with the reason beside it (e.g. the CV of an
    indicator whose mean is negative); nothing is carried over from another selection.

    Attributes:
        meta: The indicator. ``period_label``: the period as published.
        n_ranked: LAs with a value. ``not_ranked_text``: the LAs without one, by status.
        england: England's comparator (published, or computed and labelled so).
        median, p25, p75: Of the LAs' values (type-7 quantiles), None when no LA has one.
        p90_p10_ratio: Highest tenth over lowest tenth; ``ratio_reason`` why it is None.
        cv: Coefficient of variation (sample SD over mean), on a ratio scale only;
            ``cv_reason`` why it is None.
        place: The selected LA's place (None when no LA is selected).
    """

    meta: IndicatorMeta
    period_label: str
    n_ranked: int
    not_ranked_text: str
    england: ind.Comparator
    median: float | None
    p25: float | None
    p75: float | None
    p90_p10_ratio: float | None
    ratio_reason: str | None
    cv: float | None
    cv_reason: str | None
    place: Place | None


def cv_reason(spread: ind.Spread, value_type: ValueType) -> str | None:
    """Why the coefficient of variation is not shown (None when it is).

    Only on a ratio scale (``indicators.RATIO_SCALE_TYPES``: percentages, rates, counts and
    money have a true zero), as in the "Is variation narrowing?" chart: a score or a gap can
    be shifted, so its CV means nothing even when its mean is positive.

    Examples:
        >>> s = ind.Spread(3, 0, -2.0, 1.0, None, *([None] * 9), ())
        >>> cv_reason(s, ValueType.OTHER)
        'not defined (the mean is negative)'
        >>> cv_reason(ind.Spread(3, 0, 50.0, 1.0, 0.02, *([None] * 9), ()), ValueType.MEAN)
        'not defined (no true zero)'
    """
    if spread.n == 0:
        return "not defined (no LA has a value)"
    if spread.sd is None or spread.mean is None:
        return "not defined (fewer than 2 LAs have a value)"
    if spread.mean < 0:
        return "not defined (the mean is negative)"
    if spread.mean == 0:
        return "not defined (the mean is 0)"
    if value_type not in ind.RATIO_SCALE_TYPES:
        return "not defined (no true zero)"
    return None


def ratio_reason(spread: ind.Spread) -> str | None:
    """Why P90/P10 is not defined (None when it is)."""
    if spread.p90_p10_ratio is not None:
        return None
    if spread.n == 0:
        return "not defined (no LA has a value)"
    return "not defined (P10 is 0 or below)"


def _place(store: Store, ranked: pd.DataFrame, area_code: str | None) -> Place | None:
    if area_code is None:
        return None
    name = store.area_name(area_code)
    row = ranked[ranked["area_code"] == area_code]
    if row.empty:
        return Place(area_code, name, False, "not ranked: not an LA in this period")
    has_rank = not pd.isna(row["rank"].iloc[0])
    return Place(area_code, name, has_rank, ind.describe_rank(ranked, area_code))


@memoised
def spread_view(
    store: Store, indicator_id: str, time_period: int, area_code: str | None
) -> SpreadView:
    """The summary strip's numbers for one indicator and period (and the selected LA)."""
    view = period_view(store, indicator_id, time_period)
    spread = spread_of(store, indicator_id, time_period)
    ranked = ranked_las(store, indicator_id, time_period)
    not_ranked = len(ranked) - spread.n
    reason = cv_reason(spread, view.meta.value_type)
    return SpreadView(
        meta=view.meta,
        period_label=view.label,
        n_ranked=spread.n,
        not_ranked_text=f"{not_ranked} not ranked" if not_ranked else "all ranked",
        england=view.england,
        median=spread.median,
        p25=spread.p25,
        p75=spread.p75,
        p90_p10_ratio=spread.p90_p10_ratio,
        ratio_reason=ratio_reason(spread),
        cv=None if reason else spread.cv,
        cv_reason=reason,
        place=_place(store, ranked, area_code),
    )


# ---------------------------------------------------------------------------------------------
# Best and worst N
# ---------------------------------------------------------------------------------------------
#: Simulated rankings behind each LA's rank interval, and their seed (fixed: the same
#: intervals on every request and in the API).
RANK_DRAWS, RANK_SEED = 1000, 0


@dataclass(frozen=True)
class RankRanges:
    """How sure each rank is: every competing LA's 95% range of ranks, from its counts.

    ``ranks`` has one row per competing LA (``area_code``, ``rank_low``, ``rank_high``,
    ``spans_most``, ``note``, ``interval_reason``: why an LA has no range); ``method`` says
    how they were simulated; ``reason`` is why no LA has one (None when some do).
    """

    ranks: pd.DataFrame
    n_with_interval: int
    method: str
    reason: str | None

    def of(self, area_code: str) -> dict[str, object] | None:
        """One LA's row (None when it does not compete)."""
        return first_record(self.ranks[self.ranks["area_code"] == area_code])


def no_rank_model(meta: IndicatorMeta) -> str | None:
    """Why an indicator's ranks get no interval whatever its counts (None when they can)."""
    if meta.value_type not in (ValueType.PROPORTION, ValueType.RATE) or not meta.multiplier:
        return f"no sampling model for a {meta.value_type} indicator's counts"
    return None


@memoised
def rank_ranges(store: Store, indicator_id: str, time_period: int) -> RankRanges:
    """Each competing LA's rank interval in one period (none without counts)."""
    view = period_view(store, indicator_id, time_period)
    return ranges_of(_competing(view), view.meta)


def ranges_of(las: pd.DataFrame, meta: IndicatorMeta) -> RankRanges:
    """The rank intervals of competing LAs (``indicators.rank_intervals``, fixed seed)."""
    reason = no_rank_model(meta)
    if reason is not None or meta.multiplier is None:
        no_rank = pd.Series(pd.NA, index=las.index, dtype=object)
        ranks = las[["area_code"]].assign(
            rank_low=no_rank,
            rank_high=no_rank,
            spans_most=False,
            note=None,
            interval_reason=reason,
        )
        return RankRanges(ranks.reset_index(drop=True), 0, "", reason)
    simulated = ind.rank_intervals(
        las,
        polarity=meta.polarity,
        value_type=meta.value_type,
        multiplier=meta.multiplier,
        n_draws=RANK_DRAWS,
        seed=RANK_SEED,
    )
    columns = ["area_code", "rank_low", "rank_high", "spans_most", "note", "interval_reason"]
    none = "no LA publishes usable counts" if not simulated.n_with_interval else None
    return RankRanges(
        simulated.ranks[columns].reset_index(drop=True),
        simulated.n_with_interval,
        f"{simulated.method}; 95% of simulated ranks",
        none,
    )


@dataclass(frozen=True)
class BestWorstView:
    """The N best and worst LAs (all ties at the cut-offs) with England and the median LA.

    ``ranges`` gives each LA's rank interval where its counts allow one.
    """

    meta: IndicatorMeta
    period_label: str
    result: ind.BestWorst
    england: float | None
    median: float | None
    highlight: str | None
    names: Mapping[str, str]
    ranges: RankRanges


@memoised
def best_worst_view(
    store: Store, indicator_id: str, time_period: int, n: int, area_code: str | None
) -> BestWorstView:
    """The best/worst chart's numbers (``n`` at each end, ``area_code`` highlighted)."""
    view = period_view(store, indicator_id, time_period)
    return BestWorstView(
        meta=view.meta,
        period_label=view.label,
        result=_best_worst(store, indicator_id, time_period, n),
        england=view.england.value,
        median=spread_of(store, indicator_id, time_period).median,
        highlight=area_code,
        names=store.area_names,
        ranges=rank_ranges(store, indicator_id, time_period),
    )


@memoised
def _best_worst(store: Store, indicator_id: str, time_period: int, n: int) -> ind.BestWorst:
    view = period_view(store, indicator_id, time_period)
    return ind.best_worst(_competing(view), polarity=view.meta.polarity, n=n)


# ---------------------------------------------------------------------------------------------
# Every LA
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DistributionView:
    """Every competing LA (rank order) and the spread of their values."""

    meta: IndicatorMeta
    period_label: str
    ranked: pd.DataFrame
    spread: ind.Spread
    england: float | None
    highlight: str | None
    names: Mapping[str, str]


@memoised
def distribution_view(
    store: Store, indicator_id: str, time_period: int, area_code: str | None
) -> DistributionView:
    """The distribution chart's numbers, ``area_code`` highlighted."""
    view = period_view(store, indicator_id, time_period)
    return DistributionView(
        meta=view.meta,
        period_label=view.label,
        ranked=ranked_las(store, indicator_id, time_period),
        spread=spread_of(store, indicator_id, time_period),
        england=view.england.value,
        highlight=area_code,
        names=store.area_names,
    )


# ---------------------------------------------------------------------------------------------
# Funnel plot
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FunnelView:
    """The funnel plot's numbers, or why there is none (``funnel`` None, ``reason`` set)."""

    meta: IndicatorMeta
    period_label: str
    funnel: ind.Funnel | None
    reason: str | None
    highlight: str | None
    names: Mapping[str, str]


def funnel_reason(meta: IndicatorMeta, n_with_counts: int) -> str | None:
    """Why an indicator gets no funnel plot (None when it gets one).

    ``n_with_counts``: LAs whose counts a funnel can use (``indicators.usable_counts``).
    """
    if (
        meta.multiplier is None
        or meta.value_type not in (ValueType.PROPORTION, ValueType.RATE)
        or n_with_counts < FUNNEL_MIN_LAS
    ):
        return (
            "A funnel plot needs the counts behind a percentage or rate; this indicator does "
            "not publish them for enough LAs."
        )
    return None


@memoised
def _funnel(
    store: Store, indicator_id: str, time_period: int, adjusted: bool
) -> tuple[ind.Funnel | None, str | None]:
    view = period_view(store, indicator_id, time_period)
    las = _competing(view)
    usable = usable_counts(las, value_type=view.meta.value_type)
    reason = funnel_reason(view.meta, int(usable.sum()))
    if reason is not None:
        return None, reason
    assert view.meta.multiplier is not None  # funnel_reason checked it
    funnel = ind.funnel_plot(
        las,
        value_type=view.meta.value_type,
        multiplier=view.meta.multiplier,
        target=view.england.value,
        adjust_overdispersion=adjusted,
    )
    return funnel, None


@memoised
def funnel_view(
    store: Store, indicator_id: str, time_period: int, adjusted: bool, area_code: str | None
) -> FunnelView:
    """The funnel plot (limits adjusted for over-dispersion when ``adjusted``)."""
    view = period_view(store, indicator_id, time_period)
    funnel, reason = _funnel(store, indicator_id, time_period, adjusted)
    return FunnelView(
        meta=view.meta,
        period_label=view.label,
        funnel=funnel,
        reason=reason,
        highlight=area_code,
        names=store.area_names,
    )
