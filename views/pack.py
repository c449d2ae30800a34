"""The board pack of one LA: its position, what is most unusual for it, and one indicator.

The pack holds the LA's headline position, the indicators most unusual for its neighbours,
one indicator in detail, and where the numbers come from.

Every number comes from the views the dashboard's pages use (``views.profile``,
``views.benchmark``, ``views.gap``), so the pack and the pages cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import indicators as ind
from data.store import Store
from views.benchmark import GroupView, SeriesView, group_view, series_view
from views.benchmark_summary import SummaryView
from views.benchmark_summary import summary_view as benchmark_summary
from views.gap import GapView, gap_view
from views.memo import memoised
from views.profile import JUDGED, Headline, ProfileView, profile_view

__all__ = ["PACK_LIST_SIZE", "PackView", "default_indicator", "pack_view"]

#: How many of the most unusual indicators each list of the pack holds.
PACK_LIST_SIZE = 10


@dataclass(frozen=True)
class PackView:
    """Everything the board pack shows.

    ``worse`` and ``better`` are ``indicators.most_unusual`` of the judged rows on each side
    (|z| of 2 or more, at most ``PACK_LIST_SIZE`` plus ties, largest |z| first);
    ``indicator_id`` is the indicator shown in detail (``series``, ``gap``, ``group`` in its
    latest period with a value for the LA, ``summary``); ``sources`` lists (owner, address)
    of the publishers behind every indicator the pack names.
    """

    profile: ProfileView
    headline: Headline
    worse: pd.DataFrame
    better: pd.DataFrame
    indicator_id: str
    series: SeriesView
    gap: GapView
    group: GroupView
    summary: SummaryView
    release: str
    built_at: str
    synthetic: bool
    sources: tuple[tuple[str, str], ...]


def default_indicator(view: ProfileView) -> str | None:
    """The indicator a pack shows in detail when none is asked for.

    The most unusual judged one on the worse side, else the first judged row, else the
    first row (the profile's order).
    """
    rows = view.rows
    if rows.empty:
        return None
    judged = rows[rows["kind"] == JUDGED]
    return str((judged if len(judged) else rows)["indicator_id"].iloc[0])


def _most_unusual(rows: pd.DataFrame, direction: str) -> pd.DataFrame:
    side = rows[(rows["kind"] == JUDGED) & (rows["direction"] == direction)]
    return ind.most_unusual(side, n=PACK_LIST_SIZE)


@memoised
def pack_view(
    store: Store,
    area_code: str,
    sn_release: str,
    statistic: ind.NeighbourStatistic,
    custom: tuple[str, ...],
    indicator_id: str,
) -> PackView:
    """The pack of one LA against one comparison group, with ``indicator_id`` in detail."""
    profile = profile_view(store, area_code, sn_release, statistic, custom)
    ids = (area_code, indicator_id, sn_release, statistic, custom)
    periods = store.catalogue.periods.get(indicator_id, ())
    own = profile.rows[profile.rows["indicator_id"] == indicator_id]
    period = int(own["time_period"].iloc[0]) if len(own) else int(periods[-1][0])
    year_ids = (area_code, indicator_id, period, sn_release, statistic, custom)
    worse = _most_unusual(profile.rows, "worse")
    better = _most_unusual(profile.rows, "better")
    named = {indicator_id, *worse["indicator_id"], *better["indicator_id"]}
    meta = store.indicators[store.indicators["indicator_id"].isin(named)]
    owners = meta["data_owner"].fillna(meta["source_id"]).astype(str)
    urls = meta["source_url"].fillna("").astype(str)
    sources = tuple(sorted(set(zip(owners, urls, strict=True))))
    manifest = store.manifest
    return PackView(
        profile=profile,
        headline=profile.headline(),
        worse=worse,
        better=better,
        indicator_id=indicator_id,
        series=series_view(store, *ids),
        gap=gap_view(store, *ids),
        group=group_view(store, *year_ids),
        summary=benchmark_summary(store, *year_ids),
        release=store.release,
        built_at=str(manifest.get("built_at", "")),
        synthetic=store.synthetic,
        sources=sources,
    )
