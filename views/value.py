"""The value page's scatter: spend per child against an outcome across LAs in one year.

``spend_outcome_view`` reads the two indicators' rows for the year both end in, keeps the LAs
that compete in that year (``indicators.eligible_values``), and fits the outcome on spend
(``indicators.spend_vs_outcome``); England's two values are its comparators
(``indicators.england_value``). The figure builders (``figures/spend_outcome``) only draw and
format the view, and the chart's table and CSV come from the same view. The provider split and
the service lines are in ``views.spend_lines``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

import indicators as ind
from data.schema import IndicatorMeta, Polarity
from data.store import Store
from views.frame_values import first_record
from views.memo import memoised

__all__ = [
    "PUBLISHED_GRACE_DAYS",
    "SpendOutcomeView",
    "aligned_years",
    "outcome_options",
    "period_for",
    "spend_outcome_view",
    "year_choices_of",
]

#: An LA created after a period's end competes when it published within this many days.
PUBLISHED_GRACE_DAYS = 366


def aligned_years(
    spend_periods: pd.DataFrame, outcome_periods: pd.DataFrame
) -> list[tuple[int, str]]:
    """The ``year_end`` values both indicators have, newest first, labelled with both periods.

    Args:
        spend_periods: ``Store.periods`` of the spend measure (``time_period``,
            ``year_end``, ``period_label``).
        outcome_periods: ``Store.periods`` of the outcome.

    Returns:
        ``(year_end, label)`` pairs; a year one of them lacks is left out.

    Examples:
        >>> spend = pd.DataFrame({"year_end": [2024, 2025],
        ...                       "period_label": ["2023-24", "2024-25"]})
        >>> outcome = pd.DataFrame({"year_end": [2025], "period_label": ["2025"]})
        >>> aligned_years(spend, outcome)
        [(2025, 'Year ending 2025: spend 2024-25, outcome 2025')]
    """
    spend = dict(
        zip(spend_periods["year_end"].astype(int), spend_periods["period_label"], strict=True)
    )
    outcome = dict(
        zip(outcome_periods["year_end"].astype(int), outcome_periods["period_label"], strict=True)
    )
    years = sorted(set(spend) & set(outcome), reverse=True)
    return [(y, f"Year ending {y}: spend {spend[y]}, outcome {outcome[y]}") for y in years]


@memoised
def year_choices_of(store: Store, spend_id: str, outcome_id: str) -> tuple[tuple[int, str], ...]:
    """The years (ending) a known spend measure and a known outcome both have, newest first."""
    return tuple(aligned_years(store.periods(spend_id), store.periods(outcome_id)))


@memoised
def outcome_options(store: Store, topic: str) -> tuple[tuple[str, str], ...]:
    """A topic's outcomes for the scatter, as ``(indicator_id, title)`` in catalogue order.

    Its indicators with a better direction (polarity not none), spend measures left out.
    """
    return tuple(
        (i, title)
        for i, title, t in store.catalogue.indicators
        if t == topic
        and not i.endswith("_per_child")
        and store.indicator_meta(i).polarity != Polarity.NONE
    )


def period_for(periods: pd.DataFrame, year_end: int) -> int | None:
    """The ``time_period`` of an indicator ending in ``year_end`` (the latest if several)."""
    match = periods[periods["year_end"].astype(int) == int(year_end)]
    return None if match.empty else int(match["time_period"].iloc[-1])


@dataclass(frozen=True)
class SpendOutcomeView:
    """Spend per child against an outcome in one year, or why there is no chart.

    Attributes:
        spend_meta, outcome_meta: The two indicators.
        year_label: E.g. "spend 2023-24 (OT), outcome 2024" ("" when ``reason`` is set).
        result: The LAs' points, quadrants, medians and least-squares line (None when
            ``reason`` is set).
        england: England's spend per child and outcome (None where not known).
        quadrant_counts: LAs per quadrant, most first (the caption's counts).
        highlight: The selected LA (None when none); ``highlight_point`` its row of
            ``result.points`` (None when it lacks a value).
        names: Every area's name.
        reason: Why there is no chart (None when there is one).
    """

    spend_meta: IndicatorMeta
    outcome_meta: IndicatorMeta
    year_label: str
    result: ind.SpendVsOutcome | None
    england: tuple[float | None, float | None]
    quadrant_counts: tuple[tuple[str, int], ...]
    highlight: str | None
    highlight_point: Mapping[str, Any] | None
    names: Mapping[str, str]
    reason: str | None


def _year_rows(
    store: Store, indicator_id: str, year_end: int | None
) -> tuple[pd.DataFrame | None, str | None]:
    periods = store.periods(indicator_id)
    tp = None if year_end is None else period_for(periods, year_end)
    if tp is None:
        return None, None
    label = str(periods.loc[periods["time_period"] == tp, "period_label"].iloc[0])
    return store.indicator_values(indicator_id, time_period=tp), label


@memoised
def spend_outcome_view(
    store: Store, spend_id: str, outcome_id: str, year_end: int | None, area_code: str | None
) -> SpendOutcomeView:
    """The scatter's numbers for known indicators in the year ending ``year_end``.

    ``reason`` is set when either indicator has no period ending that year.
    """
    s_meta, o_meta = store.indicator_meta(spend_id), store.indicator_meta(outcome_id)
    spend_rows, spend_label = _year_rows(store, spend_id, year_end)
    outcome_rows, outcome_label = _year_rows(store, outcome_id, year_end)
    if spend_rows is None or outcome_rows is None:
        reason = f"The spend measure and the outcome have no year ending {year_end} in common."
        return SpendOutcomeView(
            s_meta, o_meta, "", None, (None, None), (), area_code, None, {}, reason
        )
    spend, outcome = (
        ind.eligible_values(
            rows, store.areas, include_absent=False, published_grace_days=PUBLISHED_GRACE_DAYS
        )
        for rows in (spend_rows, outcome_rows)
    )
    result = ind.spend_vs_outcome(spend, outcome, outcome_polarity=o_meta.polarity)
    england = (
        ind.england_value(spend_rows, store.areas, value_type=s_meta.value_type).value,
        ind.england_value(
            outcome_rows, store.areas, value_type=o_meta.value_type, multiplier=o_meta.multiplier
        ).value,
    )
    points = result.points
    counts = points["quadrant"].value_counts() if len(points) else pd.Series(dtype=int)
    mine = points[points["area_code"] == area_code] if area_code is not None else points[:0]
    return SpendOutcomeView(
        spend_meta=s_meta,
        outcome_meta=o_meta,
        year_label=f"spend {spend_label}, outcome {outcome_label}",
        result=result,
        england=england,
        quadrant_counts=tuple((str(q), int(n)) for q, n in counts.items()),
        highlight=area_code,
        highlight_point=first_record(mine),
        names=store.area_names,
        reason=None,
    )
