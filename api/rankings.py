"""Best and worst N LAs on one indicator in one period (``GET /api/v1/rankings``)."""

from __future__ import annotations

from typing import Any

import indicators as ind
from api.blocks import comparator_block, envelope, indicator_block, period_block, status_meaning
from api.context import ApiContext
from api.serialise import Result, plain

ROW_COLUMNS = ("area_code", "area_name", "value", "rank", "rank_label", "tied", "band")
CSV_COLUMNS = ("side", *ROW_COLUMNS, "status", "status_meaning")


def rankings_result(ctx: ApiContext, indicator_id: str, time_period: int, n: int) -> Result:
    """The ``n`` best and worst LAs (all ties at the cut-off), and the LAs not ranked."""
    view = ctx.period_view(indicator_id, time_period)
    meta = view.meta
    result = ind.best_worst(view.ranked, polarity=meta.polarity, n=n)
    names = ctx.store.area_names

    def row(rec: dict[str, Any]) -> dict[str, Any]:
        code = str(rec["area_code"])
        return {
            "area_code": code,
            "area_name": names.get(code, code),
            "value": plain(rec["value"]),
            "rank": plain(rec["rank"]),
            "rank_label": rec["rank_label"],
            "tied": bool(rec["tied"]),
            "band": plain(rec["band"]),
        }

    best = [row(r) for r in result.best.to_dict(orient="records")]
    worst = [row(r) for r in result.worst.to_dict(orient="records")]
    excluded = [
        {
            "area_code": str(r["area_code"]),
            "area_name": names.get(str(r["area_code"]), str(r["area_code"])),
            "status": plain(r["status"]),
            "status_meaning": status_meaning(plain(r["status"])),
        }
        for r in result.not_ranked.to_dict(orient="records")
    ]
    bands = view.bands
    body = {
        **envelope(ctx),
        "indicator": indicator_block(meta),
        "period": period_block(view),
        "polarity": str(meta.polarity),
        "n": n,
        "top_label": result.top_label,
        "bottom_label": result.bottom_label,
        "rank_meaning": str(view.ranked["rank_meaning"].iloc[0]) if len(view.ranked) else None,
        "ranked_count": result.n_ranked,
        "excluded_count": len(excluded),
        "excluded_summary": result.not_ranked_text,
        "england": comparator_block(view.england),
        "quartiles": {
            "breaks": list(bands.breaks) if bands.breaks else None,
            "reason": bands.reason,
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
