"""LA benchmark: one local authority against its statistical neighbours, its region and England."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from data.store import Catalogue
from layouts import ids
from layouts.components import (
    aria,
    chart_block,
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

#: Shown first when the store has them (the 2014 deck's placement stability measure).
PREFERRED_INDICATORS = ("lait_lacstable_2016on", "cla_at_31_march_rate")
#: The LA shown when the link names none and none is remembered (the 2014 deck's example).
DEFAULT_LA = "E06000009"
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


def _indicator(catalogue: Catalogue, requested: str | None) -> tuple[str | None, bool]:
    known = {i for i, _, _ in catalogue.indicators}
    if requested in known:
        return requested, False
    fallback = next((c for c in PREFERRED_INDICATORS if c in known), None)
    if fallback is None and catalogue.indicators:
        fallback = catalogue.indicators[0][0]
    return fallback, requested is not None


def choice(requested: str | None, options: tuple[tuple[str, str], ...]) -> tuple[str, bool]:
    values = [v for v, _ in options]
    if requested in values:
        return str(requested), False
    return values[0], requested is not None


def la_choice(catalogue: Catalogue, la: str | None) -> tuple[str, str, list[str]]:
    """The link's LA if known (source "url"), else the default (source "default"), and notes."""
    la_codes = {code for code, _ in catalogue.las}
    if la in la_codes:
        return str(la), "url", []
    notes = []
    if la is not None:
        notes.append("The local authority in the link is not known; showing the default.")
    la_code = DEFAULT_LA if DEFAULT_LA in la_codes else next(iter(catalogue.las), ("", ""))[0]
    return la_code, "default", notes


def checked_group(
    catalogue: Catalogue, requested: str | None, la: str | None
) -> tuple[list[str], bool]:
    if not requested:
        return [], False
    known = {code for code, _ in catalogue.las}
    asked = [c for c in requested.split(",")[: MAX_GROUP * 2] if c]
    kept = list(dict.fromkeys(c for c in asked if c in known and c != la))[:MAX_GROUP]
    return kept, len(kept) < len(asked)


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


def _notice(text: str) -> html.Div:
    return html.Div(text, className="notice warning", role="note")


def layout(
    catalogue: Catalogue | None = None,
    *,
    la: str | None = None,
    indicator: str | None = None,
    period: str | None = None,
    release: str | None = None,
    sn: str | None = None,
    stat: str | None = None,
    group: str | None = None,
    colour: str | None = None,
    lag: str | None = None,
    **_: str,
) -> html.Div:
    """The LA benchmark page; query parameters preselect the controls.

    ``sn`` is the neighbour release; ``release`` is the data release a shared link was made
    with (as on every page), though a link giving ``release=2021`` or ``2025`` means the
    neighbour release. ``group`` is a comma-separated list of LA codes.
    """
    title = html.H1("How does one local authority compare?")
    if catalogue is None:
        return html.Div(title)
    if sn is None and release in dict(RELEASES):
        sn, release = release, None
    la_code, source, notes = la_choice(catalogue, la)
    indicator_id, unknown = _indicator(catalogue, indicator)
    if unknown:
        notes.append("The indicator in the link is not in this data release; showing another.")
    periods = [v for v, _ in period_options(catalogue, indicator_id)]
    period_value = period if period in periods else (periods[0] if periods else None)
    if period is not None and period not in periods:
        notes.append("The year in the link has no data for this indicator; showing the latest.")
    sn_value, bad_sn = choice(sn, RELEASES)
    stat_value, bad_stat = choice(stat, STATISTICS)
    colour_value, _bad = choice(colour, COLOURS)
    if bad_sn:
        notes.append("The neighbour release in the link is not known; using 2025.")
    if bad_stat:
        notes.append("The average in the link is not known; using the mean.")
    group_value, dropped = checked_group(catalogue, group, la_code)
    if dropped:
        notes.append(
            "Some LAs in the link's custom group are unknown, repeated or the LA itself, or "
            f"beyond {MAX_GROUP}; they are left out."
        )
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
            release_notice(catalogue, release),
            *[_notice(text) for text in notes],
            dcc.Store(id=ids.BENCH_LA_SOURCE, data=source),
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
                        period_value,
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
                        catalogue, group_value, ids.BENCH_GROUP, ids.BENCH_GROUP_CLEAR, MAX_GROUP
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
            _radios(ids.BENCH_SPINE_COLOUR, "Colour the LA's dot by", COLOURS, colour_value),
            chart_block(ids.BENCH_SPINE, "Every indicator of the topic (spine chart)", height=600),
            html.Div(
                select(
                    ids.BENCH_LAG,
                    "Peer trajectories: how many years back",
                    [(str(k), f"{k} year{'s' if k > 1 else ''} ago") for k in LAGS],
                    lag if lag in {str(k) for k in LAGS} else str(DEFAULT_LAG),
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
            html.Div(
                [
                    html.Button(
                        "Download table (CSV)",
                        id=f"{prefix}-csv",
                        className="secondary",
                        n_clicks=0,
                    ),
                    dcc.Download(id=f"{prefix}-download"),
                ],
                className="chart-actions",
            ),
        ],
        **aria(labelledby=f"{prefix}-title"),
    )
