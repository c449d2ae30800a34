"""Which areas compete in a ranking: single local authorities current for the period.

LAIT ranks "all rows whose LA Number is below 970" (England and regions excluded). This module
makes the rule explicit and period-aware: joint rows (``940 / 941``), England, regions and
London sub-regions never compete, nor does an LA that was not in existence when the period
ended (an abolished county after its abolition, a new unitary before its creation).
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data.schema import AreaType, GeographicLevel, period_end
from indicators._common import (
    ABSENT_STATUS,
    require_columns,
    require_int,
    require_single_period,
    require_unique,
)
from indicators._memo import FrameMemo, frozen

__all__ = ["ABSENT_STATUS", "current_las", "eligible_values"]


def current_las(areas: pd.DataFrame, *, time_identifier: str, year_end: int) -> pd.DataFrame:
    """Return the ``areas`` rows of single LAs current for a period.

    An LA is current for a period if ``valid_from <= period end`` (or ``valid_from`` is null)
    and ``valid_to`` is null or ``>= period end``, where the period end comes from
    ``data.schema.period_end`` (31 March for reporting and financial years, 31 August for
    academic years, 31 December for calendar years).

    Args:
        areas: The store's ``areas`` table (needs ``area_code``, ``area_type``,
            ``valid_from``, ``valid_to``).
        time_identifier: The period's EES time identifier, e.g. ``"Reporting year"``.
        year_end: The year the period ends, e.g. ``2024`` for 2023-24.

    Returns:
        A new frame with the matching ``areas`` rows, sorted by ``area_code``.

    Raises:
        ValueError: If columns are missing.

    Notes:
        Units: dates only. Polarity: not used. Ties: not applicable. Missing values: a null
        ``valid_from`` means "since before the data begins", a null ``valid_to`` "still
        current". Joint rows (``area_type`` "Local authority group"), England, regions and
        London sub-regions are never returned.

    Examples:
        >>> areas = pd.DataFrame({
        ...     "area_code": ["E10000006", "E06000063", "E92000001"],
        ...     "area_type": ["Local authority", "Local authority", "Country"],
        ...     "valid_from": [None, pd.Timestamp("2023-04-01"), None],
        ...     "valid_to": [pd.Timestamp("2023-03-31"), None, None]})
        >>> current = current_las(areas, time_identifier="Reporting year", year_end=2024)
        >>> current["area_code"].tolist()
        ['E06000063']
    """
    mask = _current_mask(areas, time_identifier, year_end)
    return areas[mask].sort_values("area_code").reset_index(drop=True)


#: Derived from ``areas`` once per table (and period end) rather than on every call.
_AREAS_MEMO = FrameMemo()
_AREA_COLUMNS = ("area_code", "area_type", "valid_from", "valid_to")


def _current_mask(areas: pd.DataFrame, time_identifier: str, year_end: int) -> np.ndarray:
    """Read-only bool array: which ``areas`` rows are single LAs current at the period end."""
    require_columns(areas, list(_AREA_COLUMNS), what="current_las")
    end = np.datetime64(date(*period_end(time_identifier, int(year_end))), "D")

    def build() -> np.ndarray:
        is_la, valid_from, valid_to = _lifetimes(areas)
        return frozen(
            is_la
            & (np.isnat(valid_from) | (valid_from <= end))
            & (np.isnat(valid_to) | (valid_to >= end))
        )

    return _AREAS_MEMO.get(areas, _AREA_COLUMNS, ("current", end), build)


def _current_codes(areas: pd.DataFrame, time_identifier: str, year_end: int) -> frozenset[str]:
    """The codes (as ``str``) of the single LAs current at the period end."""
    require_columns(areas, list(_AREA_COLUMNS), what="current_las")
    end = np.datetime64(date(*period_end(time_identifier, int(year_end))), "D")

    def build() -> frozenset[str]:
        mask = _current_mask(areas, time_identifier, year_end)
        return frozenset(areas["area_code"].to_numpy(dtype=object)[mask].astype(str))

    return _AREAS_MEMO.get(areas, _AREA_COLUMNS, ("codes", end), build)


def _lifetimes(areas: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read-only arrays per ``areas`` row: is a single LA, valid from, valid to (days)."""

    def build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        area_type = areas["area_type"].to_numpy(dtype=object).astype(str)
        return (
            frozen(area_type == str(AreaType.LA)),
            frozen(_days(areas["valid_from"])),
            frozen(_days(areas["valid_to"])),
        )

    return _AREAS_MEMO.get(areas, _AREA_COLUMNS, "lifetimes", build)


def _days(column: pd.Series) -> np.ndarray:
    """Dates (datetime.date, Timestamp, datetime64, None/NaT) as ``datetime64[D]``."""
    if column.dtype.kind == "M":
        return column.to_numpy().astype("datetime64[D]")
    try:  # datetime.date objects, ISO strings and None convert directly
        return np.array(column.to_numpy(dtype=object), dtype="datetime64[D]")
    except (TypeError, ValueError):
        pass
    return np.array(
        [
            np.datetime64("NaT") if pd.isna(v) else np.datetime64(pd.Timestamp(v).date(), "D")
            for v in column
        ],
        dtype="datetime64[D]",
    )


def eligible_values(
    values: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    include_absent: bool = True,
    published_grace_days: int = 0,
    time_identifier: str | None = None,
    year_end: int | None = None,
) -> pd.DataFrame:
    """Keep the values rows of LAs that compete in a ranking for their period.

    Args:
        values: Store ``values`` rows of ONE indicator and ONE period (any geographic
            levels); ``value`` in the indicator's unit.
        areas: The store's ``areas`` table.
        include_absent: Add a row (``value`` NaN, ``value_status`` ``"no row"``) for each
            current LA that has no row at all, so rankings can report it as not ranked.
        published_grace_days: Also keep a single LA that is not current for the period but
            whose lifetime misses the period end by at most this many days, IF it has a
            published (finite) value. 0 (default) is the strict rule. 366 matches the data
            layer's tolerance: e.g. North and West Northamptonshire, created 1 April 2021,
            already published CLA figures at 31 March 2021.
        time_identifier: The period's time identifier; read from ``values`` when omitted
            (needed when ``values`` is empty).
        year_end: The period's end year; read from ``values`` when omitted.

    Returns:
        A new frame with the ``values`` columns, one row per current single LA, sorted by
        ``area_code``.

    Raises:
        ValueError: If ``values`` mixes periods or indicators, repeats an area, lacks
            columns, or is empty without ``time_identifier``/``year_end``.

    Notes:
        Units: ``value`` unchanged. Polarity: not used. Ties: not applicable. Missing values:
        rows with NaN values are kept with their status (they are "not ranked", and must be
        reported); England, regions, joint rows and non-current LAs are dropped.

    Examples:
        >>> areas = pd.DataFrame({
        ...     "area_code": ["E06000001", "E06000002", "E92000001"],
        ...     "area_type": ["Local authority", "Local authority", "Country"],
        ...     "valid_from": [None, None, None], "valid_to": [None, None, None]})
        >>> values = pd.DataFrame({
        ...     "area_code": ["E06000001", "E92000001"], "time_period": [2024, 2024],
        ...     "time_identifier": ["Reporting year"] * 2, "year_end": [2024, 2024],
        ...     "value": [5.0, 4.0], "value_status": [None, None]})
        >>> eligible_values(values, areas)[["area_code", "value", "value_status"]]
           area_code  value value_status
        0  E06000001    5.0         None
        1  E06000002    NaN       no row
    """
    require_columns(values, ["area_code", "value"], what="eligible_values")
    require_single_period(values, what="eligible_values")
    area_code = values["area_code"]
    objects = area_code.to_numpy(dtype=object)
    require_unique(values, ["area_code"], what="eligible_values", objects=objects)
    if time_identifier is None or year_end is None:
        require_columns(values, ["time_identifier", "year_end"], what="eligible_values")
        if values.empty:
            raise ValueError(
                "eligible_values: values is empty; pass time_identifier= and year_end="
            )
        time_identifier = str(values["time_identifier"].iloc[0])
        year_end = int(values["year_end"].iloc[0])
    codes: frozenset[str] | set[str] = _current_codes(areas, time_identifier, year_end)
    grace = require_int(published_grace_days, name="published_grace_days", minimum=0)
    if grace:
        codes = codes | set(_published_near(values, areas, time_identifier, year_end, grace))
    own = objects.astype(str)
    if isinstance(area_code.dtype, pd.StringDtype) and not pd.isna(objects).any():
        # Already Python strings: test them directly rather than as numpy strings.
        own_codes = objects
    else:
        own_codes = own
    keep = np.flatnonzero([c in codes for c in own_codes])
    kept_rows = keep[np.argsort(own[keep], kind="stable")]
    absent = sorted(codes - set(own_codes[keep])) if include_absent else []
    if not absent:
        if len(kept_rows) == len(values) and (kept_rows == np.arange(len(values))).all():
            return values.reset_index(drop=True)  # every row kept, already in code order
        return values.take(kept_rows).reset_index(drop=True)
    fast = _with_absent_rows(values, kept_rows, own[kept_rows], absent)
    if fast is not None:
        return fast
    kept = values.take(kept_rows).reset_index(drop=True)
    kept = pd.concat([kept, _absent_rows(values, absent)], ignore_index=True)
    order = np.argsort(kept["area_code"].to_numpy(dtype=object).astype(str))
    return kept.take(order).reset_index(drop=True)


def _published_near(
    values: pd.DataFrame, areas: pd.DataFrame, time_identifier: str, year_end: int, grace: int
) -> pd.Series:
    """Codes of single LAs within ``grace`` days of current that have a finite value."""
    end = np.datetime64(date(*period_end(time_identifier, int(year_end))), "D")
    las = areas[areas["area_type"].astype(str) == str(AreaType.LA)]
    start, stop = _days(las["valid_from"]), _days(las["valid_to"])
    early = np.where(np.isnat(start), 0, (start - end).astype("timedelta64[D]").astype(float))
    late = np.where(np.isnat(stop), 0, (end - stop).astype("timedelta64[D]").astype(float))
    near = set(las.loc[(early <= grace) & (late <= grace), "area_code"].astype(str))
    value = pd.to_numeric(values["value"]).astype(float)
    published = values.loc[value.notna(), "area_code"].astype(str)
    return published[published.isin(near)]


def _absent_fill(values: pd.DataFrame) -> dict[Hashable, Any]:
    """The value each column takes in an absent LA's row (``area_code`` aside).

    A scalar copied from the first row, or the column's missing value.
    """
    fill: dict[Hashable, Any] = {}
    if len(values):
        first = values.iloc[0]
        for column in ("indicator_id", "time_period", "time_identifier", "year_end"):
            if column in values.columns:
                fill[column] = first[column]
        if "period_label" in values.columns:
            fill["period_label"] = first["period_label"]
    for column in values.columns:
        if column == "area_code" or column in fill:
            continue
        if column == "geographic_level":
            fill[column] = str(GeographicLevel.LOCAL_AUTHORITY)
        elif column == "value_status":
            fill[column] = ABSENT_STATUS
        elif pd.api.types.is_numeric_dtype(values[column].dtype):
            fill[column] = float("nan")
        else:
            fill[column] = None
    return fill


def _absent_rows(values: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Rows for LAs with no row: the period columns copied, value NaN, status "no row"."""
    fill = _absent_fill(values)
    rows = pd.DataFrame({"area_code": codes})
    for column in values.columns:
        if column != "area_code":
            rows[column] = fill[column]
    return rows.astype(values.dtypes.to_dict(), errors="ignore")


def _with_absent_rows(
    values: pd.DataFrame, kept_rows: np.ndarray, kept_codes: np.ndarray, absent: list[str]
) -> pd.DataFrame | None:
    """``values.take(kept_rows)`` plus ``_absent_rows(values, absent)``, sorted by code.

    Builds each column once instead of concatenating two frames. Gives exactly what the
    concatenation gives for float, integer, object and string columns, and None (use the
    concatenation) when a column has another dtype or ``values`` is empty.
    """
    if not len(values):
        return None
    fill = _absent_fill(values)
    order = np.argsort(np.concatenate([kept_codes, np.array(absent, dtype=str)]))
    rows = np.concatenate([kept_rows, np.full(len(absent), -1, dtype=kept_rows.dtype)])[order]
    missing = rows < 0
    taken = np.where(missing, 0, rows)
    columns: dict[Hashable, object] = {}
    for name, column in values.items():
        dtype = column.dtype
        if name == "area_code":
            codes = column.to_numpy(dtype=object)[kept_rows]
            both = np.concatenate([codes, np.array(absent, dtype=object)])[order]
            # pandas-stubs types pd.array one dtype family per overload; pandas takes any
            # np.dtype | ExtensionDtype, as this column's (known only at run time) is.
            columns[name] = pd.array(both, dtype=dtype)  # type: ignore[arg-type]
        elif isinstance(dtype, pd.StringDtype):
            columns[name] = column.array.take(rows, allow_fill=True, fill_value=fill[name])
        elif isinstance(dtype, np.dtype) and dtype.kind in "fiuO":
            value = fill[name]
            out = column.to_numpy()[taken]
            if dtype.kind != "O":
                if isinstance(value, bool | np.bool_) or not isinstance(
                    value, int | float | np.number
                ):
                    return None
                if dtype.kind in "iu" and not isinstance(value, int | np.integer):
                    if value == value:  # a float fill for an integer column: rare, concatenate
                        return None
                    out = out.astype(float)  # NaN for an absent row: integers become floats
            out[missing] = value
            columns[name] = pd.Series(out, dtype=out.dtype, copy=False)
        else:
            return None
    return pd.DataFrame(columns)
