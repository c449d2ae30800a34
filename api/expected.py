"""Each LA against the value expected from need (``GET /api/v1/expected``).

The variation page's "Expected given need" panel as data (``views.need``; the model is in
``docs/methods.md``): the fit (predictors with their periods, method, R² with its bootstrap
interval, the LAs used) and one row per competing LA with its actual value, the expected
value, the 95% and 99.8% prediction limits, actual minus expected, z and where it lies. An
indicator that is itself a measure of need, or a period without enough LAs, answers with
``reason`` set and no numbers: never a model on the outcome itself.
"""

from __future__ import annotations

import math
from typing import Any

from api.blocks import envelope, indicator_block, period_block
from api.context import ApiContext
from api.serialise import Result
from views.need import NEED_DRAWS, NEED_SEED, need_view
from views.period import period_view

CSV_COLUMNS = (
    "indicator_id",
    "time_period",
    "area_code",
    "area_name",
    "value",
    "expected",
    "lower",
    "upper",
    "lower_998",
    "upper_998",
    "residual",
    "z",
    "position",
    "used",
    "reason",
)


def _number(value: Any) -> float | None:
    """A float for JSON: None for a missing value."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _text(value: Any) -> str | None:
    """Text for JSON: None for a missing value."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return None if missing else str(value)


def expected_result(ctx: ApiContext, indicator_id: str, time_period: int) -> Result:
    """The need model of one period and every competing LA against it."""
    period = period_view(ctx.store, indicator_id, time_period)
    view = need_view(ctx.store, indicator_id, time_period, None)
    rows = [
        {
            "area_code": str(p.area_code),
            "area_name": str(p.la_name),
            "value": _number(p.actual),
            "expected": _number(p.expected),
            "lower": _number(p.lower_95),
            "upper": _number(p.upper_95),
            "lower_998": _number(p.lower_998),
            "upper_998": _number(p.upper_998),
            "residual": _number(p.difference),
            "z": _number(p.z),
            "position": _text(p.position),
            "used": _text(p.used) is not None and bool(p.used),
            "reason": _text(p.reason),
        }
        for p in view.points.itertuples(index=False)
    ]
    model = {
        "fitted": view.reason is None,
        "reason": view.reason,
        "predictors": [
            {
                "indicator_id": used.predictor.indicator_id,
                "label": used.predictor.label,
                "log": used.predictor.log,
                "time_period": used.time_period,
                "period_label": used.period_label,
                "note": used.note,
            }
            for used in view.predictors
        ],
        "dropped": [{"predictor": label, "reason": why} for label, why in view.dropped],
        "method": view.method or None,
        "r2": view.r_squared,
        "r2_lower": view.r_squared_low,
        "r2_upper": view.r_squared_high,
        "n": view.n_used,
        "notes": list(view.notes),
        "confidence": view.confidence,
        "n_draws": NEED_DRAWS,
        "seed": NEED_SEED,
    }
    body = {
        **envelope(ctx),
        "indicator": indicator_block(view.meta),
        "period": period_block(period),
        "model": model,
        "most_above": list(view.above),
        "most_below": list(view.below),
        "areas": rows,
    }
    csv_rows = [{"indicator_id": indicator_id, "time_period": time_period, **r} for r in rows]
    return Result(body, csv_rows, CSV_COLUMNS, f"expected-{indicator_id}-{time_period}")
