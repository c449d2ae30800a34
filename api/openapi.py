"""The OpenAPI 3.1 description of the API, served at ``/api/v1/openapi.json``.

Built in code from the schemas below, with one worked example per endpoint
(``api/openapi_examples.py``); the tests check that every example and every live response
validates against its schema, so the document cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.openapi_examples import EXAMPLES

VERSION = "1.0.0"


def _n(kind: str) -> dict[str, Any]:
    """A nullable scalar of JSON type ``kind``."""
    return {"type": [kind, "null"]}


def _obj(properties: dict[str, Any], *, nullable: bool = False) -> dict[str, Any]:
    """A closed object: every property required, nothing else allowed."""
    return {
        "type": ["object", "null"] if nullable else "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


STR, INT, NUM, BOOL = (
    {"type": "string"},
    {"type": "integer"},
    {"type": "number"},
    {"type": "boolean"},
)
RELEASE = {"release": STR, "synthetic": BOOL}
COMPARISON = {
    "type": "string",
    "enum": ["better", "similar", "worse", "higher", "lower", "not compared"],
}

INDICATOR = {
    "id": STR,
    "title": STR,
    "short_title": STR,
    "topic": STR,
    "unit": STR,
    "decimals": _n("integer"),
    "polarity": {"type": "string", "enum": ["high", "low", "none"]},
    "value_type": STR,
    "multiplier": _n("number"),
    "time_identifier": STR,
    "source": STR,
    "source_code": STR,
}
INDICATOR_FULL = {
    **INDICATOR,
    "source_url": _n("string"),
    "description": _n("string"),
    "methodology": _n("string"),
    "no_quartile": BOOL,
    "data_owner": _n("string"),
    "last_updated": _n("string"),
    "next_update": _n("string"),
    "derivation": _n("string"),
    "periods": _array(_obj({"time_period": INT, "label": STR})),
}
PERIOD = {"time_period": INT, "label": STR, "year_end": INT, "time_identifier": STR}
COMPARATOR = {
    "area_code": STR,
    "label": STR,
    "value": _n("number"),
    "value_status": _n("string"),
    "computed": BOOL,
    "method": STR,
}
AREA = {
    "area_code": STR,
    "old_la_code": _n("string"),
    "area_name": STR,
    "region_code": _n("string"),
    "region_name": _n("string"),
    "status": {"type": "string", "enum": ["current", "abolished"]},
    "valid_from": _n("string"),
    "valid_to": _n("string"),
    "predecessor_codes": _array(STR),
    "successor_codes": _array(STR),
    "former_codes": _array(STR),
}
VALUE = {
    "area_code": STR,
    "area_name": STR,
    "geographic_level": STR,
    "time_period": INT,
    "period_label": STR,
    "year_end": INT,
    "value": _n("number"),
    "value_status": _n("string"),
    "status_meaning": _n("string"),
    "numerator": _n("number"),
    "denominator": _n("number"),
}
RANK_ROW = {
    "area_code": STR,
    "area_name": STR,
    "value": NUM,
    "rank": INT,
    "rank_label": STR,
    "tied": BOOL,
    "band": {"type": ["string", "null"], "enum": ["A", "B", "C", "D", None]},
}
EXCLUDED = {"area_code": STR, "area_name": STR, "status": STR, "status_meaning": _n("string")}
MEMBER = {
    "role": {"type": "string", "enum": ["LA", "neighbour"]},
    "neighbour_rank": INT,
    "area_code": STR,
    "area_name": STR,
    "closeness": _n("string"),
    "value": _n("number"),
    "status": _n("string"),
    "status_meaning": _n("string"),
    "group_rank": _n("integer"),
    "group_rank_label": _n("string"),
    "rank": _n("integer"),
    "rank_label": _n("string"),
    "band": {"type": ["string", "null"], "enum": ["A", "B", "C", "D", None]},
    "lower": _n("number"),
    "upper": _n("number"),
    "vs_england": COMPARISON,
    "vs_group": COMPARISON,
}
POINT = {
    "area_code": STR,
    "area_name": STR,
    "start_level": _n("number"),
    "end_level": _n("number"),
    "change_per_year": _n("number"),
    "improvement_per_year": _n("number"),
    "oldham_change_per_year": _n("number"),
    "mean_level": _n("number"),
    "n_points": INT,
    "residual_sd": _n("number"),
    "included": BOOL,
    "reason": _n("string"),
}

SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        {
            "error": _obj(
                {
                    "status": INT,
                    "code": STR,
                    "parameter": _n("string"),
                    "message": STR,
                }
            )
        }
    ),
    "Health": _obj(
        {
            "status": {"type": "string", "enum": ["ok"]},
            **RELEASE,
            "built_at": _n("string"),
            "schema_version": _n("integer"),
            "indicators": INT,
        }
    ),
    "Indicator": _obj(INDICATOR),
    "Period": _obj(PERIOD),
    "Comparator": _obj(COMPARATOR),
    "IndicatorsResponse": _obj(
        {**RELEASE, "count": INT, "indicators": _array(_obj(INDICATOR_FULL))}
    ),
    "AreasResponse": _obj({**RELEASE, "count": INT, "areas": _array(_obj(AREA))}),
    "ValuesResponse": _obj(
        {
            **RELEASE,
            "indicator": _ref("Indicator"),
            "filters": _obj({"period": _n("integer"), "area": _n("string")}),
            "count": INT,
            "values": _array(_obj(VALUE)),
        }
    ),
    "RankingsResponse": _obj(
        {
            **RELEASE,
            "indicator": _ref("Indicator"),
            "period": _ref("Period"),
            "polarity": STR,
            "n": INT,
            "top_label": {"type": "string", "enum": ["best", "highest"]},
            "bottom_label": {"type": "string", "enum": ["worst", "lowest"]},
            "rank_meaning": _n("string"),
            "ranked_count": INT,
            "excluded_count": INT,
            "excluded_summary": STR,
            "england": _ref("Comparator"),
            "quartiles": _obj(
                {
                    "breaks": {"type": ["array", "null"], "items": NUM},
                    "reason": _n("string"),
                }
            ),
            "best": _array(_obj(RANK_ROW)),
            "worst": _array(_obj(RANK_ROW)),
            "overlap": _array(STR),
            "excluded": _array(_obj(EXCLUDED)),
        }
    ),
    "NeighboursResponse": _obj(
        {
            **RELEASE,
            "indicator": _ref("Indicator"),
            "period": _ref("Period"),
            "polarity": STR,
            "sn_release": STR,
            "statistic": {"type": "string", "enum": ["mean", "median"]},
            "area": _obj({**MEMBER, "ranked_count": INT, "rank_meaning": _n("string")}),
            "neighbours": _array(_obj(MEMBER)),
            "group": _obj(
                {
                    "label": STR,
                    "statistic": STR,
                    "value": _n("number"),
                    "difference": _n("number"),
                    "n_with_data": INT,
                    "n_expected": INT,
                    "missing_summary": STR,
                    "incomplete": BOOL,
                    "below_minimum": BOOL,
                    "top": _array(STR),
                    "bottom": _array(STR),
                    "top_label": STR,
                    "bottom_label": STR,
                }
            ),
            "region": _ref("Comparator"),
            "england": _ref("Comparator"),
            "significance": _obj(
                {
                    "confidence": NUM,
                    "method": _n("string"),
                    "no_interval_reason": _n("string"),
                    "vs_england": COMPARISON,
                    "vs_group": COMPARISON,
                }
            ),
        }
    ),
    "ImprovementResponse": _obj(
        {
            **RELEASE,
            "indicator": _ref("Indicator"),
            "from": _ref("Period"),
            "to": _ref("Period"),
            "periods_in_window": _array(INT),
            "polarity": STR,
            "change_unit": STR,
            "n_las": INT,
            "n_included": INT,
            "fit": _obj(
                {
                    "n": INT,
                    "slope": NUM,
                    "intercept": NUM,
                    "slope_ci_low": NUM,
                    "slope_ci_high": NUM,
                    "confidence": NUM,
                    "r": NUM,
                    "p_value": NUM,
                },
                nullable=True,
            ),
            "oldham": _obj({"r": _n("number"), "p_value": _n("number")}),
            "noise_null": _obj(
                {
                    "n_draws": INT,
                    "seed": INT,
                    "expected_slope": NUM,
                    "low": NUM,
                    "high": NUM,
                    "p_value": NUM,
                },
                nullable=True,
            ),
            "finding": STR,
            "verdict": STR,
            "points": _array(_obj(POINT)),
        }
    ),
}


def _param(name: str, description: str, schema: dict[str, Any], *, required: bool = False):
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
        "content": {"application/json": {"schema": _ref("Error")}},
    }
    return {
        "get": {
            "operationId": key,
            "summary": summary,
            "description": description,
            "parameters": [*parameters, FORMAT],
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": _ref(schema),
                            "example": EXAMPLES[key],
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
    paths = {
        "/api/v1/indicators": _operation(
            "indicators",
            "Every indicator with its metadata",
            "Id, title, unit, decimals, polarity, source and the publisher's code "
            "(source_code), and the periods each has.",
            [],
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
            "bands, and the LAs not ranked with their status.",
            [
                INDICATOR_P,
                PERIOD_P,
                _param("n", "How many on each side (1-50)", {**INT, "default": 10}),
            ],
            "RankingsResponse",
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
                _param(
                    "release",
                    "Statistical-neighbour release (default: the newest)",
                    {"type": "string", "enum": releases},
                ),
                _param(
                    "stat",
                    "mean (default, LAIT) or median",
                    {"type": "string", "enum": ["mean", "median"]},
                ),
            ],
            "NeighboursResponse",
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
            "summary": "Liveness and the store release",
            "responses": {
                "200": {
                    "description": "OK",
                    "content": {
                        "application/json": {
                            "schema": _ref("Health"),
                            "example": EXAMPLES["health"],
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
