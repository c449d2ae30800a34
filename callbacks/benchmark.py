"""LA benchmark page wiring: controls -> checked ids -> views -> figures.

Each handler is module-level and returns what its outputs show, so the unit tests call them
with a small store and no Dash server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from dash import Dash, Input, Output
from dash.exceptions import PreventUpdate

import figures.gap as gap_figures
import figures.group as group_figures
import figures.peers as peer_figures
import figures.series as series_figures
import figures.spine as spine_figures
import figures.summary as summary_figures
import indicators as ind
import views.benchmark as vb
import views.gap as vgap
import views.peers as vpeers
from callbacks.common import (
    ChartBlock,
    ChartOutput,
    SummaryBlock,
    checked_indicator,
    checked_la,
    checked_las,
    checked_period,
    message,
    register_chart,
    register_clear,
    register_notes,
    register_period_choices,
    register_remember_la,
    register_summary,
    register_topic_choices,
    register_url_sync,
)
from data.store import Store
from figures.tables import DataView, blank
from layouts import ids
from views import benchmark_spine, benchmark_summary

STATISTICS = ("mean", "median")
COLOUR_BY = ("band", "significance")


@dataclass(frozen=True)
class Choice:
    """The page's comparison controls after checking."""

    la: str | None
    sn_release: str
    statistic: ind.NeighbourStatistic
    custom: tuple[str, ...]


def choice(store: Store, la: Any, release: Any, stat: Any, group: Any) -> Choice:
    """Check the LA, neighbour release, statistic and custom group (unknown values dropped)."""
    code = checked_la(store, la)
    held = vb.held_releases(store)
    if not held:
        raise PreventUpdate
    statistic = ind.NeighbourStatistic(stat if stat in STATISTICS else "mean")
    custom = tuple(c for c in checked_las(store, group) if c != code)
    return Choice(code, release if release in held else held[0], statistic, custom)


def series_chart(store: Store, la: Any, indicator: Any, *group: Any) -> ChartOutput:
    """The LA's time series against its group, region and England."""
    c = choice(store, la, *group)
    if c.la is None:
        return message("Choose a local authority.")
    ident = checked_indicator(store, indicator)
    view = vb.series_view(store, c.la, ident, c.sn_release, c.statistic, c.custom)
    return (
        series_figures.series_chart(view),
        series_figures.series_summary(view),
        series_figures.series_data(view),
    )


def gap_chart(store: Store, la: Any, indicator: Any, *group: Any) -> ChartOutput:
    """The LA minus its group's average in each year, and whether the gap is closing."""
    c = choice(store, la, *group)
    if c.la is None:
        return message("Choose a local authority.")
    ident = checked_indicator(store, indicator)
    view = vgap.gap_view(store, c.la, ident, c.sn_release, c.statistic, c.custom)
    return gap_figures.gap_chart(view), gap_figures.gap_summary(view), gap_figures.gap_data(view)


def peers_chart(store: Store, la: Any, indicator: Any, lag: Any) -> ChartOutput:
    """LAs at the LA's level ``lag`` years ago, and where they are now."""
    code = checked_la(store, la)
    if code is None:
        return message("Choose a local authority.")
    ident = checked_indicator(store, indicator)
    years = int(lag) if isinstance(lag, str) and lag.isdigit() else 3
    view = vpeers.peer_view(store, code, ident, min(max(years, 1), vpeers.MAX_LAG))
    return (
        peer_figures.peers_chart(view),
        peer_figures.peers_summary(view),
        peer_figures.peers_data(view),
    )


def pack_links(store: Store, la: Any, indicator: Any, *group: Any) -> tuple[str, str]:
    """The board pack's addresses (page and PDF) for the LA, indicator and comparison."""
    c = choice(store, la, *group)
    if c.la is None:
        raise PreventUpdate
    query = {"area": c.la, "sn": c.sn_release, "stat": str(c.statistic)}
    if isinstance(indicator, str) and store.has_indicator(indicator):
        query["indicator"] = indicator
    if c.custom:
        query["group"] = ",".join(c.custom)
    text = urlencode(query)
    return f"/pack?{text}", f"/pack.pdf?{text}"


def group_chart(store: Store, la: Any, indicator: Any, period: Any, *group: Any) -> ChartOutput:
    """The LA and its group in one year."""
    c = choice(store, la, *group)
    if c.la is None:
        return message("Choose a local authority.")
    ident = checked_indicator(store, indicator)
    tp = checked_period(store, ident, period)
    view = vb.group_view(store, c.la, ident, tp, c.sn_release, c.statistic, c.custom)
    return (
        group_figures.group_bar(view),
        group_figures.group_summary(view),
        group_figures.group_data(view),
    )


def summary_table(
    store: Store, la: Any, indicator: Any, period: Any, *group: Any
) -> tuple[str, DataView]:
    """The summary table's caption and rows."""
    c = choice(store, la, *group)
    if c.la is None:
        return "Choose a local authority.", blank()
    ident = checked_indicator(store, indicator)
    tp = checked_period(store, ident, period)
    view = benchmark_summary.summary_view(
        store, c.la, ident, tp, c.sn_release, c.statistic, c.custom
    )
    return summary_figures.summary_text(view), summary_figures.summary_data(view)


def spine_chart(store: Store, la: Any, topic: Any, *rest: Any) -> ChartOutput:
    """Every indicator of a topic for the LA."""
    *group, colour = rest
    c = choice(store, la, *group)
    if c.la is None:
        return message("Choose a local authority.")
    if topic not in store.catalogue.topics:
        raise PreventUpdate
    colour = colour if colour in COLOUR_BY else COLOUR_BY[0]
    view = benchmark_spine.spine_view(store, c.la, topic, c.sn_release, c.statistic, c.custom)
    return (
        spine_figures.spine_chart(view, colour_by=colour),
        spine_figures.spine_summary(view, colour_by=colour),
        spine_figures.spine_data(view),
    )


def page_notes(store: Store, la: Any, indicator: Any, release: Any, group: Any) -> list[str]:
    """Notices above the charts: the group in use, codes dropped, the indicator's direction."""
    c = choice(store, la, release, None, group)
    known = isinstance(indicator, str) and store.has_indicator(indicator)
    chosen = len(group) if isinstance(group, list) else 0
    own = c.la is not None and c.la in checked_las(store, group)
    meta = store.indicator_meta(indicator) if known else None
    return vb.page_notes(store, c.la, meta, c.sn_release, c.custom, chosen=chosen, own=own)


_GROUP_INPUTS = (ids.BENCH_RELEASE, ids.BENCH_STAT, ids.BENCH_GROUP)
_YEAR_INPUTS = (ids.BENCH_LA, ids.BENCH_INDICATOR, ids.BENCH_PERIOD, *_GROUP_INPUTS)
_CHARTS = {
    ids.BENCH_SERIES: (series_chart, (ids.BENCH_LA, ids.BENCH_INDICATOR, *_GROUP_INPUTS)),
    ids.BENCH_GAP: (gap_chart, (ids.BENCH_LA, ids.BENCH_INDICATOR, *_GROUP_INPUTS)),
    ids.BENCH_NEIGHBOURS: (group_chart, _YEAR_INPUTS),
    ids.BENCH_PEERS: (peers_chart, (ids.BENCH_LA, ids.BENCH_INDICATOR, ids.BENCH_LAG)),
    ids.BENCH_SPINE: (
        spine_chart,
        (ids.BENCH_LA, ids.BENCH_TOPIC, *_GROUP_INPUTS, ids.BENCH_SPINE_COLOUR),
    ),
}


def register(app: Dash, store: Store) -> None:
    """Attach the LA benchmark page's callbacks to ``app``."""
    register_topic_choices(app, store, ids.BENCH_TOPIC, ids.BENCH_INDICATOR)
    register_period_choices(app, store, ids.BENCH_INDICATOR, ids.BENCH_PERIOD)
    register_remember_la(app, store, ids.BENCH_LA, ids.BENCH_LA_SOURCE)
    register_clear(app, ids.BENCH_GROUP_CLEAR, Output(ids.BENCH_GROUP, "value"))
    notes_inputs = (ids.BENCH_LA, ids.BENCH_INDICATOR, ids.BENCH_RELEASE, ids.BENCH_GROUP)
    register_notes(app, store, ids.BENCH_NOTE, page_notes, notes_inputs)
    for prefix, (handler, inputs) in _CHARTS.items():
        register_chart(app, store, ChartBlock(prefix, handler, inputs, la_index=0))
    register_summary(app, store, SummaryBlock(ids.BENCH_SUMMARY, summary_table, _YEAR_INPUTS))
    register_url_sync(app, ids.BENCH, ids.BENCH_CONTROLS)
    _register_pack_links(app, store)


def _register_pack_links(app: Dash, store: Store) -> None:
    """The board pack's links follow the LA, indicator and comparison (``pack_links``)."""

    @app.callback(
        Output(ids.BENCH_PACK, "href"),
        Output(ids.BENCH_PACK_PDF, "href"),
        *[Input(i, "value") for i in (ids.BENCH_LA, ids.BENCH_INDICATOR, *_GROUP_INPUTS)],
    )
    def _pack(*args: Any) -> tuple[str, str]:
        return pack_links(store, *args)
