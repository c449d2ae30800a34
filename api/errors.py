"""The API's one error type and its JSON form.

Every failure a client can cause is an ``ApiError`` naming the query parameter at fault; it
becomes a JSON body such as::

    {"error": {"status": 404, "code": "not_found", "parameter": "indicator",
               "message": "unknown indicator id; the ids are listed at /api/v1/indicators"}}

404 means a well-formed identifier names nothing (an unknown indicator, area or period of that
indicator, or an unknown endpoint); 400 means the request itself is wrong (a missing, repeated,
unknown or malformed parameter, or a value of the wrong kind, such as a region where a single
LA is needed). The client's raw value is never echoed back.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Response
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    429: "too_many_requests",
    500: "internal_error",
}


class ApiError(Exception):
    """A client error: HTTP ``status``, the ``parameter`` at fault (or None), a ``message``."""

    def __init__(self, status: int, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter

    def body(self) -> dict[str, Any]:
        """The JSON body of the error response."""
        error: dict[str, Any] = {
            "status": self.status,
            "code": _CODES.get(self.status, "error"),
            "parameter": self.parameter,
            "message": self.message,
        }
        return {"error": error}


def bad_request(parameter: str | None, message: str) -> ApiError:
    """A 400 error about ``parameter``."""
    return ApiError(400, message, parameter=parameter)


def not_found(parameter: str | None, message: str) -> ApiError:
    """A 404 error about ``parameter``."""
    return ApiError(404, message, parameter=parameter)


def error_response(error: ApiError) -> Response:
    """The JSON response for ``error`` (never cached: the next request may differ)."""
    from api.serialise import json_response

    response = json_response(error.body(), status=error.status)
    response.headers["Cache-Control"] = "no-store"
    return response


def http_error_response(exc: HTTPException) -> Response:
    """A JSON body for a werkzeug HTTP error (405, 413...) raised under the API's paths."""
    status = exc.code or 500
    message = exc.description or exc.name
    response = error_response(ApiError(status, str(message)))
    if status == 405 and exc.response is None:
        allowed = getattr(exc, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
    return response


def internal_error_response(exc: BaseException) -> Response:
    """A JSON 500 for an unexpected exception: logged with an id, no details sent."""
    incident = uuid.uuid4().hex[:12]
    log.error("API internal error %s", incident, exc_info=exc)
    return error_response(
        ApiError(500, f"internal error (incident {incident}); it has been logged")
    )
