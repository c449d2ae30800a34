"""Private: the pieces shared by the neighbour-group modules (selection, checks, look-ups)."""

from __future__ import annotations

from collections.abc import Sequence

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


def release_rows(neighbours: pd.DataFrame, sn_release: str) -> pd.DataFrame:
    require_columns(
        neighbours,
        ["sn_release", "area_code", "neighbour_rank", "neighbour_code", "closeness"],
        what="statistical_neighbours",
    )
    release = neighbours["sn_release"]
    if release.dtype.kind in "iuf":  # a release stored as a number, e.g. 2025
        release = release.astype(str)
    group = neighbours[(release == sn_release).to_numpy(dtype=bool, na_value=False)]
    if group.empty:
        raise ValueError(
            f"unknown sn_release {sn_release!r}; the table holds "
            f"{sorted({str(r) for r in release.unique()})}"
        )
    return group


def check_values(values: pd.DataFrame, what: str) -> None:
    require_columns(values, ["area_code", "value"], what=what)
    require_single_period(values, what=what)
    require_unique(values, ["area_code"], what=what)


class Lookup:
    """Values and statuses of a one-period frame, looked up by area code."""

    def __init__(self, values: pd.DataFrame) -> None:
        self.index = pd.Index(values["area_code"].to_numpy(dtype=object))
        self.value = float_values(values)
        self.symbol = (
            values["value_status"].to_numpy(dtype=object, na_value=None)
            if "value_status" in values.columns
            else np.full(len(values), None, dtype=object)
        )

    def attach(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each code's value (NaN when missing) and status (None when it has a value)."""
        position = self.index.get_indexer(codes)
        found = position >= 0
        value = np.full(len(codes), np.nan)
        value[found] = self.value[position[found]]
        value[~np.isfinite(value)] = np.nan
        status = np.full(len(codes), None, dtype=object)
        missing = np.flatnonzero(np.isnan(value))
        for i in missing:
            if not found[i]:
                status[i] = ABSENT_STATUS
            else:
                symbol = self.symbol[position[i]]
                status[i] = MISSING_STATUS if symbol is None else symbol
        return value, status


def attach_values(group: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The group rows with each neighbour's ``value`` and ``status`` (``"no row"`` if absent)."""
    group = group[[c for c in GROUP_COLUMNS if c in group.columns]].reset_index(drop=True)
    group = group.assign(neighbour_code=group["neighbour_code"].astype(str))
    value, status = Lookup(values).attach(group["neighbour_code"].to_numpy(dtype=object))
    return group.assign(value=value, status=pd.Series(status, dtype=object, index=group.index))
