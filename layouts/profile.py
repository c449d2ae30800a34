"""LA profile: one local authority across every indicator, most unusual for its neighbours."""

from __future__ import annotations

from dash import dcc, html

from data.store import Catalogue
from layouts import ids
from layouts.benchmark import (
    MAX_GROUP,
    RELEASES,
    STATISTICS,
    group_list,
    legacy_release,
    neighbour_params,
)
from layouts.components import (
    aria,
    csv_actions,
    custom_group,
    la_options,
    pack_links,
    radios,
    release_notice,
    select,
    table_region,
    url_sync,
)
from layouts.link_params import link_notices, page_link
from layouts.link_query import Param

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


def params(catalogue: Catalogue) -> list[Param]:
    """The page's query parameters (the LA and its group as the benchmark page's)."""
    topics = [(ALL_TOPICS, "All topics"), *((t, t) for t in catalogue.topics)]
    return [
        *neighbour_params(catalogue),
        Param("show", "a kind of indicator offered", SCOPES),
        Param("topic", "a topic in this release", topics),
        Param("direction", "a comparison offered", DIRECTIONS),
        Param("q", "", None),
    ]


def layout(
    catalogue: Catalogue | None = None,
    **query: object,
) -> html.Div:
    """The LA profile page; query parameters preselect the controls (as the benchmark page's)."""
    title = html.H1("What is unusual for one local authority?")
    if catalogue is None:
        return html.Div(title)
    link = page_link(params(catalogue), legacy_release(query))
    la_code = link["la"] or ""
    sn_value, stat_value = link["sn"] or RELEASES[0][0], link["stat"] or STATISTICS[0][0]
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
            release_notice(catalogue, link["release"]),
            link_notices(link),
            dcc.Store(id=ids.PROF_LA_SOURCE, data="url" if "la" in link.from_link else "default"),
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
                        catalogue,
                        group_list(link),
                        ids.PROF_GROUP,
                        ids.PROF_GROUP_CLEAR,
                        MAX_GROUP,
                    ),
                ],
                className="controls",
                role="group",
                **aria(label="Choose the local authority and its comparison group"),
            ),
            html.Div(
                [
                    radios(ids.PROF_SCOPE, "Show", SCOPES, link["show"]),
                    select(
                        ids.PROF_TOPIC,
                        "Topic",
                        [(ALL_TOPICS, "All topics"), *((t, t) for t in catalogue.topics)],
                        link["topic"],
                    ),
                    select(
                        ids.PROF_DIRECTION,
                        "Compared with neighbours",
                        DIRECTIONS,
                        link["direction"],
                    ),
                    html.Div(
                        [
                            html.Label("Words in the indicator", htmlFor=ids.PROF_WORDS),
                            dcc.Input(
                                id=ids.PROF_WORDS,
                                type="search",
                                value=(link["q"] or "")[:MAX_WORDS],
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
            csv_actions(f"{prefix}-csv", f"{prefix}-download", "Download these rows (CSV)"),
            html.Div(
                table_region(f"{prefix}-table", "Table: every indicator for the LA"),
                className="tall-table",
            ),
        ],
        **aria(labelledby=f"{prefix}-title"),
    )
