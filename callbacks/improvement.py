"""Pace of improvement page wiring: controls -> checked window -> views -> figures."""

from __future__ import annotations

from functools import partial
from typing import Any

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

import figures.change_per_year as change_figures
import figures.level_improvement as level_figures
import views.improvement as vi
from callbacks.common import (
    ChartBlock,
    ChartOutput,
    chart_targets,
    checked_indicator,
    checked_la,
    drawn_chart,
    failed_chart,
    register_chart,
    register_csv,
    register_filled,
    register_remember_la,
    register_table,
    register_topic_choices,
    register_url_sync,
)
from data.store import Store
from indicators import N_DRAWS
from layouts import ids
from layouts.improvement import START_OPTIONS, verdict_block


def checked_window(store: Store, indicator_id: Any, first: Any, last: Any) -> tuple[str, int, int]:
    """The indicator and the window's first and last period codes.

    An unknown indicator raises ``PreventUpdate``; an unknown period falls back to the
    indicator's first (or last) one; a reversed window is swapped.
    """
    indicator_id = checked_indicator(store, indicator_id)
    known = [int(tp) for tp, _ in store.catalogue.periods.get(indicator_id, ())]
    if not known:
        raise PreventUpdate
    low, high = sorted((_known_or(first, known, known[0]), _known_or(last, known, known[-1])))
    return indicator_id, low, high


def _known_or(value: Any, known: list[int], default: int) -> int:
    """``value`` as a period code when it is one of ``known``, else ``default``."""
    try:
        return int(value) if int(value) in known else default
    except (TypeError, ValueError):
        return default


def checked_start(start: Any) -> int:
    """Periods the starting level averages: 1, 2 or 3 (anything else is 1)."""
    return int(start) if str(start) in {v for v, _ in START_OPTIONS} else 1


def scatter_outputs(
    store: Store, indicator_id: Any, first: Any, last: Any, start: Any, la: Any
) -> tuple[Any, ...]:
    """The scatter, its text alternative, its numbers and the verdict panel."""
    window = checked_window(store, indicator_id, first, last)
    view = vi.level_improvement_view(store, *window, checked_start(start), N_DRAWS)
    chosen = checked_la(store, la)
    facts = level_figures.verdict_facts(view)
    return (
        level_figures.level_improvement_chart(view, highlight=chosen),
        level_figures.level_improvement_summary(view, highlight=chosen),
        level_figures.level_improvement_data(view),
        verdict_block(view.result.finding, view.result.verdict, facts),
    )


def scatter_chart(store: Store, *args: Any) -> ChartOutput:
    """Level against improvement: figure, text alternative, numbers."""
    figure, caption, data, _ = scatter_outputs(store, *args)
    return figure, caption, data


def change_chart(store: Store, indicator_id: Any, first: Any, last: Any, la: Any) -> ChartOutput:
    """Each LA's change per year over the same window: figure, text alternative, numbers."""
    view = vi.change_view(store, *checked_window(store, indicator_id, first, last))
    chosen = checked_la(store, la)
    return (
        change_figures.change_chart(view, highlight=chosen),
        change_figures.change_summary(view, highlight=chosen),
        change_figures.change_data(view),
    )


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


_SCATTER_INPUTS = (ids.IMP_INDICATOR, ids.IMP_FROM, ids.IMP_TO, ids.IMP_START, ids.IMP_LA)
_CHANGE_INPUTS = (ids.IMP_INDICATOR, ids.IMP_FROM, ids.IMP_TO, ids.IMP_LA)


#: The scatter block's outputs: a chart block's (figure, its graph's height, caption), then
#: the verdict panel.
_SCATTER_TARGETS = (*chart_targets(ids.IMP_SCATTER), (ids.IMP_VERDICT, "children"))


def _scatter_block(store: Store, *args: Any) -> dict[tuple[str, str], Any]:
    """The scatter block's outputs for the controls' values."""
    figure, caption, _, panel = scatter_outputs(store, *args)
    return {**drawn_chart(ids.IMP_SCATTER, figure, caption), (ids.IMP_VERDICT, "children"): panel}


def _scatter_failed(text: str) -> dict[tuple[str, str], Any]:
    """The scatter block saying why it has nothing to draw."""
    return {**failed_chart(ids.IMP_SCATTER, text), (ids.IMP_VERDICT, "children"): None}


def register(app: Dash, store: Store) -> None:
    """Attach the pace-of-improvement page's callbacks to ``app``."""
    register_topic_choices(app, store, ids.IMP_TOPIC, ids.IMP_INDICATOR)
    _register_window(app, store)
    _register_scatter(app, store)
    last = len(_SCATTER_INPUTS) - 1  # the LA: marked in the table, left out of the file name
    register_table(
        app, store, ChartBlock(ids.IMP_SCATTER, scatter_chart, _SCATTER_INPUTS, la_index=last)
    )
    register_csv(app, store, ids.IMP_SCATTER, scatter_chart, _SCATTER_INPUTS, name_inputs=1)
    last = len(_CHANGE_INPUTS) - 1
    block = ChartBlock(ids.IMP_CHANGE, change_chart, _CHANGE_INPUTS, la_index=last, name_inputs=1)
    register_chart(app, store, block)
    register_remember_la(app, store, ids.IMP_LA, ids.IMP_LA_SOURCE)
    register_url_sync(app, ids.IMP, ids.IMP_CONTROLS)


def _register_window(app: Dash, store: Store) -> None:
    """The indicator control sets the window's periods (``window_choices``)."""

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


def _register_scatter(app: Dash, store: Store) -> None:
    """The scatter, its caption and the verdict panel."""
    fill = partial(_scatter_block, store)
    register_filled(app, _SCATTER_TARGETS, _SCATTER_INPUTS, fill, _scatter_failed, ids.IMP_SCATTER)
