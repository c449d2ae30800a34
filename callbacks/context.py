"""National context: wiring of the LA control to the page's three chart blocks."""

from __future__ import annotations

from typing import Any

from dash import Dash
from dash.exceptions import PreventUpdate

import figures.context as context_figures
from callbacks.common import (
    ChartBlock,
    ChartOutput,
    checked_la,
    register_chart,
    register_remember_la,
    register_url_sync,
)
from data.schema import ENGLAND_CODE
from data.store import Store
from layouts import ids
from views.context import context_view


def context_chart(store: Store, block: str, la: Any) -> ChartOutput:
    """One block (numbers, rates or spend) for England and the LA: figure, caption, numbers."""
    code = checked_la(store, la)
    if code is None:
        raise PreventUpdate
    views = (context_view(store, ENGLAND_CODE), context_view(store, code))
    return (
        context_figures.context_chart(block, views),
        context_figures.context_summary(block, views),
        context_figures.context_data(block, views),
    )


def numbers_chart(store: Store, la: Any) -> ChartOutput:
    """Numbers of children in need, on plans and looked after."""
    return context_chart(store, "numbers", la)


def rates_chart(store: Store, la: Any) -> ChartOutput:
    """The same per 10,000 children."""
    return context_chart(store, "rates", la)


def spend_chart(store: Store, la: Any) -> ChartOutput:
    """Gross s251 spend in cash and per child."""
    return context_chart(store, "spend", la)


def register(app: Dash, store: Store) -> None:
    """Attach the page's callbacks to ``app``."""
    for prefix, handler in (
        (ids.CTX_NUMBERS, numbers_chart),
        (ids.CTX_RATES, rates_chart),
        (ids.CTX_SPEND, spend_chart),
    ):
        register_chart(app, store, ChartBlock(prefix, handler, ids.CTX_CONTROLS, 0, name_inputs=1))
    register_remember_la(app, store, ids.CTX_LA, ids.CTX_LA_SOURCE)
    register_url_sync(app, ids.CTX, ids.CTX_CONTROLS)
