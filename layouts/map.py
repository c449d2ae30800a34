"""Map: one indicator in one period on upper-tier LA boundaries; an LA opens its benchmark."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import dcc, html

from data.store import Catalogue
from layouts import ids
from layouts.components import (
    GRAPH_CONFIG,
    aria,
    chart_block,
    indicator_finder,
    indicator_options,
    la_options,
    la_source,
    period_options,
    radios,
    release_notice,
    select,
    table_region,
    topic_of,
    topic_options,
    url_sync,
)
from layouts.link_params import indicator_param, la_param, link_notices, page_link, period_param
from layouts.link_query import Param

COLOUR_OPTIONS = (("quartile", "Quartile bands (A best)"), ("continuous", "Continuous scale"))

#: Plotly's geographic plots fetch a world outline (``<topojsonURL><name>.json``) from its CDN
#: unless told otherwise. The map draws no base layers, so it points plotly at an empty
#: topology served by the app itself (``callbacks.map`` adds the route): no third-party
#: request, a closed network works, and the Content-Security-Policy's ``connect-src 'self'``
#: (which also blocks ``data:`` URLs) is respected.
TOPOJSON_PREFIX = "/map-assets/topojson/"
EMPTY_TOPOJSON = '{"type":"Topology","objects":{},"arcs":[]}'
MAP_CONFIG: dcc.Graph.Config = {
    **GRAPH_CONFIG,
    "topojsonURL": TOPOJSON_PREFIX,
    "scrollZoom": False,
    "modeBarButtonsToRemove": [*GRAPH_CONFIG["modeBarButtonsToRemove"], "pan2d"],
}


def benchmark_href(area_code: str, indicator_id: str | None) -> str:
    """The benchmark page's address for an LA (and the indicator on the map)."""
    query = {"la": area_code} | ({"indicator": indicator_id} if indicator_id else {})
    return f"/benchmark?{urlencode(query)}"


def _set_config(component: Any, component_id: str, config: dcc.Graph.Config) -> bool:
    """Set ``config`` on the descendant with ``component_id`` (True when found)."""
    if getattr(component, "id", None) == component_id:
        component.config = config
        return True
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        return any(_set_config(child, component_id, config) for child in children)
    return children is not None and _set_config(children, component_id, config)


def map_block() -> html.Figure:
    """The chart block of the map, with the map's graph settings."""
    block = chart_block(ids.MAP_CHOROPLETH, "Map", height=660)
    _set_config(block, f"{ids.MAP_CHOROPLETH}-graph", MAP_CONFIG)
    return block


def layout(
    catalogue: Catalogue | None = None,
    **query: object,
) -> html.Div:
    """The map page.

    Query parameters ``indicator``, ``period``, ``colour``, ``la`` and ``release`` preselect
    the controls; a value not recognised falls back to the default with a notice naming it.
    """
    title = html.H1("Map: how an indicator varies across England")
    if catalogue is None:
        return html.Div(title)
    link = page_link(
        [
            indicator_param(catalogue),
            period_param(catalogue),
            Param("colour", "a colouring (quartile or continuous)", COLOUR_OPTIONS),
            la_param(catalogue, optional=True),
        ],
        query,
    )
    indicator_id = link["indicator"]
    topic = topic_of(catalogue, indicator_id)
    return html.Div(
        [
            title,
            html.P(
                "Each upper-tier local authority coloured by its value: by LAIT quartile band "
                "(A is always the best quarter) or on a continuous scale where darker is better. "
                "Grey areas have no published value. Select an area on the map, or a name in "
                "the list below the map, to open that LA's benchmark page.",
                className="lede",
            ),
            release_notice(catalogue, link["release"]),
            link_notices(link),
            html.Div(
                [
                    indicator_finder(ids.MAP_INDICATOR),
                    select(ids.MAP_TOPIC, "Topic", topic_options(catalogue), topic),
                    select(
                        ids.MAP_INDICATOR,
                        "Indicator",
                        indicator_options(catalogue, topic),
                        indicator_id,
                        wide=True,
                    ),
                    select(
                        ids.MAP_PERIOD,
                        "Year",
                        period_options(catalogue, indicator_id),
                        link["period"],
                    ),
                    radios(
                        ids.MAP_COLOUR,
                        "Colouring",
                        COLOUR_OPTIONS,
                        link["colour"],
                    ),
                    select(
                        ids.MAP_LA,
                        "Outline a local authority",
                        la_options(catalogue, include_none="None"),
                        link["la"],
                    ),
                ],
                className="controls",
                role="group",
                **aria(label="Choose what to show"),
            ),
            map_block(),
            html.Details(
                [
                    html.Summary(
                        "Open an LA's benchmark page (every LA, as a list of links)",
                        id=f"{ids.MAP_LINKS}-summary",
                        n_clicks=0,
                    ),
                    *table_region(f"{ids.MAP_LINKS}-table", "Table: every LA's benchmark page"),
                ],
                className="data-table",
                open=False,
            ),
            dcc.Location(id=ids.MAP_NAV, refresh="callback-nav"),
            dcc.Store(id=ids.MAP_READY),
            la_source(ids.MAP_LA_SOURCE, link["la"] if "la" in link.from_link else None),
            *url_sync(ids.MAP, ids.MAP_KEYS),
        ]
    )
