"""The benchmark page's summary of one year: the LA against England and its comparison group.

The LA's value, rank, band and 95% interval, and the interval's comparison with each benchmark
(Fingertips' rule).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

import indicators as ind
from data.schema import IndicatorMeta, ValueType
from data.store import Store
from views.benchmark import comparison_group, neighbour_comparison, own_value
from views.memo import memoised
from views.period import PeriodView, period_view


@dataclass(frozen=True, slots=True)
class Comparison:
    """The LA's 95% interval against one benchmark (Fingertips' rule).

    ``label`` is better / similar / worse (higher / lower without polarity) or not compared;
    ``note`` says why there is no comparison, or names the interval method.
    """

    label: str
    lower: float | None
    upper: float | None
    benchmark: float | None
    note: str


@dataclass(frozen=True)
class SummaryView:
    """Everything the summary table shows for one LA, indicator and year."""

    meta: IndicatorMeta
    la_name: str
    period_label: str
    la_value: float | None
    la_status: str | None
    rank_text: str
    band: str
    band_note: str
    england: ind.Comparator
    region: ind.Comparator | None
    neighbours: ind.NeighbourComparison | None
    average_label: str
    interval_note: str
    vs_england: Comparison
    vs_neighbours: Comparison


def _band(view: PeriodView, row: dict[str, object] | None) -> tuple[str, str]:
    if view.band_reason is not None:
        return "-", view.band_reason
    band = None if row is None else row.get("band")
    if band is None or pd.isna(band):  # type: ignore[call-overload]
        return "-", "no value, so no band"
    q = view.breaks
    assert q is not None
    return str(band), f"quartiles of {view.n_ranked} LAs: {q[1]:.4g}, {q[2]:.4g}, {q[3]:.4g}"


def _interval(
    view: PeriodView, row: dict[str, object] | None
) -> tuple[float | None, float | None, str]:
    meta = view.meta
    if meta.value_type not in (ValueType.PROPORTION, ValueType.RATE) or not meta.multiplier:
        return None, None, f"no interval method for a {meta.value_type} value"
    if row is None or row.get("value_status") == ind.ABSENT_STATUS:
        return None, None, "the LA has no row for this year"
    lower, upper = float(row["lower"]), float(row["upper"])  # type: ignore[arg-type]
    if not (np.isfinite(lower) and np.isfinite(upper)):
        counts = (row["numerator"], row["denominator"])
        return (
            None,
            None,
            (
                "numerator or denominator unknown"
                if any(pd.isna(c) for c in counts)  # type: ignore[call-overload]
                else "the counts give no interval"
            ),
        )
    return lower, upper, f"{row['ci_method']} method (as OHID Fingertips)"


def _comparison(
    lower: float | None,
    upper: float | None,
    benchmark: float | None,
    meta: IndicatorMeta,
    note: str,
) -> Comparison:
    if lower is None or upper is None:
        return Comparison(
            ind.NOT_COMPARED, None, None, benchmark, f"no confidence interval: {note}"
        )
    if benchmark is None:
        return Comparison(ind.NOT_COMPARED, lower, upper, None, "no benchmark value")
    label = ind.benchmark_label(lower, upper, benchmark, polarity=meta.polarity)
    return Comparison(label, lower, upper, benchmark, note)


@memoised
def summary_view(
    store: Store,
    area_code: str,
    indicator_id: str,
    time_period: int,
    sn_release: str,
    statistic: ind.NeighbourStatistic,
    custom: tuple[str, ...] = (),
) -> SummaryView:
    """The LA's value, rank, band, interval and comparisons in one year."""
    view = period_view(store, indicator_id, time_period)
    meta = view.meta
    group = comparison_group(store, area_code, sn_release, statistic, custom)
    row = view.row(area_code)
    competes = row is not None and bool(row["competes"])
    rank_text = (
        ind.describe_rank(view.las, area_code)
        if competes
        else "not ranked: not an LA in this year"
    )
    band, band_note = _band(view, row)
    lower, upper, note = _interval(view, row)
    la_value, la_status = own_value(view.rows, area_code)
    neighbours = neighbour_comparison(view.rows, store, group)
    return SummaryView(
        meta=meta,
        la_name=store.area_name(area_code),
        period_label=view.label,
        la_value=la_value,
        la_status=la_status,
        rank_text=rank_text,
        band=band,
        band_note=band_note,
        england=view.england,
        region=view.region(area_code),
        neighbours=neighbours,
        average_label=group.label,
        interval_note=note,
        vs_england=_comparison(lower, upper, view.england.value, meta, note),
        vs_neighbours=_comparison(
            lower, upper, None if neighbours is None else neighbours.value, meta, note
        ),
    )
