"""Private: the pieces shared by the neighbour-group modules (selection, checks, look-ups)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from indicators._common import (
    ABSENT_STATUS,
    MISSING_STATUS,
    float_values,
    require_columns,
    require_single_period,
    require_unique,
)
from indicators._memo import FrameMemo, frozen

#: Largest custom comparison group a user may define.
MAX_CUSTOM_GROUP = 20
CUSTOM_RELEASE = "custom"
GROUP_COLUMNS = ("sn_release", "area_code", "neighbour_rank", "neighbour_code", "closeness")


def check_custom(custom_codes: Sequence[str], area_code: str) -> list[str]:
    if isinstance(custom_codes, str):
        raise ValueError("custom_codes must be a list of LA codes, not one string")
    codes = [str(c) for c in custom_codes]
    if not 1 <= len(codes) <= MAX_CUSTOM_GROUP:
        raise ValueError(
            f"custom_codes must hold 1 to {MAX_CUSTOM_GROUP} LA codes, got {len(codes)}"
        )
    if len(set(codes)) != len(codes):
        raise ValueError("custom_codes must not repeat a code")
    if area_code in codes:
        raise ValueError(f"custom_codes must not contain the LA itself ({area_code!r})")
    return codes


#: Derived from the statistical-neighbours table once per table and release.
_NEIGHBOURS_MEMO = FrameMemo()
_RELEASE_COLUMNS = ("sn_release", "area_code", "neighbour_rank", "neighbour_code")


def release_rows(neighbours: pd.DataFrame, sn_release: str) -> pd.DataFrame:
    require_columns(neighbours, GROUP_COLUMNS, what="statistical_neighbours")
    return neighbours[_release_mask(neighbours, sn_release)]


def _release_mask(neighbours: pd.DataFrame, sn_release: str) -> np.ndarray:
    """Read-only bool array of the release's rows; ``ValueError`` for an unknown release."""

    def build() -> np.ndarray:
        return frozen(_equal_mask(_release_column(neighbours), sn_release))

    mask = _NEIGHBOURS_MEMO.get(neighbours, ("sn_release",), ("mask", sn_release), build)
    if not mask.any():
        release = _release_column(neighbours)
        raise ValueError(
            f"unknown sn_release {sn_release!r}; the table holds "
            f"{sorted({str(r) for r in release.unique()})}"
        )
    return mask


def _release_column(neighbours: pd.DataFrame) -> pd.Series:
    release = neighbours["sn_release"]
    if release.dtype.kind in "iuf":  # a release stored as a number, e.g. 2025
        release = release.astype(str)
    return release


def _equal_mask(series: pd.Series, value: str) -> np.ndarray:
    return (series == value).to_numpy(dtype=bool, na_value=False)


@dataclass(frozen=True, slots=True)
class ReleaseIndex:
    """A neighbour release's rows as integer positions (read-only arrays), built once.

    ``group`` gives each of the release's rows (in table order) its LA as a position in
    ``ids`` (the release's LAs, sorted); ``position_of`` numbers every code the release names
    (LAs and neighbours), and ``neighbour_at``/``id_at`` give each row's neighbour and each
    LA that number; ``by_area`` maps an LA code to its table rows ordered by
    ``neighbour_rank``. ``id_text`` is ``ids`` as the ``str`` column a frame would make of
    them (copy it before use).
    """

    group: np.ndarray
    ids: np.ndarray
    n_expected: np.ndarray
    position_of: Mapping[Any, int]
    universe: pd.Index
    neighbour_at: np.ndarray
    id_at: np.ndarray
    by_area: Mapping[Any, np.ndarray]
    id_text: Any

    def positions(self, codes: np.ndarray) -> np.ndarray:
        """The ``position_of`` each code (-1 when the release does not name it)."""
        if not pd.isna(codes).any():
            get = self.position_of.get
            try:
                return np.fromiter((get(c, -1) for c in codes), dtype=np.intp, count=len(codes))
            except TypeError:  # an unhashable code: let the index compare them
                pass
        return self.universe.get_indexer(codes)


def release_index(neighbours: pd.DataFrame, sn_release: str) -> ReleaseIndex:
    """The memoised ``ReleaseIndex`` of one release (``ValueError`` if it is unknown)."""
    require_columns(neighbours, GROUP_COLUMNS, what="statistical_neighbours")

    def build() -> ReleaseIndex:
        rows = np.flatnonzero(_release_mask(neighbours, sn_release))
        area = neighbours["area_code"].to_numpy(dtype=object)[rows]
        neighbour = neighbours["neighbour_code"].to_numpy(dtype=object)[rows]
        group, ids = pd.factorize(area, sort=True)
        ids = np.asarray(ids, dtype=object)
        universe = pd.Index(pd.unique(np.concatenate([ids, neighbour])), dtype=object)
        rank = neighbours["neighbour_rank"].to_numpy()[rows]
        by_area: dict[Any, np.ndarray] = {}
        for position in np.unique(group[group >= 0]):
            own = np.flatnonzero(group == position)
            # As DataFrame.sort_values("neighbour_rank") would order them.
            own = own[_rank_order(rank[own])]
            by_area[ids[position]] = frozen(rows[own])
        return ReleaseIndex(
            group=frozen(group),
            ids=frozen(ids),
            n_expected=frozen(np.bincount(group[group >= 0], minlength=len(ids))),
            position_of=MappingProxyType({code: i for i, code in enumerate(universe)}),
            universe=universe,
            neighbour_at=frozen(universe.get_indexer(neighbour)),
            id_at=frozen(universe.get_indexer(ids)),
            by_area=MappingProxyType(by_area),
            id_text=pd.DataFrame({"id": ids.astype(str)})["id"].array,
        )

    return _NEIGHBOURS_MEMO.get(neighbours, _RELEASE_COLUMNS, ("index", sn_release), build)


def _rank_order(rank: np.ndarray) -> np.ndarray:
    """The order ``sort_values`` gives (numpy quicksort; NaN last, in original order)."""
    if rank.dtype.kind in "iu":
        return np.argsort(rank, kind="quicksort")
    return np.asarray(pd.Series(rank).sort_values().index)


def group_rows(neighbours: pd.DataFrame, sn_release: str, area_code: str) -> pd.DataFrame:
    """One LA's rows of a release, ordered by ``neighbour_rank`` (empty if it has none)."""
    index = release_index(neighbours, sn_release)
    rows = index.by_area.get(area_code)
    if rows is None:
        rows = np.array([], dtype=np.intp)
    return neighbours.take(rows).reset_index(drop=True)


def check_values(values: pd.DataFrame, what: str) -> None:
    require_columns(values, ["area_code", "value"], what=what)
    require_single_period(values, what=what)
    require_unique(values, ["area_code"], what=what)


class Lookup:
    """Values and statuses of a one-period frame, looked up by area code."""

    def __init__(self, values: pd.DataFrame) -> None:
        self.index = pd.Index(values["area_code"].to_numpy(dtype=object))
        self.value = float_values(values)
        self.symbol = symbols(values)

    def attach(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each code's value (NaN when missing) and status (None when it has a value)."""
        position = self.index.get_indexer(codes)
        found = position >= 0
        value = np.full(len(codes), np.nan)
        value[found] = self.value[position[found]]
        value[~np.isfinite(value)] = np.nan
        return value, missing_status(value, found, self.symbol, position)


def symbols(values: pd.DataFrame) -> np.ndarray:
    """Each row's ``value_status`` as an object array, None where there is none."""
    if "value_status" not in values.columns:
        return np.full(len(values), None, dtype=object)
    symbol = values["value_status"].to_numpy(dtype=object)
    return np.where(pd.isna(symbol), None, symbol)


def missing_status(
    value: np.ndarray, found: np.ndarray, symbol: np.ndarray, position: np.ndarray
) -> np.ndarray:
    """None where ``value`` is a number, else the row's symbol, "missing" or "no row"."""
    status = np.full(len(value), None, dtype=object)
    for i in np.flatnonzero(np.isnan(value)):
        if not found[i]:
            status[i] = ABSENT_STATUS
        else:
            own = symbol[position[i]]
            status[i] = MISSING_STATUS if own is None else own
    return status


def attach_values(group: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The group rows with each neighbour's ``value`` and ``status`` (``"no row"`` if absent)."""
    columns = [c for c in GROUP_COLUMNS if c in group.columns]
    codes = group["neighbour_code"].astype(str)
    value, status = Lookup(values).attach(codes.to_numpy(dtype=object))
    data: dict[str, Any] = {c: group[c].array for c in columns}
    data["neighbour_code"] = codes.array
    data["value"] = value
    data["status"] = pd.Series(status, dtype=object)
    return pd.DataFrame(data)


def group_members(values: pd.DataFrame, neighbours: pd.DataFrame, release: str) -> pd.DataFrame:
    """Each LA's group (itself plus its neighbours) with values, restricted to ``values``."""
    group = release_rows(neighbours, str(release))
    centres = group.drop_duplicates("area_code")
    selves = centres.assign(neighbour_rank=0, neighbour_code=centres["area_code"])
    both = pd.concat([selves, group], ignore_index=True)
    members = attach_values(both, values)
    present = set(values["area_code"].astype(str))
    members = members[members["neighbour_code"].isin(present)]
    return members[["area_code", "neighbour_code", "value"]]
