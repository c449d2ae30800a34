"""Every LA-level value of a release as one dense (indicator-period, area) array.

Read once per release from the benchmark table built at ingest (its rows are sorted by
indicator, period and area, so the layout is a few array operations, about a tenth of a
second on the real store), then kept in the views' memo: one LA's profile takes its
neighbours' values in every indicator's latest period, or a custom group's in every period,
by indexing columns, instead of reading the table once per neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from data.store import Store
from views.memo import memoised

__all__ = ["ValueCube", "value_cube"]

#: Larger than any ``time_period`` code (202324), so (indicator, period) packs into one int.
_PERIOD_SPAN = 10_000_000


@dataclass(frozen=True)
class ValueCube:
    """The release's values as ``(group, area)`` arrays; a group is one (indicator, period).

    Attributes:
        groups: One row per group in the benchmark table's order (indicator, then period):
            ``indicator_id``, ``time_period``, ``year_end``.
        area_codes: The columns: every area with a benchmark row (LAs, comparators, joint
            rows), in the table's dictionary order.
        value: ``(groups, areas)`` the area's finite value, NaN where it has none (no row,
            or a row whose value is not published).
        competes: ``(groups, areas)`` whether the area competes in the group's ranking.
        spread: ``(groups,)`` the sample standard deviation (ddof 1) of the competing LAs'
            values in each group, in the indicator's unit (NaN with fewer than 2 values).
    """

    groups: pd.DataFrame
    area_codes: tuple[str, ...]
    value: npt.NDArray[np.float64]
    competes: npt.NDArray[np.bool_]
    spread: npt.NDArray[np.float64]

    def columns(self, codes: tuple[str, ...] | list[str]) -> npt.NDArray[np.intp]:
        """Each code's column, -1 for a code the cube does not hold."""
        return self._areas.get_indexer(pd.Index(list(codes))).astype(np.intp)

    @cached_property
    def _areas(self) -> pd.Index:
        return pd.Index(self.area_codes)

    def take(self, rows: npt.NDArray[np.intp], codes: tuple[str, ...] | list[str]) -> np.ndarray:
        """``(len(rows), len(codes))`` values of those groups and areas (NaN where unheld)."""
        at = self.columns(codes)
        out = np.full((len(rows), len(at)), np.nan)
        held = at >= 0
        out[:, held] = self.value[np.ix_(rows, at[held])]
        return out

    def group_rows(self, indicator_ids: np.ndarray, time_periods: np.ndarray) -> np.ndarray:
        """The group row of each (indicator, period) pair, -1 where the cube has none."""
        code = self._indicators.get_indexer(pd.Index(np.asarray(indicator_ids, dtype=object)))
        key = code.astype(np.int64) * _PERIOD_SPAN + np.asarray(time_periods, dtype=np.int64)
        found = self._keys.get_indexer(pd.Index(key))
        return np.where(code >= 0, found, -1).astype(np.intp)

    @cached_property
    def _indicators(self) -> pd.Index:
        ids: npt.NDArray[np.object_] = pd.unique(
            self.groups["indicator_id"].to_numpy(dtype=object)
        )
        return pd.Index(ids)

    @cached_property
    def _keys(self) -> pd.Index:
        code = self._indicators.get_indexer(
            pd.Index(self.groups["indicator_id"].to_numpy(dtype=object))
        )
        period = self.groups["time_period"].to_numpy(dtype=np.int64)
        key: npt.NDArray[np.int64] = code.astype(np.int64) * _PERIOD_SPAN + period
        return pd.Index(key)


@memoised
def value_cube(store: Store) -> ValueCube:
    """The release's benchmark values laid out densely (kept per release)."""
    bench = store.benchmark
    assert bench is not None
    table = bench.table("benchmark")
    indicator = table.column("indicator_id").combine_chunks()
    area = table.column("area_code").combine_chunks()
    ind_code = indicator.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    area_code = area.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    period = table.column("time_period").to_numpy().astype(np.int64)
    year_end = table.column("year_end").to_numpy().astype(np.int64)
    value = _floats(table.column("value"))
    competes = table.column("competes").to_numpy(zero_copy_only=False).astype(bool)
    # Rows are sorted by indicator then period: a new group starts wherever either changes.
    new = np.r_[True, (np.diff(ind_code) != 0) | (np.diff(period) != 0)][: len(period)]
    starts = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    names = np.asarray(indicator.dictionary.to_pylist(), dtype=object)
    areas = tuple(str(c) for c in area.dictionary.to_pylist())
    shape = (len(starts), len(areas))
    dense = np.full(shape, np.nan)
    dense[group, area_code] = np.where(np.isfinite(value), value, np.nan)
    compete = np.zeros(shape, dtype=bool)
    compete[group, area_code] = competes
    return ValueCube(
        groups=pd.DataFrame(
            {
                "indicator_id": names[ind_code[starts]],
                "time_period": period[starts],
                "year_end": year_end[starts],
            }
        ),
        area_codes=areas,
        value=dense,
        competes=compete,
        spread=_spread(np.where(compete, dense, np.nan)),
    )


def _floats(column: pa.ChunkedArray) -> npt.NDArray[np.float64]:
    """A float column as numpy, nulls as NaN."""
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=float)


def _spread(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Sample SD of each row's finite values (NaN with fewer than 2)."""
    finite = np.isfinite(values)
    n = finite.sum(axis=1)
    total = np.where(finite, values, 0.0).sum(axis=1)
    mean = total / np.maximum(n, 1)
    centred = np.where(finite, values - mean[:, None], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt((centred**2).sum(axis=1) / (n - 1))
    return np.where(n >= 2, sd, np.nan)
