"""Every (indicator, period) of a store over every area, as dense arrays.

The benchmark table (``indicators.benchmark_table``) ranks, bands and compares every indicator
in every period at once. It works on a ``Cube``: one row per (indicator, period) "group", one
column per area of the ``areas`` table, so that what the per-period functions do for one group
(``eligible_values``, ``rank_areas``, ``quartile_bands``...) becomes one array operation over
all groups. A store of 1,179 indicators holds about 7,300 groups over 172 areas: 1.3 million
cells, a few megabytes per array.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from data.schema import LIFETIME_TOLERANCE_DAYS, AreaType, period_end
from indicators._common import require_columns
from indicators.eligibility import _days

__all__ = ["Cube", "build_cube", "competing"]

_VALUE_COLUMNS = ("indicator_id", "area_code", "time_period", "time_identifier", "year_end")


@dataclass(frozen=True, slots=True)
class Cube:
    """Values of many (indicator, period) groups over one set of areas.

    Attributes:
        groups: One row per group, sorted by ``indicator_id`` then ``time_period``:
            ``indicator_id``, ``time_period``, ``time_identifier``, ``year_end``,
            ``period_label`` (the first label seen in the group).
        area_codes: The areas (columns), as in the ``areas`` table, sorted (object array).
        row: ``(groups, areas)`` position of the ``values`` row, -1 where there is none.
        value: ``(groups, areas)`` the finite value in the indicator's unit, else NaN (no row,
            or a row whose value is not published).
        numerator, denominator: ``(groups, areas)`` the counts behind a value, else NaN.
    """

    groups: pd.DataFrame
    area_codes: np.ndarray
    row: np.ndarray
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray

    @property
    def has_row(self) -> np.ndarray:
        """``(groups, areas)`` whether the area has a ``values`` row in the group."""
        return self.row >= 0


def build_cube(values: pd.DataFrame, areas: pd.DataFrame) -> Cube:
    """Lay the store's ``values`` out as dense ``(group, area)`` arrays.

    Args:
        values: The store's ``values`` table (every indicator, period and level); unique on
            (``indicator_id``, ``area_code``, ``time_period``).
        areas: The store's ``areas`` table; every ``area_code`` of ``values`` must be in it.

    Returns:
        A ``Cube`` whose columns are all of ``areas``' codes, sorted.

    Raises:
        ValueError: If columns are missing, a values area is not in ``areas``, or a key
            repeats.

    Notes:
        Units: values unchanged. Polarity, ties: not used. Missing values: a non-finite value
        is NaN in ``value``; its row is still recorded in ``row`` (its status is kept there).

    Examples:
        >>> areas = pd.DataFrame({"area_code": ["B", "A"]})
        >>> values = pd.DataFrame({"indicator_id": ["i", "i"], "area_code": ["A", "B"],
        ...     "time_period": [2024, 2024], "time_identifier": ["Reporting year"] * 2,
        ...     "year_end": [2024, 2024], "period_label": ["2024"] * 2,
        ...     "value": [1.0, None], "numerator": [None, None], "denominator": [None, None]})
        >>> cube = build_cube(values, areas)
        >>> cube.area_codes.tolist(), cube.value.tolist(), cube.row.tolist()
        (['A', 'B'], [[1.0, nan]], [[0, 1]])
    """
    require_columns(values, [*_VALUE_COLUMNS, "value"], what="build_cube")
    require_columns(areas, ["area_code"], what="build_cube")
    area_codes = np.sort(areas["area_code"].to_numpy(dtype=object).astype(str)).astype(object)
    area_code, area_seen = pd.factorize(values["area_code"])
    seen_at = pd.Index(area_codes).get_indexer(np.asarray(area_seen, dtype=object))
    if (seen_at < 0).any():
        unknown = sorted(str(c) for c in np.asarray(area_seen, dtype=object)[seen_at < 0])
        raise ValueError(f"build_cube: area codes not in areas: {unknown[:5]}")
    column = seen_at[area_code]
    indicator_code, indicator_ids = _factorize_text(values["indicator_id"])
    period_code, periods = pd.factorize(values["time_period"], sort=True)
    combined = indicator_code.astype(np.int64) * len(periods) + period_code
    # The (indicator, period) pairs present, in order, by counting (no sort, no hash).
    present = np.zeros(len(indicator_ids) * len(periods), dtype=bool)
    present[combined] = True
    key = np.flatnonzero(present)
    group = (np.cumsum(present) - 1)[combined]
    n_groups, n_areas = len(key), len(area_codes)
    flat = group.astype(np.int64) * n_areas + column
    if len(flat) and np.bincount(flat, minlength=n_groups * n_areas).max() > 1:
        raise ValueError("build_cube: values repeat (indicator_id, area_code, time_period)")
    row_of_cell = np.full(n_groups * n_areas, -1, dtype=np.int64)
    row_of_cell[flat] = np.arange(len(values))
    row = row_of_cell.reshape(n_groups, n_areas)
    first = np.full(n_groups, -1, dtype=np.int64)
    first[group[::-1]] = np.arange(len(values))[::-1]  # each group's first row
    labels = (
        values["period_label"].take(first).to_numpy(dtype=object)
        if "period_label" in values.columns
        else np.asarray(periods, dtype=object)[key % len(periods)]
    )
    groups = pd.DataFrame(
        {
            "indicator_id": np.asarray(indicator_ids, dtype=object)[key // len(periods)],
            "time_period": np.asarray(periods, dtype=np.int64)[key % len(periods)],
            "time_identifier": values["time_identifier"].take(first).to_numpy(dtype=object),
            "year_end": values["year_end"].take(first).to_numpy(dtype=np.int64),
            "period_label": labels,
        }
    )
    return Cube(
        groups=groups,
        area_codes=area_codes,
        row=row,
        value=_spread(values, "value", row, finite=True),
        numerator=_spread(values, "numerator", row),
        denominator=_spread(values, "denominator", row),
    )


def _factorize_text(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and uniques of a text column, uniques in code-point order.

    A categorical's own category order may differ from code-point order; the cube's groups
    must follow code-point order, as the benchmark table's sorted dictionaries do.
    """
    codes, uniques = pd.factorize(column)
    text = np.asarray(uniques, dtype=object).astype(str)
    order = np.argsort(text, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes], text[order].astype(object)


def _spread(
    values: pd.DataFrame, column: str, row: np.ndarray, *, finite: bool = False
) -> np.ndarray:
    """A values column laid out as ``(group, area)`` (NaN where no row or no number)."""
    out = np.full(row.shape, np.nan)
    if column not in values.columns:
        return out
    data = pd.to_numeric(values[column]).to_numpy(dtype=float, na_value=np.nan)
    has = row >= 0
    out[has] = data[row[has]]
    if finite:
        out[~np.isfinite(out)] = np.nan
    return out


def competing(
    cube: Cube, areas: pd.DataFrame, *, published_grace_days: int = LIFETIME_TOLERANCE_DAYS
) -> np.ndarray:
    """Which areas compete in each group's ranking (``eligible_values``' rule, all at once).

    Args:
        cube: The ``Cube``.
        areas: The store's ``areas`` table (``area_code``, ``area_type``, ``valid_from``,
            ``valid_to``).
        published_grace_days: Also let a single LA compete whose lifetime misses the period
            end by at most this many days, if it published a finite value (0: strict).

    Returns:
        ``(groups, areas)`` bool: single LAs current at the group's period end (or within the
        grace with a value). A competing LA without a row is "no row" in a ranking.

    Notes:
        Units: days. Polarity, ties: not used. Missing values: a null ``valid_from`` means
        "since before the data", a null ``valid_to`` "still current".

    Examples:
        >>> areas = pd.DataFrame({"area_code": ["A", "B"], "area_type": ["Local authority"] * 2,
        ...     "valid_from": [None, pd.Timestamp("2024-04-01")], "valid_to": [None, None]})
        >>> values = pd.DataFrame({"indicator_id": ["i", "i"], "area_code": ["A", "B"],
        ...     "time_period": [2024, 2024], "time_identifier": ["Reporting year"] * 2,
        ...     "year_end": [2024, 2024], "value": [1.0, 2.0]})
        >>> cube = build_cube(values, areas)
        >>> competing(cube, areas, published_grace_days=0).tolist()
        [[True, False]]
        >>> competing(cube, areas).tolist()
        [[True, True]]
    """
    require_columns(areas, ["area_code", "area_type", "valid_from", "valid_to"], what="competing")
    order = pd.Index(areas["area_code"].to_numpy(dtype=object).astype(str)).get_indexer(
        cube.area_codes
    )
    is_la = areas["area_type"].to_numpy(dtype=object).astype(str)[order] == str(AreaType.LA)
    start = _days(areas["valid_from"])[order]
    stop = _days(areas["valid_to"])[order]
    ends = np.array(
        [
            np.datetime64(date(*period_end(ti, int(ye))), "D")
            for ti, ye in zip(cube.groups["time_identifier"], cube.groups["year_end"], strict=True)
        ],
        dtype="datetime64[D]",
    )[:, None]
    current: np.ndarray = (
        is_la[None, :]
        & (np.isnat(start)[None, :] | (start[None, :] <= ends))
        & (np.isnat(stop)[None, :] | (stop[None, :] >= ends))
    )
    if published_grace_days <= 0:
        return current
    early = np.where(np.isnat(start)[None, :], 0, (start[None, :] - ends).astype(float))
    late = np.where(np.isnat(stop)[None, :], 0, (ends - stop[None, :]).astype(float))
    near = is_la[None, :] & (early <= published_grace_days) & (late <= published_grace_days)
    competing: np.ndarray = current | (near & np.isfinite(cube.value))
    return competing
