"""Pace of improvement: do better-performing LAs improve more slowly, or is it noise?"""

from __future__ import annotations

from typing import Any

from dash import html

from data.store import Catalogue
from layouts import ids
from layouts.components import (
    aria,
    chart_block,
    indicator_finder,
    indicator_options,
    la_options,
    la_source,
    radios,
    release_notice,
    select,
    topic_of,
    topic_options,
    url_sync,
)
from layouts.link_params import indicator_param, la_param, link_notices, page_link
from layouts.link_query import Chosen, Link, Options, Param

#: Starting level: the first period's value, or the mean of the first 2 or 3 periods.
START_OPTIONS = (
    ("1", "First year's value"),
    ("2", "Mean of the first 2 years"),
    ("3", "Mean of the first 3 years"),
)


def window_options(catalogue: Catalogue, indicator_id: str | None) -> list[tuple[str, str]]:
    """An indicator's periods, oldest first, as select options (for both ends of a window)."""
    return [(str(tp), label) for tp, label in catalogue.periods.get(indicator_id or "", ())]


def params(catalogue: Catalogue) -> list[Param]:
    """The page's query parameters: the window runs from the earliest to the latest period."""

    def first(chosen: Chosen) -> Options:
        return window_options(catalogue, chosen.get("indicator"))

    def last(chosen: Chosen) -> Options:
        return list(reversed(first(chosen)))

    return [
        indicator_param(catalogue),
        Param("from", "a period of this indicator", first, fallback="the earliest"),
        Param("to", "a period of this indicator", last, fallback="the latest"),
        Param("start", "a starting level (1, 2 or 3 years)", START_OPTIONS),
        la_param(catalogue, optional=True),
    ]


def window(link: Link) -> tuple[str | None, str | None]:
    """The window's first and last periods (a reversed pair is swapped)."""
    start, end = link["from"], link["to"]
    if start is not None and end is not None and int(start) > int(end):
        return end, start
    return start, end


def layout(
    catalogue: Catalogue | None = None,
    **query: object,
) -> html.Div:
    """The pace-of-improvement page.

    Query parameters ``indicator``, ``from``, ``to``, ``start``, ``la`` and ``release``
    preselect the controls; a value not recognised falls back with a notice naming it.
    """
    title = html.H1("Pace of improvement: do better-performing LAs improve more slowly?")
    if catalogue is None:
        return html.Div(title)
    link = page_link(params(catalogue), query)
    indicator_id = link["indicator"]
    first, last = window(link)
    options = window_options(catalogue, indicator_id)
    return html.Div(
        [
            title,
            html.P(
                "The 2014 children's social care innovation deck plotted each LA's starting "
                "level against its improvement per year and read the downward slope as "
                "'better-performing local authorities improve more slowly'. This page draws "
                "the same chart for any indicator and window, with the fitted line's "
                "confidence band and the slope that regression to the mean alone would "
                "produce: an LA that starts high by chance tends to fall back, so some "
                "downward slope is expected even when level and improvement are unrelated.",
                className="lede",
            ),
            release_notice(catalogue, link["release"]),
            link_notices(link),
            html.Div(
                [
                    indicator_finder(ids.IMP_INDICATOR),
                    select(
                        ids.IMP_TOPIC,
                        "Topic",
                        topic_options(catalogue),
                        topic_of(catalogue, indicator_id),
                    ),
                    select(
                        ids.IMP_INDICATOR,
                        "Indicator",
                        indicator_options(catalogue, topic_of(catalogue, indicator_id)),
                        indicator_id,
                        wide=True,
                    ),
                    select(ids.IMP_FROM, "From", options, first),
                    select(ids.IMP_TO, "To", options, last),
                    radios(
                        ids.IMP_START,
                        "Starting level",
                        START_OPTIONS,
                        link["start"],
                    ),
                    select(
                        ids.IMP_LA,
                        "Highlight a local authority",
                        la_options(catalogue, include_none="None"),
                        link["la"],
                    ),
                ],
                className="controls",
                role="group",
                **aria(label="Choose what to show"),
            ),
            html.Section(
                id=ids.IMP_VERDICT,
                className="notice verdict",
                **aria(live="polite", label="What the chart shows"),
            ),
            chart_block(
                ids.IMP_SCATTER, "Starting level against improvement per year", height=540
            ),
            chart_block(ids.IMP_CHANGE, "Each LA's change per year", height=400),
            html.Details(
                [
                    html.Summary("How this is worked out"),
                    html.P(
                        "Each LA's change per year is the least-squares slope of its values "
                        "over the window (LAs need values in at least 3 years). Improvement is "
                        "that change turned so that up is always better. The fitted line is "
                        "the least-squares line of change per year on starting level across "
                        "LAs; its 95% band is the interval of the fitted mean."
                    ),
                    html.P(
                        "Regression to the mean: year-to-year noise that raises an LA's "
                        "starting value also lowers its measured change afterwards. The "
                        "turquoise line is the slope that noise alone produces, from 500 "
                        "seeded simulations in which each LA keeps its own noise but level "
                        "and trend are unrelated; the dotted lines bound 95% of those "
                        "slopes. Oldham's check correlates the change with the average of "
                        "the start and end levels instead. Only a slope beyond the noise-only "
                        "range is evidence that better-performing LAs improve more slowly."
                    ),
                    html.P(
                        "An LA's label (improving, worsening or no significant change) "
                        "comes from the t-test of its own slope at the 5% level."
                    ),
                ],
                className="method",
            ),
            la_source(ids.IMP_LA_SOURCE, link["la"] if "la" in link.from_link else None),
            *url_sync(ids.IMP, ids.IMP_KEYS),
        ]
    )


def verdict_block(finding: str, verdict: str, facts: list[tuple[str, str]]) -> list[Any]:
    """The verdict: the finding in words, the honest reading, and the numbers behind it."""
    items: list[Any] = []
    for label, text in facts:
        items += [html.Dt(label), html.Dd(text)]
    return [
        html.H2(finding.capitalize(), className="verdict-finding"),
        html.P(verdict),
        html.Dl(items, className="definitions"),
    ]
