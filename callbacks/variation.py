"""Variation page glue: store -> indicator functions -> figure builders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, html

import figures.variation as fv
import indicators as ind
from callbacks.common import (
    ChartSpecs,
    checked_indicator,
    checked_la,
    checked_period,
    register_chart,
    register_period_choices,
    register_remember_la,
    register_topic_choices,
    register_url_sync,
)
from data.schema import IndicatorMeta
from data.store import Store
from figures.style import empty_figure, format_value
from figures.tables import DataView
from layouts import ids


@dataclass(frozen=True)
class Selection:
    """One indicator in one period, with everything the page's charts share."""

    meta: IndicatorMeta
    period_label: str
    values: Any  # all rows of the period (every level)
    eligible: Any  # one row per LA competing in rankings
    england: ind.Comparator


def select_period(store: Store, indicator_id: Any, period: Any) -> Selection:
    """Validate the inputs and gather the period's rows (``PreventUpdate`` if unknown)."""
    indicator_id = checked_indicator(store, indicator_id)
    time_period = checked_period(store, indicator_id, period)
    meta = store.indicator_meta(indicator_id)
    values = store.indicator_values(indicator_id, time_period=time_period)
    labels = dict(store.catalogue.periods[indicator_id])
    eligible = ind.eligible_values(values, store.areas, published_grace_days=366)
    england = ind.england_value(
        values, store.areas, value_type=meta.value_type, multiplier=meta.multiplier
    )
    return Selection(meta, labels[time_period], values, eligible, england)


def stats_items(store: Store, indicator_id: Any, period: Any, la: Any) -> tuple[list[Any], Any]:
    """The spread figures and a note on the selected LA's place."""
    sel = select_period(store, indicator_id, period)
    meta = sel.meta
    spread = ind.spread(sel.eligible)
    ranked = ind.rank_areas(sel.eligible, polarity=meta.polarity)

    def item(label: str, value: str) -> html.Li:
        return html.Li([html.Strong(value), label])

    ratio = spread.p90_p10_ratio
    items = [
        item("LAs with a value", f"{spread.n}"),
        item("England", format_value(sel.england.value, meta)),
        item("Median LA", format_value(spread.median, meta)),
        item(
            "Middle half of LAs (25th to 75th percentile)",
            f"{format_value(spread.p25, meta)} to {format_value(spread.p75, meta)}",
        ),
        item(
            "Highest / lowest tenth (P90 / P10)",
            f"{ratio:.2f}x" if ratio is not None and ratio == ratio else "not defined",
        ),
        item("Coefficient of variation", f"{spread.cv:.0%}" if spread.cv == spread.cv else "n/a"),
    ]
    note = None
    code = checked_la(store, la)
    if code is not None:
        text = (
            ind.describe_rank(ranked, code)
            if code in set(ranked["area_code"])
            else ("is not ranked for this period")
        )
        note = html.P(
            f"{store.area_name(code)}: {text}."
            if code in set(ranked["area_code"])
            else f"{store.area_name(code)} has no value for this period.",
            className="notice",
        )
    if sel.england.computed:
        items.append(item("England value", f"computed ({sel.england.method})"))
    return items, note


def best_worst_view(
    store: Store, indicator_id: Any, period: Any, la: Any, n: Any
) -> tuple[go.Figure, str, DataView]:
    """The best/worst bar chart, its text alternative and its numbers."""
    sel = select_period(store, indicator_id, period)
    try:
        size = max(1, min(int(n), 50))
    except (TypeError, ValueError):
        size = 10
    result = ind.best_worst(sel.eligible, polarity=sel.meta.polarity, n=size)
    spread = ind.spread(sel.eligible)
    names = store.area_names
    highlight = checked_la(store, la)
    figure = fv.best_worst_bar(
        result,
        sel.meta,
        names=names,
        period_label=sel.period_label,
        england=sel.england.value,
        median=spread.median,
        highlight=highlight,
    )
    caption = fv.best_worst_summary(result, sel.meta, names=names, highlight=highlight)
    return figure, caption, fv.best_worst_data(result, sel.meta, names=names)


def distribution_view(
    store: Store, indicator_id: Any, period: Any, la: Any
) -> tuple[go.Figure, str, DataView]:
    """Every LA as a point: figure, text alternative, numbers."""
    sel = select_period(store, indicator_id, period)
    ranked = ind.rank_areas(sel.eligible, polarity=sel.meta.polarity)
    names = store.area_names
    highlight = checked_la(store, la)
    figure = fv.distribution_strip(
        ranked,
        sel.meta,
        names=names,
        period_label=sel.period_label,
        england=sel.england.value,
        highlight=highlight,
    )
    caption = fv.distribution_summary(ind.spread(sel.eligible), sel.meta)
    return figure, caption, fv.distribution_data(ranked, sel.meta, names=names)


def funnel_view(
    store: Store, indicator_id: Any, period: Any, la: Any, adjust: Any
) -> tuple[go.Figure, str, DataView]:
    """The funnel plot where numerators and denominators exist."""
    sel = select_period(store, indicator_id, period)
    meta = sel.meta
    names = store.area_names
    usable = sel.eligible["denominator"].notna().sum() if len(sel.eligible) else 0
    if meta.multiplier is None or usable < 10 or meta.value_type not in ("proportion", "rate"):
        message = (
            "A funnel plot needs the counts behind a percentage or rate; this indicator does "
            "not publish them for enough LAs."
        )
        return empty_figure(message), message, DataView(pd.DataFrame(), message)
    funnel = ind.funnel_plot(
        sel.eligible,
        value_type=meta.value_type,
        multiplier=meta.multiplier,
        target=sel.england.value,
        adjust_overdispersion=adjust == "random",
    )
    figure = fv.funnel_chart(
        funnel, meta, names=names, period_label=sel.period_label, highlight=checked_la(store, la)
    )
    return figure, fv.funnel_summary(funnel, meta), fv.funnel_data(funnel, meta, names=names)


_CHARTS: ChartSpecs = {
    ids.VAR_BW: (best_worst_view, (ids.VAR_INDICATOR, ids.VAR_PERIOD, ids.VAR_LA, ids.VAR_N)),
    ids.VAR_DIST: (distribution_view, (ids.VAR_INDICATOR, ids.VAR_PERIOD, ids.VAR_LA)),
    ids.VAR_FUNNEL: (
        funnel_view,
        (ids.VAR_INDICATOR, ids.VAR_PERIOD, ids.VAR_LA, ids.VAR_ADJUST),
    ),
}


def register(app: Dash, store: Store) -> None:
    """Attach the variation page's callbacks to ``app``."""
    register_topic_choices(app, store, ids.VAR_TOPIC, ids.VAR_INDICATOR)
    register_period_choices(app, store, ids.VAR_INDICATOR, ids.VAR_PERIOD)

    @app.callback(
        Output(ids.VAR_STATS, "children"),
        Output(ids.VAR_NOTE, "children"),
        Input(ids.VAR_INDICATOR, "value"),
        Input(ids.VAR_PERIOD, "value"),
        Input(ids.VAR_LA, "value"),
    )
    def _stats(indicator_id: Any, period: Any, la: Any) -> tuple[Any, Any]:
        return stats_items(store, indicator_id, period, la)

    for prefix, (handler, inputs) in _CHARTS.items():
        register_chart(app, store, prefix, handler, inputs, la_index=2, name_inputs=2)

    register_remember_la(app, store, ids.VAR_LA, ids.VAR_LA_SOURCE)
    register_url_sync(app, ids.VAR, ids.VAR_CONTROLS)
