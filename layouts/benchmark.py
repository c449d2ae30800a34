"""LA benchmark: one local authority against its statistical neighbours, its region and England."""

from __future__ import annotations

from collections.abc import Mapping

import dash_bootstrap_components as dbc
from dash import dcc, html

from data.store import Catalogue
from layouts import ids
from layouts.components import (
    aria,
    chart_block,
    csv_actions,
    custom_group,
    indicator_finder,
    indicator_options,
    la_options,
    pack_links,
    period_options,
    release_notice,
    select,
    table_region,
    topic_of,
    topic_options,
    url_sync,
)
from layouts.link_params import indicator_param, la_param, link_notices, page_link, period_param
from layouts.link_query import Chosen, Link, Options, Param

RELEASES = (("2025", "2025 (latest)"), ("2021", "2021"))
STATISTICS = (("mean", "Mean (as DfE LAIT)"), ("median", "Median (as the DfE CSC dashboard)"))
COLOURS = (
    ("band", "Quartile band (A to D, as LAIT)"),
    ("significance", "Compared with England (95% interval, as Fingertips)"),
)
MAX_GROUP = 20
#: Years back for peer trajectories (the default and the choices).
LAGS = (1, 2, 3, 4, 5, 6, 8, 10)
DEFAULT_LAG = 3
LAG_OPTIONS = tuple((str(k), f"{k} year{'s' if k > 1 else ''} ago") for k in LAGS)


def group_list(link: Link) -> list[str]:
    """The custom group's LA codes read from the link."""
    return [code for code in (link["group"] or "").split(",") if code]


def neighbour_params(catalogue: Catalogue) -> list[Param]:
    """The LA and its comparison group (as the benchmark, profile and pack links give them)."""

    def others(chosen: Chosen) -> Options:
        return [(code, name) for code, name in catalogue.las if code != chosen.get("la")]

    return [
        la_param(catalogue),
        Param("sn", "a statistical neighbour release (2025 or 2021)", RELEASES),
        Param("stat", "a neighbour average (mean or median)", STATISTICS),
        Param("group", "another local authority in this release", others, many=MAX_GROUP),
    ]


def legacy_release(query: Mapping[str, object]) -> dict[str, object]:
    """Older links gave the neighbour release as ``release=2021``: read it as ``sn``."""
    if "sn" not in query and query.get("release") in dict(RELEASES):
        return {**{k: v for k, v in query.items() if k != "release"}, "sn": query["release"]}
    return dict(query)


def params(catalogue: Catalogue) -> list[Param]:
    """The page's query parameters."""
    return [
        *neighbour_params(catalogue),
        indicator_param(catalogue),
        period_param(catalogue),
        Param("colour", "a spine chart colouring (band or significance)", COLOURS),
        Param("lag", "a number of years back offered", LAG_OPTIONS, default=str(DEFAULT_LAG)),
    ]


def _radios(
    component_id: str, legend: str, options: tuple[tuple[str, str], ...], value: str
) -> html.Fieldset:
    """Radio buttons in a fieldset with a legend.

    ``dbc.RadioItems`` renders native ``<input type="radio">`` with ``<label for>``; Dash 4's
    ``dcc.RadioItems`` (used by ``layouts.components.radios``) renders an unnamed
    ``role="listbox"`` around focusable inputs, which axe reports (aria-input-field-name,
    nested-interactive).
    """
    return html.Fieldset(
        [
            html.Legend(legend),
            dbc.RadioItems(
                id=component_id,
                options=[{"label": text, "value": val} for val, text in options],
                value=value,
                inline=True,
                name=component_id,  # one radio group: arrow keys move between choices
                class_name="radio-row",
            ),
        ],
        className="control",
    )


def layout(
    catalogue: Catalogue | None = None,
    **query: object,
) -> html.Div:
    """The LA benchmark page; query parameters preselect the controls.

    ``sn`` is the neighbour release; ``release`` is the data release a shared link was made
    with (as on every page), though a link giving ``release=2021`` or ``2025`` means the
    neighbour release. ``group`` is a comma-separated list of LA codes. A value not
    recognised falls back to the default with a notice naming it.
    """
    title = html.H1("How does one local authority compare?")
    if catalogue is None:
        return html.Div(title)
    link = page_link(params(catalogue), legacy_release(query))
    la_code, indicator_id = link["la"] or "", link["indicator"]
    sn_value, stat_value = link["sn"] or RELEASES[0][0], link["stat"] or STATISTICS[0][0]
    topic = topic_of(catalogue, indicator_id)
    return html.Div(
        [
            title,
            html.P(
                "Pick a local authority and an indicator: see its values over time against "
                "its statistical neighbours (mean as DfE LAIT, or median as the DfE CSC "
                "dashboard, always with how many neighbours had data), its region and England; "
                "its neighbour group in one year with the high and low performer; its rank, "
                "quartile band and significance flags; and a spine chart of every indicator "
                "in the topic.",
                className="lede",
            ),
            release_notice(catalogue, link["release"]),
            link_notices(link),
            dcc.Store(id=ids.BENCH_LA_SOURCE, data="url" if "la" in link.from_link else "default"),
            html.Div(
                [
                    select(ids.BENCH_LA, "Local authority", la_options(catalogue), la_code),
                    indicator_finder(ids.BENCH_INDICATOR),
                    select(ids.BENCH_TOPIC, "Topic", topic_options(catalogue), topic),
                    select(
                        ids.BENCH_INDICATOR,
                        "Indicator",
                        indicator_options(catalogue, topic),
                        indicator_id,
                        wide=True,
                    ),
                    select(
                        ids.BENCH_PERIOD,
                        "Year (group chart and table)",
                        period_options(catalogue, indicator_id),
                        link["period"],
                    ),
                ],
                className="controls",
                role="group",
                **aria(label="Choose the local authority and indicator"),
            ),
            html.Div(
                [
                    _radios(ids.BENCH_RELEASE, "Statistical neighbours", RELEASES, sn_value),
                    _radios(ids.BENCH_STAT, "Neighbour average", STATISTICS, stat_value),
                    custom_group(
                        catalogue,
                        group_list(link),
                        ids.BENCH_GROUP,
                        ids.BENCH_GROUP_CLEAR,
                        MAX_GROUP,
                    ),
                ],
                className="controls",
                role="group",
                **aria(label="Choose the comparison group"),
            ),
            html.Div(id=ids.BENCH_NOTE, **aria(live="polite")),
            pack_links(ids.BENCH_PACK, ids.BENCH_PACK_PDF, la_code, sn_value, stat_value),
            chart_block(ids.BENCH_SERIES, "Over time: the LA, its neighbours, region and England"),
            chart_block(
                ids.BENCH_GAP, "The gap to the comparison group over time: closing or widening?"
            ),
            chart_block(ids.BENCH_NEIGHBOURS, "Inside the comparison group, in the chosen year"),
            _summary_block(),
            _radios(
                ids.BENCH_SPINE_COLOUR, "Colour the LA's dot by", COLOURS, link["colour"] or "band"
            ),
            chart_block(ids.BENCH_SPINE, "Every indicator of the topic (spine chart)", height=600),
            html.Div(
                select(
                    ids.BENCH_LAG,
                    "Peer trajectories: how many years back",
                    LAG_OPTIONS,
                    link["lag"],
                ),
                className="controls",
            ),
            chart_block(ids.BENCH_PEERS, "LAs at our level some years ago: where are they now?"),
            *url_sync(ids.BENCH, ids.BENCH_KEYS),
        ]
    )


def _summary_block() -> html.Section:
    prefix = ids.BENCH_SUMMARY
    return html.Section(
        [
            html.H2(
                "Rank, quartile band and significance in the chosen year", id=f"{prefix}-title"
            ),
            html.P(id=f"{prefix}-caption", **aria(live="polite")),
            *table_region(f"{prefix}-table", "Table: rank, quartile band and significance"),
            csv_actions(f"{prefix}-csv", f"{prefix}-download", "Download table (CSV)"),
        ],
        **aria(labelledby=f"{prefix}-title"),
    )
