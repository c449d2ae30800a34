"""Map page wiring: controls -> checked ids -> ``views.map`` -> the choropleth.

The boundary geometry (about 340 kB for England's 153 upper-tier LAs) is sent to the browser
once per page visit: ``_first_draw`` sends the whole figure when the page opens and then sets
``MAP_READY``; every later change of indicator, year, colouring or LA is sent by ``_restyle``
as a ``Patch`` that replaces values, colours, hover text and the two small subset traces but
never the full boundary collection of trace 0.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import Any

import plotly.graph_objects as go
from dash import Dash, Input, Output, Patch, State, ctx, no_update
from dash.exceptions import PreventUpdate
from flask import Response

import figures.map as map_figures
import views.map as vm
from callbacks.common import (
    ChartBlock,
    ChartOutput,
    checked_indicator,
    checked_la,
    checked_period,
    graph_style,
    register_csv,
    register_period_choices,
    register_remember_la,
    register_table,
    register_topic_choices,
    register_url_sync,
)
from callbacks.initial import Initial, initial_outputs
from data.store import Store
from figures.map_geometry import d3_winding
from figures.markup import plain_figure
from figures.tables import DataView
from layouts import ids
from layouts.map import EMPTY_TOPOJSON, TOPOJSON_PREFIX, benchmark_href

_PREFIX = ids.MAP_CHOROPLETH
_TOPOJSON_NAME = re.compile(r"[a-z0-9_]{1,40}")
_CONTROLS = (ids.MAP_INDICATOR, ids.MAP_PERIOD, ids.MAP_COLOUR, ids.MAP_LA)
#: Boundaries as plotly draws them (``map_geometry``).
Geometry = Mapping[str, Any]


def map_geometry(store: Store) -> dict[str, Any] | None:
    """The store's boundaries wound for plotly (None when the store has none)."""
    return d3_winding(store.boundaries) if store.boundaries else None


def checked_map(store: Store, indicator_id: Any, period: Any, colour: Any) -> vm.MapView:
    """The map view of the checked indicator, period (latest if unknown) and colouring."""
    indicator_id = checked_indicator(store, indicator_id)
    mode = colour if colour in vm.MODES else vm.QUARTILE
    return vm.map_view(store, indicator_id, checked_period(store, indicator_id, period), mode)


def map_chart(
    store: Store,
    indicator_id: Any,
    period: Any,
    colour: Any,
    la: Any,
    *,
    geometry: Mapping[str, Any] | None = None,
) -> ChartOutput:
    """The choropleth (or a sentence without boundaries), its text and numbers."""
    view = checked_map(store, indicator_id, period, colour)
    geometry = map_geometry(store) if geometry is None else geometry
    return map_figures.map_outputs(view, geometry=geometry, highlight=checked_la(store, la))


def links_view(store: Store, indicator_id: Any, period: Any) -> DataView:
    """Every LA by name, each a link to its benchmark page, with its value and band or status."""
    view = checked_map(store, indicator_id, period, vm.QUARTILE)
    href = partial(benchmark_href, indicator_id=view.meta.indicator_id)
    return map_figures.map_links_data(view, href=href)


def _links(store: Store, indicator_id: Any, period: Any) -> tuple[None, None, DataView]:
    """``links_view`` in the shape ``register_table`` expects of a chart handler."""
    return None, None, links_view(store, indicator_id, period)


def benchmark_target(store: Store, click_data: Any, indicator_id: Any) -> str:
    """The benchmark page of the clicked LA (``PreventUpdate`` for anything else)."""
    code = checked_la(store, _clicked_code(click_data))
    if code is None:
        raise PreventUpdate
    known = isinstance(indicator_id, str) and store.has_indicator(indicator_id)
    return benchmark_href(code, indicator_id if known else None)


def _clicked_code(click_data: Any) -> Any:
    """The area code of the clicked point (``PreventUpdate`` when there is none)."""
    try:
        point = click_data["points"][0]
        return point.get("location")
    except (TypeError, KeyError, IndexError, AttributeError):
        raise PreventUpdate from None


def as_patch(figure: go.Figure | dict[str, Any]) -> Any:
    """A ``Patch`` replacing everything in a three-trace map but trace 0's boundaries.

    (And the layout's template, which never changes.) Figures of another shape (a sentence,
    no boundaries) are returned whole.
    """
    plotly_json = figure if isinstance(figure, dict) else figure.to_plotly_json()
    data = plotly_json["data"]
    if len(data) != 3 or any(t.get("type") != "choropleth" for t in data):
        return figure
    patch = Patch()
    _set_all_but(patch["data"][0], data[0], "geojson")
    patch["data"][1], patch["data"][2] = data[1], data[2]
    _set_all_but(patch["layout"], plotly_json["layout"], "template")  # as the first draw's
    return patch


def _set_all_but(target: Any, source: Mapping[str, Any], skipped: str) -> None:
    """Set every key of ``source`` but ``skipped`` at ``target`` (a place in a ``Patch``)."""
    for key, value in source.items():
        if key != skipped:
            target[key] = value


def empty_topology(name: str) -> Response:
    """The empty world outline plotly asks for (see ``layouts.map.TOPOJSON_PREFIX``)."""
    if not _TOPOJSON_NAME.fullmatch(name):
        return Response("not found", status=404, mimetype="text/plain")
    response = Response(EMPTY_TOPOJSON, mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


#: What the table of links to each LA's benchmark page follows.
_LINK_CONTROLS = (ids.MAP_INDICATOR, ids.MAP_PERIOD)
#: Which control is the selected LA (its table row is marked).
_LA_INDEX = len(_CONTROLS) - 1


def register(app: Dash, store: Store) -> None:
    """Attach the map page's callbacks (and its empty-topology route) to ``app``."""
    geometry = map_geometry(store)  # worked out once; map_chart works it out when not given
    _register_empty_topology(app)
    register_topic_choices(app, store, ids.MAP_TOPIC, ids.MAP_INDICATOR)
    register_period_choices(app, store, ids.MAP_INDICATOR, ids.MAP_PERIOD)
    _register_drawing(app, store, geometry)
    # Built only while open: ~150 rows of links would otherwise be rebuilt on every change.
    register_table(app, store, ChartBlock(ids.MAP_LINKS, _links, _LINK_CONTROLS))
    drawn_map = ChartBlock(_PREFIX, partial(map_chart, geometry=geometry), _CONTROLS, _LA_INDEX)
    register_table(app, store, drawn_map)
    _register_open_benchmark(app, store)
    register_csv(app, store, _PREFIX, drawn_map.handler, _CONTROLS, name_inputs=2)
    register_remember_la(app, store, ids.MAP_LA, ids.MAP_LA_SOURCE)
    register_url_sync(app, ids.MAP, ids.MAP_CONTROLS)


def _register_empty_topology(app: Dash) -> None:
    """Serve the empty world outline plotly asks for (``empty_topology``)."""
    app.server.add_url_rule(
        f"{TOPOJSON_PREFIX}<name>.json",
        endpoint="map_empty_topology",
        view_func=empty_topology,
        methods=["GET"],
    )


def _register_drawing(app: Dash, store: Store, geometry: Geometry | None) -> None:
    """The caption with the page, the whole figure at its first draw, then patches."""
    _register_caption(app, store, geometry)
    _register_first_draw(app, store, geometry)
    _register_restyle(app, store, geometry)


def _register_caption(app: Dash, store: Store, geometry: Geometry | None) -> None:
    """The caption arrives with the page (callbacks.initial); the figure with its first draw."""
    caption_id = f"{_PREFIX}-caption"
    initial_outputs(app).add(
        Initial(
            _CONTROLS,
            lambda *args: {
                (caption_id, "children"): map_chart(store, *args, geometry=geometry)[1]
            },
            lambda text: {(caption_id, "children"): text},
        )
    )


def _register_first_draw(app: Dash, store: Store, geometry: Geometry | None) -> None:
    """The whole figure, boundaries included, once the page is open; then ``MAP_READY``."""

    @app.callback(
        Output(f"{_PREFIX}-graph", "figure"),
        Output(f"{_PREFIX}-graph", "style"),
        Output(ids.MAP_READY, "data"),
        Input(ids.MAP_READY, "id"),
        *[State(i, "value") for i in _CONTROLS],
    )
    def _first_draw(_: Any, *args: Any) -> tuple[Any, Any, Any]:
        figure, _, _ = map_chart(store, *args, geometry=geometry)
        return plain_figure(figure), graph_style(figure), True


def _register_restyle(app: Dash, store: Store, geometry: Geometry | None) -> None:
    """Every later change: the caption, and the figure as a ``Patch`` (``as_patch``)."""

    @app.callback(
        Output(f"{_PREFIX}-graph", "figure", allow_duplicate=True),
        Output(f"{_PREFIX}-caption", "children"),
        *[Input(i, "value") for i in _CONTROLS],
        Input(ids.MAP_READY, "data"),
        prevent_initial_call=True,
    )
    def _restyle(*args: Any) -> tuple[Any, Any]:
        return restyled(store, geometry, *args)


def restyled(store: Store, geometry: Geometry | None, *args: Any) -> tuple[Any, Any]:
    """The figure as a ``Patch`` and the caption, once the first draw is done.

    ``args``: the controls' values, then ``MAP_READY``'s. No figure when ``MAP_READY`` fired
    (the first draw sent it whole).
    """
    *controls, ready = args
    if not ready:
        raise PreventUpdate
    figure, caption, _ = map_chart(store, *controls, geometry=geometry)
    drawn = no_update if ctx.triggered_id == ids.MAP_READY else as_patch(plain_figure(figure))
    return drawn, caption


def _register_open_benchmark(app: Dash, store: Store) -> None:
    """A click on an LA opens its benchmark page (``benchmark_target``)."""

    @app.callback(
        Output(ids.MAP_NAV, "href"),
        Input(f"{_PREFIX}-graph", "clickData"),
        State(ids.MAP_INDICATOR, "value"),
        prevent_initial_call=True,
    )
    def _open_benchmark(click_data: Any, indicator_id: Any) -> str:
        return benchmark_target(store, click_data, indicator_id)
