"""Each LA's level against its per-annum change over a window (``GET /api/v1/improvement``).

The answer is ``views.improvement.level_improvement_view`` (the page's own view, starting
levels from one period): the LAs are those that compete at the window's last period (current
then, or newly created and already publishing), each with its local-authority rows in the
window. The fit, Oldham's check and the seeded noise-only null are
``indicators.level_vs_improvement`` (docs/methods.md section 9).
"""

from __future__ import annotations

import numpy as np

from api.blocks import envelope, indicator_block, period_block
from api.context import ApiContext
from api.serialise import Result, records
from views.improvement import level_improvement_view
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
    view = level_improvement_view(store, indicator_id, first, last, 1, draws)
    result, meta = view.result, view.meta
    point_rows = records(view.points, POINT_COLUMNS)
    fit = result.fit
    null = result.null
    body = {
        **envelope(ctx),
        "indicator": indicator_block(meta),
        "from": period_block(period_view(store, indicator_id, first)),
        "to": period_block(period_view(store, indicator_id, last)),
        "periods_in_window": list(view.window.periods),
        "polarity": str(meta.polarity),
        "change_unit": f"{meta.unit} per year",
        "n_las": len(point_rows),
        "n_included": int(np.sum(view.points["included"].to_numpy(dtype=bool))),
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
