"""Value page glue: store -> spend_vs_outcome / provision_shares -> figures."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

import figures.value as fv
import indicators as ind
from callbacks.common import (
    ChartSpecs,
    checked_indicator,
    checked_la,
    register_chart,
    register_remember_la,
    register_url_sync,
)
from data.schema import GeographicLevel, Polarity
from data.store import Store
from figures.style import empty_figure
from figures.tables import DataView
from layouts import ids
from layouts.value import line_options

_LEVELS = [GeographicLevel.NATIONAL, GeographicLevel.LOCAL_AUTHORITY]


def checked_spend(store: Store, spend_id: Any) -> str:
    """A spend-per-child measure the store has, else ``PreventUpdate``."""
    spend_id = checked_indicator(store, spend_id)
    if not spend_id.endswith("_per_child"):
        raise PreventUpdate
    return spend_id


def checked_year(value: Any) -> int | None:
    """A plausible ``year_end`` (1990-2100), else None."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1990 <= year <= 2100 else None


def outcome_choices(store: Store, topic: Any, current: Any) -> tuple[list[dict[str, str]], Any]:
    """A topic's outcomes with a better direction; keeps the current one when it is among them."""
    if not isinstance(topic, str):
        raise PreventUpdate
    options = [
        {"label": title, "value": i}
        for i, title, t in store.catalogue.indicators
        if t == topic
        and not i.endswith("_per_child")
        and store.indicator_meta(i).polarity != Polarity.NONE
    ]
    values = [o["value"] for o in options]
    if not values:
        return [], None
    return options, current if current in values else values[0]


def year_choices(
    store: Store, spend_id: Any, outcome_id: Any, current: Any
) -> tuple[list[dict[str, str]], Any]:
    """Years (by ``year_end``) both the spend and the outcome have, newest first."""
    spend_id = checked_spend(store, spend_id)
    if not isinstance(outcome_id, str) or not store.has_indicator(outcome_id):
        return [], None
    years = fv.aligned_years(store.periods(spend_id), store.periods(outcome_id))
    options = [{"label": label, "value": str(y)} for y, label in years]
    values = [o["value"] for o in options]
    if not values:
        return [], None
    return options, str(current) if str(current) in values else values[0]


def _period_rows(store: Store, indicator_id: str, year: int | None) -> tuple[Any, str | None]:
    periods = store.periods(indicator_id)
    tp = None if year is None else fv.period_for(periods, year)
    if tp is None:
        return None, None
    label = str(periods.loc[periods["time_period"] == tp, "period_label"].iloc[0])
    return store.indicator_values(indicator_id, time_period=tp), label


def scatter_view(
    store: Store, spend_id: Any, outcome_id: Any, year: Any, la: Any
) -> tuple[go.Figure, str, DataView]:
    """Spend per child against the outcome in one year: figure, text alternative, numbers."""
    spend_id = checked_spend(store, spend_id)
    year_end = checked_year(year)
    if not isinstance(outcome_id, str) or not store.has_indicator(outcome_id):
        return _message("Choose an outcome indicator with a better direction.")
    spend_rows, spend_label = _period_rows(store, spend_id, year_end)
    outcome_rows, outcome_label = _period_rows(store, outcome_id, year_end)
    if spend_rows is None or outcome_rows is None:
        return _message(f"The spend measure and the outcome have no year ending {year} in common.")
    s_meta, o_meta = store.indicator_meta(spend_id), store.indicator_meta(outcome_id)
    spend = ind.eligible_values(
        spend_rows, store.areas, include_absent=False, published_grace_days=366
    )
    outcome = ind.eligible_values(
        outcome_rows, store.areas, include_absent=False, published_grace_days=366
    )
    result = ind.spend_vs_outcome(spend, outcome, outcome_polarity=o_meta.polarity)
    england = (
        ind.england_value(spend_rows, store.areas, value_type=s_meta.value_type).value,
        ind.england_value(
            outcome_rows, store.areas, value_type=o_meta.value_type, multiplier=o_meta.multiplier
        ).value,
    )
    year_label = f"spend {spend_label}, outcome {outcome_label}"
    names, highlight = store.area_names, checked_la(store, la)
    figure = fv.spend_outcome_scatter(
        result,
        s_meta,
        o_meta,
        names=names,
        year_label=year_label,
        highlight=highlight,
        england=england,
    )
    caption = fv.spend_outcome_summary(
        result, s_meta, o_meta, names=names, year_label=year_label, highlight=highlight
    )
    return figure, caption, fv.spend_outcome_data(result, s_meta, o_meta, names=names)


def mix_view(store: Store, line: Any, year: Any, la: Any) -> tuple[go.Figure, str, DataView]:
    """Shares of one s251 line's spend by provider over time, England and the LA."""
    lines = dict(line_options(store.catalogue))
    if not lines:
        return _message("This data release holds no s251 spend split by provider.")
    if not isinstance(line, str) or line not in lines:
        raise PreventUpdate
    part_ids = [f"s251_line_{line}__{part}" for part in ind.PROVISION_PARTS]
    code = checked_la(store, la)
    rows, method = fv.provision_rows(
        {i: store.indicator_values(i, levels=_LEVELS) for i in part_ids}, store.areas, la=code
    )
    shares = ind.provision_shares(rows, line=line) if len(rows) else rows
    labels = dict(store.catalogue.periods.get(part_ids[0], ()))
    names, title = store.area_names, lines[line]
    figure = fv.provision_mix_chart(
        shares, line_title=title, names=names, period_labels=labels, la=code, england_method=method
    )
    caption = fv.provision_mix_summary(
        shares,
        line_title=title,
        names=names,
        period_labels=labels,
        la=code,
        year_end=checked_year(year),
        england_method=method,
    )
    view = fv.provision_mix_data(shares, names=names, period_labels=labels, england_method=method)
    return figure, caption, view


def services_view(store: Store, spend_id: Any, la: Any) -> tuple[go.Figure, str, DataView]:
    """Spend per child on each service line over time, England and the LA.

    The chosen spend measure's panel is marked (it also makes the chart redraw when the page
    opens: an input that only another callback sets would not start it).
    """
    measures = fv.spend_measures([i for i, _, _ in store.catalogue.indicators])
    if not measures:
        return _message("This data release holds no spend per child.")
    code = checked_la(store, la)
    rows = fv.service_rows(
        {i: store.indicator_values(i, levels=_LEVELS) for i in measures},
        {i: store.indicator_meta(i) for i in measures},
        la=code,
    )
    names = store.area_names
    chosen = spend_id if isinstance(spend_id, str) else None
    figure = fv.service_lines_chart(rows, names=names, la=code, chosen=chosen)
    return (
        figure,
        fv.service_lines_summary(rows, names=names, la=code),
        fv.service_lines_data(rows, names=names),
    )


def _message(text: str) -> tuple[go.Figure, str, DataView]:
    return empty_figure(text), text, DataView(pd.DataFrame(), text)


_CHARTS: ChartSpecs = {
    ids.VAL_SCATTER: (scatter_view, (ids.VAL_SPEND, ids.VAL_OUTCOME, ids.VAL_YEAR, ids.VAL_LA)),
    ids.VAL_MIX: (mix_view, (ids.VAL_LINE, ids.VAL_YEAR, ids.VAL_LA)),
    ids.VAL_SERVICES: (services_view, (ids.VAL_SPEND, ids.VAL_LA)),
}


def register(app: Dash, store: Store) -> None:
    """Attach the value page's callbacks to ``app``."""

    @app.callback(
        Output(ids.VAL_OUTCOME, "options"),
        Output(ids.VAL_OUTCOME, "value"),
        Input(ids.VAL_TOPIC, "value"),
        State(ids.VAL_OUTCOME, "value"),
    )
    def _outcomes(topic: Any, current: Any) -> tuple[Any, Any]:
        return outcome_choices(store, topic, current)

    @app.callback(
        Output(ids.VAL_YEAR, "options"),
        Output(ids.VAL_YEAR, "value"),
        Input(ids.VAL_SPEND, "value"),
        Input(ids.VAL_OUTCOME, "value"),
        State(ids.VAL_YEAR, "value"),
    )
    def _years(spend_id: Any, outcome_id: Any, current: Any) -> tuple[Any, Any]:
        return year_choices(store, spend_id, outcome_id, current)

    for prefix, (handler, inputs) in _CHARTS.items():
        last = len(inputs) - 1  # the LA: marked in the table, left out of the file name
        register_chart(app, store, prefix, handler, inputs, la_index=last, name_inputs=last)

    register_remember_la(app, store, ids.VAL_LA, ids.VAL_LA_SOURCE)

    register_url_sync(app, ids.VAL, ids.VAL_CONTROLS)
