"""Protections on the app's Flask server: headers, body size, rate limits, safe errors.

* **Content-Security-Policy** without ``unsafe-eval`` (Dash's inline scripts allowed by their
  hashes, ``app.csp_hashes()``), ``frame-ancestors 'none'``, ``X-Content-Type-Options:
  nosniff``, a ``Referrer-Policy`` and a ``Permissions-Policy`` on every response.
* **Request bodies** over ``MAX_BODY_BYTES`` get ``413`` (JSON), before Dash reads them.
* **Malformed callback requests** (not a JSON object with the fields Dash sends) get ``400``
  (JSON) instead of reaching Dash's dispatcher.
* **Rate limiting** per client on the callback and API routes (health routes exempt), from the
  ``LA_VARIATION_RATE_LIMIT`` setting (``600/minute`` by default; ``off`` for benchmarks or a
  deployment that limits at a trusted proxy): ``429`` with a JSON body and ``Retry-After``.
  Limits are per worker process (see docs/deploy.md).
* **Errors** never carry a traceback: any unhandled exception answers ``500`` with a short JSON
  or text body and is logged server-side with a request id.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
CALLBACK_PATH = "/_dash-update-component"
LIMITED_PREFIXES = (CALLBACK_PATH, "/api/")
EXEMPT_PATHS = ("/healthz", "/readyz")
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour)\s*$")
_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}


@dataclass(frozen=True, slots=True)
class RateLimit:
    """``requests`` per ``seconds`` per client; ``None`` (from ``off``) means unlimited."""

    requests: int
    seconds: float

    @classmethod
    def parse(cls, text: str | None) -> RateLimit | None:
        """``"600/minute"`` -> RateLimit(600, 60); ``"off"`` -> None.

        Raises:
            ValueError: For anything else (the setting is checked at start-up).
        """
        if text is None or text.strip().casefold() in ("off", "none", "0", "false"):
            return None
        m = _RATE_RE.match(text.casefold())
        if not m or int(m.group(1)) < 1:
            raise ValueError(
                f"rate limit {text!r} is not like '600/minute' (per second, minute or hour) "
                "or 'off'"
            )
        return cls(int(m.group(1)), _PERIODS[m.group(2)])


class TokenBuckets:
    """One token bucket per client key, refilled continuously; bounded memory (LRU)."""

    def __init__(self, limit: RateLimit, *, max_clients: int = 10_000) -> None:
        self.limit = limit
        self.rate = limit.requests / limit.seconds
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one token; return 0 if allowed, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, stamp = self._buckets.pop(key, (float(self.limit.requests), now))
            tokens = min(float(self.limit.requests), tokens + (now - stamp) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


def content_security_policy(script_hashes: Sequence[str]) -> str:
    """The policy: only our own origin, Dash's inline scripts by hash, no eval, no framing.

    ``style-src 'unsafe-inline'`` is needed by plotly.js, which sets inline styles on the SVG
    it draws; scripts stay strict.
    """
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


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


def _json_error(status: int, message: str, **extra: Any) -> Response:
    response = jsonify({"error": {"status": status, "message": message, **extra}})
    response.status_code = status
    return response


def _looks_like_dash_request(body: Any) -> bool:
    if not isinstance(body, dict):
        return False
    output = body.get("output")
    inputs = body.get("inputs")
    if not (isinstance(output, str) and len(output) < 10_000 and isinstance(inputs, list)):
        return False
    # Dash's own page router raises on a pathname that is not an absolute path.
    for item in inputs:
        if isinstance(item, dict) and item.get("id") == "_pages_location":
            value = item.get("value")
            if item.get("property") == "pathname" and not (
                isinstance(value, str) and value.startswith("/") and len(value) < 2_000
            ):
                return False
            if item.get("property") == "search" and not (
                value is None or (isinstance(value, str) and len(value) < 20_000)
            ):
                return False
    return True


def install(
    server: Flask,
    *,
    script_hashes: Callable[[], Sequence[str]],
    rate_limit: RateLimit | None,
    trusted_proxies: int = 0,
) -> None:
    """Add the headers, limits and error handling to ``server`` (call once per app).

    ``script_hashes`` is called once, at the first response: Dash adds some inline scripts
    (e.g. Dash Pages' title updater) only when it sets itself up on the first request.
    """
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    server.debug = False
    policies: list[str] = []
    buckets = TokenBuckets(rate_limit) if rate_limit else None

    @server.before_request
    def _guard() -> Response | None:
        path = request.path
        length = request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            return _json_error(413, f"request body larger than {MAX_BODY_BYTES} bytes")
        if buckets is not None and path.startswith(LIMITED_PREFIXES) and path not in EXEMPT_PATHS:
            wait = buckets.take(client_key(trusted_proxies))
            if wait > 0:
                response = _json_error(
                    429,
                    "too many requests: slow down and retry after the given number of seconds",
                    retry_after=math.ceil(wait),
                )
                response.headers["Retry-After"] = str(math.ceil(wait))
                return response
        if path == CALLBACK_PATH and request.method == "POST":
            body = request.get_json(silent=True)
            if not _looks_like_dash_request(body):
                return _json_error(400, "not a valid callback request")
        return None

    @server.after_request
    def _headers(response: Response) -> Response:
        if not policies:
            policies.append(content_security_policy(script_hashes()))
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policies[0])
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

    @server.errorhandler(RequestEntityTooLarge)
    def _too_large(_: RequestEntityTooLarge) -> Response:
        return _json_error(413, f"request body larger than {MAX_BODY_BYTES} bytes")

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response | HTTPException:
        if isinstance(exc, HTTPException):
            return exc
        request_id = uuid.uuid4().hex[:12]
        log.exception("unhandled error on %s (request %s)", request.path, request_id)
        if request.path == CALLBACK_PATH:
            # Only a request the page itself would never send gets here: answer as such.
            return _json_error(
                400, "could not process this callback request", request_id=request_id
            )
        return _json_error(500, "internal error", request_id=request_id)
