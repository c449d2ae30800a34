"""LA benchmark page glue: store -> indicator functions -> figure builders.

Every handler is module-level and returns what its outputs show, so the unit tests call them
with a small store and no Dash server:

* ``series_view``: the LA's time series against its neighbours, region and England.
* ``group_view``: the LA and its neighbours in one year (bar chart).
* ``summary_view``: rank, quartile band, comparators and significance flags for one year.
* ``spine_view``: every indicator of a topic for the LA (spine chart).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

import figures.benchmark as fb
import indicators as ind
from callbacks.common import (
    MAX_CUSTOM_LAS,
    checked_indicator,
    checked_la,
    checked_las,
    checked_period,
    csv_download,
    register_chart,
    register_period_choices,
    register_remember_la,
    register_table_draw,
    register_topic_choices,
    register_url_sync,
    safe_filename,
)
from data.schema import IndicatorMeta, ValueType
from data.store import Store
from figures.style import empty_figure
from figures.tables import DataView, table_payload
from layouts import ids

#: Neighbour releases offered, newest first (the store may hold fewer).
RELEASES = ("2025", "2021")
STATISTICS = ("mean", "median")
COLOUR_BY = ("band", "significance")
GRACE_DAYS = 366  # as the variation page: LAs publishing within a year of their lifetime

View = tuple[go.Figure, str, DataView]


# ---------------------------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------------------------
def checked_release(store: Store, release: Any) -> str:
    """A neighbour release the store holds (the newest when ``release`` is not one)."""
    held = [r for r in RELEASES if r in set(store.neighbours["sn_release"].astype(str))]
    if not held:
        raise PreventUpdate
    return release if release in held else held[0]


def checked_statistic(stat: Any) -> ind.NeighbourStatistic:
    """Mean (LAIT, the default) or median (the DfE CSC dashboard)."""
    return ind.NeighbourStatistic(stat) if stat in STATISTICS else ind.NeighbourStatistic.MEAN


@dataclass(frozen=True)
class Group:
    """The comparison group after checking: a neighbour release or a custom list."""

    area_code: str
    sn_release: str
    custom: tuple[str, ...]
    statistic: ind.NeighbourStatistic
    available: bool
    label: str

    @property
    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments naming the group for the ``indicators`` neighbour functions."""
        if self.custom:
            return {"custom_codes": list(self.custom)}
        return {"sn_release": self.sn_release}


def comparison_group(store: Store, la: str, release: Any, stat: Any, group: Any) -> Group:
    """The LA's comparison group: the custom LAs when any are chosen, else the release's."""
    statistic = checked_statistic(stat)
    sn_release = checked_release(store, release)
    custom = tuple(c for c in checked_las(store, group) if c != la)
    if custom:
        label = fb.group_label("custom", str(statistic), len(custom))
        return Group(la, sn_release, custom, statistic, True, label)
    try:
        ind.neighbour_group(store.neighbours, area_code=la, sn_release=sn_release)
        available = True
    except ValueError:  # the LA is not in this release (e.g. created after it)
        available = False
    label = fb.group_label(sn_release, str(statistic))
    return Group(la, sn_release, (), statistic, available, label)


def _message(text: str) -> View:
    return empty_figure(text), text, DataView(pd.DataFrame(), text, key=None)


@dataclass(frozen=True)
class Year:
    """One indicator in one period: metadata, label and all rows of the period."""

    meta: IndicatorMeta
    time_period: int
    period_label: str
    rows: Any


def select_year(store: Store, indicator_id: Any, period: Any) -> Year:
    """Validate the indicator and period and read the period's rows."""
    indicator_id = checked_indicator(store, indicator_id)
    time_period = checked_period(store, indicator_id, period)
    labels = dict(store.catalogue.periods[indicator_id])
    values = store.indicator_values(indicator_id, time_period=time_period)
    return Year(store.indicator_meta(indicator_id), time_period, labels[time_period], values)


def _region(store: Store, values: Any, la: str, meta: IndicatorMeta) -> ind.Comparator | None:
    try:
        return ind.region_value(
            values,
            store.areas,
            area_code=la,
            value_type=meta.value_type,
            multiplier=meta.multiplier,
        )
    except ValueError:  # an LA with no region in the register
        return None


def _england(store: Store, values: Any, meta: IndicatorMeta) -> ind.Comparator:
    return ind.england_value(
        values, store.areas, value_type=meta.value_type, multiplier=meta.multiplier
    )


# ---------------------------------------------------------------------------------------------
# Handlers
# ---------------------------------------------------------------------------------------------
def series_point(
    store: Store, meta: IndicatorMeta, time_period: int, label: str, grp: Group
) -> fb.SeriesPoint:
    """One year of the time series: the LA, its group's average, its region and England."""
    values = store.indicator_values(meta.indicator_id, time_period=time_period)
    la_value, la_status = fb.own_value(values, grp.area_code)
    neighbours = (
        ind.compare_to_neighbours(
            values,
            store.neighbours,
            area_code=grp.area_code,
            statistic=grp.statistic,
            **grp.kwargs,
        )
        if grp.available
        else None
    )
    return fb.SeriesPoint(
        time_period,
        label,
        la_value,
        la_status,
        neighbours,
        _region(store, values, grp.area_code, meta),
        _england(store, values, meta),
    )


def series_view(
    store: Store, la: Any, indicator_id: Any, release: Any, stat: Any, group: Any
) -> View:
    """The time series chart, its text alternative and its numbers."""
    la = checked_la(store, la)
    if la is None:
        return _message("Choose a local authority.")
    meta = store.indicator_meta(checked_indicator(store, indicator_id))
    grp = comparison_group(store, la, release, stat, group)
    periods = store.catalogue.periods.get(meta.indicator_id, ())
    points = [series_point(store, meta, tp, label, grp) for tp, label in periods]
    name = store.area_name(la)
    region = next((p.region.label for p in reversed(points) if p.region), None)
    figure = fb.series_chart(
        points, meta, la_name=name, average_label=grp.label, region_name=region
    )
    caption = fb.series_summary(points, meta, la_name=name, average_label=grp.label)
    if not grp.available:
        caption += f" {name} has no statistical neighbours in the {grp.sn_release} release."
    return figure, caption, fb.series_data(points, meta, la_name=name, average_label=grp.label)


def group_view(
    store: Store,
    la: Any,
    indicator_id: Any,
    period: Any,
    release: Any,
    stat: Any,
    group: Any,
) -> View:
    """The neighbour-group bar chart for one year, its text alternative and its numbers."""
    la = checked_la(store, la)
    if la is None:
        return _message("Choose a local authority.")
    year = select_year(store, indicator_id, period)
    grp = comparison_group(store, la, release, stat, group)
    if not grp.available:
        return _message(
            f"{store.area_name(la)} has no statistical neighbours in the {grp.sn_release} "
            "release: choose the other release or a custom group."
        )
    meta = year.meta
    perf = ind.group_performance(
        year.rows, store.neighbours, area_code=la, polarity=meta.polarity, **grp.kwargs
    )
    comparison = ind.compare_to_neighbours(
        year.rows, store.neighbours, area_code=la, statistic=grp.statistic, **grp.kwargs
    )
    names = store.area_names
    common = {"names": names, "period_label": year.period_label, "average_label": grp.label}
    figure = fb.group_bar(
        perf, comparison, meta, england=_england(store, year.rows, meta).value, **common
    )
    caption = fb.group_summary(perf, comparison, meta, **common)
    return figure, caption, fb.group_data(perf, meta, names=names)


def summary_view(
    store: Store,
    la: Any,
    indicator_id: Any,
    period: Any,
    release: Any,
    stat: Any,
    group: Any,
) -> tuple[str, DataView]:
    """The summary table for one year: caption and rows."""
    la = checked_la(store, la)
    if la is None:
        return "Choose a local authority.", DataView(pd.DataFrame(), "", key=None)
    year = select_year(store, indicator_id, period)
    meta, values = year.meta, year.rows
    grp = comparison_group(store, la, release, stat, group)
    eligible = ind.eligible_values(values, store.areas, published_grace_days=GRACE_DAYS)
    ranked = ind.rank_areas(eligible, polarity=meta.polarity)
    competing = la in set(ranked["area_code"])
    rank_text = (
        ind.describe_rank(ranked, la) if competing else "not ranked: not an LA in this year"
    )
    bands = ind.quartile_bands(eligible, polarity=meta.polarity, no_quartile=meta.no_quartile)
    band, band_note = fb.band_of(bands, la)
    if meta.value_type in (ValueType.PROPORTION, ValueType.RATE) and meta.multiplier:
        intervals = ind.confidence_intervals(
            values, value_type=meta.value_type, multiplier=meta.multiplier
        )
        lower, upper, ci_note = fb.own_interval(intervals, la)
    else:
        lower, upper, ci_note = None, None, f"no interval method for a {meta.value_type} value"
    england = _england(store, values, meta)
    neighbours = (
        ind.compare_to_neighbours(
            values, store.neighbours, area_code=la, statistic=grp.statistic, **grp.kwargs
        )
        if grp.available
        else None
    )

    def flag(benchmark: float | None) -> fb.Significance:
        label = ind.benchmark_label(lower, upper, benchmark, polarity=meta.polarity)
        return fb.significance(lower, upper, benchmark, label, meta, interval_note=ci_note)

    la_value, la_status = fb.own_value(values, la)
    summary = fb.BenchmarkSummary(
        la_name=store.area_name(la),
        period_label=year.period_label,
        la_value=la_value,
        la_status=la_status,
        rank_text=rank_text,
        band=band,
        band_note=band_note,
        england=england,
        region=_region(store, values, la, meta),
        neighbours=neighbours,
        average_label=grp.label,
        interval=(lower, upper, ci_note),
        vs_england=flag(england.value),
        vs_neighbours=flag(None if neighbours is None else neighbours.value),
    )
    return fb.summary_text(summary, meta), fb.summary_data(summary, meta)


def spine_view(
    store: Store,
    la: Any,
    topic: Any,
    release: Any,
    stat: Any,
    group: Any,
    colour: Any,
) -> View:
    """The spine chart of a topic for the LA, its text alternative and its numbers."""
    la = checked_la(store, la)
    if la is None:
        return _message("Choose a local authority.")
    if topic not in store.catalogue.topics:
        raise PreventUpdate
    colour = colour if colour in COLOUR_BY else COLOUR_BY[0]
    grp = comparison_group(store, la, release, stat, group)
    ids_ = [i for i, _, t in store.catalogue.indicators if t == topic]
    codes = (
        ind.neighbour_group(store.neighbours, area_code=la, **grp.kwargs)["neighbour_code"]
        if grp.available
        else []
    )
    latest, n_with_data = fb.latest_rows(
        store.values, ids_, store.catalogue.periods, la_codes=store.la_codes
    )
    shown = set(latest["indicator_id"])
    rows = fb.spine_rows(
        latest,
        [store.indicator_meta(i) for i in ids_ if i in shown],
        area_code=la,
        la_codes=store.la_codes,
        neighbour_codes=list(codes),
        statistic=str(grp.statistic),
    )
    name = store.area_name(la)
    figure = fb.spine_chart(rows, la_name=name, colour_by=colour, average_label=grp.label)
    caption = fb.spine_summary(
        rows,
        la_name=name,
        topic=str(topic),
        n_with_data=n_with_data,
        n_in_topic=len(ids_),
        colour_by=colour,
    )
    return figure, caption, fb.spine_data(rows, la_name=name, average_label=grp.label)


def page_notes(store: Store, la: Any, indicator_id: Any, release: Any, group: Any) -> list[Any]:
    """Notices above the charts: the group in use, codes dropped, the indicator's direction."""
    notes: list[Any] = []
    code = checked_la(store, la)
    chosen = group if isinstance(group, list) else []
    kept = checked_las(store, group)
    if len(chosen) > MAX_CUSTOM_LAS:
        notes.append(f"Only the first {MAX_CUSTOM_LAS} LAs of the custom group are used.")
    if code is not None and code in kept:
        notes.append(f"{store.area_name(code)} is left out of its own comparison group.")
    if code is not None:
        grp = comparison_group(store, code, release, None, group)
        if grp.custom:
            notes.append(
                f"Comparing with your custom group of {len(grp.custom)} LAs instead of the "
                f"{grp.sn_release} statistical neighbours."
            )
        elif not grp.available:
            notes.append(
                f"{store.area_name(code)} has no statistical neighbours in the "
                f"{grp.sn_release} release."
            )
    if isinstance(indicator_id, str) and store.has_indicator(indicator_id):
        polarity = store.indicator_meta(indicator_id).polarity
        notes.append(
            {
                "high": "Higher is better for this indicator.",
                "low": "Lower is better for this indicator.",
                "none": "No direction is better for this indicator: "
                "LAs are ranked highest first, never best or worst.",
            }[str(polarity)]
        )
    return [html.P(text, className="notice") for text in notes]


# ---------------------------------------------------------------------------------------------
# Wiring
# ---------------------------------------------------------------------------------------------
_GROUP_INPUTS = (ids.BENCH_RELEASE, ids.BENCH_STAT, ids.BENCH_GROUP)
_CHARTS = {
    ids.BENCH_SERIES: (series_view, (ids.BENCH_LA, ids.BENCH_INDICATOR, *_GROUP_INPUTS)),
    ids.BENCH_NEIGHBOURS: (
        group_view,
        (ids.BENCH_LA, ids.BENCH_INDICATOR, ids.BENCH_PERIOD, *_GROUP_INPUTS),
    ),
    ids.BENCH_SPINE: (
        spine_view,
        (ids.BENCH_LA, ids.BENCH_TOPIC, *_GROUP_INPUTS, ids.BENCH_SPINE_COLOUR),
    ),
}
_SUMMARY_INPUTS = (ids.BENCH_LA, ids.BENCH_INDICATOR, ids.BENCH_PERIOD, *_GROUP_INPUTS)


def register(app: Dash, store: Store) -> None:
    """Attach the LA benchmark page's callbacks to ``app``."""
    register_topic_choices(app, store, ids.BENCH_TOPIC, ids.BENCH_INDICATOR)
    register_period_choices(app, store, ids.BENCH_INDICATOR, ids.BENCH_PERIOD)

    register_remember_la(app, store, ids.BENCH_LA, ids.BENCH_LA_SOURCE)

    @app.callback(
        Output(ids.BENCH_GROUP, "value"),
        Input(ids.BENCH_GROUP_CLEAR, "n_clicks"),
        prevent_initial_call=True,
    )
    def _clear(n_clicks: Any) -> list[str]:
        if not n_clicks:
            raise PreventUpdate
        return []

    @app.callback(
        Output(ids.BENCH_NOTE, "children"),
        Input(ids.BENCH_LA, "value"),
        Input(ids.BENCH_INDICATOR, "value"),
        Input(ids.BENCH_RELEASE, "value"),
        Input(ids.BENCH_GROUP, "value"),
    )
    def _notes(la: Any, indicator_id: Any, release: Any, group: Any) -> list[Any]:
        return page_notes(store, la, indicator_id, release, group)

    for prefix, (handler, inputs) in _CHARTS.items():
        register_chart(app, store, prefix, handler, inputs, la_index=0, name_inputs=2, sized=True)

    @app.callback(
        Output(f"{ids.BENCH_SUMMARY}-caption", "children"),
        Output(f"{ids.BENCH_SUMMARY}-table-data", "data"),
        *[Input(i, "value") for i in _SUMMARY_INPUTS],
    )
    def _summary(*args: Any) -> tuple[Any, Any]:
        caption, view = summary_view(store, *args)
        return caption, table_payload(view)

    register_table_draw(app, f"{ids.BENCH_SUMMARY}-table")

    @app.callback(
        Output(f"{ids.BENCH_SUMMARY}-download", "data"),
        Input(f"{ids.BENCH_SUMMARY}-csv", "n_clicks"),
        *[State(i, "value") for i in _SUMMARY_INPUTS],
        prevent_initial_call=True,
    )
    def _summary_csv(n_clicks: Any, *args: Any) -> Any:
        if not n_clicks:
            raise PreventUpdate
        _, view = summary_view(store, *args)
        return csv_download(view, safe_filename("benchmark-summary", str(args[0]), str(args[1])))

    register_url_sync(app, ids.BENCH, ids.BENCH_CONTROLS)
