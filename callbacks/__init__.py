"""Callbacks: thin glue, one module per page (store -> indicator function -> figure builder).

``REGISTRARS`` lists each page's ``register(app, store)``; ``create_app`` calls them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callbacks import (
    benchmark,
    compare,
    context,
    data_page,
    improvement,
    profile,
    value,
    variation,
)
from callbacks import map as map_page

REGISTRARS: tuple[Callable[[Any, Any], None], ...] = (
    variation.register,
    benchmark.register,
    profile.register,
    improvement.register,
    compare.register,
    context.register,
    value.register,
    map_page.register,
    data_page.register,
)
