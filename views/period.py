"""One indicator in one period: the numbers every page and API resource shares about it.

Read from the release's benchmark table (built once at ingest), never recomputed per request:
the competing LAs with their values, ranks, bands and 95% intervals, the quartile breaks, the
England comparator and every region's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from data.schema import ENGLAND_CODE, IndicatorMeta, Polarity
from data.store import Store
from indicators import Comparator
from views.memo import memoised

__all__ = ["PeriodView", "comparator_of", "period_view"]


@dataclass(frozen=True)
class PeriodView:
    """One indicator in one period.

    Attributes:
        meta: The indicator's metadata.
        time_period: The period's code (EES form); ``label`` the publisher's label;
            ``year_end`` and ``time_identifier`` as in the store.
        rows: The period's benchmark rows, every area (LAs, comparators, joint rows, and LAs
            competing without a row, status "no row"), sorted by ``area_code``.
        las: The LAs that compete in the ranking (``rows`` with ``competes``), sorted by
            ``area_code``, with ``rank_label`` (``"=12"`` for a joint rank) and ``status``
            (None when ranked, else the symbol or "missing").
        n_ranked: LAs with a value (ranked).
        breaks: ``(Q0, Q25, Q50, Q75, Q100)`` of the ranked values (type-7 quantiles), or
            None when no LA has a value.
        band_reason: Why there are no quartile bands (None when there are).
        comparators: The period's comparator rows (England, regions, London sub-regions).
    """

    meta: IndicatorMeta
    time_period: int
    label: str
    year_end: int
    time_identifier: str
    rows: pd.DataFrame
    las: pd.DataFrame
    n_ranked: int
    breaks: tuple[float, float, float, float, float] | None
    band_reason: str | None
    comparators: pd.DataFrame
    region_codes: Mapping[str, str]
    """Each LA's region (or London sub-region) code, from the areas table."""

    @cached_property
    def england(self) -> Comparator:
        """England's comparator (published, or computed from the LAs and labelled so)."""
        return comparator_of(self.comparators, ENGLAND_CODE)

    def region(self, area_code: str) -> Comparator | None:
        """The region comparator of one LA (London for a sub-region without data).

        Also for a year the LA has no row in (e.g. before it was created): its region's value
        is still a useful reference.
        """
        code = self.region_codes.get(area_code)
        return None if code is None else comparator_of(self.comparators, code)

    def _row(self, area_code: str) -> pd.Series | None:
        at = self._positions.get(area_code)
        return None if at is None else self.rows.iloc[at]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {str(code): i for i, code in enumerate(self.rows["area_code"])}

    def row(self, area_code: str) -> dict[str, Any] | None:
        """One area's benchmark row as a plain dict (None when it has none)."""
        row = self._row(area_code)
        return None if row is None else {str(k): v for k, v in row.to_dict().items()}


def comparator_of(comparators: pd.DataFrame, code: str) -> Comparator:
    """The ``Comparator`` of comparator area ``code`` in a period's comparator rows."""
    match = comparators[comparators["area_code"] == code]
    if match.empty:
        return Comparator(code, code, None, "nd", True, "none", 0, 0)
    row = match.iloc[0]
    value = float(row["value"])
    status = row["value_status"]
    return Comparator(
        area_code=str(row["comparator_code"]),
        label=str(row["label"]),
        value=value if np.isfinite(value) else None,
        value_status=None if status is None or pd.isna(status) else str(status),
        computed=bool(row["computed"]),
        method=str(row["method"]),
        n_las=None if int(row["n_las"]) < 0 else int(row["n_las"]),
        n_las_missing=None if int(row["n_las_missing"]) < 0 else int(row["n_las_missing"]),
    )


@memoised
def period_view(store: Store, indicator_id: str, time_period: int) -> PeriodView:
    """The ``PeriodView`` of a known indicator and period (ids checked by the caller)."""
    bench = _benchmark(store)
    rows = bench.rows("benchmark", indicator_id, time_period=time_period)
    rows = rows.astype({"indicator_id": str, "area_code": str}).reset_index(drop=True)
    period = bench.rows("benchmark_periods", indicator_id, time_period=time_period)
    if period.empty:
        raise KeyError(f"{indicator_id} has no period {time_period}")
    first = period.iloc[0]
    las = rows[rows["competes"].to_numpy()].reset_index(drop=True)
    ranked = las["rank"].notna().to_numpy()
    rank = las["rank"].to_numpy(dtype=float, na_value=np.nan)
    tied = las["tied"].to_numpy(dtype=bool)
    labels = np.full(len(las), None, dtype=object)
    labels[ranked] = [
        f"={int(r)}" if t else str(int(r)) for r, t in zip(rank[ranked], tied[ranked], strict=True)
    ]
    status = las["value_status"].astype(object).to_numpy()
    none = np.full(len(status), None, dtype=object)
    status = np.where(ranked, none, np.where(pd.isna(status), "missing", status))
    unjudged = store.indicator_meta(indicator_id).polarity is Polarity.NONE
    top = "highest" if unjudged else "best"  # as rank_areas' rank_meaning
    las = las.assign(rank_label=labels, status=status, rank_meaning=f"1 = {top}")
    breaks = tuple(float(first[f"q{q}"]) for q in (0, 25, 50, 75, 100))
    reason = first["band_reason"]
    return PeriodView(
        meta=store.indicator_meta(indicator_id),
        time_period=int(time_period),
        label=str(first["period_label"]),
        year_end=int(first["year_end"]),
        time_identifier=str(first["time_identifier"]),
        rows=rows,
        las=las,
        n_ranked=int(first["n_ranked"]),
        breaks=breaks if all(np.isfinite(breaks)) else None,  # type: ignore[arg-type]
        band_reason=None if reason is None or pd.isna(reason) else str(reason),
        comparators=bench.rows("comparators", indicator_id, time_period=time_period).astype(
            {"area_code": str}
        ),
        region_codes=region_codes(store),
    )


@memoised
def region_codes(store: Store) -> Mapping[str, str]:
    """Each LA's ``region_code`` (an E12 region or an E13 London sub-region)."""
    areas = store.areas
    known = areas[areas["region_code"].notna()]
    return MappingProxyType(
        dict(zip(known["area_code"].astype(str), known["region_code"].astype(str), strict=True))
    )


def _benchmark(store: Store) -> Any:
    if store.benchmark is None:
        raise LookupError(
            f"store release {store.release} has no benchmark table: rebuild it with "
            "`python -m app ingest` or `python -m app demo`"
        )
    return store.benchmark
