"""Small shared builders for page layouts: labelled pickers and accessible chart blocks.

Pickers are native ``<select>`` elements (``dbc.Select``) and radio buttons, which every screen
reader and keyboard handles, each with a visible ``<label>``. A chart block is a ``<figure>``
with its graph, a caption that a callback fills with a text summary (announced politely), a
"download data (CSV)" button, an SVG export button and a table of exactly the numbers drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from data.store import Catalogue

GRAPH_CONFIG: dcc.Graph.Config = {
    "displaylogo": False,
    # Zoom, pan and reset stay (for the mouse; assets/app.js takes them out of the tab order).
    # Images are saved with the block's own buttons, which add the title, period, source and
    # licence and name the file (plotly's toImage button would save a bare chart).
    "modeBarButtonsToRemove": [
        "select2d",
        "lasso2d",
        "autoScale2d",
        "toggleSpikelines",
        "toImage",
        "sendDataToCloud",
        "sendChartToCloud",  # "Share chart...": uploads to plotly's cloud; does nothing here
        "editInChartStudio",
    ],
    "responsive": True,
}


def aria(**attributes: str) -> dict[str, Any]:
    """ARIA attributes for a Dash component, e.g. ``html.Nav(..., **aria(label="Pages"))``.

    ``aria(label="Pages")`` gives ``{"aria-label": "Pages"}``.
    """
    return {f"aria-{name}": value for name, value in attributes.items()}


def select(
    component_id: str,
    label: str,
    options: Sequence[tuple[str, str]],
    value: str | None,
    *,
    hint: str | None = None,
    wide: bool = False,
) -> html.Div:
    """A labelled native select; ``options`` are ``(value, label)`` pairs."""
    children: list[Any] = [html.Label(label, htmlFor=component_id)]
    if hint:
        children.append(html.Span(hint, className="hint", id=f"{component_id}-hint"))
    children.append(
        dbc.Select(
            id=component_id,
            options=[{"label": text, "value": val} for val, text in options],
            value=value,
            persistence=False,
            **({"aria-describedby": f"{component_id}-hint"} if hint else {}),
        )
    )
    return html.Div(children, className="control wide" if wide else "control")


def radios(
    component_id: str, legend: str, options: Sequence[tuple[str, str]], value: str | None
) -> html.Fieldset:
    """A fieldset of radio buttons with a legend (short choices, e.g. mean/median).

    ``dbc.RadioItems`` renders native ``<input type="radio">`` each with its ``<label for>``
    (Dash 4's ``dcc.RadioItems`` leaves the inputs without an accessible name).
    """
    return html.Fieldset(
        [
            html.Legend(legend),
            dbc.RadioItems(
                id=component_id,
                options=[{"label": text, "value": val} for val, text in options],
                value=value,
                className="radio-row",
                inline=True,
                name=component_id,  # one radio group: arrow keys move between choices
            ),
        ],
        className="control",
    )


def la_source(component_id: str, la: str | None) -> dcc.Store:
    """Where the page's LA came from: "link" (in the URL) or "default" (remembered LA wins)."""
    return dcc.Store(id=component_id, data="link" if la else "default")


def topic_options(catalogue: Catalogue) -> list[tuple[str, str]]:
    """Every topic, as select options."""
    return [(t, t) for t in catalogue.topics]


def indicator_options(catalogue: Catalogue, topic: str | None) -> list[tuple[str, str]]:
    """The indicators of one topic (all when ``topic`` is None), as select options."""
    return [(i, title) for i, title, t in catalogue.indicators if topic is None or t == topic]


def topic_of(catalogue: Catalogue, indicator_id: str | None) -> str | None:
    """The topic of an indicator (None if unknown)."""
    for i, _, topic in catalogue.indicators:
        if i == indicator_id:
            return topic
    return None


def period_options(catalogue: Catalogue, indicator_id: str | None) -> list[tuple[str, str]]:
    """The periods an indicator has, newest first, as select options."""
    periods = catalogue.periods.get(indicator_id or "", ())
    return [(str(tp), label) for tp, label in reversed(periods)]


def la_options(catalogue: Catalogue, *, include_none: str | None = None) -> list[tuple[str, str]]:
    """Single LAs (current first), optionally led by a "none" choice."""
    options = [(code, name) for code, name in catalogue.las]
    return ([("", include_none)] if include_none else []) + options


def csv_actions(button_id: str, download_id: str, label: str) -> html.Div:
    """A row holding one CSV download button (``button_id``) and its download target."""
    return html.Div(
        [
            html.Button(label, id=button_id, className="secondary", n_clicks=0),
            dcc.Download(id=download_id),
        ],
        className="chart-actions",
    )


def wanted_id(prefix: str) -> str:
    """The id of a chart block's "wanted" flag: True once its chart is computed or asked for."""
    return f"{prefix}-wanted"


def chart_block_id(prefix: str) -> str:
    """The id of a chart block's element (the ``html.Figure`` around chart and buttons)."""
    return f"{prefix}-figure"


def chart_block(prefix: str, title: str, *, height: int = 440) -> html.Figure:
    """A chart with caption, CSV and SVG buttons and a table view; ids derive from ``prefix``.

    Ids: ``{prefix}-graph``, ``{prefix}-caption``, ``{prefix}-csv``, ``{prefix}-download``,
    ``{prefix}-svg``, ``{prefix}-summary`` (the table's disclosure) and ``{prefix}-table``.
    The table (see ``table_region``) is drawn only while its disclosure is open
    (``callbacks.common.register_table``), so drawing a chart costs no table.
    ``wanted_id(prefix)`` (a ``dcc.Store``, False until the chart is computed or asked for)
    and the block's ``data-chart-put-off`` attribute: see ``callbacks.initial``.
    """
    return html.Figure(
        [
            html.H2(title, id=f"{prefix}-title"),
            dcc.Store(id=wanted_id(prefix), data=False),
            dcc.Loading(
                dcc.Graph(
                    id=f"{prefix}-graph",
                    config=GRAPH_CONFIG,
                    style={"height": f"{height}px"},
                ),
                type="default",
            ),
            html.Figcaption(id=f"{prefix}-caption", **aria(live="polite")),
            html.Div(
                [
                    html.Button(
                        "Download data (CSV)",
                        id=f"{prefix}-csv",
                        className="secondary",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Save chart as SVG", id=f"{prefix}-svg", className="secondary", n_clicks=0
                    ),
                    html.Button(
                        "Save chart as PNG", id=f"{prefix}-png", className="secondary", n_clicks=0
                    ),
                    dcc.Download(id=f"{prefix}-download"),
                ],
                className="chart-actions",
            ),
            html.Details(
                [
                    html.Summary(
                        "Table of the numbers in this chart", id=f"{prefix}-summary", n_clicks=0
                    ),
                    *table_region(f"{prefix}-table", f"Table: {title}"),
                ],
                className="data-table",
            ),
        ],
        className="chart",
        id=chart_block_id(prefix),
    )


def custom_group(
    catalogue: Catalogue, chosen: list[str], group_id: str, clear_id: str, max_group: int
) -> html.Details:
    """A keyboard-friendly multi-choice: labelled native checkboxes in a scrolling fieldset.

    Not a Dash 4 ``dcc.Dropdown(multi=True)`` (axe: aria-hidden-focus) nor ``dcc.Checklist``
    (an unnamed ``role="listbox"`` around focusable inputs and a hidden focusable copy).
    """
    return html.Details(
        [
            html.Summary(f"Custom comparison group (optional, up to {max_group} LAs)"),
            html.Fieldset(
                [
                    html.Legend("LAs to compare with instead of the statistical neighbours"),
                    html.P(
                        "When any are ticked, they replace the neighbour release. "
                        f"Only the first {max_group} are used.",
                        className="hint",
                        id=f"{group_id}-hint",
                    ),
                    html.Button(
                        "Clear the custom group",
                        id=clear_id,
                        className="secondary",
                        n_clicks=0,
                    ),
                    html.Div(
                        dbc.Checklist(
                            id=group_id,
                            options=[
                                {"label": name, "value": code} for code, name in catalogue.las
                            ],
                            value=chosen,
                        ),
                        className="table-wrap",
                        style={"maxHeight": "16rem", "marginTop": "8px"},
                        **aria(describedby=f"{group_id}-hint"),
                    ),
                ],
                className="control",
            ),
        ],
        open=bool(chosen),
        className="control wide",
    )


def table_region(table_id: str, label: str) -> list[Any]:
    """Where a table is drawn, and the ``dcc.Store`` (``{table_id}-data``) it is drawn from.

    The browser draws the table from the store's ``figures.tables.table_payload`` (see
    ``callbacks.common.register_table_draw``); Dash never sets the region's children. The
    region scrolls when long and is focusable, so keyboard users can scroll it; its
    ``data-rows`` attribute says how many rows are drawn.
    """
    return [
        html.Div(
            id=table_id,
            className="table-wrap",
            tabIndex="0",
            role="region",
            **aria(label=label),
        ),
        dcc.Store(id=f"{table_id}-data"),
    ]


def release_notice(catalogue: Catalogue, release: str | None) -> html.Div | None:
    """A note when a shared link was made with another data release."""
    if not release or release == catalogue.release:
        return None
    return html.Div(
        [
            html.Strong("This link was made with data release "),
            html.Code(release),
            ". The dashboard now holds release ",
            html.Code(catalogue.release),
            ": some numbers may have been revised since.",
        ],
        className="notice warning",
        role="note",
    )


def url_sync(prefix: str, keys: Sequence[str]) -> list[Any]:
    """Stores used by the page's URL-sync callback (query keys, and its output)."""
    return [
        dcc.Store(id=f"{prefix}-url-keys", data=list(keys)),
        dcc.Store(id=f"{prefix}-url-sync"),
    ]


def notices(sentences: Sequence[str], *, warning: bool = False) -> list[html.P]:
    """Notices above a page's charts, one paragraph each (as text, never markup)."""
    kind = "notice warning" if warning else "notice"
    return [html.P(text, className=kind) for text in sentences]


def pack_links(link_id: str, pdf_id: str, la_code: str, sn: str, stat: str) -> html.Div:
    """Links to the board pack (printable page and PDF); a page callback keeps their query."""
    query = f"area={la_code}&sn={sn}&stat={stat}"
    return html.Div(
        [
            html.A(
                "Board pack (printable page)",
                id=link_id,
                href=f"/pack?{query}",
                className="button-link",
            ),
            html.A(
                "Board pack (PDF)", id=pdf_id, href=f"/pack.pdf?{query}", className="button-link"
            ),
        ],
        className="chart-actions",
    )


def indicator_finder(indicator_id: str) -> html.Div:
    """Find an indicator by words: a search box and the matches, best first.

    Typing (at a pause) lists the matching indicators (``views.search``: titles, topics,
    descriptions and a synonym list, e.g. CLA = looked after); choosing one (arrow keys then
    Enter, or a click) sets the page's topic and indicator controls. Ids derive from the
    indicator control's: ``{indicator_id}-find`` (the box), ``-found`` (the matches) and
    ``-find-status`` (how many matched, announced politely). Wired by
    ``callbacks.common.register_indicator_finder``.
    """
    find, found = f"{indicator_id}-find", f"{indicator_id}-found"
    return html.Div(
        [
            html.Label("Find an indicator by words", htmlFor=find),
            dcc.Input(
                id=find,
                type="search",
                debounce=0.3,
                maxLength=200,
                autoComplete="off",
                placeholder="e.g. placement stability, CLA rate, NEET",
            ),
            html.Label("Matching indicators (best first)", htmlFor=found, className="hint"),
            dbc.Select(id=found, options=[], html_size="5", className="finder-matches"),
            html.Span(id=f"{find}-status", className="hint", **aria(live="polite")),
        ],
        className="control wide finder",
    )
