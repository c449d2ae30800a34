"""Glue shared by every page: input checks, table and CSV wiring, URL and SVG wiring.

The CSV files themselves are written by ``callbacks.csv_files``.

Callback inputs come from the browser and are never trusted: every id, period and LA code is
checked against the store before use (an unknown one means "no update"), list lengths are
capped, and nothing from a request is echoed into HTML except through Dash's escaping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import plotly.graph_objects as go
from dash import ClientsideFunction, Dash, Input, Output, State, no_update
from dash.exceptions import PreventUpdate

from callbacks.csv_files import csv_file
from callbacks.initial import Initial, initial_outputs
from data.store import Store
from figures.markup import plain_figure
from figures.style import empty_figure
from figures.tables import DataView, blank, table_payload
from layouts import ids
from layouts.components import notices, wanted_id
from views.benchmark import MAX_CUSTOM_LAS
from views.indicator_search import find_indicators

#: What a chart handler returns: the figure, its caption and its numbers (table and CSV).
ChartOutput = tuple[go.Figure, str, DataView]


def checked_indicator(store: Store, indicator_id: Any) -> str:
    """The indicator id if the store has it, else ``PreventUpdate``."""
    if not isinstance(indicator_id, str) or not store.has_indicator(indicator_id):
        raise PreventUpdate
    return indicator_id


def checked_period(store: Store, indicator_id: str, period: Any) -> int:
    """The period as an int if the indicator has it, else the latest one."""
    periods = store.catalogue.periods.get(indicator_id, ())
    if not periods:
        raise PreventUpdate
    try:
        wanted = int(period)
    except (TypeError, ValueError):
        return periods[-1][0]
    known = {tp for tp, _ in periods}
    return wanted if wanted in known else periods[-1][0]


def checked_la(store: Store, area_code: Any) -> str | None:
    """A single LA's code if the store knows it; None for anything else (no LA chosen)."""
    if isinstance(area_code, str) and area_code in store.la_codes:
        return area_code
    return None


def checked_las(store: Store, codes: Any) -> list[str]:
    """A list of known LA codes (at most ``MAX_CUSTOM_LAS``), dropping anything else."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(",") if c]
    if not isinstance(codes, list):
        return []
    out = [c for c in codes[: MAX_CUSTOM_LAS * 2] if isinstance(c, str) and c in store.la_codes]
    return list(dict.fromkeys(out))[:MAX_CUSTOM_LAS]


def indicator_choices(store: Store, topic: Any, current: Any) -> tuple[list[dict[str, str]], str]:
    """The indicators of a topic; keeps the current one when it belongs to the topic."""
    options = [
        {"label": title, "value": i} for i, title, t in store.catalogue.indicators if t == topic
    ]
    if not options:
        raise PreventUpdate
    values = [o["value"] for o in options]
    return options, current if current in values else values[0]


def period_choices(
    store: Store, indicator_id: Any, current: Any
) -> tuple[list[dict[str, str]], str]:
    """An indicator's periods, newest first; keeps the current one when the indicator has it."""
    indicator_id = checked_indicator(store, indicator_id)
    periods = store.catalogue.periods.get(indicator_id, ())
    if not periods:
        raise PreventUpdate
    options = [{"label": label, "value": str(tp)} for tp, label in reversed(periods)]
    values = [o["value"] for o in options]
    return options, str(current) if str(current) in values else values[0]


def table_open(n_clicks: Any) -> bool:
    """Whether a chart's table disclosure is open: each click on its summary toggles it."""
    return isinstance(n_clicks, int) and not isinstance(n_clicks, bool) and n_clicks % 2 == 1


def register_table_draw(app: Dash, table_id: str) -> None:
    """Draw ``{table_id}-data`` (a ``table_payload`` or None) into the region ``table_id``.

    Client side (``la_variation.draw_table`` in ``assets/app.js``): the region's ``data-rows``
    attribute becomes the number of rows drawn ("" when cleared).
    """
    app.clientside_callback(
        ClientsideFunction(namespace="la_variation", function_name="draw_table"),
        Output(table_id, "data-rows"),
        Input(f"{table_id}-data", "data"),
        State(table_id, "id"),
    )


def register_table(app: Dash, store: Store, block: ChartBlock) -> None:
    """Fill ``{prefix}-table`` with ``block``'s table while its disclosure is open.

    Closed, a table is empty: drawing a chart or opening a page asks for no table.
    """
    app.callback(
        Output(f"{block.prefix}-table-data", "data"),
        Input(f"{block.prefix}-summary", "n_clicks"),
        *[Input(i, "value") for i in block.inputs],
        prevent_initial_call=True,
    )(partial(table_data, store, block))
    register_table_draw(app, f"{block.prefix}-table")


def table_data(store: Store, block: ChartBlock, n_clicks: Any, *args: Any) -> Any:
    """The rows of ``block``'s table for the controls' values ``args``; None while closed.

    The rows are the handler's ``DataView``, the selected LA's row marked.
    """
    if not table_open(n_clicks):
        return None
    view = block.handler(store, *args)[2]
    la = checked_la(store, args[block.la_index]) if block.la_index is not None else None
    return table_payload(view, selected=la)


def remember_la(store: Store, la: Any, remembered: Any, source: Any) -> tuple[Any, Any, Any]:
    """Carry the chosen LA across pages for the session.

    Returns the LA control's value, the session's remembered LA and the LA's source. A page
    opened without an LA in its link (``source`` "default") first takes the remembered LA, if
    any, and is then marked "remembered"; after that, and on a page opened from a link, every
    LA shown is remembered. (``ctx.triggered_id`` cannot tell the first call apart: a page
    rendered by Dash Pages reports its controls as the trigger.)
    """
    chosen, kept = checked_la(store, la), checked_la(store, remembered)
    if source == "default":
        return kept if kept is not None and kept != chosen else no_update, no_update, "remembered"
    if chosen is None:
        raise PreventUpdate
    return no_update, chosen, no_update


def register_remember_la(app: Dash, store: Store, la_id: str, source_id: str) -> None:
    """Wire a page's LA control to the session's remembered LA (see ``remember_la``)."""

    @app.callback(
        Output(la_id, "value", allow_duplicate=True),
        Output(ids.SELECTED_LA, "data", allow_duplicate=True),
        Output(source_id, "data"),
        Input(la_id, "value"),
        State(ids.SELECTED_LA, "data"),
        State(source_id, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def _remember(la: Any, remembered: Any, source: Any) -> tuple[Any, Any, Any]:
        return remember_la(store, la, remembered, source)


def register_url_sync(app: Dash, prefix: str, control_ids: Sequence[str]) -> None:
    """Mirror a page's controls into the query string (client side; no re-render)."""
    app.clientside_callback(
        ClientsideFunction(namespace="la_variation", function_name="sync_url"),
        Output(f"{prefix}-url-sync", "data"),
        [Input(cid, "value") for cid in control_ids],
        State(f"{prefix}-url-keys", "data"),
        State(ids.RELEASE, "data"),
    )


def register_csv(
    app: Dash,
    store: Store,
    prefix: str,
    handler: ChartHandler,
    inputs: tuple[str, ...],
    *,
    name_inputs: int,
) -> None:
    """The chart block's "Download data (CSV)" (exactly the table's rows) and SVG buttons.

    The CSV: ``handler(store, *values)[2]``, named after ``prefix`` and ``name_inputs`` values.
    """
    register_download(app, store, prefix, lambda *a: handler(*a)[2], inputs, name_inputs)
    register_svg(app, prefix)


def register_download(
    app: Dash,
    store: Store,
    prefix: str,
    rows: Callable[..., DataView],
    inputs: tuple[str, ...],
    name_inputs: int,
) -> None:
    """``{prefix}-csv`` downloads ``rows(store, *values)`` as CSV, named after the values."""
    app.callback(
        Output(f"{prefix}-download", "data"),
        Input(f"{prefix}-csv", "n_clicks"),
        *[State(i, "value") for i in inputs],
        prevent_initial_call=True,
    )(partial(csv_file, store, rows, prefix, name_inputs))


#: A chart block's view: (store, *inputs) -> (figure, caption, DataView, ...).
ChartHandler = Callable[..., tuple[Any, ...]]
#: Some outputs from the controls' values: (*values) -> {(component id, property): value}.
Fill = Callable[..., dict[tuple[str, str], Any]]
#: Some (component id, property) pairs; some component ids.
Targets = Sequence[tuple[str, str]]
Ids = tuple[str, ...]

#: A graph's height when its figure sets none (plotly's default is 450).
DEFAULT_GRAPH_HEIGHT = 440


def graph_style(figure: go.Figure) -> dict[str, str]:
    """The style of the ``dcc.Graph`` drawing ``figure``: as tall as the figure, in pixels.

    The graph's box must be the figure's size before plotly draws: dcc.Graph asks plotly to
    fit the plot to its box right after the first draw (``Plots.resize``), and a box of
    another height draws the whole chart a second time (and moves the page under the reader).
    """
    return {"height": f"{figure.layout.height or DEFAULT_GRAPH_HEIGHT}px"}


#: A page's chart blocks: prefix -> (view, ids of the controls it reads, in order).
ChartSpecs = dict[str, tuple[ChartHandler, tuple[str, ...]]]


@dataclass(frozen=True)
class ChartBlock:
    """The wiring of a chart block (``layouts.components.chart_block``; ids from ``prefix``).

    ``handler(store, *values)`` returns ``(figure, caption, DataView, ...)`` for the values of
    the controls ``inputs``; ``la_index``: which input is the selected LA (its table row is
    marked; None for a chart of no LA); ``name_inputs``: how many values name the CSV file.
    """

    prefix: str
    handler: ChartHandler
    inputs: tuple[str, ...]
    la_index: int | None = None
    name_inputs: int = 2


def register_chart(app: Dash, store: Store, block: ChartBlock) -> None:
    """A whole chart block: figure and caption, table on demand, CSV and SVG."""
    fill = partial(chart_outputs, store, block)
    failed = partial(failed_chart, block.prefix)
    register_filled(app, chart_targets(block.prefix), block.inputs, fill, failed, block.prefix)
    register_table(app, store, block)
    register_csv(
        app, store, block.prefix, block.handler, block.inputs, name_inputs=block.name_inputs
    )


def register_filled(
    app: Dash, targets: Targets, inputs: Ids, fill: Fill, failed: Any, chart: str | None = None
) -> None:
    """``targets`` = ``fill(*values)``: with the page (``callbacks.initial``), then on changes.

    ``chart``: the prefix of the chart block filled, put off unless it is the page's first.
    """
    initial_outputs(app).add(Initial(inputs, fill, failed, chart))
    wanted = [Input(wanted_id(chart), "data")] if chart is not None else []
    listen = [*(Input(i, "value") for i in inputs), *wanted]
    callback = partial(filled, fill, len(inputs), chart is not None)
    app.callback(*[Output(i, p) for i, p in targets], *listen, prevent_initial_call=True)(callback)


def filled(fill: Fill, n_inputs: int, put_off: bool, *args: Any) -> tuple[Any, ...]:
    """``fill``'s values for the controls' values; nothing while a put-off chart is not wanted.

    ``args``: the controls' values, then (``put_off``) the chart's "wanted" flag.
    """
    if put_off and args[-1] is not True:
        raise PreventUpdate  # not come to yet (see callbacks.initial)
    return tuple(fill(*args[:n_inputs]).values())


def chart_targets(prefix: str) -> tuple[tuple[str, str], ...]:
    """A chart block's outputs: its figure, its graph's height (``graph_style``), caption."""
    graph = f"{prefix}-graph"
    return ((graph, "figure"), (graph, "style"), (f"{prefix}-caption", "children"))


def drawn_chart(prefix: str, figure: go.Figure, caption: str) -> dict[tuple[str, str], Any]:
    """``chart_targets`` -> values: ``figure`` without markup from the data, its height."""
    values = (plain_figure(figure), graph_style(figure), caption)
    return dict(zip(chart_targets(prefix), values, strict=True))


def chart_outputs(store: Store, block: ChartBlock, *args: Any) -> dict[tuple[str, str], Any]:
    """``block``'s chart outputs for the controls' values ``args``."""
    return drawn_chart(block.prefix, *block.handler(store, *args)[:2])


def failed_chart(prefix: str, text: str) -> dict[tuple[str, str], Any]:
    """A chart block's outputs saying ``text`` instead of a chart."""
    return drawn_chart(prefix, *message(text)[:2])


def register_topic_choices(app: Dash, store: Store, topic_id: str, indicator_id: str) -> None:
    """A topic control narrows its page's indicator control (``indicator_choices``)."""

    @app.callback(
        Output(indicator_id, "options"),
        Output(indicator_id, "value"),
        Input(topic_id, "value"),
        State(indicator_id, "value"),
        prevent_initial_call=True,
    )
    def _topic(topic: Any, current: Any) -> tuple[Any, Any]:
        return indicator_choices(store, topic, current)

    register_indicator_finder(app, store, topic_id, indicator_id)


#: Most matches a finder lists.
FINDER_MATCHES = 25


def indicator_matches(store: Store, words: Any) -> tuple[list[dict[str, str]], None, str]:
    """A finder's matches for ``words`` (options, best first), no choice yet, and a status."""
    if not isinstance(words, str) or not words.strip():
        return [], None, ""
    hits = find_indicators(store, words, limit=FINDER_MATCHES)
    topics = {i: t for i, _, t in store.catalogue.indicators}
    options = [
        {"label": f"{h.title} ({topics.get(h.indicator_id, '')})", "value": h.indicator_id}
        for h in hits
    ]
    if not options:
        return [], None, "No indicator matches these words."
    more = "" if len(options) < FINDER_MATCHES else f" (the best {FINDER_MATCHES} shown)"
    return options, None, f"{len(options)} indicators match{more}, best first."


def chosen_indicator(store: Store, indicator_id: Any) -> tuple[str, list[dict[str, str]], str]:
    """A finder's choice: the topic, that topic's indicators, and the indicator."""
    ident = checked_indicator(store, indicator_id)
    topic = next(t for i, _, t in store.catalogue.indicators if i == ident)
    options, value = indicator_choices(store, topic, ident)
    return topic, options, value


def register_indicator_finder(app: Dash, store: Store, topic_id: str, indicator_id: str) -> None:
    """Wire ``layouts.components.indicator_finder(indicator_id)`` to the page's controls."""
    _register_find(app, store, indicator_id)
    _register_choose(app, store, topic_id, indicator_id)


def _register_find(app: Dash, store: Store, indicator_id: str) -> None:
    """The finder's words list its matches (``indicator_matches``)."""
    find, found = f"{indicator_id}-find", f"{indicator_id}-found"

    @app.callback(
        Output(found, "options"),
        Output(found, "value"),
        Output(f"{find}-status", "children"),
        Input(find, "value"),
        prevent_initial_call=True,
    )
    def _find(words: Any) -> tuple[Any, Any, str]:
        return indicator_matches(store, words)


def _register_choose(app: Dash, store: Store, topic_id: str, indicator_id: str) -> None:
    """A match chosen sets the topic and indicator controls (``chosen_indicator``)."""

    @app.callback(
        Output(topic_id, "value", allow_duplicate=True),
        Output(indicator_id, "options", allow_duplicate=True),
        Output(indicator_id, "value", allow_duplicate=True),
        Input(f"{indicator_id}-found", "value"),
        prevent_initial_call=True,
    )
    def _choose(chosen: Any) -> tuple[Any, Any, Any]:
        return chosen_indicator(store, chosen)


def register_period_choices(app: Dash, store: Store, indicator_id: str, period_id: str) -> None:
    """An indicator control sets the periods its page offers (``period_choices``)."""

    @app.callback(
        Output(period_id, "options"),
        Output(period_id, "value"),
        Input(indicator_id, "value"),
        State(period_id, "value"),
        prevent_initial_call=True,
    )
    def _periods(indicator: Any, current: Any) -> tuple[Any, Any]:
        return period_choices(store, indicator, current)


def register_svg(app: Dash, prefix: str) -> None:
    """The chart block's "Save chart as SVG" and "... as PNG" buttons (client side).

    Plotly's exporter saves a copy of the chart with its title, period, source and licence
    line, named after the LA, indicator and period (``assets/app.js``, ``la_variation_export``).
    """
    for kind in ("svg", "png"):
        app.clientside_callback(
            ClientsideFunction(namespace="la_variation", function_name=f"download_{kind}"),
            Output(f"{prefix}-{kind}", "n_clicks"),
            Input(f"{prefix}-{kind}", "n_clicks"),
            State(f"{prefix}-graph", "id"),
            State(f"{prefix}-title", "children"),
            prevent_initial_call=True,
        )


def message(text: str) -> ChartOutput:
    """A chart block that says why it has nothing to draw (figure, caption and table)."""
    return empty_figure(text), text, blank(text)


def register_clear(app: Dash, button_id: str, output: Output) -> None:
    """A button that empties a list control (e.g. the custom comparison group)."""

    @app.callback(output, Input(button_id, "n_clicks"), prevent_initial_call=True)
    def _clear(n_clicks: Any) -> list[str]:
        if not n_clicks:
            raise PreventUpdate
        return []


def register_notes(
    app: Dash,
    store: Store,
    output_id: str,
    handler: Callable[..., list[str]],
    inputs: tuple[str, ...],
) -> None:
    """Notices above a page's charts: ``handler(store, *values)`` gives their sentences."""

    @app.callback(Output(output_id, "children"), *[Input(i, "value") for i in inputs])
    def _notes(*args: Any) -> list[Any]:
        return notices(handler(store, *args))


@dataclass(frozen=True)
class SummaryBlock:
    """The wiring of a table block with no chart (caption and rows; ids from ``prefix``).

    ``handler(store, *values)`` returns ``(caption, DataView)``; the CSV holds those rows, or
    ``csv_rows(store, *values)`` when given (e.g. the raw numbers of a table whose cells are
    formatted per row).
    """

    prefix: str
    handler: Callable[..., tuple[str, DataView]]
    inputs: tuple[str, ...]
    csv_rows: Callable[..., DataView] | None = None


def register_summary(app: Dash, store: Store, block: SummaryBlock) -> None:
    """A table block: caption and rows, drawn by the browser, and its CSV."""
    fill = partial(summary_outputs, store, block)
    register_filled(app, _summary_targets(block.prefix), block.inputs, fill, None)
    register_table_draw(app, f"{block.prefix}-table")
    rows = block.csv_rows or (lambda *a: block.handler(*a)[1])
    register_download(app, store, block.prefix, rows, block.inputs, 2)


def _summary_targets(prefix: str) -> tuple[tuple[str, str], ...]:
    return ((f"{prefix}-caption", "children"), (f"{prefix}-table-data", "data"))


def summary_outputs(store: Store, block: SummaryBlock, *args: Any) -> dict[tuple[str, str], Any]:
    """``block``'s caption and table rows for the controls' values ``args``."""
    caption, view = block.handler(store, *args)
    return dict(zip(_summary_targets(block.prefix), (caption, table_payload(view)), strict=True))
