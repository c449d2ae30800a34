"""The LA benchmark page and ``/api/v1/neighbours``: one LA against its group, region, England.

Every view takes validated ids (the callers check them against the store) and returns a frozen
view model; the figure builders in ``figures/benchmark.py`` only draw them, and the page's
table and CSV are made from the same model. The summary of one year is in
``views.benchmark_summary``, the spine chart in ``views.benchmark_spine``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

import indicators as ind
from data.schema import ENGLAND_CODE, IndicatorMeta
from data.store import Store
from views.frame_values import as_float
from views.memo import memoised
from views.period import comparator_of, period_view, region_codes

__all__ = [
    "Group",
    "GroupView",
    "SeriesPoint",
    "SeriesView",
    "comparison_group",
    "group_label",
    "group_view",
    "series_view",
]

#: Neighbour releases offered, newest first (the store may hold fewer).
RELEASES = ("2025", "2021")


def group_label(sn_release: str, statistic: str, n_members: int | None = None) -> str:
    """Name of the comparison group's average, e.g. ``"Statistical neighbours' mean (2025)"``.

    Examples:
        >>> group_label("2025", "median")
        "Statistical neighbours' median (2025 release)"
        >>> group_label("custom", "mean", 4)
        "Custom group's mean (4 LAs)"
    """
    if sn_release == "custom":
        size = f" ({n_members} LAs)" if n_members else ""
        return f"Custom group's {statistic}{size}"
    return f"Statistical neighbours' {statistic} ({sn_release} release)"


@dataclass(frozen=True)
class Group:
    """A comparison group after checking: a neighbour release or a custom list of LAs."""

    area_code: str
    sn_release: str
    custom: tuple[str, ...]
    statistic: ind.NeighbourStatistic
    available: bool
    label: str

    @property
    def kwargs(self) -> dict[str, object]:
        """Keyword arguments naming the group for the ``indicators`` neighbour functions."""
        if self.custom:
            return {"custom_codes": list(self.custom)}
        return {"sn_release": self.sn_release}


def held_releases(store: Store) -> tuple[str, ...]:
    """The neighbour releases the store holds, newest first."""
    held = set(store.neighbours["sn_release"].astype(str))
    return tuple(r for r in RELEASES if r in held) or tuple(sorted(held, reverse=True))


def comparison_group(
    store: Store,
    area_code: str,
    sn_release: str,
    statistic: ind.NeighbourStatistic,
    custom: tuple[str, ...] = (),
) -> Group:
    """The LA's comparison group: the custom LAs when any are given, else the release's."""
    if custom:
        label = group_label("custom", str(statistic), len(custom))
        return Group(area_code, sn_release, custom, statistic, True, label)
    try:
        ind.neighbour_group(store.neighbours, area_code=area_code, sn_release=sn_release)
        available = True
    except ValueError:  # the LA is not in this release (e.g. created after it)
        available = False
    return Group(
        area_code, sn_release, (), statistic, available, group_label(sn_release, str(statistic))
    )


def own_value(rows: pd.DataFrame, area_code: str) -> tuple[float | None, str | None]:
    """One area's value and status in a period's rows (``"no row"`` when it has none)."""
    row = rows[rows["area_code"] == area_code]
    if row.empty:
        return None, "no row"
    value = float(row["value"].iloc[0])
    if np.isfinite(value):
        return value, None
    status = row["value_status"].iloc[0]
    return None, "missing" if status is None or pd.isna(status) else str(status)


def _values(rows: pd.DataFrame) -> pd.DataFrame:
    """A period's rows with a value or status (not the LAs competing without a row)."""
    return rows[rows["value_status"].astype(object) != ind.ABSENT_STATUS].reset_index(drop=True)


def neighbour_comparison(
    rows: pd.DataFrame, store: Store, group: Group
) -> ind.NeighbourComparison | None:
    """The LA against its group's mean/median in one period's benchmark rows.

    None when the LA has no group in the chosen release.
    """
    if not group.available:
        return None
    return ind.compare_to_neighbours(
        _values(rows),
        store.neighbours,
        area_code=group.area_code,
        statistic=group.statistic,
        **group.kwargs,  # type: ignore[arg-type]
    )


# ---------------------------------------------------------------------------------------------
# Time series
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One period of the LA's series and its comparators (None when not available)."""

    time_period: int
    period_label: str
    la_value: float | None
    la_status: str | None
    neighbours: ind.NeighbourComparison | None
    region: ind.Comparator | None
    england: ind.Comparator | None
    existed: bool = True
    """False for a period before the LA was created or after it was abolished."""


@dataclass(frozen=True)
class SeriesView:
    """The LA's series against its group, region and England, one point per period."""

    meta: IndicatorMeta
    la_name: str
    group: Group
    points: tuple[SeriesPoint, ...]
    region_name: str | None
    breaks: tuple[tuple[int, str], ...] = ()
    """Series breaks: (index of the first point after the break, why), e.g. the LA's creation
    in a reorganisation, or a new definition of the measure."""
    separate_scale: bool = False
    """England (and the region) lie outside the LAs' range in some year, as a count's national
    total does: they are drawn on a scale of their own, never on the LA's."""

    @property
    def gap(self) -> tuple[float | None, ...]:
        """The LA minus its group's average in each period (None when either is missing)."""
        return tuple(
            None
            if p.la_value is None or p.neighbours is None or p.neighbours.value is None
            else p.la_value - p.neighbours.value
            for p in self.points
        )


@memoised
def series_view(
    store: Store,
    area_code: str,
    indicator_id: str,
    sn_release: str,
    statistic: ind.NeighbourStatistic,
    custom: tuple[str, ...] = (),
) -> SeriesView:
    """The LA's value in every period of the indicator with its comparators."""
    group = comparison_group(store, area_code, sn_release, statistic, custom)
    bench = store.benchmark
    assert bench is not None
    # One slice of every period (not a period view each): a series is one request.
    rows = bench.rows("benchmark", indicator_id).astype({"area_code": str})
    comparators = bench.rows("comparators", indicator_id).astype({"area_code": str})
    periods = bench.rows("benchmark_periods", indicator_id).set_index("time_period")
    region = region_codes(store).get(area_code)
    points = []
    outside = False
    for time_period, label in store.catalogue.periods.get(indicator_id, ()):
        tp = int(time_period)
        own_rows = _period(rows, tp)
        own_comparators = _period(comparators, tp)
        england = comparator_of(own_comparators, ENGLAND_CODE)
        outside = outside or _outside(
            england.value, as_float(periods.loc[tp, "q0"]), as_float(periods.loc[tp, "q100"])
        )
        la_value, la_status = own_value(own_rows, area_code)
        own = own_rows[own_rows["area_code"] == area_code]
        existed = bool(len(own)) and bool(own["competes"].iloc[0])  # lifetime + grace
        points.append(
            SeriesPoint(
                tp,
                label,
                la_value,
                la_status if existed else "did not exist",
                neighbour_comparison(own_rows, store, group),
                None if region is None else comparator_of(own_comparators, region),
                england,
                existed,
            )
        )
    region = next((p.region.label for p in reversed(points) if p.region), None)
    return SeriesView(
        meta=store.indicator_meta(indicator_id),
        la_name=store.area_name(area_code),
        group=group,
        points=tuple(points),
        region_name=region,
        breaks=series_breaks(store, area_code, indicator_id, points),
        separate_scale=outside,
    )


#: A LAIT source code whose definition starts in a year, e.g. ``LACStable_2016on``.
_DEFINITION_FROM = re.compile(r"_(\d{4})on$", re.IGNORECASE)


def series_breaks(
    store: Store, area_code: str, indicator_id: str, points: list[SeriesPoint]
) -> tuple[tuple[int, str], ...]:
    """Where the LA's series is not one continuous series, and why.

    A reorganisation (the LA created or abolished within the years shown, as the areas register
    records it) and a definition that starts in a year (a LAIT code such as
    ``LACStable_2016on``: earlier years belong to another indicator).
    """
    found: list[tuple[int, str]] = []
    existed = [p.existed for p in points]
    area = store.areas[store.areas["area_code"] == area_code]
    if len(area):
        row = area.iloc[0]
        name = str(row["area_name"])
        predecessors = [store.area_name(str(c)) for c in row["predecessor_codes"]]
        for i in range(1, len(points)):
            if existed[i] and not existed[i - 1]:
                source = f" from {', '.join(predecessors)}" if predecessors else ""
                found.append((i, f"{name} was created on {row['valid_from']}{source}"))
            if existed[i - 1] and not existed[i]:
                found.append((i, f"{name} was abolished on {row['valid_to']}"))
    code = store.indicator_meta(indicator_id).source_code
    match = _DEFINITION_FROM.search(code or "")
    if match and points:
        found.append(
            (
                0,
                f"the measure's definition starts in {match.group(1)} ({code}): earlier years "
                "belong to another indicator",
            )
        )
    return tuple(found)


def _period(frame: pd.DataFrame, time_period: int) -> pd.DataFrame:
    """The rows of one period of a frame sorted by ``time_period``."""
    periods = frame["time_period"].to_numpy()
    lo, hi = np.searchsorted(periods, [time_period, time_period + 1])
    return frame.iloc[int(lo) : int(hi)].reset_index(drop=True)


def _outside(england: float | None, lowest: float, highest: float) -> bool:
    """Whether England's value lies outside the range of the LAs' values in a period."""
    return england is not None and np.isfinite(lowest) and not lowest <= england <= highest


# ---------------------------------------------------------------------------------------------
# The group in one year
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupView:
    """The LA and its group in one year: places within the group and the group's average."""

    meta: IndicatorMeta
    la_name: str
    period_label: str
    group: Group
    performance: ind.GroupPerformance | None
    comparison: ind.NeighbourComparison | None
    england: float | None
    names: dict[str, str]


@memoised
def group_view(
    store: Store,
    area_code: str,
    indicator_id: str,
    time_period: int,
    sn_release: str,
    statistic: ind.NeighbourStatistic,
    custom: tuple[str, ...] = (),
) -> GroupView:
    """The group chart's numbers (``performance`` None when the LA has no group)."""
    view = period_view(store, indicator_id, time_period)
    group = comparison_group(store, area_code, sn_release, statistic, custom)
    performance = None
    if group.available:
        performance = ind.group_performance(
            _values(view.rows),
            store.neighbours,
            area_code=area_code,
            polarity=view.meta.polarity,
            **group.kwargs,  # type: ignore[arg-type]
        )
    return GroupView(
        meta=view.meta,
        la_name=store.area_name(area_code),
        period_label=view.label,
        group=group,
        performance=performance,
        comparison=neighbour_comparison(view.rows, store, group),
        england=view.england.value,
        names=store.area_names,
    )


#: Most LAs a custom comparison group may hold.
MAX_CUSTOM_LAS = 20


def page_notes(
    store: Store,
    area_code: str | None,
    meta: IndicatorMeta | None,
    sn_release: str,
    custom: tuple[str, ...],
    *,
    chosen: int,
    own: bool,
) -> list[str]:
    """Notices for the benchmark page: the group in use, codes dropped, the direction.

    ``chosen`` is how many LAs the user put in a custom group, ``own`` whether the LA itself
    was among them.
    """
    notes = []
    if chosen > MAX_CUSTOM_LAS:
        notes.append(f"Only the first {MAX_CUSTOM_LAS} LAs of the custom group are used.")
    if area_code is not None and own:
        notes.append(f"{store.area_name(area_code)} is left out of its own comparison group.")
    if area_code is not None:
        if custom:
            notes.append(
                f"Comparing with your custom group of {len(custom)} LAs instead of the "
                f"{sn_release} statistical neighbours."
            )
        elif not comparison_group(
            store, area_code, sn_release, ind.NeighbourStatistic.MEAN
        ).available:
            notes.append(
                f"{store.area_name(area_code)} has no statistical neighbours in the "
                f"{sn_release} release."
            )
    if meta is not None:
        notes.append(
            {
                "high": "Higher is better for this indicator.",
                "low": "Lower is better for this indicator.",
                "none": "No direction is better for this indicator: "
                "LAs are ranked highest first, never best or worst.",
            }[str(meta.polarity)]
        )
    return notes
