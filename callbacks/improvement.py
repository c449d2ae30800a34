"""Pace of improvement page glue: store -> level_vs_improvement / change_per_year -> figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

import figures.improvement as fi
import indicators as ind
from callbacks.common import (
    checked_indicator,
    checked_la,
    register_csv,
    register_remember_la,
    register_table,
    register_topic_choices,
    register_url_sync,
)
from data.schema import GeographicLevel, IndicatorMeta
from data.store import Store
from figures.tables import DataView
from layouts import ids
from layouts.improvement import START_OPTIONS, verdict_block


@dataclass(frozen=True)
class Window:
    """A checked indicator and window: metadata, LA rows to compare, and labels."""

    meta: IndicatorMeta
    values: Any  # LA rows of the LAs competing in the last period, every period
    first_year: int  # year_end of the first period
    last_year: int
    start_periods: int
    start_label: str
    window_label: str


def checked_window(
    store: Store, indicator_id: Any, first: Any, last: Any, start: Any = "1"
) -> Window:
    """Validate the inputs and gather the LA rows to compare.

    An unknown indicator raises ``PreventUpdate``; unknown periods fall back to the
    indicator's full range; a reversed window is swapped; ``start`` is 1, 2 or 3.
    """
    indicator_id = checked_indicator(store, indicator_id)
    periods = store.periods(indicator_id)
    if periods.empty:
        raise PreventUpdate
    known = dict(zip(periods["time_period"].astype(int), periods.index, strict=True))

    def position(value: Any, default: int) -> int:
        try:
            return int(known[int(value)])
        except (TypeError, ValueError, KeyError):
            return default

    i, j = sorted((position(first, 0), position(last, len(periods) - 1)))
    k = int(start) if str(start) in {v for v, _ in START_OPTIONS} else 1
    rows = store.indicator_values(indicator_id, levels=[GeographicLevel.LOCAL_AUTHORITY])
    end_period = int(periods["time_period"].iloc[j])
    label_i, label_j = periods["period_label"].iloc[i], periods["period_label"].iloc[j]
    return Window(
        meta=store.indicator_meta(indicator_id),
        values=fi.comparable_values(rows, store.areas, end_period=end_period),
        first_year=int(periods["year_end"].iloc[i]),
        last_year=int(periods["year_end"].iloc[j]),
        start_periods=k,
        start_label=str(label_i),
        window_label=f"{label_i} to {label_j}",
    )


def _analyse(w: Window) -> ind.LevelVsImprovement:
    return ind.level_vs_improvement(
        w.values,
        polarity=w.meta.polarity,
        first_year=w.first_year,
        last_year=w.last_year,
        start_periods=w.start_periods,
    )


def _changes(w: Window) -> Any:
    return ind.change_per_year(
        w.values,
        polarity=w.meta.polarity,
        first_year=w.first_year,
        last_year=w.last_year,
        value_type=w.meta.value_type,
        significance=0.05,
    )


def scatter_outputs(
    store: Store, indicator_id: Any, first: Any, last: Any, start: Any, la: Any
) -> tuple[go.Figure, str, DataView, list[Any]]:
    """The scatter, its text alternative, its numbers and the verdict panel (one analysis)."""
    w = checked_window(store, indicator_id, first, last, start)
    result = _analyse(w)
    directions = dict(zip(*(_changes(w)[c] for c in ("area_code", "direction")), strict=True))
    names, highlight = store.area_names, checked_la(store, la)
    figure = fi.level_improvement_scatter(
        result,
        w.meta,
        names=names,
        start_label=w.start_label,
        window_label=w.window_label,
        highlight=highlight,
        directions=directions,
    )
    caption = fi.level_improvement_summary(
        result, w.meta, names=names, highlight=highlight, directions=directions
    )
    view = fi.level_improvement_data(result, w.meta, names=names)
    panel = verdict_block(result.finding, result.verdict, fi.verdict_facts(result, w.meta))
    return figure, caption, view, panel


def scatter_view(
    store: Store, indicator_id: Any, first: Any, last: Any, start: Any, la: Any
) -> tuple[go.Figure, str, DataView]:
    """Level against improvement: figure, text alternative, numbers."""
    figure, caption, view, _ = scatter_outputs(store, indicator_id, first, last, start, la)
    return figure, caption, view


def change_view(
    store: Store, indicator_id: Any, first: Any, last: Any, la: Any
) -> tuple[go.Figure, str, DataView]:
    """Each LA's change per year over the same window: figure, text alternative, numbers."""
    w = checked_window(store, indicator_id, first, last)
    changes = _changes(w)
    names, highlight = store.area_names, checked_la(store, la)
    figure = fi.change_chart(
        changes, w.meta, names=names, window_label=w.window_label, highlight=highlight
    )
    caption = fi.change_summary(changes, w.meta, names=names, highlight=highlight)
    return figure, caption, fi.change_data(changes, w.meta, names=names)


def window_choices(
    store: Store, indicator_id: Any, first: Any, last: Any
) -> tuple[list[dict[str, str]], str, list[dict[str, str]], str]:
    """Both ends' options for a new indicator; keeps the current ends when it has them."""
    indicator_id = checked_indicator(store, indicator_id)
    periods = store.catalogue.periods.get(indicator_id, ())
    if not periods:
        raise PreventUpdate
    options = [{"label": label, "value": str(tp)} for tp, label in periods]
    values = [o["value"] for o in options]
    start = str(first) if str(first) in values else values[0]
    end = str(last) if str(last) in values else values[-1]
    return options, start, options, end


def register(app: Dash, store: Store) -> None:
    """Attach the pace-of-improvement page's callbacks to ``app``."""
    register_topic_choices(app, store, ids.IMP_TOPIC, ids.IMP_INDICATOR)

    @app.callback(
        Output(ids.IMP_FROM, "options"),
        Output(ids.IMP_FROM, "value"),
        Output(ids.IMP_TO, "options"),
        Output(ids.IMP_TO, "value"),
        Input(ids.IMP_INDICATOR, "value"),
        State(ids.IMP_FROM, "value"),
        State(ids.IMP_TO, "value"),
        prevent_initial_call=True,
    )
    def _window(indicator_id: Any, first: Any, last: Any) -> tuple[Any, Any, Any, Any]:
        return window_choices(store, indicator_id, first, last)

    scatter_inputs = (ids.IMP_INDICATOR, ids.IMP_FROM, ids.IMP_TO, ids.IMP_START, ids.IMP_LA)
    change_inputs = (ids.IMP_INDICATOR, ids.IMP_FROM, ids.IMP_TO, ids.IMP_LA)

    @app.callback(
        Output(f"{ids.IMP_SCATTER}-graph", "figure"),
        Output(f"{ids.IMP_SCATTER}-caption", "children"),
        Output(ids.IMP_VERDICT, "children"),
        *[Input(i, "value") for i in scatter_inputs],
    )
    def _scatter(*args: Any) -> tuple[Any, Any, Any]:
        figure, caption, _, panel = scatter_outputs(store, *args)
        return figure, caption, panel

    @app.callback(
        Output(f"{ids.IMP_CHANGE}-graph", "figure"),
        Output(f"{ids.IMP_CHANGE}-caption", "children"),
        *[Input(i, "value") for i in change_inputs],
    )
    def _change(*args: Any) -> tuple[Any, Any]:
        figure, caption, _ = change_view(store, *args)
        return figure, caption

    last = len(scatter_inputs) - 1
    register_table(app, store, ids.IMP_SCATTER, scatter_view, scatter_inputs, la_index=last)
    last = len(change_inputs) - 1
    register_table(app, store, ids.IMP_CHANGE, change_view, change_inputs, la_index=last)

    register_csv(app, store, ids.IMP_SCATTER, scatter_view, scatter_inputs, name_inputs=1)
    register_csv(app, store, ids.IMP_CHANGE, change_view, change_inputs, name_inputs=1)

    register_remember_la(app, store, ids.IMP_LA, ids.IMP_LA_SOURCE)
    register_url_sync(app, ids.IMP, ids.IMP_CONTROLS)
