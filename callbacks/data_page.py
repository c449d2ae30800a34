"""Data and definitions page glue: metadata card, topic catalogue, CSV of any indicator."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate

import figures.data_page as fd
from callbacks.common import (
    checked_indicator,
    register_table_draw,
    register_topic_choices,
    register_url_sync,
)
from callbacks.csv_files import csv_download, safe_filename
from data.store import Store
from figures.tables import table_payload
from layouts import ids
from layouts.data_page import definition_card


def metadata_card(store: Store, indicator_id: Any) -> html.Div:
    """Everything the store knows about one indicator, as a definition list."""
    indicator_id = checked_indicator(store, indicator_id)
    meta = store.indicator_meta(indicator_id)
    periods = store.catalogue.periods.get(indicator_id, ())
    return definition_card(meta, periods, direction=fd.POLARITY_WORDS[meta.polarity])


def topic_catalogue(store: Store, indicator_id: Any) -> Any:
    """A table of every indicator in the chosen indicator's topic."""
    indicator_id = checked_indicator(store, indicator_id)
    topic = store.indicator_meta(indicator_id).topic
    rows = []
    for i, title, t in store.catalogue.indicators:
        if t != topic:
            continue
        meta = store.indicator_meta(i)
        periods = store.catalogue.periods.get(i, ())
        span = f"{periods[0][1]} to {periods[-1][1]}" if periods else ""
        rows.append((i, title, meta.unit, fd.POLARITY_WORDS[meta.polarity], span))
    return table_payload(fd.topic_catalogue_view(rows, topic))


def indicator_csv(store: Store, indicator_id: Any) -> dict[str, Any]:
    """Every value of one indicator as a CSV download."""
    indicator_id = checked_indicator(store, indicator_id)
    view = fd.indicator_values_view(
        store.indicator_values(indicator_id),
        store.indicator_meta(indicator_id),
        names=store.area_names,
    )
    return csv_download(view, safe_filename(indicator_id, store.release))


def register(app: Dash, store: Store) -> None:
    """Attach the data page's callbacks."""
    register_topic_choices(app, store, ids.DATA_TOPIC, ids.DATA_INDICATOR)
    _register_metadata(app, store)
    _register_csv(app, store)
    register_table_draw(app, ids.DATA_CATALOGUE)
    register_url_sync(app, ids.DATA, ids.DATA_CONTROLS)


def _register_metadata(app: Dash, store: Store) -> None:
    """The chosen indicator's metadata card and its topic's catalogue."""

    @app.callback(
        Output(ids.DATA_META, "children"),
        Output(f"{ids.DATA_CATALOGUE}-data", "data"),
        Input(ids.DATA_INDICATOR, "value"),
    )
    def _meta(indicator_id: Any) -> tuple[Any, Any]:
        return metadata_card(store, indicator_id), topic_catalogue(store, indicator_id)


def _register_csv(app: Dash, store: Store) -> None:
    """The CSV button downloads every value of the chosen indicator."""

    @app.callback(
        Output(ids.DATA_DOWNLOAD, "data"),
        Input(ids.DATA_CSV, "n_clicks"),
        State(ids.DATA_INDICATOR, "value"),
        prevent_initial_call=True,
    )
    def _csv(n_clicks: Any, indicator_id: Any) -> Any:
        if not n_clicks:
            raise PreventUpdate
        return indicator_csv(store, indicator_id)
