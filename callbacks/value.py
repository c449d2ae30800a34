"""Value page wiring: controls -> checked ids -> views -> figures.

The views are ``views.value`` (the scatter) and ``views.spend_lines`` (provider split, service
lines); the figures ``spend_outcome``, ``provision_mix`` and ``service_lines``.
Each chart handler returns its figure, text alternative and table from one view, so the table
and the CSV show the numbers drawn.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State
from dash.exceptions import PreventUpdate

import figures.provision_mix as mix_figures
import figures.service_lines as service_figures
import figures.spend_outcome as scatter_figures
import views.spend_lines as vs
import views.value as vv
from callbacks.common import (
    ChartBlock,
    ChartOutput,
    ChartSpecs,
    checked_indicator,
    checked_la,
    message,
    register_chart,
    register_remember_la,
    register_url_sync,
)
from data.store import Store
from layouts import ids
from layouts.value import line_options


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
    options = [{"label": title, "value": i} for i, title in vv.outcome_options(store, topic)]
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
    years = vv.year_choices_of(store, spend_id, outcome_id)
    options = [{"label": label, "value": str(y)} for y, label in years]
    values = [o["value"] for o in options]
    if not values:
        return [], None
    return options, str(current) if str(current) in values else values[0]


def scatter_chart(store: Store, spend_id: Any, outcome_id: Any, year: Any, la: Any) -> ChartOutput:
    """Spend per child against the outcome in one year: figure, text alternative, numbers."""
    spend_id, year_end = checked_spend(store, spend_id), checked_year(year)
    if not isinstance(outcome_id, str) or not store.has_indicator(outcome_id):
        return message("Choose an outcome indicator with a better direction.")
    if year_end is None:
        return message(f"The spend measure and the outcome have no year ending {year} in common.")
    view = vv.spend_outcome_view(store, spend_id, outcome_id, year_end, checked_la(store, la))
    f = scatter_figures
    return f.spend_outcome_scatter(view), f.spend_outcome_summary(view), f.spend_outcome_data(view)


def mix_chart(store: Store, line: Any, year: Any, la: Any) -> ChartOutput:
    """Shares of one s251 line's spend by provider over time, England and the LA."""
    if not line_options(store.catalogue):
        return message("This data release holds no s251 spend split by provider.")
    if not isinstance(line, str) or line not in dict(line_options(store.catalogue)):
        raise PreventUpdate
    view = vs.provision_view(store, line, checked_la(store, la), checked_year(year))
    f = mix_figures
    return f.provision_mix_chart(view), f.provision_mix_summary(view), f.provision_mix_data(view)


def services_chart(store: Store, spend_id: Any, la: Any) -> ChartOutput:
    """Spend per child on each service line over time, England and the LA.

    The chosen spend measure's panel is marked (it also makes the chart redraw when the page
    opens: an input that only another callback sets would not start it).
    """
    chosen = spend_id if isinstance(spend_id, str) else None
    view = vs.services_view(store, checked_la(store, la), chosen)
    f = service_figures
    return f.service_lines_chart(view), f.service_lines_summary(view), f.service_lines_data(view)


_CHARTS: ChartSpecs = {
    ids.VAL_SCATTER: (scatter_chart, (ids.VAL_SPEND, ids.VAL_OUTCOME, ids.VAL_YEAR, ids.VAL_LA)),
    ids.VAL_MIX: (mix_chart, (ids.VAL_LINE, ids.VAL_YEAR, ids.VAL_LA)),
    ids.VAL_SERVICES: (services_chart, (ids.VAL_SPEND, ids.VAL_LA)),
}


def register(app: Dash, store: Store) -> None:
    """Attach the value page's callbacks to ``app``."""
    _register_outcome_choices(app, store)
    _register_year_choices(app, store)
    for prefix, (handler, inputs) in _CHARTS.items():
        last = len(inputs) - 1  # the LA: marked in the table, left out of the file name
        register_chart(app, store, ChartBlock(prefix, handler, inputs, last, name_inputs=last))
    register_remember_la(app, store, ids.VAL_LA, ids.VAL_LA_SOURCE)
    register_url_sync(app, ids.VAL, ids.VAL_CONTROLS)


def _register_outcome_choices(app: Dash, store: Store) -> None:
    """The topic control sets the outcome indicators offered (``outcome_choices``)."""

    @app.callback(
        Output(ids.VAL_OUTCOME, "options"),
        Output(ids.VAL_OUTCOME, "value"),
        Input(ids.VAL_TOPIC, "value"),
        State(ids.VAL_OUTCOME, "value"),
    )
    def _outcomes(topic: Any, current: Any) -> tuple[Any, Any]:
        return outcome_choices(store, topic, current)


def _register_year_choices(app: Dash, store: Store) -> None:
    """The spend and outcome controls set the years offered (``year_choices``)."""

    @app.callback(
        Output(ids.VAL_YEAR, "options"),
        Output(ids.VAL_YEAR, "value"),
        Input(ids.VAL_SPEND, "value"),
        Input(ids.VAL_OUTCOME, "value"),
        State(ids.VAL_YEAR, "value"),
    )
    def _years(spend_id: Any, outcome_id: Any, current: Any) -> tuple[Any, Any]:
        return year_choices(store, spend_id, outcome_id, current)
