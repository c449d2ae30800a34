"""Any indicator against any other: one point per LA, with Pearson and Spearman correlation."""

from __future__ import annotations

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
    release_notice,
    select,
    topic_of,
    topic_options,
    url_sync,
)
from layouts.link_params import indicator_param, la_param, link_notices, page_link, period_param
from layouts.link_query import Param

#: The second indicator offered first (the first is the site's usual default).
PREFERRED_Y = ("cla_at_31_march_rate", "lait_childpov", "iod_idaci_average_score")

READING = (
    "Each point is a local authority: its value on the first indicator across, on the second "
    "up. Pearson's r measures how closely the points follow a straight line; Spearman's rho "
    "compares the LAs' rank orders, so one extreme LA moves it less. Both run from -1 to 1 "
    "(0: no association); the intervals are 95% confidence intervals. A correlation is not "
    "a cause: two indicators can move together because both follow need, size or a third "
    "thing. The chosen LA and its statistical neighbours are marked."
)


def params(catalogue: Catalogue) -> list[Param]:
    """The page's query parameters: two indicators with their periods, and an LA."""
    return [
        indicator_param(catalogue, "x"),
        period_param(catalogue, "x_period", indicator="x"),
        indicator_param(catalogue, "y", preferred=PREFERRED_Y),
        period_param(catalogue, "y_period", indicator="y"),
        la_param(catalogue),
    ]


def _indicator_controls(
    catalogue: Catalogue,
    which: str,
    indicator_id: str | None,
    period: str | None,
    control_ids: tuple[str, str, str],
) -> html.Fieldset:
    topic_id, indicator_control, period_id = control_ids
    topic = topic_of(catalogue, indicator_id)
    return html.Fieldset(
        [
            html.Legend(which),
            indicator_finder(indicator_control),
            select(topic_id, "Topic", topic_options(catalogue), topic),
            select(
                indicator_control,
                "Indicator",
                indicator_options(catalogue, topic),
                indicator_id,
                wide=True,
            ),
            select(period_id, "Year", period_options(catalogue, indicator_id), period),
        ],
        className="controls",
    )


def layout(catalogue: Catalogue | None = None, **query: object) -> html.Div:
    """The page; query parameters ``x``, ``x_period``, ``y``, ``y_period`` and ``la``."""
    title = html.H1("Any indicator against any other")
    if catalogue is None:
        return html.Div(title)
    link = page_link(params(catalogue), query)
    x_ids = (ids.CMP_X_TOPIC, ids.CMP_X_INDICATOR, ids.CMP_X_PERIOD)
    y_ids = (ids.CMP_Y_TOPIC, ids.CMP_Y_INDICATOR, ids.CMP_Y_PERIOD)
    return html.Div(
        [
            title,
            html.P(
                "Do LAs that do well on one measure do well on another? Pick two indicators "
                "and their years: every LA with a value on both is a point.",
                className="lede",
            ),
            release_notice(catalogue, link["release"]),
            link_notices(link),
            html.Div(
                [
                    _indicator_controls(catalogue, "Across", link["x"], link["x_period"], x_ids),
                    _indicator_controls(catalogue, "Up", link["y"], link["y_period"], y_ids),
                    select(ids.CMP_LA, "Local authority", la_options(catalogue), link["la"]),
                ],
                role="group",
                **aria(label="Choose what to show"),
            ),
            html.P(READING),
            chart_block(ids.CMP_SCATTER, "One indicator against another", height=520),
            la_source(ids.CMP_LA_SOURCE, link["la"] if "la" in link.from_link else None),
            *url_sync(ids.CMP, ids.CMP_KEYS),
        ]
    )
