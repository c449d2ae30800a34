"""Map page (placeholder until the page is built)."""

from __future__ import annotations

from dash import html

from data.store import Catalogue


def layout(catalogue: Catalogue | None = None, **_: str) -> html.Div:
    """Placeholder."""
    return html.Div(html.H1("Map"))
