"""Best and worst N LAs on one indicator in one period (``GET /api/v1/rankings``).

Each ranked LA has ``rank_lower`` / ``rank_upper``: the 95% range of its rank simulated from
its counts (``views.variation.rank_ranges``, a fixed seed), or nulls and a
``rank_interval_reason`` where its counts do not allow one.
"""

from __future__ import annotations

from typing import Any

from api.blocks import comparator_block, envelope, indicator_block, period_block, status_meaning
from api.context import ApiContext
from api.serialise import Result, plain, records
from views.period import period_view
from views.variation import RANK_DRAWS, RANK_SEED, RankRanges, best_worst_view

RANGE_COLUMNS = ("rank_lower", "rank_upper", "rank_interval_reason")
ROW_COLUMNS = (
    "area_code",
    "area_name",
    "value",
    "rank",
    "rank_label",
    *RANGE_COLUMNS,
    "tied",
    "band",
)
CSV_COLUMNS = ("side", *ROW_COLUMNS, "status", "status_meaning")


def rankings_result(ctx: ApiContext, indicator_id: str, time_period: int, n: int) -> Result:
    """The ``n`` best and worst LAs (all ties at the cut-off), and the LAs not ranked."""
    view = period_view(ctx.store, indicator_id, time_period)
    meta = view.meta
    chart = best_worst_view(ctx.store, indicator_id, time_period, n, None)
    result, ranges = chart.result, chart.ranges
    names = ctx.store.area_names

    def rows(frame: Any, columns: tuple[str, ...]) -> list[dict[str, Any]]:
        out = records(frame, columns)
        for rec in out:
            rec["area_name"] = names.get(rec["area_code"], rec["area_code"])
        return [{c: rec[c] for c in ("area_code", "area_name", *columns[1:])} for rec in out]

    columns = ("area_code", "value", "rank", "rank_label", "tied", "band")
    best = [_with_range(r, ranges) for r in rows(result.best, columns)]
    worst = [_with_range(r, ranges) for r in rows(result.worst, columns)]
    excluded = rows(result.not_ranked, ("area_code", "status"))
    for rec in excluded:
        rec["status_meaning"] = status_meaning(rec["status"])
    body = {
        **envelope(ctx),
        "indicator": indicator_block(meta),
        "period": period_block(view),
        "polarity": str(meta.polarity),
        "n": n,
        "top_label": result.top_label,
        "bottom_label": result.bottom_label,
        "rank_meaning": str(view.las["rank_meaning"].iloc[0]) if len(view.las) else None,
        "ranked_count": result.n_ranked,
        "excluded_count": len(excluded),
        "excluded_summary": result.not_ranked_text,
        "england": comparator_block(view.england),
        "quartiles": {
            "breaks": list(view.breaks) if view.breaks and not view.band_reason else None,
            "reason": view.band_reason,
        },
        "rank_intervals": {
            "method": ranges.method or None,
            "n_with_interval": ranges.n_with_interval,
            "n_draws": RANK_DRAWS if ranges.n_with_interval else None,
            "seed": RANK_SEED if ranges.n_with_interval else None,
            "confidence": 0.95 if ranges.n_with_interval else None,
            "reason": ranges.reason,
        },
        "best": best,
        "worst": worst,
        "overlap": list(result.overlap),
        "excluded": excluded,
    }
    csv_rows = (
        [{"side": result.top_label, **r} for r in best]
        + [{"side": result.bottom_label, **r} for r in worst]
        + [{"side": "excluded", **r} for r in excluded]
    )
    return Result(body, csv_rows, CSV_COLUMNS, f"rankings-{indicator_id}-{time_period}-n{n}")


def _with_range(record: dict[str, Any], ranges: RankRanges) -> dict[str, Any]:
    """A ranked LA's row with its rank range (nulls and the reason where it has none)."""
    own = ranges.of(record["area_code"]) or {}
    low, high, reason = (plain(own.get(k)) for k in ("rank_low", "rank_high", "interval_reason"))
    order = ("area_code", "area_name", "value", "rank", "rank_label")
    return {
        **{k: record[k] for k in order},
        "rank_lower": low,
        "rank_upper": high,
        "rank_interval_reason": None if low is not None else (reason or "no counts"),
        "tied": record["tied"],
        "band": record["band"],
    }
