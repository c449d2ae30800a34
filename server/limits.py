"""Per-client rate limits on the callback and API routes, with Flask-Limiter.

* One limit per client address (``LA_VARIATION_RATE_LIMIT``, ``600/minute`` by default; ``off``
  for benchmarks or a deployment that limits at a trusted proxy), counted across the callback
  route and the API together, as a sliding window. ``/healthz`` and ``/readyz`` are exempt, and
  so are the pages, scripts and assets.
* Over the limit: ``429`` with a JSON body and ``Retry-After`` (whole seconds, at least 1).
* Counted in memory by default (per worker process), or in Redis when a storage URL is given
  (``LA_VARIATION_REDIS_URL``), so that every worker and server share one count per client.
  If Redis stops answering, each process counts in memory until it answers again (logged by
  Flask-Limiter); requests are never refused because the storage is down.
* The client is the socket's peer address, or, behind ``trusted_proxies`` proxies that set
  ``X-Forwarded-For``, the address that many places from its right.
"""

from __future__ import annotations

import logging
import math
import re
import time
from functools import partial

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded

from server.errors import json_error

CALLBACK_PATH = "/_dash-update-component"
#: The shell's layout, which carries the page that asks for it (``layouts.first_page``).
LAYOUT_PATH = "/_dash-layout"
LIMITED_PREFIXES = (CALLBACK_PATH, LAYOUT_PATH, "/api/")
EXEMPT_PATHS = ("/healthz", "/readyz")
#: Redis calls made for rate limiting give up after this long (then memory is used).
STORAGE_TIMEOUT_S = 0.25
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour)\s*$")


def parse_rate_limit(text: str | None) -> str | None:
    """``"600/minute"`` -> ``"600/minute"`` (normalised); ``"off"`` (or none) -> None.

    Raises:
        ValueError: For anything else (the setting is checked at start-up).
    """
    if text is None or text.strip().casefold() in ("off", "none", "0", "false"):
        return None
    match = _RATE_RE.match(text.casefold())
    if not match or int(match.group(1)) < 1:
        raise ValueError(
            f"rate limit {text!r} is not like '600/minute' (per second, minute or hour) or 'off'"
        )
    return f"{int(match.group(1))}/{match.group(2)}"


def client_key(trusted_proxies: int = 0) -> str:
    """The client's address, for rate limiting.

    The socket's peer, or, when ``trusted_proxies`` proxies in front of us are trusted to set
    it, the address that many places from the right of ``X-Forwarded-For``.
    """
    if trusted_proxies > 0:
        forwarded = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= trusted_proxies:
            return forwarded[-trusted_proxies]
    return request.remote_addr or "unknown"


def is_limited(path: str) -> bool:
    """Whether requests to ``path`` count against the client's limit."""
    return path.startswith(LIMITED_PREFIXES) and path not in EXEMPT_PATHS


def install_limits(
    server: Flask,
    rate_limit: str | None,
    *,
    trusted_proxies: int = 0,
    storage_url: str | None = None,
) -> Limiter | None:
    """Limit each client on ``server``'s callback and API routes; None when ``rate_limit`` is off.

    ``rate_limit`` as returned by ``parse_rate_limit``; ``storage_url``: a ``redis://`` URL to
    count in, or None to count in this process's memory.
    """
    if rate_limit is None:
        return None
    options: dict[str, str | int | float] = {}
    if storage_url:
        options = {
            "socket_timeout": STORAGE_TIMEOUT_S,
            "socket_connect_timeout": STORAGE_TIMEOUT_S,
        }
    limiter = Limiter(
        partial(client_key, trusted_proxies),
        app=server,
        application_limits=[rate_limit],
        strategy="sliding-window-counter",
        storage_uri=storage_url or "memory://",
        storage_options=options,  # type: ignore[arg-type]
        key_prefix="la-variation",
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        headers_enabled=False,
    )
    limiter.request_filter(lambda: not is_limited(request.path))
    # Flask-Limiter logs every refused request at INFO: a flood would flood the log too.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)

    @server.errorhandler(RateLimitExceeded)
    def _too_many(_: RateLimitExceeded) -> Response:
        current = limiter.current_limit
        wait = current.reset_at - time.time() if current is not None else 1.0
        seconds = max(1, math.ceil(wait))
        response = json_error(
            429,
            "too many requests: slow down and retry after the given number of seconds",
            retry_after=seconds,
        )
        response.headers["Retry-After"] = str(seconds)
        return response

    return limiter
