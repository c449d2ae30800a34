"""JSON/CSV data API on the app's Flask server: ``/api/v1/...`` and ``/healthz``.

``register(server, store)`` (called by ``app.create_app``) adds two blueprints:

* ``api_v1`` under ``/api/v1``: indicators, areas, values, rankings, neighbours,
  improvement and the OpenAPI document (see docs/api.md);
* ``health``: ``GET /healthz``, the store's release, whether it is synthetic, and ``status``
  ``ok`` or ``degraded`` (still HTTP 200) with the store's ``reasons`` and the ``problems``
  the health checks handed in report.

Handlers are thin (parse and check parameters -> cached result -> JSON or CSV) and errors are
JSON naming the parameter, never an HTML page or a traceback. Later wrappers (security
headers, rate limits, body-size limits) can target the blueprints by name or path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import Blueprint, Flask, Response, request
from werkzeug.exceptions import HTTPException

from api.context import ApiContext, ContextByRelease
from api.errors import http_error_response
from api.routes import PREFIX, create_blueprint
from api.serialise import to_json
from data.store import Store

__all__ = ["ApiContext", "ContextByRelease", "HealthCheck", "health_blueprint", "register"]

#: A check run on every ``/healthz``: fields to add to the body; a ``problem`` key (a short
#: sentence) makes the status ``degraded``. Kept cheap: the health check is called often.
HealthCheck = Callable[[], Mapping[str, Any]]


def _health_fields(store: Store) -> dict[str, Any]:
    """Liveness and the release: ``ok``, or ``degraded`` (still HTTP 200) with the reasons.

    Degraded means the live release is smaller than its predecessor or one of the ingest's
    checks was overridden (``Store.degraded_reasons``), or a health check handed in reports a
    problem. Degraded is not down: the server answers and serves the data as ingested, so load
    balancers (which act on the status code) must keep sending traffic while monitoring reads
    ``status``. This is the "warn" of the health check response format draft
    (draft-inadarei-api-health-check: "pass" and "warn" use 2xx-3xx codes, only "fail" 4xx-5xx).
    """
    manifest = store.manifest
    reasons = store.degraded_reasons
    return {
        "status": "degraded" if reasons else "ok",
        "reasons": reasons,
        "release": store.release,
        "synthetic": store.synthetic,
        "built_at": manifest.get("built_at"),
        "schema_version": manifest.get("schema_version"),
        "indicators": len(store.indicators),
    }


def health_blueprint(contexts: ContextByRelease, checks: Sequence[HealthCheck] = ()) -> Blueprint:
    """``GET /healthz``: liveness, which store release is served, and the ``checks``."""
    bp = Blueprint("health", __name__)
    fields: dict[str, dict[str, Any]] = {}

    @bp.get("/healthz")
    def healthz() -> Response:
        store = contexts.release_store()
        base = fields.get(store.release)
        if base is None:
            fields.clear()  # one release at a time
            base = fields[store.release] = _health_fields(store)
        body = dict(base)
        problems = []
        for check in checks:
            found = dict(check())
            problem = found.pop("problem", None)
            body.update(found)
            if problem:
                problems.append(str(problem))
        body["problems"] = problems
        if problems:
            body["status"] = "degraded"
        response = Response(to_json(body), mimetype="application/json")
        response.headers["Cache-Control"] = "no-store"
        return response

    return bp


def register(
    server: Flask, store: Store | Any, *, health: Sequence[HealthCheck] = ()
) -> ContextByRelease:
    """Add the API and the health check to ``server``; return its per-release contexts.

    ``store`` is a ``Store`` or a ``data.store.LiveStore`` (then each request is answered from
    the release it pinned, and caches are per release). ``health``: checks whose findings
    ``/healthz`` adds (e.g. the serving layer's shared state).
    """
    contexts = ContextByRelease(store)
    server.register_blueprint(create_blueprint(contexts))
    server.register_blueprint(health_blueprint(contexts, health))

    # Routing errors (405, or 404 for a path no rule matches) happen before a blueprint is
    # chosen, so they need an app-level handler; it answers JSON only under the API's paths
    # and leaves every other path (the Dash pages) to Flask's default.
    def routing_error(exc: HTTPException) -> Any:
        if request.path.startswith(PREFIX) or request.path == "/healthz":
            return http_error_response(exc)
        return exc.get_response()

    server.register_error_handler(HTTPException, routing_error)
    return contexts
