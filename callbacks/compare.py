"""Any indicator against any other: wiring of the page's controls to its scatter."""

from __future__ import annotations

from typing import Any

from dash import Dash

import figures.correlation as correlation_figures
import views.correlation as vc
from callbacks.common import (
    ChartBlock,
    ChartOutput,
    checked_indicator,
    checked_la,
    checked_period,
    register_chart,
    register_period_choices,
    register_remember_la,
    register_topic_choices,
    register_url_sync,
)
from data.store import Store
from layouts import ids


def scatter_chart(
    store: Store, x: Any, x_period: Any, y: Any, y_period: Any, la: Any
) -> ChartOutput:
    """Indicator x against indicator y across LAs: figure, sentence, numbers."""
    x_id, y_id = checked_indicator(store, x), checked_indicator(store, y)
    x_tp, y_tp = checked_period(store, x_id, x_period), checked_period(store, y_id, y_period)
    view = vc.correlation_view(store, x_id, x_tp, y_id, y_tp, checked_la(store, la))
    return (
        correlation_figures.correlation_chart(view),
        correlation_figures.correlation_summary(view),
        correlation_figures.correlation_data(view),
    )


def register(app: Dash, store: Store) -> None:
    """Attach the page's callbacks to ``app``."""
    register_topic_choices(app, store, ids.CMP_X_TOPIC, ids.CMP_X_INDICATOR)
    register_topic_choices(app, store, ids.CMP_Y_TOPIC, ids.CMP_Y_INDICATOR)
    register_period_choices(app, store, ids.CMP_X_INDICATOR, ids.CMP_X_PERIOD)
    register_period_choices(app, store, ids.CMP_Y_INDICATOR, ids.CMP_Y_PERIOD)
    block = ChartBlock(ids.CMP_SCATTER, scatter_chart, ids.CMP_CONTROLS, la_index=4, name_inputs=4)
    register_chart(app, store, block)
    register_remember_la(app, store, ids.CMP_LA, ids.CMP_LA_SOURCE)
    register_url_sync(app, ids.CMP, ids.CMP_CONTROLS)
