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

#: Neighbour releases offered for the trend when the store names none, newest first.
RELEASES = ("2025", "2021")
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

#: Shown first: the 2014 deck's placement stability measure, when the store has it.
PREFERRED_INDICATORS = ("lait_lacstable_2016on", "cla_at_31_march_rate")


def default_indicator(catalogue: Catalogue, requested: str | None) -> tuple[str | None, bool]:
    """The indicator to show and whether the requested one was unknown."""
    known = {i for i, _, _ in catalogue.indicators}
    if requested in known:
        return requested, False
    for candidate in PREFERRED_INDICATORS:
        if candidate in known:
            return candidate, requested is not None
    first = catalogue.indicators[0][0] if catalogue.indicators else None
    return first, requested is not None


def default_period(
    catalogue: Catalogue, indicator: str | None, requested: str | None
) -> str | None:
    """The requested period if the indicator has it, else its latest."""
    options = period_options(catalogue, indicator)
    values = [v for v, _ in options]
    if requested in values:
        return requested
    return values[0] if values else None


def stats_strip(items: Sequence[tuple[str, str]]) -> list[html.Li]:
    """The summary strip's items: each figure in bold before its label."""
    return [html.Li([html.Strong(figure), label]) for figure, label in items]


def layout(
    catalogue: Catalogue | None = None,
    *,
    indicator: str | None = None,
    period: str | None = None,
    la: str | None = None,
    n: str | None = None,
    adjust: str | None = None,
    sn: str | None = None,
    release: str | None = None,
    **_: str,
) -> html.Div:
    """The variation page; query parameters preselect the controls."""
    if catalogue is None:
        return html.Div(html.H1("How much do local authorities vary?"))
    indicator_id, unknown = default_indicator(catalogue, indicator)
    topic = topic_of(catalogue, indicator_id)
    la_codes = {code for code, _ in catalogue.las}
    releases = catalogue.sn_releases or RELEASES
    notes = []
    if unknown:
        notes.append(
            html.Div(
                "The indicator in the link is not in this data release.",
                className="notice warning",
            )
        )
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
            release_notice(catalogue, release),
            *notes,
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
                        default_period(catalogue, indicator_id, period),
                    ),
                    select(
                        ids.VAR_LA,
                        "Highlight a local authority",
                        la_options(catalogue, include_none="None"),
                        la if la in la_codes else "",
                    ),
                    select(
                        ids.VAR_N,
                        "How many at each end",
                        [("5", "5"), ("10", "10"), ("15", "15"), ("20", "20")],
                        n if n in ("5", "10", "15", "20") else "10",
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
                [("none", "Poisson/binomial"), ("random", "Adjusted for over-dispersion")],
                adjust if adjust in ("none", "random") else "none",
            ),
            chart_block(ids.VAR_FUNNEL, "Funnel plot: is the difference more than chance?"),
            html.P(SIMILAR_AREAS),
            chart_block(ids.VAR_WITHIN, "Do similar areas vary as much?", height=300),
            html.P(NARROWING),
            radios(
                ids.VAR_SN,
                "Statistical neighbours for the within-group share by year",
                [(r, r) for r in releases],
                sn if sn in releases else releases[0],
            ),
            chart_block(ids.VAR_TREND, "Is variation narrowing?", height=560),
            la_source(ids.VAR_LA_SOURCE, la if la in la_codes else None),
            *url_sync(ids.VAR, ids.VAR_KEYS),
        ]
    )
