"""National context: England's and one LA's children's social care over time (the 2014 deck)."""

from __future__ import annotations

from dash import html

from data.store import Catalogue
from layouts import ids
from layouts.components import (
    aria,
    chart_block,
    la_options,
    la_source,
    release_notice,
    select,
    url_sync,
)
from layouts.link_params import la_param, link_notices, page_link
from layouts.link_query import Param

READING = (
    "Each chart has a row for England and a row for the chosen local authority, every panel "
    "on its own scale: compare shapes over time, not heights across rows. A break in a line "
    "is a year without a figure; nothing is filled in. Where two sources publish the same "
    "measure, DfE's statistical release (Explore Education Statistics) is used, and LAIT only "
    "for years that release does not cover; each point's marker and the table name its "
    "source. Rates are per 10,000 children aged 0-17. Spend on children's social care is "
    "the section 251 gross spend on children looked after, safeguarding, family support and "
    "other children's and families services; all children's and young people's services is "
    "a separate line. Spend is in cash: the shared data hold no deflator, so real-terms "
    "figures cannot be given."
)


def params(catalogue: Catalogue) -> list[Param]:
    """The page's query parameter: the LA."""
    return [la_param(catalogue)]


def layout(catalogue: Catalogue | None = None, **query: object) -> html.Div:
    """The page; query parameter ``la``."""
    title = html.H1("National context")
    if catalogue is None:
        return html.Div(title)
    link = page_link(params(catalogue), query)
    return html.Div(
        [
            title,
            html.P(
                "How many children are in need, on child protection plans and looked after, "
                "and what is spent on children's social care, in England and in one local "
                "authority, for every year this release holds (the national context charts "
                "of DfE's 2014 innovation programme deck).",
                className="lede",
            ),
            release_notice(catalogue, link["release"]),
            link_notices(link),
            html.Div(
                [select(ids.CTX_LA, "Local authority", la_options(catalogue), link["la"])],
                role="group",
                **aria(label="Choose what to show"),
            ),
            html.P(READING),
            chart_block(
                ids.CTX_NUMBERS, "Children in need, on plans and looked after: numbers", height=760
            ),
            chart_block(ids.CTX_RATES, "The same per 10,000 children aged 0-17", height=760),
            chart_block(ids.CTX_SPEND, "Spend on children's social care (cash)", height=760),
            la_source(ids.CTX_LA_SOURCE, link["la"] if "la" in link.from_link else None),
            *url_sync(ids.CTX, ids.CTX_KEYS),
        ]
    )
