"""One LA across every indicator (``GET /api/v1/profile``), and indicator search (``?q=``).

The profile's rows are the LA profile page's (``views.profile``), in the page's order: kind
(judged, no polarity, count), then most unusual for the neighbours, worse first.
"""

from __future__ import annotations

from typing import Any

import indicators as ind
from api.blocks import envelope
from api.catalogue import indicators_result
from api.context import ApiContext
from api.serialise import Result, records
from views.indicator_search import find_indicators
from views.profile import MAX_YEARS, MIN_YEARS, TOLERANCE_SHARE, profile_view

#: The profile's row fields, in the CSV's column order.
PROFILE_COLUMNS = (
    "indicator_id",
    "title",
    "topic",
    "kind",
    "period",
    "period_label",
    "unit",
    "polarity",
    "value",
    "count",
    "neighbour_value",
    "n_with_data",
    "n_expected",
    "difference",
    "z",
    "z_reason",
    "direction",
    "unusual",
    "rank",
    "n_ranked",
    "band",
    "england_value",
    "trend",
    "trend_from",
    "trend_to",
)
_SOURCES = {"period": "time_period", **{c: c for c in PROFILE_COLUMNS if c != "period"}}


def method_block() -> dict[str, Any]:
    """How the profile's z, direction and trend are worked out (docs/methods.md 16-17)."""
    return {
        "z": "robust z: (value - neighbours' median) / (1.4826 x MAD of the neighbours with "
        "data); mean absolute deviation x 1.2533 when the MAD is 0; the published precision "
        "(10^-decimals) as the smallest scale",
        "min_neighbours": ind.MIN_NEIGHBOURS,
        "similar_within": ind.SIMILAR_WITHIN,
        "unusual_from": ind.UNUSUAL_FROM,
        "trend": f"least-squares line through the gap (value - neighbours' average) over the "
        f"last {MAX_YEARS} years with a gap (at least {MIN_YEARS}); tolerance "
        f"{TOLERANCE_SHARE:g} x the across-LA standard deviation in the latest period",
        "order": "kind (judged, no polarity, count), then worse, better, higher/lower, "
        "similar, not compared, each by |z| descending, ties by indicator_id",
    }


def profile_result(ctx: ApiContext, area_code: str, sn_release: str, statistic: str) -> Result:
    """Every indicator with a value for the LA in its latest period, sorted as the page."""
    store = ctx.store
    view = profile_view(store, area_code, sn_release, ind.NeighbourStatistic(statistic))
    rows = records(view.rows, _SOURCES)
    body = {
        **envelope(ctx),
        "area": {"area_code": area_code, "area_name": view.la_name},
        "sn_release": sn_release,
        "statistic": statistic,
        "group": view.group.label,
        "method": method_block(),
        "count": len(rows),
        "without_value": view.n_without_value,
        "indicators": rows,
    }
    name = f"profile-{area_code}-{sn_release}-{statistic}"
    return Result(body, rows, PROFILE_COLUMNS, name)


def search_result(ctx: ApiContext, query: str) -> Result:
    """The indicators matching ``query``, best first, each with its ``score``."""
    full = ctx.cached("indicators", indicators_result)
    by_id = {row["id"]: row for row in full.body["indicators"]}
    csv_by_id = {row["id"]: row for row in full.rows}
    hits = find_indicators(ctx.store, query)
    rows = [{**by_id[h.indicator_id], "score": h.score} for h in hits]
    csv_rows = [{**csv_by_id[h.indicator_id], "score": h.score} for h in hits]
    body = {**envelope(ctx), "query": query, "count": len(rows), "indicators": rows}
    return Result(body, csv_rows, (*full.columns, "score"), "indicators-search")
