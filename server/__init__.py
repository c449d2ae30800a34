"""The serving layer: what stands between the network and the app's Flask server.

``app.py`` (the composition root) builds the Dash app and hands this package the Flask server
or a factory for it; nothing here imports the app, its pages or its data, and nothing but
``app.py`` and ``wsgi.py`` imports this package.

* ``deployment(settings)``: what this server shares with the others, the Redis of
  ``LA_VARIATION_REDIS_URL`` if any (``shared``) and the agreed store release (``release``).
* ``install(server, settings, ...)`` (from ``create_app``): rate limits (``limits``), headers,
  body limits and safe errors (``security``), the response memo (``memo``), gzip and cache
  lifetimes (``compression``), and ``/readyz`` (``release``).
* ``run_gunicorn(settings, build)`` (from ``python -m app serve``): the production server
  (``process``, ``worker``, ``asgi``).
* ``warmed(server)`` (from ``wsgi.py``): Dash's first-request setup done before serving.
* ``serve_plotly_bundle(server, url, bundle)`` (from ``create_app``): the partial plotly.js
  where ``dcc.Graph`` fetches plotly.js (``plotly_bundle``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask

from config import Settings
from server.compression import install_compression
from server.limits import install_limits, parse_rate_limit
from server.memo import install_memo
from server.plotly_bundle import serve_plotly_bundle
from server.process import prepare_process, run_gunicorn, warm_up, warmed
from server.release import Releases, install_readiness
from server.security import install_security
from server.shared import SharedState

__all__ = [
    "Deployment",
    "deployment",
    "install",
    "prepare_process",
    "run_gunicorn",
    "serve_plotly_bundle",
    "warm_up",
    "warmed",
]


@dataclass(frozen=True)
class Deployment:
    """What a server shares with the others (one per process that serves)."""

    shared: SharedState
    releases: Releases

    def health(self) -> dict[str, Any]:
        """This server's part of ``/healthz``: the shared state, and a problem if any."""
        return self.shared.health()


def deployment(settings: Settings) -> Deployment:
    """The deployment ``settings`` describe (nothing is contacted yet)."""
    shared = SharedState(settings.redis_url)
    return Deployment(shared=shared, releases=Releases(settings.store_dir, shared))


def install(
    server: Flask,
    settings: Settings,
    *,
    script_hashes: Callable[[], Sequence[str]],
    release: Callable[[], str],
    deployment: Deployment,
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
        storage_url=settings.redis_url,
    )
    install_security(server, script_hashes=script_hashes)
    if settings.callback_cache_mb > 0:
        install_memo(
            server,
            release,
            max_bytes=settings.callback_cache_mb * 1_000_000,
            shared=deployment.shared,
        )
    install_readiness(server, deployment.releases, release)
    install_compression(server)
    return server
