"""Page layouts: Dash component trees, one module per page (no I/O, no computation).

``PAGES`` is data: ``create_app`` registers each page explicitly (nothing is auto-discovered,
nothing registers at import).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from layouts import (
    accessibility,
    benchmark,
    compare,
    context,
    data_page,
    improvement,
    profile,
    shell,
    value,
    variation,
)
from layouts import map as map_page


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page: its registry name, URL path, menu name, order and layout function.

    ``charts``: whether the page draws plotly charts (``dcc.Graph``); the pages that do load
    plotly.js with the page itself instead of when their first graph mounts.
    """

    module: str
    path: str
    name: str
    order: int
    layout: Callable[..., Any]
    charts: bool = True


PAGES: tuple[PageSpec, ...] = (
    PageSpec(module="variation", path="/", name="Variation", order=0, layout=variation.layout),
    PageSpec(
        module="benchmark",
        path="/benchmark",
        name="LA benchmark",
        order=1,
        layout=benchmark.layout,
    ),
    PageSpec(
        module="profile",
        path="/profile",
        name="LA profile",
        order=2,
        layout=profile.layout,
        charts=False,
    ),
    PageSpec(
        module="improvement",
        path="/improvement",
        name="Pace of improvement",
        order=2,
        layout=improvement.layout,
    ),
    PageSpec(
        module="compare",
        path="/compare",
        name="Compare indicators",
        order=2,
        layout=compare.layout,
    ),
    PageSpec(
        module="context",
        path="/context",
        name="National context",
        order=3,
        layout=context.layout,
    ),
    PageSpec(module="value", path="/value", name="Value", order=3, layout=value.layout),
    PageSpec(module="map", path="/map", name="Map", order=4, layout=map_page.layout),
    PageSpec(
        module="data",
        path="/data",
        name="Data and definitions",
        order=5,
        layout=data_page.layout,
        charts=False,
    ),
    PageSpec(
        module="accessibility",
        path="/accessibility",
        name="Accessibility",
        order=6,
        layout=accessibility.layout,
        charts=False,
    ),
)

__all__ = ["PAGES", "PageSpec", "shell"]
