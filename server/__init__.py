"""The serving layer: what stands between the network and the app's Flask server.

``app.py`` (the composition root) builds the Dash app and hands this package the Flask server
or a factory for it; nothing here imports the app, its pages or its data, and nothing but
``app.py`` and ``wsgi.py`` imports this package.

* ``install(server, settings, ...)`` (from ``create_app``): rate limits (``limits``), headers,
  body limits and safe errors (``security``), the response memo (``memo``), gzip and cache
  lifetimes (``compression``).
* ``run_gunicorn(settings, build)`` (from ``python -m app serve``): the production server
  (``process``, ``worker``, ``asgi``).
* ``warmed(server)`` (from ``wsgi.py``): Dash's first-request setup done before serving.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from config import Settings
from server.compression import install_compression
from server.limits import CALLBACK_PATH, install_limits, parse_rate_limit
from server.memo import install_memo
from server.process import prepare_process, run_gunicorn, warm_up, warmed
from server.security import install_security

__all__ = ["install", "prepare_process", "run_gunicorn", "warm_up", "warmed"]


def install(
    server: Flask,
    settings: Settings,
    *,
    script_hashes: Callable[[], list[str]],
    release: Callable[[], str],
) -> Flask:
    """Put the serving layer on ``server`` (once, after every route and callback exists).

    ``script_hashes``: the hashes of Dash's inline scripts (``app.csp_hashes``), read at the
    first response. ``release``: the store release the current request is answered from.
    The steps run, per request, in this order: rate limit, body and request checks, memo
    lookup, the app; then compression, memo keeping, headers.
    """
    install_limits(
        server,
        parse_rate_limit(settings.rate_limit),
        trusted_proxies=settings.trusted_proxies,
    )
    install_security(server, script_hashes=script_hashes)
    if settings.callback_cache_mb > 0:
        install_memo(
            server,
            release,
            path=CALLBACK_PATH,
            max_bytes=settings.callback_cache_mb * 1_000_000,
        )
    install_compression(server)
    return server
