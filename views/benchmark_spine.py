"""The benchmark page's spine chart: one LA on every indicator of a topic, against its group."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import indicators as ind
from data.store import Store
from indicators.spine import spine_positions
from views.benchmark import Group, comparison_group
from views.la_rows import la_rows
from views.memo import memoised

#: Most rows a spine chart draws (a topic may hold hundreds of indicators).
SPINE_MAX_ROWS = 40


@dataclass(frozen=True)
class SpineView:
    """The LA on every indicator of a topic (each in its latest period with LA data).

    ``rows`` holds ``la_rows``' columns plus ``neighbour_value`` (the group's mean or median)
    and ``spine_positions``' standardised positions, in catalogue order (title), at most
    ``SPINE_MAX_ROWS``; ``n_with_data`` counts the topic's indicators with LA data and
    ``n_in_topic`` all of them.
    """

    la_name: str
    topic: str
    group: Group
    rows: pd.DataFrame
    n_with_data: int
    n_in_topic: int


@memoised
def spine_view(
    store: Store,
    area_code: str,
    topic: str,
    sn_release: str,
    statistic: ind.NeighbourStatistic,
    custom: tuple[str, ...] = (),
) -> SpineView:
    """The spine chart's rows for one LA and topic."""
    group = comparison_group(store, area_code, sn_release, statistic, custom)
    wanted = [i for i, _, t in store.catalogue.indicators if t == topic]
    rows = la_rows(store, area_code, sn_release, custom).set_index("indicator_id")
    present = [i for i in wanted if i in rows.index]
    shown = rows.loc[present[:SPINE_MAX_ROWS]].reset_index()
    average = (
        "neighbour_median" if statistic is ind.NeighbourStatistic.MEDIAN else "neighbour_mean"
    )
    shown = shown.assign(
        neighbour_value=shown[average] if group.available else np.nan,
        n_with_data=shown["n_with_data"] if group.available else 0,
        decimals=shown["decimals"].astype("Float64").fillna(1).astype(int),
    )
    return SpineView(
        la_name=store.area_name(area_code),
        topic=topic,
        group=group,
        rows=spine_positions(shown),
        n_with_data=len(present),
        n_in_topic=len(wanted),
    )
