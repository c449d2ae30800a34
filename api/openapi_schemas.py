"""Response schemas of the API (JSON Schema 2020-12, as OpenAPI 3.1 uses).

Every object is closed (``additionalProperties: false``, every property required), so the
tests catch any field the code adds or drops without the document following.
"""

from __future__ import annotations

from typing import Any

from api.openapi_shapes import (
    AREA,
    BOOL,
    COMPARATOR,
    COMPARISON,
    EXCLUDED,
    INDICATOR,
    INDICATOR_FULL,
    INT,
    MEMBER,
    NUM,
    PERIOD,
    POINT,
    PROFILE_ROW,
    RANK_INTERVALS,
    RANK_ROW,
    RELEASE,
    SPREAD,
    STR,
    VALUE,
    WITHIN_GROUPS,
    array,
    closed,
    nullable,
    optional,
    ref,
)

SCHEMAS: dict[str, Any] = {
    "Error": closed(
        {
            "error": closed(
                {
                    "status": INT,
                    "code": STR,
                    "parameter": nullable("string"),
                    "message": STR,
                }
            )
        }
    ),
    "Health": optional(
        closed(
            {
                "status": {"type": "string", "enum": ["ok", "degraded"]},
                "reasons": array({"type": "string"}),
                "problems": array({"type": "string"}),
                "shared_state": {"type": "string", "enum": ["in-process", "redis"]},
                **RELEASE,
                "built_at": nullable("string"),
                "schema_version": nullable("integer"),
                "indicators": INT,
            }
        ),
        "shared_state",  # only where the serving layer hands in its check (python -m app serve)
    ),
    "Indicator": closed(INDICATOR),
    "Period": closed(PERIOD),
    "Comparator": closed(COMPARATOR),
    "IndicatorsResponse": closed(
        {**RELEASE, "count": INT, "indicators": array(closed(INDICATOR_FULL))}
    ),
    "AreasResponse": closed({**RELEASE, "count": INT, "areas": array(closed(AREA))}),
    "ValuesResponse": closed(
        {
            **RELEASE,
            "indicator": ref("Indicator"),
            "filters": closed({"period": nullable("integer"), "area": nullable("string")}),
            "count": INT,
            "values": array(closed(VALUE)),
        }
    ),
    "RankingsResponse": closed(
        {
            **RELEASE,
            "indicator": ref("Indicator"),
            "period": ref("Period"),
            "polarity": STR,
            "n": INT,
            "top_label": {"type": "string", "enum": ["best", "highest"]},
            "bottom_label": {"type": "string", "enum": ["worst", "lowest"]},
            "rank_meaning": nullable("string"),
            "ranked_count": INT,
            "excluded_count": INT,
            "excluded_summary": STR,
            "england": ref("Comparator"),
            "quartiles": closed(
                {
                    "breaks": {"type": ["array", "null"], "items": NUM},
                    "reason": nullable("string"),
                }
            ),
            "rank_intervals": closed(RANK_INTERVALS),
            "best": array(closed(RANK_ROW)),
            "worst": array(closed(RANK_ROW)),
            "overlap": array(STR),
            "excluded": array(closed(EXCLUDED)),
        }
    ),
    "VariationResponse": closed(
        {
            **RELEASE,
            "indicator": ref("Indicator"),
            "period": ref("Period"),
            "sn_release": STR,
            **SPREAD,
            **WITHIN_GROUPS,
            "method": closed(
                {
                    "spread": STR,
                    "within_group_share": STR,
                    "confidence": NUM,
                    "n_draws": INT,
                    "seed": INT,
                }
            ),
        }
    ),
    "ContextResponse": closed(
        {
            **RELEASE,
            "rules": STR,
            "areas": array(
                closed(
                    {
                        "area_code": STR,
                        "area_name": STR,
                        "notes": array(STR),
                        "series": array(
                            closed(
                                {
                                    "key": STR,
                                    "group": STR,
                                    "kind": {
                                        "type": "string",
                                        "enum": ["number", "rate", "cash", "per_child"],
                                    },
                                    "unit": STR,
                                    "title": STR,
                                    "points": array(
                                        closed(
                                            {
                                                "year_end": INT,
                                                "period_label": STR,
                                                "value": nullable("number"),
                                                "indicator_id": nullable("string"),
                                                "source": nullable("string"),
                                            }
                                        )
                                    ),
                                }
                            )
                        ),
                    }
                )
            ),
        }
    ),
    "ExpectedResponse": closed(
        {
            **RELEASE,
            "indicator": ref("Indicator"),
            "period": ref("Period"),
            "model": closed(
                {
                    "fitted": BOOL,
                    "reason": nullable("string"),
                    "predictors": array(
                        closed(
                            {
                                "indicator_id": STR,
                                "label": STR,
                                "log": BOOL,
                                "time_period": INT,
                                "period_label": STR,
                                "note": nullable("string"),
                            }
                        )
                    ),
                    "dropped": array(closed({"predictor": STR, "reason": STR})),
                    "method": nullable("string"),
                    "r2": nullable("number"),
                    "r2_lower": nullable("number"),
                    "r2_upper": nullable("number"),
                    "n": INT,
                    "notes": array(STR),
                    "confidence": NUM,
                    "n_draws": INT,
                    "seed": INT,
                }
            ),
            "most_above": array(STR),
            "most_below": array(STR),
            "areas": array(
                closed(
                    {
                        "area_code": STR,
                        "area_name": STR,
                        **{
                            name: nullable("number")
                            for name in (
                                "value",
                                "expected",
                                "lower",
                                "upper",
                                "lower_998",
                                "upper_998",
                                "residual",
                                "z",
                            )
                        },
                        "position": nullable("string"),
                        "used": BOOL,
                        "reason": nullable("string"),
                    }
                )
            ),
        }
    ),
    "NeighboursResponse": closed(
        {
            **RELEASE,
            "indicator": ref("Indicator"),
            "period": ref("Period"),
            "polarity": STR,
            "sn_release": STR,
            "statistic": {"type": "string", "enum": ["mean", "median"]},
            "area": closed({**MEMBER, "ranked_count": INT, "rank_meaning": nullable("string")}),
            "neighbours": array(closed(MEMBER)),
            "group": closed(
                {
                    "label": STR,
                    "statistic": STR,
                    "value": nullable("number"),
                    "difference": nullable("number"),
                    "n_with_data": INT,
                    "n_expected": INT,
                    "missing_summary": STR,
                    "incomplete": BOOL,
                    "below_minimum": BOOL,
                    "top": array(STR),
                    "bottom": array(STR),
                    "top_label": STR,
                    "bottom_label": STR,
                }
            ),
            "region": ref("Comparator"),
            "england": ref("Comparator"),
            "significance": closed(
                {
                    "confidence": NUM,
                    "method": nullable("string"),
                    "no_interval_reason": nullable("string"),
                    "vs_england": COMPARISON,
                    "vs_group": COMPARISON,
                }
            ),
        }
    ),
    "IndicatorSearchResponse": closed(
        {
            **RELEASE,
            "query": STR,
            "count": INT,
            "indicators": array(closed({**INDICATOR_FULL, "score": NUM})),
        }
    ),
    "ProfileResponse": closed(
        {
            **RELEASE,
            "area": closed({"area_code": STR, "area_name": STR}),
            "sn_release": STR,
            "statistic": {"type": "string", "enum": ["mean", "median"]},
            "group": STR,
            "method": closed(
                {
                    "z": STR,
                    "min_neighbours": INT,
                    "similar_within": NUM,
                    "unusual_from": NUM,
                    "trend": STR,
                    "order": STR,
                }
            ),
            "count": INT,
            "without_value": INT,
            "indicators": array(closed(PROFILE_ROW)),
        }
    ),
    "ImprovementResponse": closed(
        {
            **RELEASE,
            "indicator": ref("Indicator"),
            "from": ref("Period"),
            "to": ref("Period"),
            "periods_in_window": array(INT),
            "polarity": STR,
            "change_unit": STR,
            "n_las": INT,
            "n_included": INT,
            "fit": closed(
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
            "oldham": closed({"r": nullable("number"), "p_value": nullable("number")}),
            "noise_null": closed(
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
            "points": array(closed(POINT)),
        }
    ),
}
