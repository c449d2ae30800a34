"""The ``/api/v1`` blueprint: thin handlers (parse parameters -> cached result -> serialise).

A blueprint keeps the API one unit that later wrappers (security headers, rate limits,
request-size limits) can target by name (``api_v1``) or path prefix without touching the
handlers.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException

from api import params
from api.catalogue import areas_result, indicators_result, values_result
from api.context import ApiContext, ContextByRelease
from api.context_series import context_result
from api.errors import (
    ApiError,
    error_response,
    http_error_response,
    internal_error_response,
    not_found,
)
from api.expected import expected_result
from api.improvement import improvement_result
from api.neighbours import neighbours_result
from api.openapi import openapi_document
from api.profile import profile_result, search_result
from api.rankings import rankings_result
from api.serialise import Result, json_response
from api.variation import variation_result
from data.schema import ENGLAND_CODE
from indicators import N_DRAWS

PREFIX = "/api/v1"
#: API responses may be reused this long by browsers and proxies; the ETag (which changes
#: with the store release) lets them revalidate cheaply afterwards.
MAX_AGE = 300
MAX_N = 50
MAX_DRAWS = 2000


def _answer(ctx: ApiContext, result: Result, fmt: str) -> Response:
    response = result.response(fmt)
    tag = hashlib.sha1(f"{ctx.store.release}|{request.full_path}".encode()).hexdigest()[:20]
    response.set_etag(tag)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.make_conditional(request)  # answers in place (a 304 when the tag matches)
    return response


def create_blueprint(contexts: ContextByRelease) -> Blueprint:
    """The API's routes and error handlers; each request uses its own release's context."""
    bp = Blueprint("api_v1", __name__, url_prefix=PREFIX)

    def args(*allowed: str) -> params.Args:
        checked = request.args
        params.check_names(checked, (*allowed, "format"))
        return checked

    @bp.get("/")
    def index() -> Response:
        args()
        return json_response(
            {
                "openapi": f"{PREFIX}/openapi.json",
                "documentation": "docs/api.md",
                "endpoints": [f"{PREFIX}/{name}" for name in ENDPOINTS],
            }
        )

    @bp.get("/openapi.json")
    def openapi() -> Response:
        ctx = contexts()
        args()
        return _answer(ctx, ctx.cached("openapi", _openapi), "json")

    @bp.get("/indicators")
    def indicators() -> Response:
        ctx = contexts()
        a = args("q")
        fmt = params.output_format(a)
        query = params.text(a, "q")
        if query is not None:  # free text: searched each time (about 1 ms), never memoised
            return _answer(ctx, search_result(ctx, query), fmt)
        return _answer(ctx, ctx.cached("indicators", indicators_result), fmt)

    @bp.get("/areas")
    def areas() -> Response:
        ctx = contexts()
        a = args("status")
        fmt = params.output_format(a)
        status = params.choice(a, "status", ("all", "current", "abolished"), "all")
        return _answer(ctx, ctx.cached("areas", areas_result, status), fmt)

    @bp.get("/values")
    def values() -> Response:
        ctx = contexts()
        a = args("indicator", "period", "area")
        fmt = params.output_format(a)
        indicator = params.indicator(ctx, a)
        period = params.period(ctx, indicator, a)
        area = params.area(ctx, a)
        return _answer(ctx, ctx.cached("values", values_result, indicator, period, area), fmt)

    @bp.get("/rankings")
    def rankings() -> Response:
        ctx = contexts()
        a = args("indicator", "period", "n")
        fmt = params.output_format(a)
        indicator = params.indicator(ctx, a)
        period = params.required_period(ctx, indicator, a)
        n = params.integer(a, "n", default=10, minimum=1, maximum=MAX_N)
        return _answer(ctx, ctx.cached("rankings", rankings_result, indicator, period, n), fmt)

    @bp.get("/variation")
    def variation() -> Response:
        ctx = contexts()
        a = args("indicator", "period", "release")
        fmt = params.output_format(a)
        indicator = params.indicator(ctx, a)
        period = params.required_period(ctx, indicator, a)
        releases = ctx.sn_releases
        if not releases:
            raise not_found("release", "this data release holds no statistical neighbours")
        release = params.choice(a, "release", releases, releases[0])
        key = (indicator, period, release)
        return _answer(ctx, ctx.cached("variation", variation_result, *key), fmt)

    @bp.get("/expected")
    def expected() -> Response:
        ctx = contexts()
        a = args("indicator", "period")
        fmt = params.output_format(a)
        indicator = params.indicator(ctx, a)
        period = params.required_period(ctx, indicator, a)
        return _answer(ctx, ctx.cached("expected", expected_result, indicator, period), fmt)

    @bp.get("/neighbours")
    def neighbours() -> Response:
        ctx = contexts()
        a = args("area", "indicator", "period", "release", "stat")
        fmt = params.output_format(a)
        area = params.single_la(ctx, a)
        indicator = params.indicator(ctx, a)
        period = params.required_period(ctx, indicator, a)
        releases = ctx.sn_releases
        release = params.choice(a, "release", releases, releases[0] if releases else "")
        stat = params.choice(a, "stat", ("mean", "median"), "mean")
        if not ctx.has_neighbours(area, release):
            raise not_found("area", f"this LA has no statistical neighbours in release {release}")
        key = (indicator, period, area, release, stat)
        return _answer(ctx, ctx.cached("neighbours", neighbours_result, *key), fmt)

    @bp.get("/profile")
    def profile() -> Response:
        ctx = contexts()
        a = args("area", "release", "stat")
        fmt = params.output_format(a)
        area = params.single_la(ctx, a)
        releases = ctx.sn_releases
        release = params.choice(a, "release", releases, releases[0] if releases else "")
        stat = params.choice(a, "stat", ("mean", "median"), "mean")
        if not ctx.has_neighbours(area, release):
            raise not_found("area", f"this LA has no statistical neighbours in release {release}")
        key = (area, release, stat)
        return _answer(ctx, ctx.cached("profile", profile_result, *key), fmt)

    @bp.get("/improvement")
    def improvement() -> Response:
        ctx = contexts()
        a = args("indicator", "from", "to", "draws")
        fmt = params.output_format(a)
        indicator = params.indicator(ctx, a)
        first = params.required_period(ctx, indicator, a, "from")
        last = params.required_period(ctx, indicator, a, "to")
        if first >= last:
            raise ApiError(400, "to must be a later period than from", parameter="to")
        draws = params.integer(a, "draws", default=N_DRAWS, minimum=0, maximum=MAX_DRAWS)
        key = (indicator, first, last, draws)
        return _answer(ctx, ctx.cached("improvement", improvement_result, *key), fmt)

    @bp.get("/context")
    def context() -> Response:
        ctx = contexts()
        a = args("area")
        fmt = params.output_format(a)
        area = params.area(ctx, a) or ENGLAND_CODE
        if area != ENGLAND_CODE:
            area = params.single_la(ctx, a)  # a region or joint row is a 400
        return _answer(ctx, ctx.cached("context", context_result, area), fmt)

    @bp.get("/<path:rest>")
    def unknown(rest: str) -> Response:
        del rest
        raise not_found(None, f"no such endpoint; see {PREFIX}/openapi.json")

    bp.register_error_handler(ApiError, error_response)
    bp.register_error_handler(HTTPException, http_error_response)
    bp.register_error_handler(Exception, internal_error_response)
    return bp


def _openapi(ctx: ApiContext) -> Result:
    return Result(openapi_document(ctx.sn_releases), [], (), "openapi")


ENDPOINTS: tuple[str, ...] = (
    "indicators",
    "areas",
    "values",
    "rankings",
    "variation",
    "expected",
    "neighbours",
    "profile",
    "improvement",
    "context",
    "openapi.json",
)
