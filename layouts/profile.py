"""LA profile: one local authority across every indicator, most unusual for its neighbours."""

from __future__ import annotations

from dash import dcc, html

from data.store import Catalogue
from layouts import ids
from layouts.benchmark import (
    MAX_GROUP,
    RELEASES,
    STATISTICS,
    checked_group,
    choice,
    la_choice,
)
from layouts.components import (
    aria,
    custom_group,
    la_options,
    pack_links,
    radios,
    release_notice,
    select,
    table_region,
    url_sync,
)

SCOPES = (
    ("judged", "Indicators with a better direction (better or worse)"),
    ("unjudged", "Indicators with no better direction (higher or lower)"),
    ("counts", "Counts and £ totals"),
    ("all", "All of these"),
)
DIRECTIONS = (
    ("any", "Any"),
    ("unusual", "Unusual for the neighbours (|z| of 2 or more)"),
    ("worse", "Worse than the neighbours"),
    ("better", "Better than the neighbours"),
    ("higher or lower", "Higher or lower (no better direction)"),
    ("similar", "Similar to the neighbours"),
    ("not compared", "Not compared (too few neighbours with data)"),
)
MAX_WORDS = 200
ALL_TOPICS = "all"


def _notice(text: str) -> html.Div:
    return html.Div(text, className="notice warning", role="note")


def layout(
    catalogue: Catalogue | None = None,
    *,
    la: str | None = None,
    release: str | None = None,
    sn: str | None = None,
    stat: str | None = None,
    group: str | None = None,
    show: str | None = None,
    topic: str | None = None,
    direction: str | None = None,
    q: str | None = None,
    **_: str,
) -> html.Div:
    """The LA profile page; query parameters preselect the controls (as the benchmark page's)."""
    title = html.H1("What is unusual for one local authority?")
    if catalogue is None:
        return html.Div(title)
    if sn is None and release in dict(RELEASES):
        sn, release = release, None
    la_code, source, notes = la_choice(catalogue, la)
    sn_value, bad_sn = choice(sn, RELEASES)
    stat_value, bad_stat = choice(stat, STATISTICS)
    scope_value, _bad_scope = choice(show, SCOPES)
    direction_value, _bad_direction = choice(direction, DIRECTIONS)
    topic_value = topic if topic in catalogue.topics else ALL_TOPICS
    group_value, dropped = checked_group(catalogue, group, la_code)
    if bad_sn:
        notes.append("The neighbour release in the link is not known; using 2025.")
    if bad_stat:
        notes.append("The average in the link is not known; using the mean.")
    if dropped:
        notes.append("Some LAs in the link's custom group are unknown or repeated; left out.")
    return html.Div(
        [
            title,
            html.P(
                "Every indicator with a value for the local authority in its latest year, "
                "compared with its statistical neighbours: the neighbours' mean or median, "
                "the difference, how unusual the value is in the neighbours' own spread "
                "(a robust z), rank and quartile band among all LAs, England, and whether the "
                "gap to the neighbours has been closing or widening. The most unusual come "
                "first, worse before better. Each indicator opens its benchmark view.",
                className="lede",
            ),
            release_notice(catalogue, release),
            *[_notice(text) for text in notes],
            dcc.Store(id=ids.PROF_LA_SOURCE, data=source),
            html.Div(
                [
                    select(
                        ids.PROF_LA,
                        "Local authority",
                        la_options(catalogue),
                        la_code,
                    ),
                    radios(ids.PROF_RELEASE, "Statistical neighbours", RELEASES, sn_value),
                    radios(ids.PROF_STAT, "Neighbour average", STATISTICS, stat_value),
                    custom_group(
                        catalogue, group_value, ids.PROF_GROUP, ids.PROF_GROUP_CLEAR, MAX_GROUP
                    ),
                ],
                className="controls",
                role="group",
                **aria(label="Choose the local authority and its comparison group"),
            ),
            html.Div(
                [
                    radios(ids.PROF_SCOPE, "Show", SCOPES, scope_value),
                    select(
                        ids.PROF_TOPIC,
                        "Topic",
                        [(ALL_TOPICS, "All topics"), *((t, t) for t in catalogue.topics)],
                        topic_value,
                    ),
                    select(
                        ids.PROF_DIRECTION, "Compared with neighbours", DIRECTIONS, direction_value
                    ),
                    html.Div(
                        [
                            html.Label("Words in the indicator", htmlFor=ids.PROF_WORDS),
                            dcc.Input(
                                id=ids.PROF_WORDS,
                                type="search",
                                value=(q or "")[:MAX_WORDS],
                                debounce=0.4,
                                maxLength=MAX_WORDS,
                                placeholder="e.g. placement stability, CLA, NEET",
                                autoComplete="off",
                            ),
                        ],
                        className="control",
                    ),
                ],
                className="controls",
                role="group",
                **aria(label="Filter the indicators"),
            ),
            html.Div(id=ids.PROF_NOTE, **aria(live="polite")),
            _rows_block(la_code, sn_value, stat_value),
            *url_sync(ids.PROF, ids.PROF_KEYS),
        ]
    )


def _rows_block(la_code: str, sn: str, stat: str) -> html.Section:
    prefix = ids.PROF_ROWS
    return html.Section(
        [
            html.H2(
                "Every indicator, most unusual for the neighbours first", id=f"{prefix}-title"
            ),
            html.P(id=f"{prefix}-caption", **aria(live="polite")),
            pack_links(ids.PROF_PACK, ids.PROF_PACK_PDF, la_code, sn, stat),
            html.Div(
                [
                    html.Button(
                        "Download these rows (CSV)",
                        id=f"{prefix}-csv",
                        className="secondary",
                        n_clicks=0,
                    ),
                    dcc.Download(id=f"{prefix}-download"),
                ],
                className="chart-actions",
            ),
            html.Div(
                table_region(f"{prefix}-table", "Table: every indicator for the LA"),
                className="tall-table",
            ),
        ],
        **aria(labelledby=f"{prefix}-title"),
    )
