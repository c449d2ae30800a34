"""Building blocks of the API's response schemas: JSON Schema helpers and the row shapes.

``api.openapi_schemas`` assembles the response schemas from these; every object is closed
(``additionalProperties: false``, every property required).
"""

from __future__ import annotations

from typing import Any


def nullable(kind: str) -> dict[str, Any]:
    """A nullable scalar of JSON type ``kind``."""
    return {"type": [kind, "null"]}


def closed(properties: dict[str, Any], *, nullable: bool = False) -> dict[str, Any]:
    """A closed object: every property required, nothing else allowed."""
    return {
        "type": ["object", "null"] if nullable else "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def optional(schema: dict[str, Any], *names: str) -> dict[str, Any]:
    """``schema`` (a closed object) with ``names`` allowed but no longer required."""
    return {**schema, "required": [n for n in schema["required"] if n not in names]}


def ref(name: str) -> dict[str, str]:
    """A reference to a schema in ``components/schemas``."""
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict[str, Any]) -> dict[str, Any]:
    """An array of ``items``."""
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
    "decimals": nullable("integer"),
    "polarity": {"type": "string", "enum": ["high", "low", "none"]},
    "value_type": STR,
    "multiplier": nullable("number"),
    "time_identifier": STR,
    "source": STR,
    "source_code": STR,
}
INDICATOR_FULL = {
    **INDICATOR,
    "source_url": nullable("string"),
    "description": nullable("string"),
    "methodology": nullable("string"),
    "no_quartile": BOOL,
    "data_owner": nullable("string"),
    "last_updated": nullable("string"),
    "next_update": nullable("string"),
    "derivation": nullable("string"),
    "periods": array(closed({"time_period": INT, "label": STR})),
}
PERIOD = {"time_period": INT, "label": STR, "year_end": INT, "time_identifier": STR}
COMPARATOR = {
    "area_code": STR,
    "label": STR,
    "value": nullable("number"),
    "value_status": nullable("string"),
    "computed": BOOL,
    "method": STR,
}
AREA = {
    "area_code": STR,
    "old_la_code": nullable("string"),
    "area_name": STR,
    "region_code": nullable("string"),
    "region_name": nullable("string"),
    "status": {"type": "string", "enum": ["current", "abolished"]},
    "valid_from": nullable("string"),
    "valid_to": nullable("string"),
    "predecessor_codes": array(STR),
    "successor_codes": array(STR),
    "former_codes": array(STR),
}
VALUE = {
    "area_code": STR,
    "area_name": STR,
    "geographic_level": STR,
    "time_period": INT,
    "period_label": STR,
    "year_end": INT,
    "value": nullable("number"),
    "value_status": nullable("string"),
    "status_meaning": nullable("string"),
    "numerator": nullable("number"),
    "denominator": nullable("number"),
}
RANK_ROW = {
    "area_code": STR,
    "area_name": STR,
    "value": NUM,
    "rank": INT,
    "rank_label": STR,
    "rank_lower": nullable("integer"),
    "rank_upper": nullable("integer"),
    "rank_interval_reason": nullable("string"),
    "tied": BOOL,
    "band": {"type": ["string", "null"], "enum": ["A", "B", "C", "D", None]},
}
RANK_INTERVALS = {
    "method": nullable("string"),
    "n_with_interval": INT,
    "n_draws": nullable("integer"),
    "seed": nullable("integer"),
    "confidence": nullable("number"),
    "reason": nullable("string"),
}
SPREAD = {
    "n_areas": INT,
    "n_missing": INT,
    **{
        name: nullable("number")
        for name in ("mean", "sd", "minimum", "p10", "p25", "median", "p75", "p90", "maximum")
    },
    "iqr": nullable("number"),
    "p90_p10_ratio": nullable("number"),
    "p90_p10_reason": nullable("string"),
    "cv": nullable("number"),
    "cv_reason": nullable("string"),
}
WITHIN_GROUPS = {
    "within_group_share": nullable("number"),
    "within_group_share_lower": nullable("number"),
    "within_group_share_upper": nullable("number"),
    "random_share": nullable("number"),
    "relative_to_random": nullable("number"),
    "n_groups": INT,
    "n_left_out": INT,
    "interpretation": STR,
}
EXCLUDED = {
    "area_code": STR,
    "area_name": STR,
    "status": STR,
    "status_meaning": nullable("string"),
}
MEMBER = {
    "role": {"type": "string", "enum": ["LA", "neighbour"]},
    "neighbour_rank": INT,
    "area_code": STR,
    "area_name": STR,
    "closeness": nullable("string"),
    "value": nullable("number"),
    "status": nullable("string"),
    "status_meaning": nullable("string"),
    "group_rank": nullable("integer"),
    "group_rank_label": nullable("string"),
    "rank": nullable("integer"),
    "rank_label": nullable("string"),
    "band": {"type": ["string", "null"], "enum": ["A", "B", "C", "D", None]},
    "lower": nullable("number"),
    "upper": nullable("number"),
    "vs_england": COMPARISON,
    "vs_group": COMPARISON,
}
POINT = {
    "area_code": STR,
    "area_name": STR,
    "start_level": nullable("number"),
    "end_level": nullable("number"),
    "change_per_year": nullable("number"),
    "improvement_per_year": nullable("number"),
    "oldham_change_per_year": nullable("number"),
    "mean_level": nullable("number"),
    "n_points": INT,
    "residual_sd": nullable("number"),
    "included": BOOL,
    "reason": nullable("string"),
}

PROFILE_ROW = {
    "indicator_id": STR,
    "title": STR,
    "topic": STR,
    "kind": {"type": "string", "enum": ["judged", "no polarity", "count"]},
    "period": INT,
    "period_label": STR,
    "unit": STR,
    "polarity": {"type": "string", "enum": ["high", "low", "none"]},
    "value": NUM,
    "count": nullable("number"),
    "neighbour_value": nullable("number"),
    "n_with_data": INT,
    "n_expected": INT,
    "difference": nullable("number"),
    "z": nullable("number"),
    "z_reason": nullable("string"),
    "direction": COMPARISON,
    "unusual": BOOL,
    "rank": nullable("integer"),
    "n_ranked": nullable("integer"),
    "band": nullable("string"),
    "england_value": nullable("number"),
    "trend": {
        "type": "string",
        "enum": [
            "closing",
            "widening",
            "stable",
            "crossed over",
            "not enough years",
            "no comparison group",
        ],
    },
    "trend_from": nullable("integer"),
    "trend_to": nullable("integer"),
}
