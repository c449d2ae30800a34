"""Variation (home page): how widely LAs differ on one indicator in one period."""

from __future__ import annotations

from collections.abc import Sequence

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
    period_options,
    radios,
    release_notice,
    select,
    topic_of,
    topic_options,
    url_sync,
)
from layouts.link_params import indicator_param, la_param, link_notices, page_link, period_param
from layouts.link_query import Param

#: Neighbour releases offered for the trend when the store names none, newest first.
RELEASES = ("2025", "2021")
N_OPTIONS = (("5", "5"), ("10", "10"), ("15", "15"), ("20", "20"))
ADJUST_OPTIONS = (("none", "Poisson/binomial"), ("random", "Adjusted for over-dispersion"))
#: How to read the within-group share (the chart's caption gives the numbers).
SIMILAR_AREAS = (
    "Statistical neighbours are groups of LAs with similar populations. If similar areas "
    "performed alike, the variation inside each group would be small. The within-group share "
    "is the average variance inside a neighbour group as a share of the variance across all "
    "LAs. Groups of LAs picked at random would give a little under 1 (a group of 11 varies "
    "slightly less than all 150), so the share is set against that value: a ratio of 1 means "
    "neighbours are no more alike than LAs picked at random; near 0, neighbours are alike and "
    "the differences lie between kinds of area. The interval is a bootstrap 95% interval."
)
NARROWING = (
    "The spread across LAs in each year: the coefficient of variation (SD / mean) where it is "
    "defined in every year (percentages, rates, counts and money, which have a true zero), "
    "else the interquartile range, with the within-group share beside it."
)

EXPECTED_GIVEN_NEED = (
    "How much of the variation is need? Each LA's value is set against the value expected "
    "from three measures of need (IDACI, the share of children in low-income families and "
    "the size of the child population, each the latest release at or before the year shown) "
    "by a robust regression across LAs. R² is the share of the variance across LAs that need "
    "accounts for; the rest is unexplained by need. Points outside the 99.8% prediction limits "
    "sit further from their expected value than need alone would suggest. Above or below "
    "expected is not better or worse: see the methods page."
)


def stats_strip(items: Sequence[tuple[str, str]]) -> list[html.Li]:
    """The summary strip's items: each figure in bold before its label."""
    return [html.Li([html.Strong(figure), label]) for figure, label in items]


def params(catalogue: Catalogue) -> list[Param]:
    """The page's query parameters."""
    releases = catalogue.sn_releases or RELEASES
    return [
        indicator_param(catalogue),
        period_param(catalogue),
        la_param(catalogue, optional=True),
        Param("n", "a number of LAs offered (5, 10, 15 or 20)", N_OPTIONS, default="10"),
        Param("adjust", "a funnel plot limit (none or random)", ADJUST_OPTIONS),
        Param("sn", "a statistical neighbour release", [(r, r) for r in releases]),
    ]


def layout(catalogue: Catalogue | None = None, **query: object) -> html.Div:
    """The variation page; query parameters preselect the controls."""
    if catalogue is None:
        return html.Div(html.H1("How much do local authorities vary?"))
    link = page_link(params(catalogue), query)
    indicator_id = link["indicator"]
    topic = topic_of(catalogue, indicator_id)
    return html.Div(
        [
            html.H1("How much do local authorities vary?"),
            html.P(
                "Pick an indicator and a year: the chart shows the 10 best and 10 worst "
                "local authorities (highest and lowest where no direction is better), with "
                "England and the median LA marked, then every LA and, where DfE publishes the "
                "counts behind a rate, a funnel plot that separates real differences from "
                "small-number noise.",
                className="lede",
            ),
            release_notice(catalogue, link["release"]),
            link_notices(link),
            html.Div(
                [
                    indicator_finder(ids.VAR_INDICATOR),
                    select(ids.VAR_TOPIC, "Topic", topic_options(catalogue), topic),
                    select(
                        ids.VAR_INDICATOR,
                        "Indicator",
                        indicator_options(catalogue, topic),
                        indicator_id,
                        wide=True,
                    ),
                    select(
                        ids.VAR_PERIOD,
                        "Year",
                        period_options(catalogue, indicator_id),
                        link["period"],
                    ),
                    select(
                        ids.VAR_LA,
                        "Highlight a local authority",
                        la_options(catalogue, include_none="None"),
                        link["la"],
                    ),
                    select(
                        ids.VAR_N,
                        "How many at each end",
                        N_OPTIONS,
                        link["n"],
                    ),
                ],
                className="controls",
                role="group",
                **aria(label="Choose what to show"),
            ),
            html.Div(id=ids.VAR_NOTE, **aria(live="polite")),
            html.Ul(id=ids.VAR_STATS, className="stats", **aria(label="How widely LAs vary")),
            chart_block(ids.VAR_BW, "Best and worst local authorities"),
            chart_block(ids.VAR_DIST, "Every local authority", height=340),
            radios(
                ids.VAR_ADJUST,
                "Funnel plot limits",
                ADJUST_OPTIONS,
                link["adjust"],
            ),
            chart_block(ids.VAR_FUNNEL, "Funnel plot: is the difference more than chance?"),
            html.P(EXPECTED_GIVEN_NEED),
            chart_block(ids.VAR_NEED, "Expected given need", height=460),
            html.P(SIMILAR_AREAS),
            chart_block(ids.VAR_WITHIN, "Do similar areas vary as much?", height=300),
            html.P(NARROWING),
            radios(
                ids.VAR_SN,
                "Statistical neighbours for the within-group share by year",
                [(r, r) for r in catalogue.sn_releases or RELEASES],
                link["sn"],
            ),
            chart_block(ids.VAR_TREND, "Is variation narrowing?", height=560),
            la_source(ids.VAR_LA_SOURCE, link["la"] if "la" in link.from_link else None),
            *url_sync(ids.VAR, ids.VAR_KEYS),
        ]
    )
