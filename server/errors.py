"""The JSON error body every serving layer answers with: ``{"error": {"status", "message"}}``.

The Flask layers send it with ``json_error``; the WSGI and ASGI wrappers, which answer before
Flask sees a request (a body too large, a request too slow), send the same bytes with
``error_body``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response


def error_body(status: int, message: str, **extra: Any) -> bytes:
    """The error as compact JSON bytes (sorted keys, as Flask's ``jsonify`` writes them)."""
    payload = {"error": {"status": status, "message": message, **extra}}
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def json_error(status: int, message: str, **extra: Any) -> Response:
    """A Flask response carrying ``error_body``."""
    return Response(
        error_body(status, message, **extra), status=status, mimetype="application/json"
    )
