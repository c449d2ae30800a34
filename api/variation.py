"""How widely LAs vary on one indicator in one period (``GET /api/v1/variation``).

The variation page's numbers: the spread of the competing LAs' values (n, percentiles, IQR,
P90/P10, coefficient of variation where it is defined) and the share of that variation found
within statistical-neighbour groups of one release, with its bootstrap interval and the value
groups of LAs picked at random would give (``views.within_groups``; ``docs/methods.md``).
"""

from __future__ import annotations

from typing import Any

from api.blocks import envelope, indicator_block, period_block
from api.context import ApiContext
from api.serialise import Result
from views.period import period_view
from views.within_groups import SHARE_DRAWS, SHARE_SEED, variation_summary

SPREAD_FIELDS = ("mean", "sd", "minimum", "p10", "p25", "median", "p75", "p90", "maximum", "iqr")
CSV_COLUMNS = (
    "indicator_id",
    "time_period",
    "sn_release",
    "n_areas",
    "n_missing",
    *SPREAD_FIELDS,
    "p90_p10_ratio",
    "p90_p10_reason",
    "cv",
    "cv_reason",
    "within_group_share",
    "within_group_share_lower",
    "within_group_share_upper",
    "random_share",
    "relative_to_random",
    "n_groups",
    "n_left_out",
    "interpretation",
)


def variation_result(ctx: ApiContext, indicator_id: str, time_period: int, release: str) -> Result:
    """The spread of one period and its within-group share for neighbour release ``release``."""
    view = period_view(ctx.store, indicator_id, time_period)
    summary = variation_summary(ctx.store, indicator_id, time_period, release)
    spread, share = summary.spread, summary.share
    spread_block: dict[str, Any] = {
        "n_areas": spread.n,
        "n_missing": spread.n_missing,
        **{field: getattr(spread, field) for field in SPREAD_FIELDS},
        "p90_p10_ratio": spread.p90_p10_ratio,
        "p90_p10_reason": summary.ratio_reason,
        "cv": summary.cv,
        "cv_reason": summary.cv_reason,
    }
    within = {
        "within_group_share": share.within_share,
        "within_group_share_lower": share.ci_low,
        "within_group_share_upper": share.ci_high,
        "random_share": share.random_share,
        "relative_to_random": share.relative_to_random,
        "n_groups": share.n_groups,
        "n_left_out": share.n_left_out,
        "interpretation": share.interpretation,
    }
    body = {
        **envelope(ctx),
        "indicator": indicator_block(view.meta),
        "period": period_block(view),
        "sn_release": release,
        **spread_block,
        **within,
        "method": {
            "spread": "competing LAs with a value; type-7 percentiles; sample SD; CV only for "
            "percentages, rates, counts and money with a positive mean",
            "within_group_share": "mean over LAs of the population variance of the LA and its "
            "neighbours with a value, over the population variance of all LAs; ego "
            "bootstrap interval",
            "confidence": share.confidence,
            "n_draws": SHARE_DRAWS,
            "seed": SHARE_SEED,
        },
    }
    row = {"indicator_id": indicator_id, "time_period": time_period, "sn_release": release}
    row |= spread_block | within
    name = f"variation-{indicator_id}-{time_period}-{release}"
    return Result(body, [row], CSV_COLUMNS, name)
