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
from layouts.variation import default_indicator

#: Starting level: the first period's value, or the mean of the first 2 or 3 periods.
START_OPTIONS = (
    ("1", "First year's value"),
    ("2", "Mean of the first 2 years"),
    ("3", "Mean of the first 3 years"),
)


def window_options(catalogue: Catalogue, indicator_id: str | None) -> list[tuple[str, str]]:
    """An indicator's periods, oldest first, as select options (for both ends of a window)."""
    return [(str(tp), label) for tp, label in catalogue.periods.get(indicator_id or "", ())]


def default_window(
    catalogue: Catalogue, indicator_id: str | None, first: str | None, last: str | None
) -> tuple[str | None, str | None, bool]:
    """The window's first and last periods, and whether a requested one was unknown.

    Earliest and latest unless valid ones are asked for; a reversed pair is swapped.
    """
    values = [v for v, _ in window_options(catalogue, indicator_id)]
    if not values:
        return None, None, False
    unknown = (first is not None and first not in values) or (
        last is not None and last not in values
    )
    start = first if first in values else values[0]
    end = last if last in values else values[-1]
    if values.index(start) > values.index(end):
        start, end = end, start
    return start, end, unknown


def _notes(messages: list[str]) -> list[html.Div]:
    return [html.Div(m, className="notice warning", role="note") for m in messages]


def layout(
    catalogue: Catalogue | None = None,
    *,
    indicator: str | None = None,
    start: str | None = None,
    la: str | None = None,
    release: str | None = None,
    **query: str,
) -> html.Div:
    """The pace-of-improvement page.

    Query parameters ``indicator``, ``from``, ``to``, ``start``, ``la`` and ``release``
    preselect the controls; unknown values fall back to defaults with a visible note.
    """
    title = html.H1("Pace of improvement: do better-performing LAs improve more slowly?")
    if catalogue is None:
        return html.Div(title)
    indicator_id, unknown_indicator = default_indicator(catalogue, indicator)
    first, last, unknown_period = default_window(
        catalogue, indicator_id, query.get("from"), query.get("to")
    )
    la_codes = {code for code, _ in catalogue.las}
    messages = []
    if unknown_indicator:
        messages.append(
            "The indicator in the link is not in this data release: showing the default."
        )
    if unknown_period and not unknown_indicator:
        messages.append(
            "A year in the link is not available for this indicator: using its full range."
        )
    if la and la not in la_codes:
        messages.append("The local authority in the link is not in this data release.")
    start_values = [v for v, _ in START_OPTIONS]
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
            release_notice(catalogue, release),
            *_notes(messages),
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
                        start if start in start_values else "1",
                    ),
                    select(
                        ids.IMP_LA,
                        "Highlight a local authority",
                        la_options(catalogue, include_none="None"),
                        la if la in la_codes else "",
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
            la_source(ids.IMP_LA_SOURCE, la if la in la_codes else None),
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
