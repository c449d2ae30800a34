"""JSON/CSV data API on the app's Flask server (placeholder until built)."""

from __future__ import annotations

from typing import Any


def register(server: Any, store: Any) -> None:
    """No routes yet."""
    del server, store
