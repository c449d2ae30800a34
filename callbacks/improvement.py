"""Pace of improvement page glue (placeholder until the page is built)."""

from __future__ import annotations

from dash import Dash

from data.store import Store


def register(app: Dash, store: Store) -> None:
    """No callbacks yet."""
    del app, store
