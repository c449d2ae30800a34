"""Protections on the app's Flask server: headers, body size, malformed requests, safe errors.

* **Content-Security-Policy** without ``unsafe-eval`` (Dash's inline scripts allowed by their
  hashes, ``app.csp_hashes()``), ``frame-ancestors 'none'``, ``X-Content-Type-Options:
  nosniff``, a ``Referrer-Policy`` and a ``Permissions-Policy`` on every response.
* **Request bodies** over ``MAX_BODY_BYTES`` get ``413`` (JSON) before anything reads them,
  whether their length is declared or they come chunked (``BodyLimit``).
* **Malformed callback requests** (not a JSON object with the fields Dash sends) get ``400``
  (JSON) instead of reaching Dash's dispatcher.
* **Errors** never carry a traceback: any unhandled exception answers ``500`` with a short JSON
  body and is logged server-side with a request id. A path under
  ``/_dash-component-suites/`` that Dash does not serve is a ``404`` (Dash raises for it).
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from server.errors import error_body, json_error
from server.limits import CALLBACK_PATH

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000
COMPONENT_SUITES = "/_dash-component-suites/"
TOO_LARGE = f"request body larger than {MAX_BODY_BYTES} bytes"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


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


class BodyLimit:
    """WSGI middleware: a body over ``max_bytes`` gets 413 before the app reads any of it.

    A declared ``Content-Length`` is checked as it is. A chunked body (no length) is read up
    to ``max_bytes`` and handed on with its length, so the app reads it like any other; one
    byte more and the answer is 413 and the connection is closed (the rest is never read).
    """

    def __init__(self, app: WsgiApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Refuse, or hand the app a body it can read by its length."""
        declared = environ.get("CONTENT_LENGTH") or ""
        if declared.isdigit() and int(declared) > self.max_bytes:
            return self._refuse(start_response)
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = _read_at_most(environ["wsgi.input"], self.max_bytes + 1)
            if len(body) > self.max_bytes:
                return self._refuse(start_response)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["HTTP_TRANSFER_ENCODING"]
        return self.app(environ, start_response)

    def _refuse(self, start_response: Callable[..., Any]) -> list[bytes]:
        body = error_body(413, TOO_LARGE)
        start_response(
            "413 Request Entity Too Large",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("X-Content-Type-Options", "nosniff"),
                ("Connection", "close"),
            ],
        )
        return [body]


def _read_at_most(stream: Any, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = stream.read(limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def looks_like_dash_request(body: Any) -> bool:
    """Whether ``body`` has the shape of a callback request the page itself sends."""
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


def install_security(server: Flask, *, script_hashes: Callable[[], Sequence[str]]) -> None:
    """Add the headers, body limits and error handling to ``server`` (call once per app).

    ``script_hashes`` is called once, at the first response: Dash adds some inline scripts
    (e.g. Dash Pages' title updater) only when it sets itself up on the first request.
    """
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    server.debug = False
    server.wsgi_app = BodyLimit(server.wsgi_app)  # type: ignore[method-assign]
    policies: list[str] = []

    @server.before_request
    def _guard() -> Response | None:
        length = request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            return json_error(413, TOO_LARGE)
        if request.path == CALLBACK_PATH and request.method == "POST":
            body = request.get_json(silent=True)
            if not looks_like_dash_request(body):
                return json_error(400, "not a valid callback request")
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
        return json_error(413, TOO_LARGE)

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response | HTTPException:
        if isinstance(exc, HTTPException):
            return exc
        path = request.path
        if path.startswith(COMPONENT_SUITES):
            # Dash raises (DependencyException) for any script path it does not serve.
            log.info("no such component-suite file: %s (%s)", path[:200], type(exc).__name__)
            return json_error(404, "no such file")
        request_id = uuid.uuid4().hex[:12]
        log.exception("unhandled error on %s (request %s)", path, request_id)
        if path == CALLBACK_PATH:
            # Only a request the page itself would never send gets here: answer as such.
            return json_error(
                400, "could not process this callback request", request_id=request_id
            )
        return json_error(500, "internal error", request_id=request_id)
