"""Any indicator against any other (B13): one LA per point, x and y from two indicators.

``correlation_view`` reads each indicator's competing LAs in its chosen period from the
benchmark table (``views.period``) and correlates them (``indicators.correlate_indicators``:
Pearson and Spearman with intervals). The chosen LA and its statistical neighbours (newest
release held) are marked; the figure builder ``figures.correlation`` only draws this.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import indicators as ind
from data.schema import IndicatorMeta
from data.store import Store
from views.memo import memoised
from views.period import period_view

__all__ = ["CorrelationView", "correlation_view", "neighbours_of"]

#: Roles of a point, drawn in this order (the selected LA last, on top).
ROLES = ("other", "neighbour", "selected")


@dataclass(frozen=True)
class CorrelationView:
    """Two indicators across LAs.

    Attributes:
        x_meta, y_meta: The indicators; ``x_label``, ``y_label`` their periods as published.
        result: ``indicators.correlate_indicators`` of x against y (coefficients, intervals,
            counts, ``reason`` when a coefficient is missing).
        points: One row per LA with a value on both sides: ``area_code``, ``la_name``,
            ``x``, ``y`` (each in its indicator's unit), ``role`` (selected, neighbour,
            other), sorted so that the chosen LA comes last.
        la: The chosen LA (None for none); ``sn_release`` the release its neighbours come
            from (None when the store holds none or the LA has no group in it).
        same: Whether x and y are the same indicator and period (r is then 1 by definition).
    """

    x_meta: IndicatorMeta
    y_meta: IndicatorMeta
    x_label: str
    y_label: str
    result: ind.Correlation
    points: pd.DataFrame
    la: str | None
    sn_release: str | None
    same: bool


def neighbours_of(store: Store, la: str | None) -> tuple[str | None, tuple[str, ...]]:
    """The newest neighbour release holding ``la`` and its neighbours there, in rank order."""
    if la is None:
        return None, ()
    table = store.neighbours
    for release in store.catalogue.sn_releases:
        group = table[(table["sn_release"].astype(str) == release) & (table["area_code"] == la)]
        if len(group):
            ordered = group.sort_values("neighbour_rank")["neighbour_code"].astype(str)
            return release, tuple(ordered)
    return None, ()


def _values(las: pd.DataFrame) -> pd.DataFrame:
    return las[["area_code", "value"]].astype({"area_code": str, "value": float})


@memoised
def correlation_view(
    store: Store, x_id: str, x_period: int, y_id: str, y_period: int, la: str | None
) -> CorrelationView:
    """Indicator ``x_id`` in ``x_period`` against ``y_id`` in ``y_period`` across LAs."""
    x_view = period_view(store, x_id, x_period)
    y_view = period_view(store, y_id, y_period)
    result = ind.correlate_indicators(_values(x_view.las), _values(y_view.las))
    pairs = result.pairs[result.pairs["used"].astype(bool)]
    release, neighbours = neighbours_of(store, la)
    role = pd.Series("other", index=pairs.index, dtype=object)
    role[pairs["area_code"].isin(neighbours)] = "neighbour"
    role[pairs["area_code"] == la] = "selected"
    points = pd.DataFrame(
        {
            "area_code": pairs["area_code"].astype(str).to_numpy(),
            "la_name": [store.area_name(c) for c in pairs["area_code"].astype(str)],
            "x": pairs["x"].to_numpy(dtype=float),
            "y": pairs["y"].to_numpy(dtype=float),
            "role": role.to_numpy(),
        }
    )
    order = points["role"].map({r: k for k, r in enumerate(ROLES)})
    points = points.assign(_order=order).sort_values(["_order", "area_code"], kind="stable")
    return CorrelationView(
        x_meta=x_view.meta,
        y_meta=y_view.meta,
        x_label=x_view.label,
        y_label=y_view.label,
        result=result,
        points=points.drop(columns="_order").reset_index(drop=True),
        la=la,
        sn_release=release,
        same=(x_id, x_period) == (y_id, y_period),
    )
