"""Value: spend per child against an outcome, and who provides the services (spend mix)."""

from __future__ import annotations

import math

from dash import html

from data.store import Catalogue
from layouts import ids
from layouts.components import (
    aria,
    chart_block,
    la_options,
    la_source,
    notices,
    release_notice,
    select,
    topic_of,
    url_sync,
)
from layouts.link_params import first_of, indicator_param, la_param, link_notices, page_link
from layouts.link_query import Param

#: First choices: the deck's pairing of children-looked-after spend and placement stability.
PREFERRED_SPEND = ("s251_totallacfinance_per_child", "s251_c_ypexpenditure_per_child")
PREFERRED_OUTCOMES = (
    "lait_lacstable_2016on",
    "cla_stability_long_term_under_16_same_carer_2_years_pct",
)
PREFERRED_LINES = ("fostering", "residential_care")
_LINE_PREFIX = "s251_line_"
_PARTS = ("own_provision", "private_provision", "other_public", "voluntary")


def spend_options(catalogue: Catalogue) -> list[tuple[str, str]]:
    """The spend-per-child measures (s251 gross spend per child aged 0-17)."""
    found = [(i, title) for i, title, _ in catalogue.indicators if i.endswith("_per_child")]
    return sorted(found, key=lambda o: (o[0] not in PREFERRED_SPEND, o[1]))


def outcome_topics(catalogue: Catalogue) -> list[tuple[str, str]]:
    """Topics that can hold outcomes (every topic but the spend ones)."""
    return [(t, t) for t in catalogue.topics if not t.lower().startswith("spend")]


def topic_indicators(catalogue: Catalogue, topic: str | None) -> list[tuple[str, str]]:
    """A topic's indicators (the callback narrows them to those with a better direction)."""
    return [(i, title) for i, title, t in catalogue.indicators if t == topic]


def line_options(catalogue: Catalogue) -> list[tuple[str, str]]:
    """s251 lines that hold all four provider parts, by name."""
    ids_ = {i for i, _, _ in catalogue.indicators}
    titles = {i: title for i, title, _ in catalogue.indicators}
    lines = []
    for i in sorted(ids_):
        if i.startswith(_LINE_PREFIX) and i.endswith("__own_provision"):
            line = i[len(_LINE_PREFIX) : -len("__own_provision")]
            if all(f"{_LINE_PREFIX}{line}__{p}" in ids_ for p in _PARTS):
                lines.append((line, titles[i].split(":")[0]))
    return sorted(lines, key=lambda o: (o[0] not in PREFERRED_LINES, o[1]))


def services_height(n_services: int) -> int:
    """Pixel height of the service-line chart: three small panels a row."""
    return max(360, 280 * max(1, math.ceil(n_services / 3)) + 120)


def year_end_of(time_period: int) -> int:
    """The year a period ends (201112 -> 2012; 2025 -> 2025); the callback refines it."""
    return time_period // 100 + 1 if time_period > 9999 else time_period


def year_options(catalogue: Catalogue, spend: str | None) -> list[tuple[str, str]]:
    """Years (ending) the spend measure has, newest first; the callback aligns the outcome."""
    periods = catalogue.periods.get(spend or "", ())
    return [
        (str(year_end_of(tp)), f"Year ending {year_end_of(tp)}") for tp, _ in reversed(periods)
    ]


def params(catalogue: Catalogue) -> list[Param]:
    """The page's query parameters (the deck's pairing first)."""
    every = [(i, t) for i, t, _ in catalogue.indicators if not i.endswith("_per_child")]
    spends, lines = spend_options(catalogue), line_options(catalogue)
    return [
        Param(
            "spend",
            "a spend-per-child measure in this release",
            spends,
            default=first_of(spends, PREFERRED_SPEND),
        ),
        indicator_param(catalogue, "outcome", every, PREFERRED_OUTCOMES),
        Param(
            "year",
            "a year of this spend measure",
            lambda chosen: year_options(catalogue, chosen.get("spend")),
            fallback="the latest",
        ),
        la_param(catalogue, optional=True),
        Param(
            "line",
            "a service line with a provider split",
            lines,
            default=first_of(lines, PREFERRED_LINES),
        ),
    ]


def layout(
    catalogue: Catalogue | None = None,
    **query: object,
) -> html.Div:
    """The value page.

    Query parameters ``spend``, ``outcome``, ``year``, ``la``, ``line`` and ``release``
    preselect the controls; a value not recognised falls back with a notice naming it.
    """
    title = html.H1("Value: spend per child against outcomes")
    if catalogue is None:
        return html.Div(title)
    link = page_link(params(catalogue), query)
    spend_id, outcome_id = link["spend"], link["outcome"]
    topic = topic_of(catalogue, outcome_id)
    empty = "This data release holds no spend per child, so the value page is empty."
    return html.Div(
        [
            title,
            html.P(
                "Section 251 gross spend per child aged 0-17 against an outcome, with the "
                "England medians splitting LAs into quadrants, then who provides the services "
                "(the LA itself, private, other public or voluntary providers) and how spend "
                "splits between service lines over time, for England and a chosen LA. A high "
                "or low spend is not good or bad in itself: need, prices and accounting differ "
                "between LAs, and spending more is not shown here to cause better outcomes.",
                className="lede",
            ),
            release_notice(catalogue, link["release"]),
            link_notices(link),
            *notices([] if spend_id else [empty], warning=True),
            html.Div(
                [
                    select(
                        ids.VAL_SPEND,
                        "Spend per child",
                        spend_options(catalogue),
                        spend_id,
                        wide=True,
                    ),
                    select(ids.VAL_TOPIC, "Outcome topic", outcome_topics(catalogue), topic),
                    select(
                        ids.VAL_OUTCOME,
                        "Outcome (indicators with a better direction)",
                        topic_indicators(catalogue, topic),
                        outcome_id,
                        wide=True,
                    ),
                    select(ids.VAL_YEAR, "Year", year_options(catalogue, spend_id), link["year"]),
                    select(
                        ids.VAL_LA,
                        "Local authority",
                        la_options(catalogue, include_none="None (England only)"),
                        link["la"],
                    ),
                    select(
                        ids.VAL_LINE,
                        "Service line for the provider split",
                        line_options(catalogue),
                        link["line"],
                    ),
                ],
                className="controls",
                role="group",
                **aria(label="Choose what to show"),
            ),
            chart_block(ids.VAL_SCATTER, "Spend per child against the outcome", height=540),
            chart_block(ids.VAL_MIX, "Who provides the services: spend by provider", height=460),
            chart_block(
                ids.VAL_SERVICES,
                "Spend per child by service line over time",
                height=services_height(len(spend_options(catalogue))),
            ),
            la_source(ids.VAL_LA_SOURCE, link["la"] if "la" in link.from_link else None),
            *url_sync(ids.VAL, ids.VAL_KEYS),
        ]
    )
