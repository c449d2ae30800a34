"""The OpenAPI 3.1 description of the API, served at ``/api/v1/openapi.json``.

Built in code from the schemas in ``api/openapi_schemas.py``, with one worked example per
endpoint: the answer to a request on the synthetic demo store, generated into
``api/openapi_examples.json`` by ``python -m app openapi-examples`` (``REQUESTS`` in
``api/openapi_examples.py`` names each request). The tests check that every example and every
live response validates against its schema and that the examples file equals a fresh
generation, so the document cannot drift from the code.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from api.openapi_examples import EXAMPLES_FILE, KEEP, REQUESTS
from api.openapi_schemas import SCHEMAS
from api.openapi_shapes import INT, STR, ref

VERSION = "1.0.0"


@functools.cache
def examples() -> dict[str, Any]:
    """Each operationId's worked example, read from ``api/openapi_examples.json`` once."""
    loaded: dict[str, Any] = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    return loaded


def _ok(key: str) -> str:
    """The 200 response's description: OK, and the request its example answers."""
    return (
        f"OK. Example: GET {REQUESTS[key]} on the synthetic demo store, each list of rows cut "
        f"to its first {KEEP} (counts as served)."
    )


def _param(
    name: str, description: str, schema: dict[str, Any], *, required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


FORMAT = _param(
    "format",
    "json (default) or csv: the same rows as a flat table, as a download",
    {"type": "string", "enum": ["json", "csv"], "default": "json"},
)
INDICATOR_P = _param(
    "indicator", "Indicator id, as listed by /api/v1/indicators", STR, required=True
)
PERIOD_P = _param(
    "period",
    "A time_period code of the indicator: 2024 (a calendar or reporting year) or 202324 (2023-24)",
    INT,
    required=True,
)
AREA_P = _param("area", "GSS code (E09000002) or 3-digit DfE LA number (301)", STR)


def _operation(
    key: str,
    summary: str,
    description: str,
    parameters: list[dict[str, Any]],
    schema: str,
) -> dict[str, Any]:
    errors = {
        "description": "Bad or unknown parameter (JSON error naming it)",
        "content": {"application/json": {"schema": ref("Error")}},
    }
    return {
        "get": {
            "operationId": key,
            "summary": summary,
            "description": description,
            "parameters": [*parameters, FORMAT],
            "responses": {
                "200": {
                    "description": _ok(key),
                    "content": {
                        "application/json": {
                            "schema": ref(schema),
                            "example": examples()[key],
                        },
                        "text/csv": {"schema": STR},
                    },
                },
                "400": errors,
                "404": errors,
            },
        }
    }


def openapi_document(sn_releases: Sequence[str] = ("2025", "2021")) -> dict[str, Any]:
    """The OpenAPI 3.1 document (``sn_releases``: the releases the store holds)."""
    releases = list(sn_releases) or ["2025"]
    release = _param(
        "release",
        "Statistical-neighbour release (default: the newest)",
        {"type": "string", "enum": releases},
    )
    paths = {
        "/api/v1/indicators": _operation(
            "indicators",
            "Every indicator with its metadata",
            "Id, title, unit, decimals, polarity, source and the publisher's code "
            "(source_code), and the periods each has. With q: only the indicators matching "
            "the words (title, short title, description, topic, source code and a synonym "
            "list: CLA = looked after, CIN = in need, CPP = child protection plan, NEET...), "
            "best match first; the body then adds query and each indicator a score "
            "(schema IndicatorSearchResponse).",
            [_param("q", "Words to search for, e.g. placement stability", STR)],
            "IndicatorsResponse",
        ),
        "/api/v1/areas": _operation(
            "areas",
            "Local authorities",
            "Single LAs with GSS and 3-digit codes, names, region, and whether current or "
            "abolished (with successors).",
            [
                _param(
                    "status",
                    "current, abolished or all (default)",
                    {"type": "string", "enum": ["all", "current", "abolished"]},
                )
            ],
            "AreasResponse",
        ),
        "/api/v1/values": _operation(
            "values",
            "Published values of one indicator",
            "Every area and period unless narrowed; value_status keeps the publisher's symbol "
            "when value is null; numerator and denominator where the source gives them.",
            [INDICATOR_P, {**PERIOD_P, "required": False}, AREA_P],
            "ValuesResponse",
        ),
        "/api/v1/rankings": _operation(
            "rankings",
            "Best and worst N LAs",
            "Competition ranks (1, 1, 3; all LAs tied at the cut-off are listed), LAIT quartile "
            "bands, and the LAs not ranked with their status. rank_lower and rank_upper: the "
            "95% range of each LA's rank simulated from its counts (Jeffreys draws, 1,000 "
            "rankings, seed 0); null with rank_interval_reason where the counts are not "
            "published or the indicator has no sampling model.",
            [
                INDICATOR_P,
                PERIOD_P,
                _param("n", "How many on each side (1-50)", {**INT, "default": 10}),
            ],
            "RankingsResponse",
        ),
        "/api/v1/variation": _operation(
            "variation",
            "How widely LAs vary, and how much within neighbour groups",
            "The spread of the competing LAs' values (n, percentiles, IQR, P90/P10 where P10 "
            "> 0, coefficient of variation for percentages, rates, counts and money with a "
            "positive mean; each undefined figure null with a reason) and the within-group "
            "share: the mean variance inside statistical-neighbour groups over the variance "
            "across all LAs, with its 95% bootstrap interval and the value groups of LAs "
            "picked at random would give (relative_to_random = 1: neighbours are no more "
            "alike than random LAs).",
            [
                INDICATOR_P,
                PERIOD_P,
                release,
            ],
            "VariationResponse",
        ),
        "/api/v1/expected": _operation(
            "expected",
            "Each LA against the value expected from need",
            "A robust (Huber) fit of the indicator's LA values on the measures of need the "
            "store holds (IDACI average score, % of children in low-income families, log of "
            "the child population; each in its latest period at or before the outcome's year), "
            "never on the outcome itself: predictors, method, R² with its 95% bootstrap "
            "interval (r2_lower, r2_upper) and n; per LA the value, expected value, 95% "
            "(lower, upper) and 99.8% prediction limits, residual (value - expected), z "
            "(residual over the prediction sd) and position. Where no model can be fitted "
            "(a measure of need itself, too few LAs) model.reason says why and the numbers "
            "are null. Above or below expected is not better or worse.",
            [INDICATOR_P, PERIOD_P],
            "ExpectedResponse",
        ),
        "/api/v1/context": _operation(
            "context",
            "National context: England's and one LA's children's social care over time",
            "The /context page's numbers for every year the store holds: children in need, "
            "on child protection plans and looked after at 31 March (numbers, and rates per "
            "10,000 children aged 0-17) and gross section 251 spend on children's social care "
            "(children looked after, safeguarding, family support, other children's and "
            "families services) and on all children's and young people's services, in cash "
            "and per child aged 0-17. Each point names its indicator and source: where two "
            "sources publish a measure for a year, EES gives the point and LAIT only fills "
            "years EES lacks. A year without a figure has value null (never interpolated). "
            "Spend is cash only: the data hold no deflator. England always; the LA too when "
            "area is an LA.",
            [
                {
                    **AREA_P,
                    "description": "A single LA (GSS code or 3-digit DfE number), or England "
                    "(E92000001, the default) for England alone",
                },
            ],
            "ContextResponse",
        ),
        "/api/v1/neighbours": _operation(
            "neighbours",
            "One LA against its statistical neighbours",
            "The LA's value, national rank and band; each neighbour's value, rank in the group "
            "and closeness; the group mean or median with n_with_data; region and England; "
            "better/similar/worse from 95% confidence intervals.",
            [
                {**AREA_P, "required": True, "description": "A single LA (not a region)"},
                INDICATOR_P,
                PERIOD_P,
                release,
                _param(
                    "stat",
                    "mean (default, LAIT) or median",
                    {"type": "string", "enum": ["mean", "median"]},
                ),
            ],
            "NeighboursResponse",
        ),
        "/api/v1/profile": _operation(
            "profile",
            "One LA across every indicator, most unusual for its neighbours first",
            "Each indicator with a value for the LA in its latest period: the neighbours' mean "
            "or median with n_with_data, the difference, a robust z (median and 1.4826 x MAD of "
            "at least 5 neighbours with data), direction (better/similar/worse, or higher/lower "
            "with no polarity; not compared without a z), unusual (|z| >= 2), national rank and "
            "band, England, and the 3-5 year trend of the gap (closing, widening, stable, "
            "crossed over). Rows come in kinds never ranked against each other (judged, no "
            "polarity, count: counts and £ totals), then most unusual first, worse first; "
            "the LA profile page shows the same rows in the same order.",
            [
                {**AREA_P, "required": True, "description": "A single LA (not a region)"},
                _param(
                    "release",
                    "Statistical-neighbour release (default: the newest)",
                    {"type": "string", "enum": releases},
                ),
                _param(
                    "stat",
                    "mean (default, LAIT) or median: the neighbour average and the gap",
                    {"type": "string", "enum": ["mean", "median"]},
                ),
            ],
            "ProfileResponse",
        ),
        "/api/v1/improvement": _operation(
            "improvement",
            "Level against per-annum change",
            "Each LA's starting level and least-squares change per year between two periods, "
            "the fit across LAs (slope, its 95% CI, r, p), Oldham's check and a seeded "
            "noise-only null for regression to the mean.",
            [
                INDICATOR_P,
                {**PERIOD_P, "name": "from", "description": "First period of the window"},
                {**PERIOD_P, "name": "to", "description": "Last period (after from)"},
                _param(
                    "draws",
                    "Noise-only draws (0-2000; 0 skips the simulation)",
                    {**INT, "default": 500},
                ),
            ],
            "ImprovementResponse",
        ),
    }
    paths["/healthz"] = {
        "get": {
            "operationId": "health",
            "summary": "Liveness and the store release; status degraded (HTTP 200, with "
            "reasons) when the live release is smaller than its predecessor or an ingest check "
            "was overridden",
            "responses": {
                "200": {
                    "description": _ok("health"),
                    "content": {
                        "application/json": {
                            "schema": ref("Health"),
                            "example": examples()["health"],
                        }
                    },
                }
            },
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "la-variation data API",
            "version": VERSION,
            "description": "The numbers behind the la-variation dashboard: English local "
            "authorities' children's social care indicators. Values are in each indicator's "
            "unit, unrounded; use `decimals` to display them. Data: Open Government Licence "
            "v3.0.",
        },
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
