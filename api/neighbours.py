"""One LA against its statistical neighbours, region and England (``GET /api/v1/neighbours``).

Ranks and quartile bands are national (among all LAs that compete in the period); the group
rank is among the LA and its neighbours with data. Significance follows FingertipsNext: an
LA is better or worse than a benchmark only when its 95% confidence interval (Wilson for
proportions, Byar/exact Poisson for rates) lies wholly on one side; indicators without counts
are "not compared".
"""

from __future__ import annotations

from typing import Any

import indicators as ind
from api.blocks import comparator_block, envelope, indicator_block, period_block, status_meaning
from api.context import ApiContext, PeriodView
from api.serialise import Result, plain, records

CSV_COLUMNS = (
    "role",
    "neighbour_rank",
    "area_code",
    "area_name",
    "closeness",
    "value",
    "status",
    "group_rank",
    "group_rank_label",
    "rank",
    "rank_label",
    "band",
    "lower",
    "upper",
    "vs_england",
    "vs_group",
)


def _member(view: PeriodView, rec: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    code = str(rec["area_code"])
    national = view.by_area.get(code, {})
    status = plain(rec["status"])
    return {
        "role": rec["role"],
        "neighbour_rank": plain(rec["neighbour_rank"]),
        "area_code": code,
        "area_name": names.get(code, code),
        "closeness": plain(rec["closeness"]),
        "value": plain(rec["value"]),
        "status": status,
        "status_meaning": status_meaning(status),
        "group_rank": plain(rec["group_rank"]),
        "group_rank_label": plain(rec["group_rank_label"]),
        "rank": plain(national.get("rank")),
        "rank_label": plain(national.get("rank_label")),
        "band": plain(national.get("band")),
        "lower": plain(national.get("lower")),
        "upper": plain(national.get("upper")),
        "vs_england": plain(national.get("vs_england", ind.NOT_COMPARED)),
    }


def neighbours_result(
    ctx: ApiContext,
    indicator_id: str,
    time_period: int,
    area_code: str,
    sn_release: str,
    statistic: str,
) -> Result:
    """The LA, each neighbour, the group's mean or median, region and England."""
    store = ctx.store
    view = ctx.period_view(indicator_id, time_period)
    meta = view.meta
    stat = ind.NeighbourStatistic(statistic)
    group = ind.group_performance(
        view.values,
        store.neighbours,
        area_code=area_code,
        polarity=meta.polarity,
        sn_release=sn_release,
    )
    summary = ind.compare_to_neighbours(
        view.values,
        store.neighbours,
        area_code=area_code,
        sn_release=sn_release,
        statistic=stat,
    )
    region = ind.region_value(
        view.values,
        store.areas,
        area_code=area_code,
        value_type=meta.value_type,
        multiplier=meta.multiplier,
    )
    names = store.area_names
    members = [
        _member(view, rec, names) for rec in records(group.members, list(group.members.columns))
    ]
    for member in members:
        member["vs_group"] = ind.benchmark_label(
            member["lower"], member["upper"], summary.value, polarity=meta.polarity
        )
    la, neighbours = members[0], members[1:]
    national = view.by_area.get(area_code, {})
    body = {
        **envelope(ctx),
        "indicator": indicator_block(meta),
        "period": period_block(view),
        "polarity": str(meta.polarity),
        "sn_release": summary.sn_release,
        "statistic": summary.statistic,
        "area": {
            **la,
            "ranked_count": int(view.ranked["n_ranked"].iloc[0]) if len(view.ranked) else 0,
            "rank_meaning": plain(view.ranked["rank_meaning"].iloc[0])
            if len(view.ranked)
            else None,
        },
        "neighbours": neighbours,
        "group": {
            "label": summary.label,
            "statistic": summary.statistic,
            "value": summary.value,
            "difference": summary.difference,
            "n_with_data": summary.n_with_data,
            "n_expected": summary.n_expected,
            "missing_summary": summary.missing_text,
            "incomplete": summary.incomplete,
            "below_minimum": summary.below_minimum,
            "top": list(group.top),
            "bottom": list(group.bottom),
            "top_label": group.top_label,
            "bottom_label": group.bottom_label,
        },
        "region": comparator_block(region),
        "england": comparator_block(view.england),
        "significance": {
            "confidence": 0.95,
            "method": plain(national.get("ci_method")),
            "no_interval_reason": plain(national.get("ci_reason")) if national else None,
            "vs_england": la["vs_england"],
            "vs_group": la["vs_group"],
        },
    }
    name = f"neighbours-{area_code}-{indicator_id}-{time_period}-{sn_release}-{statistic}"
    return Result(body, members, CSV_COLUMNS, name)
