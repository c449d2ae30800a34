"""The map page: one indicator in one period, every competing LA with its band or value.

The LAs are the period's competing LAs from the benchmark table (``views.period``): current
single LAs, plus an LA created up to a year after the period's end that already published,
and every current LA without a row (status "no row"). Each is placed on the map by the
boundary file's ``properties.area_code``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import indicators as ind
from data.schema import IndicatorMeta, Polarity
from data.store import Store
from views.frame_values import as_float, first_record, record
from views.memo import memoised
from views.period import period_view

__all__ = [
    "BAND_LETTERS",
    "CONTINUOUS",
    "MODES",
    "QUARTILE",
    "MapView",
    "boundary_codes",
    "build_map_view",
    "map_view",
]

QUARTILE = "quartile"
CONTINUOUS = "continuous"
MODES = (QUARTILE, CONTINUOUS)
#: Band letters, the best (or, with no polarity, the highest) quarter first.
BAND_LETTERS = ("A", "B", "C", "D")


def boundary_codes(geojson: Mapping[str, Any] | None) -> list[str]:
    """The ``properties.area_code`` of every feature of a boundary collection."""
    if not geojson:
        return []
    return [str(f.get("properties", {}).get("area_code")) for f in geojson.get("features", [])]


@dataclass(frozen=True)
class MapView:
    """One indicator in one period on the map.

    Attributes:
        meta: The indicator's metadata; ``period_label`` the publisher's label.
        mode: ``"quartile"`` or ``"continuous"`` as drawn (a quartile request falls back to
            continuous when the indicator is not banded: ``not_banded``).
        not_banded: A quartile request for an indicator LAIT does not band (``no_quartile``).
        las: One row per competing LA, by area code: ``area_code``, ``area_name``,
            ``value`` (NaN when not published), ``value_status``, ``band`` ("A".."D":
            the best quarter by polarity first, the highest first with no polarity; None
            when not banded or no value), ``z`` (the number coloured: 4 for band A down to
            1 for D, or the value on the continuous scale; NaN when no value) and
            ``on_map`` (the LA has a boundary).
        ranges: Each band's ``lower`` and ``upper`` value, by band letter (quartile mode).
        zmin, zmax: The colour scale's ends.
        has_boundaries: Whether the release holds LA boundaries.
        synthetic_tiles: Whether the boundaries are the demo's made-up hexagons.
        names: Every area's name (a boundary or a chosen LA need not compete).
    """

    meta: IndicatorMeta
    period_label: str
    mode: str
    not_banded: bool
    las: pd.DataFrame
    ranges: Mapping[str, tuple[float, float]]
    zmin: float
    zmax: float
    has_boundaries: bool
    synthetic_tiles: bool
    names: Mapping[str, str]

    @property
    def coloured(self) -> pd.DataFrame:
        """The LAs with a value (coloured), by area code."""
        return self.las[self.las["z"].notna()]

    @property
    def missing(self) -> pd.DataFrame:
        """The LAs without a value (grey), by area code."""
        return self.las[self.las["z"].isna()]

    @property
    def extremes(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The lowest and highest LA with a value (None when none has one)."""
        have = self.coloured.sort_values("value")
        if have.empty:
            return None
        return record(have.iloc[0]), record(have.iloc[-1])

    @property
    def missing_by_status(self) -> tuple[tuple[str, int], ...]:
        """How many LAs have no value, by status (commonest first)."""
        counts = self.missing["value_status"].fillna("not published").value_counts()
        return tuple((str(s), int(n)) for s, n in counts.items())

    def row(self, area_code: str) -> dict[str, Any] | None:
        """One LA's row (None when it does not compete in this period)."""
        return first_record(self.las[self.las["area_code"] == area_code])


@memoised
def map_view(store: Store, indicator_id: str, time_period: int, mode: str) -> MapView:
    """The map of a known indicator and period, coloured by ``mode`` (one of ``MODES``)."""
    period = period_view(store, indicator_id, time_period)
    return build_map_view(
        period.meta,
        period.label,
        period.las[["area_code", "value", "value_status"]],
        mode,
        boundaries=store.boundaries,
        names=store.area_names,
    )


def build_map_view(
    meta: IndicatorMeta,
    period_label: str,
    las: pd.DataFrame,
    mode: str,
    *,
    boundaries: Mapping[str, Any] | None,
    names: Mapping[str, str],
) -> MapView:
    """The ``MapView`` of competing LAs' ``area_code``, ``value``, ``value_status`` rows.

    Bands are ``indicators.quartile_bands`` (by polarity; with none, the same breakpoints
    split the highest to the lowest quarter).
    """
    on_map = set(boundary_codes(boundaries))
    base = pd.DataFrame(
        {
            "area_code": las["area_code"].astype(str).to_numpy(),
            "value": pd.to_numeric(las["value"]).astype(float).to_numpy(),
            "value_status": [
                None if s is None or pd.isna(s) else str(s)
                for s in las["value_status"].astype(object)
            ],
        }
    )
    value = base["value"]
    not_banded = mode == QUARTILE and meta.no_quartile
    quartile = mode == QUARTILE and not not_banded and bool(value.notna().any())
    ranges: dict[str, tuple[float, float]] = {}
    if quartile:
        polar = meta.polarity is not Polarity.NONE
        bands = ind.quartile_bands(
            base, polarity=meta.polarity if polar else Polarity.HIGH_IS_BETTER
        )
        band = np.array(
            [b if isinstance(b, str) else None for b in bands.bands["band"]], dtype=object
        )
        z = [float(4 - BAND_LETTERS.index(b)) if isinstance(b, str) else np.nan for b in band]
        ranges = {
            str(r.band): (as_float(r.lower), as_float(r.upper)) for r in bands.ranges.itertuples()
        }
        zmin, zmax = 0.5, 4.5
    else:
        band = np.full(len(base), None, dtype=object)
        z = value.tolist()
        present = value.dropna()
        zmin = float(present.min()) if len(present) else 0.0
        zmax = float(present.max()) if len(present) else 1.0
        if zmax == zmin:
            zmax = zmin + 1.0
    frame = base.assign(
        area_name=[names.get(c, c) for c in base["area_code"]],
        band=band,
        z=np.asarray(z, dtype=float),
        on_map=[c in on_map for c in base["area_code"]],
    )
    return MapView(
        meta=meta,
        period_label=period_label,
        mode=QUARTILE if quartile else CONTINUOUS,
        not_banded=not_banded,
        las=frame,
        ranges=ranges,
        zmin=zmin,
        zmax=zmax,
        has_boundaries=bool(boundaries),
        synthetic_tiles=bool(boundaries and boundaries.get("synthetic_tiles")),
        names=names,
    )
