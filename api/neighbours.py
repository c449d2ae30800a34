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
from api.context import ApiContext
from api.serialise import Result, plain, records
from views import benchmark as vb
from views import benchmark_summary
from views.period import PeriodView, period_view

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


def _national(view: PeriodView) -> dict[str, dict[str, Any]]:
    """Each competing LA's national rank, band, interval and flag, by area code."""
    columns = ["area_code", "rank", "rank_label", "band", "lower", "upper", "vs_england"]
    return {str(rec["area_code"]): rec for rec in records(view.las, columns)}


def _member(
    national: dict[str, dict[str, Any]], rec: dict[str, Any], names: dict[str, str]
) -> dict[str, Any]:
    code = str(rec["area_code"])
    own = national.get(code, {})
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
        "rank": plain(own.get("rank")),
        "rank_label": plain(own.get("rank_label")),
        "band": plain(own.get("band")),
        "lower": plain(own.get("lower")),
        "upper": plain(own.get("upper")),
        "vs_england": plain(own.get("vs_england", ind.NOT_COMPARED)),
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
    view = period_view(store, indicator_id, time_period)
    meta = view.meta
    ids = (area_code, indicator_id, time_period, sn_release, ind.NeighbourStatistic(statistic))
    group_view = vb.group_view(store, *ids)
    summary_view = benchmark_summary.summary_view(store, *ids)
    group, summary = group_view.performance, group_view.comparison
    # The route checked that the LA has a group in this release.
    assert group is not None
    assert summary is not None
    names = store.area_names
    national = _national(view)
    members = [
        _member(national, rec, names)
        for rec in records(group.members, list(group.members.columns))
    ]
    for member in members:
        member["vs_group"] = ind.benchmark_label(
            member["lower"], member["upper"], summary.value, polarity=meta.polarity
        )
    la, neighbours = members[0], members[1:]
    own = view.row(area_code) or {}
    body = {
        **envelope(ctx),
        "indicator": indicator_block(meta),
        "period": period_block(view),
        "polarity": str(meta.polarity),
        "sn_release": summary.sn_release,
        "statistic": summary.statistic,
        "area": {
            **la,
            "ranked_count": view.n_ranked,
            "rank_meaning": plain(view.las["rank_meaning"].iloc[0]) if len(view.las) else None,
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
        "region": comparator_block(summary_view.region) if summary_view.region else None,
        "england": comparator_block(view.england),
        "significance": {
            "confidence": 0.95,
            "method": plain(own.get("ci_method")),
            "no_interval_reason": None
            if summary_view.vs_england.lower is not None
            else summary_view.interval_note,
            "vs_england": la["vs_england"],
            "vs_group": la["vs_group"],
        },
    }
    name = f"neighbours-{area_code}-{indicator_id}-{time_period}-{sn_release}-{statistic}"
    return Result(body, members, CSV_COLUMNS, name)
