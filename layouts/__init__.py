"""Page layouts: Dash component trees, one module per page (no I/O, no computation).

``PAGES`` is data: ``create_app`` registers each page explicitly (nothing is auto-discovered,
nothing registers at import).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from layouts import home, shell, variation


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page: its registry name, URL path, menu name, order and layout function."""

    module: str
    path: str
    name: str
    order: int
    layout: Callable[..., Any]


PAGES: tuple[PageSpec, ...] = (
    PageSpec(module="variation", path="/", name="Variation", order=0, layout=variation.layout),
    PageSpec(
        module="store", path="/store", name="What the store holds", order=90, layout=home.layout
    ),
)

__all__ = ["PAGES", "PageSpec", "shell"]
