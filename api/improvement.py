"""Each LA's level against its per-annum change over a window (``GET /api/v1/improvement``).

The LAs are those that compete at the window's last period (current then, or newly created
and already publishing); each one's values in the window come from its local-authority rows.
The fit, Oldham's check and the seeded noise-only null are ``indicators.level_vs_improvement``
(docs/methods.md section 9).
"""

from __future__ import annotations

import numpy as np

import indicators as ind
from api.blocks import envelope, indicator_block, period_block
from api.context import ApiContext
from api.serialise import Result, records
from data.schema import GeographicLevel
from views.period import period_view

POINT_COLUMNS = (
    "area_code",
    "area_name",
    "start_level",
    "end_level",
    "change_per_year",
    "improvement_per_year",
    "oldham_change_per_year",
    "mean_level",
    "n_points",
    "residual_sd",
    "included",
    "reason",
)


def improvement_result(
    ctx: ApiContext, indicator_id: str, first: int, last: int, draws: int
) -> Result:
    """Level vs improvement between periods ``first`` and ``last`` (time_period codes)."""
    store = ctx.store
    start, end = period_view(store, indicator_id, first), period_view(store, indicator_id, last)
    meta = end.meta
    competing = set(end.las["area_code"].astype(str))
    rows = store.indicator_values(indicator_id, levels=[GeographicLevel.LOCAL_AUTHORITY])
    year = rows["year_end"].to_numpy(dtype=int)
    code = rows["area_code"].astype(str)
    keep = (year >= start.year_end) & (year <= end.year_end) & code.isin(competing).to_numpy()
    window = rows[keep]
    result = ind.level_vs_improvement(
        window,
        polarity=meta.polarity,
        first_year=start.year_end,
        last_year=end.year_end,
        n_draws=draws,
    )
    names = store.area_names
    points = result.points.assign(area_name=[names.get(c, c) for c in result.points["area_code"]])
    point_rows = records(points, POINT_COLUMNS)
    fit = result.fit
    null = result.null
    periods = [tp for tp in ctx.period_codes(indicator_id) if first <= tp <= last]
    body = {
        **envelope(ctx),
        "indicator": indicator_block(meta),
        "from": period_block(start),
        "to": period_block(end),
        "periods_in_window": periods,
        "polarity": str(meta.polarity),
        "change_unit": f"{meta.unit} per year",
        "n_las": len(point_rows),
        "n_included": int(np.sum(points["included"].to_numpy(dtype=bool))),
        "fit": None
        if fit is None
        else {
            "n": fit.n,
            "slope": fit.slope,
            "intercept": fit.intercept,
            "slope_ci_low": fit.slope_ci_low,
            "slope_ci_high": fit.slope_ci_high,
            "confidence": fit.confidence,
            "r": fit.r,
            "p_value": fit.p_value,
        },
        "oldham": {"r": result.oldham_r, "p_value": result.oldham_p},
        "noise_null": None
        if null is None
        else {
            "n_draws": null.n_draws,
            "seed": null.seed,
            "expected_slope": null.expected_slope,
            "low": null.low,
            "high": null.high,
            "p_value": null.p_value,
        },
        "finding": result.finding,
        "verdict": result.verdict,
        "points": point_rows,
    }
    name = f"improvement-{indicator_id}-{first}-{last}"
    return Result(body, point_rows, POINT_COLUMNS, name)
