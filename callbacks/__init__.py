"""Callbacks: thin glue, one module per page (store -> indicator function -> figure builder).

``REGISTRARS`` lists each page's ``register(app, store)``; ``create_app`` calls them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from callbacks import variation

REGISTRARS: tuple[Callable[[Any, Any], None], ...] = (variation.register,)
