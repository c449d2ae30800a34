"""Variation page wiring: controls -> checked ids -> views -> figures.

Each handler is module-level and returns what its outputs show, so the unit tests call them
with a small store and no Dash server. Every handler returns a complete state for any input:
an unknown indicator gives an explicit sentence, never a chart left from an earlier choice.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output

import figures.best_worst as best_worst_figures
import figures.distribution as distribution_figures
import figures.funnel as funnel_figures
import figures.narrowing as narrowing_figures
import figures.need as need_figures
import figures.spread_strip as strip_figures
import figures.within_groups as within_figures
import views.need as vn
import views.variation as vv
import views.within_groups as vw
from callbacks.common import (
    ChartBlock,
    ChartOutput,
    ChartSpecs,
    checked_la,
    checked_period,
    message,
    register_chart,
    register_period_choices,
    register_remember_la,
    register_topic_choices,
    register_url_sync,
)
from callbacks.initial import Initial, initial_outputs
from data.store import Store
from layouts import ids
from layouts.components import notices
from layouts.variation import stats_strip

CHOOSE = "Choose an indicator to see how local authorities vary."
#: How many LAs each end of the best/worst chart may show, and the default.
MAX_N, DEFAULT_N = 50, 10


def chosen(store: Store, indicator: Any, period: Any) -> tuple[str, int] | None:
    """The indicator and period to show, or None for an unknown indicator.

    An unknown or missing period gives the indicator's latest.
    """
    known = isinstance(indicator, str) and store.has_indicator(indicator)
    if not known or not store.catalogue.periods.get(indicator):
        return None
    return indicator, checked_period(store, indicator, period)


def checked_n(n: Any) -> int:
    """How many LAs at each end: 1 to ``MAX_N`` (``DEFAULT_N`` for anything else)."""
    try:
        return max(1, min(int(n), MAX_N))
    except (TypeError, ValueError):
        return DEFAULT_N


def summary_strip(store: Store, indicator: Any, period: Any, la: Any) -> tuple[Any, Any]:
    """The strip of spread figures and the sentence on the selected LA's place."""
    selection = chosen(store, indicator, period)
    if selection is None:
        return stats_strip([]), notices([CHOOSE])
    view = vv.spread_view(store, *selection, checked_la(store, la))
    return stats_strip(strip_figures.strip_items(view)), notices(strip_figures.place_notes(view))


def best_worst_chart(store: Store, indicator: Any, period: Any, la: Any, n: Any) -> ChartOutput:
    """The N best and worst LAs, England and the median LA marked."""
    selection = chosen(store, indicator, period)
    if selection is None:
        return message(CHOOSE)
    view = vv.best_worst_view(store, *selection, checked_n(n), checked_la(store, la))
    return (
        best_worst_figures.best_worst_bar(view),
        best_worst_figures.best_worst_summary(view),
        best_worst_figures.best_worst_data(view),
    )


def distribution_chart(store: Store, indicator: Any, period: Any, la: Any) -> ChartOutput:
    """Every LA as a point over the distribution."""
    selection = chosen(store, indicator, period)
    if selection is None:
        return message(CHOOSE)
    view = vv.distribution_view(store, *selection, checked_la(store, la))
    return (
        distribution_figures.distribution_strip(view),
        distribution_figures.distribution_summary(view),
        distribution_figures.distribution_data(view),
    )


def funnel_chart(store: Store, indicator: Any, period: Any, la: Any, adjust: Any) -> ChartOutput:
    """The funnel plot where the counts exist (limits adjusted when ``adjust`` is "random")."""
    selection = chosen(store, indicator, period)
    if selection is None:
        return message(CHOOSE)
    view = vv.funnel_view(store, *selection, adjust == "random", checked_la(store, la))
    return (
        funnel_figures.funnel_chart(view),
        funnel_figures.funnel_summary(view),
        funnel_figures.funnel_data(view),
    )


def within_groups_chart(store: Store, indicator: Any, period: Any) -> ChartOutput:
    """The within-group share for every neighbour release, with its interval."""
    selection = chosen(store, indicator, period)
    if selection is None:
        return message(CHOOSE)
    view = vw.shares_view(store, *selection)
    return (
        within_figures.within_groups_chart(view),
        within_figures.within_groups_summary(view),
        within_figures.within_groups_data(view),
    )


def need_chart(store: Store, indicator: Any, period: Any, la: Any) -> ChartOutput:
    """Actual against expected given need, the fit's R² and the LAs most above expected."""
    selection = chosen(store, indicator, period)
    if selection is None:
        return message(CHOOSE)
    view = vn.need_view(store, *selection, checked_la(store, la))
    return (
        need_figures.need_chart(view),
        need_figures.need_summary(view),
        need_figures.need_data(view),
    )


def narrowing_chart(store: Store, indicator: Any, sn_release: Any) -> ChartOutput:
    """The spread by year with the within-group share of the chosen neighbour release."""
    selection = chosen(store, indicator, None)
    held = store.catalogue.sn_releases
    if selection is None or not held:
        return message(CHOOSE if selection is None else within_figures.NO_RELEASE)
    release = sn_release if sn_release in held else held[0]
    view = vw.narrowing_view(store, selection[0], release)
    return (
        narrowing_figures.narrowing_chart(view),
        narrowing_figures.narrowing_summary(view),
        narrowing_figures.narrowing_data(view),
    )


_CHARTS: ChartSpecs = {
    ids.VAR_BW: (best_worst_chart, (ids.VAR_INDICATOR, ids.VAR_PERIOD, ids.VAR_LA, ids.VAR_N)),
    ids.VAR_DIST: (distribution_chart, (ids.VAR_INDICATOR, ids.VAR_PERIOD, ids.VAR_LA)),
    ids.VAR_FUNNEL: (
        funnel_chart,
        (ids.VAR_INDICATOR, ids.VAR_PERIOD, ids.VAR_LA, ids.VAR_ADJUST),
    ),
    ids.VAR_NEED: (need_chart, (ids.VAR_INDICATOR, ids.VAR_PERIOD, ids.VAR_LA)),
}
#: Charts of no LA (no table row to mark).
_LA_FREE_CHARTS = {
    ids.VAR_WITHIN: (within_groups_chart, (ids.VAR_INDICATOR, ids.VAR_PERIOD)),
    ids.VAR_TREND: (narrowing_chart, (ids.VAR_INDICATOR, ids.VAR_SN)),
}


_STRIP_INPUTS = (ids.VAR_INDICATOR, ids.VAR_PERIOD, ids.VAR_LA)
_STRIP_OUTPUTS = ((ids.VAR_STATS, "children"), (ids.VAR_NOTE, "children"))


def register_strip(app: Dash, store: Store) -> None:
    """The summary strip and the LA's place: drawn with the page, then on every change."""

    def fill(*args: Any) -> dict[tuple[str, str], Any]:
        return dict(zip(_STRIP_OUTPUTS, summary_strip(store, *args), strict=True))

    initial_outputs(app).add(Initial(_STRIP_INPUTS, fill))

    @app.callback(
        *[Output(i, p) for i, p in _STRIP_OUTPUTS],
        *[Input(i, "value") for i in _STRIP_INPUTS],
        prevent_initial_call=True,
    )
    def _strip(*args: Any) -> tuple[Any, ...]:
        return summary_strip(store, *args)


def register(app: Dash, store: Store) -> None:
    """Attach the variation page's callbacks to ``app``."""
    register_topic_choices(app, store, ids.VAR_TOPIC, ids.VAR_INDICATOR)
    register_period_choices(app, store, ids.VAR_INDICATOR, ids.VAR_PERIOD)

    register_strip(app, store)
    for prefix, (handler, inputs) in _CHARTS.items():
        register_chart(app, store, ChartBlock(prefix, handler, inputs, la_index=2))
    for prefix, (handler, inputs) in _LA_FREE_CHARTS.items():
        register_chart(app, store, ChartBlock(prefix, handler, inputs))

    register_remember_la(app, store, ids.VAR_LA, ids.VAR_LA_SOURCE)
    register_url_sync(app, ids.VAR, ids.VAR_CONTROLS)
