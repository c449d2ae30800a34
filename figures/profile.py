"""The LA profile's table, caption and CSV rows (formatting only; numbers from the view).

Values of different indicators have different units and decimal places, so the table's
number cells are formatted here, row by row, with the indicator's own decimals; the CSV
keeps the raw numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlencode

import numpy as np
import pandas as pd

from figures.tables import DataView, format_cell
from views.profile import COUNT, JUDGED, NO_POLARITY, Headline, ProfileView

__all__ = [
    "KIND_TITLES",
    "benchmark_hrefs",
    "headline_text",
    "profile_csv",
    "profile_data",
    "profile_summary",
]

KIND_TITLES = {
    JUDGED: "judged indicators (a better direction is known)",
    NO_POLARITY: "indicators with no better direction",
    COUNT: "counts and £ totals (they grow with the size of the LA)",
}


def benchmark_hrefs(
    view: ProfileView, indicator_ids: Iterable[str], time_periods: Iterable[int]
) -> list[str]:
    """The benchmark page of each of the profile's indicators, with the same comparison."""
    tail = {"sn": view.group.sn_release, "stat": view.statistic}
    if view.group.custom:
        tail["group"] = ",".join(view.group.custom)
    rest = urlencode(tail)
    la = quote(view.area_code)
    return [
        f"/benchmark?la={la}&indicator={quote(str(i))}&period={int(t)}&{rest}"
        for i, t in zip(indicator_ids, time_periods, strict=True)
    ]


def _numbers(values: Iterable[Any], decimals: Iterable[int]) -> list[str]:
    return [format_cell(v, int(d)) for v, d in zip(values, decimals, strict=True)]


def _compared(direction: str, unusual: bool) -> str:
    return f"{direction}, unusual" if unusual else direction


def _trend(trend: Any, first: Any, last: Any) -> str:
    if pd.isna(first) or pd.isna(last):
        return str(trend)
    return f"{trend} ({int(first)}-{int(last)})"


def _rank(rank: Any, n_ranked: Any) -> str:
    if pd.isna(rank):
        return "not ranked"
    return f"{int(rank)} of {int(n_ranked)}"


def profile_data(view: ProfileView, rows: pd.DataFrame) -> DataView:
    """The table of ``rows`` (a filtered part of the view): one line per indicator.

    Each indicator's name links to its benchmark view with the same LA and group.
    """
    average = f"Neighbours' {view.statistic}"
    decimals = rows["decimals"].to_numpy()
    frame = pd.DataFrame(
        {
            "Indicator": rows["title"].to_numpy(dtype=object),
            "Year": rows["period_label"].to_numpy(dtype=object),
            "Value": _numbers(rows["value"], decimals),
            "Count behind it": _numbers(rows["count"], np.zeros(len(rows), dtype=int)),
            average: _numbers(rows["neighbour_value"], decimals),
            "Neighbours with data": [
                f"{n} of {e}" for n, e in zip(rows["n_with_data"], rows["n_expected"], strict=True)
            ],
            "Difference": _numbers(rows["difference"], decimals),
            "z (robust)": _numbers(rows["z"], np.full(len(rows), 2)),
            "Compared with neighbours": [
                _compared(d, bool(u))
                for d, u in zip(rows["direction"], rows["unusual"], strict=True)
            ],
            "Gap to neighbours": [
                _trend(t, a, b)
                for t, a, b in zip(
                    rows["trend"], rows["trend_from"], rows["trend_to"], strict=True
                )
            ],
            "Rank": [_rank(r, n) for r, n in zip(rows["rank"], rows["n_ranked"], strict=True)],
            "Band": [b if isinstance(b, str) else "-" for b in rows["band"]],
            "England": _numbers(rows["england_value"], decimals),
            "Unit": rows["unit"].to_numpy(dtype=object),
            "Topic": rows["topic"].to_numpy(dtype=object),
            "Link": benchmark_hrefs(
                view, rows["indicator_id"].tolist(), rows["time_period"].tolist()
            ),
        }
    )
    numeric = ("Value", "Count behind it", average, "Difference", "z (robust)", "England")
    return DataView(
        frame,
        f"{view.la_name} against {view.group.label}: {len(frame)} indicators, most unusual "
        "for its neighbours first (worse first)",
        decimals=dict.fromkeys(numeric, 0),
        key=None,
        row_header="Indicator",
        href="Link",
    )


def profile_csv(view: ProfileView, rows: pd.DataFrame) -> DataView:
    """The same rows with raw numbers (as ``/api/v1/profile``'s CSV), for download."""
    columns = {
        "indicator_id": "indicator_id",
        "title": "title",
        "topic": "topic",
        "kind": "kind",
        "period": "time_period",
        "period_label": "period_label",
        "unit": "unit",
        "polarity": "polarity",
        "value": "value",
        "count": "count",
        "neighbour_value": "neighbour_value",
        "n_with_data": "n_with_data",
        "n_expected": "n_expected",
        "difference": "difference",
        "z": "z",
        "direction": "direction",
        "unusual": "unusual",
        "rank": "rank",
        "n_ranked": "n_ranked",
        "band": "band",
        "england_value": "england_value",
        "trend": "trend",
        "trend_from": "trend_from",
        "trend_to": "trend_to",
    }
    frame = pd.DataFrame({name: rows[source].to_numpy() for name, source in columns.items()})
    return DataView(frame, f"{view.la_name}: profile against {view.group.label}", key=None)


def headline_text(la_name: str, headline: Headline, group_label: str) -> str:
    """One sentence: how many judged indicators are worse, similar or better, and unusually."""
    d, u = headline.directions, headline.unusual
    group_label = group_label[:1].lower() + group_label[1:]
    if headline.n == 0:
        return f"{la_name} has no judged indicator with a value."
    return (
        f"Of {headline.n} indicators where a better direction is known, {la_name} is worse "
        f"than its {group_label} on {d.get('worse', 0)} ({u.get('worse', 0)} unusually, "
        f"|z| of 2 or more), similar on {d.get('similar', 0)} and better on "
        f"{d.get('better', 0)} ({u.get('better', 0)} unusually); "
        f"{d.get('not compared', 0)} could not be compared."
    )


SCOPE_TITLES: dict[tuple[str, ...], str] = {
    (JUDGED,): "indicators with a better direction",
    (NO_POLARITY,): "indicators with no better direction",
    (COUNT,): "counts and £ totals",
}


def profile_summary(view: ProfileView, rows: pd.DataFrame, *, scope_kinds: tuple[str, ...]) -> str:
    """The page's caption: the headline, then how many rows the table shows of its scope."""
    counts = view.kind_counts()
    in_scope = sum(counts[k] for k in scope_kinds)
    what = SCOPE_TITLES.get(scope_kinds, "indicators")
    return (
        f"{headline_text(view.la_name, view.headline(), view.group.label)} "
        f"The table shows {len(rows)} of the {in_scope} {what} with a value for "
        f"{view.la_name} in their latest year ({view.n_without_value} indicators have none). "
        "Counts and £ totals are listed apart: they grow with the size of the LA."
    )
