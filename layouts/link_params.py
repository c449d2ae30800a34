"""The query parameters pages share (LA, indicator, period, release), declared once.

Each builder returns a ``layouts.link_query.Param`` over the catalogue; a page lists its
parameters and reads its link with ``read_link`` (see ``page_link``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import html

from data.store import Catalogue
from layouts.components import aria, notices, period_options
from layouts.link_query import Link, Options, Param, read_link

#: Shown first: the 2014 deck's placement stability measure, when the store has it.
PREFERRED_INDICATORS = ("lait_lacstable_2016on", "cla_at_31_march_rate")
#: The LA shown when the link names none and none is remembered (the 2014 deck's example).
DEFAULT_LA = "E06000009"


def la_param(catalogue: Catalogue, *, optional: bool = False) -> Param:
    """A single LA: Blackpool by default, or (``optional``) none highlighted."""
    options: Options = list(catalogue.las)
    if optional:
        return Param(
            "la",
            "a local authority in this release",
            [("", "None"), *options],
            default="",
            blank="no highlighted local authority",
        )
    return Param("la", "a local authority in this release", options, default=DEFAULT_LA)


def indicator_param(
    catalogue: Catalogue,
    name: str = "indicator",
    options: Options | None = None,
    preferred: Sequence[str] = (),
) -> Param:
    """An indicator of the release (or of ``options``), placement stability by default."""
    if options is None:
        options = [(i, title) for i, title, _ in catalogue.indicators]
    default = first_of(options, (*preferred, *PREFERRED_INDICATORS))
    return Param(name, "an indicator in this release", options, default=default)


def first_of(options: Options, candidates: Sequence[str]) -> str | None:
    """The first of ``candidates`` among the options' values (None when none is)."""
    known = {v for v, _ in options}
    return next((c for c in candidates if c in known), None)


def period_param(
    catalogue: Catalogue, name: str = "period", indicator: str = "indicator"
) -> Param:
    """A period of the indicator chosen as ``indicator``; its latest by default."""
    return Param(
        name,
        "a period of this indicator",
        lambda chosen: period_options(catalogue, chosen.get(indicator)),
        fallback="the latest",
    )


#: The data release a shared link was made with (any text; ``release_notice`` compares it).
RELEASE = Param("release", "", None)


def page_link(params: Sequence[Param], query: Mapping[str, object]) -> Link:
    """``read_link`` over the page's parameters and ``release``."""
    return read_link([*params, RELEASE], query)


def link_notices(link: Link) -> html.Div:
    """The link's notices, near the top of the page, in a polite live region."""
    return html.Div(
        notices(link.notices, warning=True),
        className="link-notices",
        role="status",
        **aria(live="polite"),
    )
