"""England and region comparators of every (indicator, period) at once.

The rules are ``indicators.comparators``' (the published row when there is one, else a value
computed from the LAs current for the period), applied to a whole ``Cube``, plus LAIT's London
rule (``clean_ldn_region()``): where Inner or Outer London has no value in any period of an
indicator, its LAs are compared with London throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.schema import ENGLAND_CODE, LONDON_CODE, AreaType, ValueType
from indicators.cube import Cube

__all__ = ["ComparatorTable", "comparator_table", "subregions_without_data"]


@dataclass(frozen=True, slots=True)
class ComparatorTable:
    """Comparators of every group.

    Attributes:
        frame: One row per group and comparator area (England, each region and London
            sub-region): ``indicator_id``, ``time_period``, ``area_code`` (the comparator
            asked for), ``comparator_code`` (the area whose value is used: London for a
            sub-region that falls back to it), ``label``, ``value`` (indicator's unit, NaN
            when none), ``value_status``, ``method``, ``computed``, ``n_las``,
            ``n_las_missing`` (computed values only).
        codes: The comparator area codes, in ``frame``'s order within a group.
        value: ``(groups, codes)`` the values of ``frame``, for look-ups.
    """

    frame: pd.DataFrame
    codes: tuple[str, ...]
    value: np.ndarray


def subregions_without_data(cube: Cube, areas: pd.DataFrame) -> dict[str, np.ndarray]:
    """For each London sub-region, which groups' indicators never publish it.

    Returns:
        Sub-region code -> ``(groups,)`` bool, True when the sub-region has no finite value in
        any period of the group's indicator and London has one in some period (LAIT then
        compares its LAs with London; with neither, the sub-region's own value is computed).

    Examples:
        >>> from indicators.cube import build_cube
        >>> areas = pd.DataFrame({"area_code": ["E13000001", "E12000007"],
        ...     "area_type": ["London sub-region", "Region"]})
        >>> values = pd.DataFrame({"indicator_id": ["a", "a", "b", "b"],
        ...     "area_code": ["E13000001", "E13000001", "E13000001", "E12000007"],
        ...     "time_period": [2023, 2024, 2024, 2024],
        ...     "time_identifier": ["Reporting year"] * 4, "year_end": [2023, 2024, 2024, 2024],
        ...     "value": [1.0, None, None, 5.0]})
        >>> subregions_without_data(build_cube(values, areas), areas)["E13000001"].tolist()
        [False, False, True]
    """
    indicator = cube.groups["indicator_id"].to_numpy(dtype=object)
    _, first = np.unique(indicator, return_index=True)
    starts = np.sort(first)
    position = pd.Index(cube.area_codes)
    out: dict[str, np.ndarray] = {}
    kind = areas["area_type"].to_numpy(dtype=object).astype(str)
    counts = np.diff(np.append(starts, len(cube.groups)))

    def any_period(code: str) -> np.ndarray:
        if code not in position:
            return np.zeros(len(cube.groups), dtype=bool)
        finite = np.isfinite(cube.value[:, position.get_loc(code)])
        return np.repeat(np.maximum.reduceat(finite, starts), counts) if len(starts) else finite

    london = any_period(LONDON_CODE)
    for code in areas["area_code"].to_numpy(dtype=object)[kind == str(AreaType.LONDON_SUBREGION)]:
        out[str(code)] = ~any_period(str(code)) & london
    return out


def comparator_table(
    cube: Cube,
    areas: pd.DataFrame,
    strict: np.ndarray,
    *,
    value_type: np.ndarray,
    multiplier: np.ndarray,
    status: np.ndarray,
) -> ComparatorTable:
    """England and every region's comparator for every group (the rules of ``comparators``).

    Args:
        cube: The ``Cube``.
        areas: The store's ``areas`` table (``area_code``, ``area_name``, ``area_type``,
            ``region_code``).
        strict: ``(groups, areas)`` the LAs current for each period with no grace
            (``competing(..., published_grace_days=0)``): the LAs a computed value uses.
        value_type: ``(groups,)`` each group's ``ValueType`` (str).
        multiplier: ``(groups,)`` each group's multiplier (NaN when none).
        status: ``(values rows,)`` the ``value_status`` of each values row (None when none).

    Returns:
        A ``ComparatorTable``.

    Notes:
        Units: the indicator's unit. Polarity, ties: not used. Missing values: a published row
        without a value keeps its symbol; a computed comparator leaves out LAs without a value
        and counts them in ``n_las_missing`` (status ``nd`` when none has a value). Methods:
        pooled ``multiplier * sum(numerator) / sum(denominator)`` when every contributing LA
        has both, the sum of LAs for counts and currency, else the mean of LAs (labelled).
    """
    names = dict(zip(areas["area_code"].astype(str), areas["area_name"].astype(str), strict=True))
    names[ENGLAND_CODE] = "England"
    kind = areas["area_type"].to_numpy(dtype=object).astype(str)
    area_codes = areas["area_code"].to_numpy(dtype=object).astype(str)
    region_of = areas["region_code"].to_numpy(dtype=object).astype(str)
    is_la = kind == str(AreaType.LA)
    regional = np.isin(kind, [str(AreaType.REGION), str(AreaType.LONDON_SUBREGION)])
    subregions = frozenset(area_codes[kind == str(AreaType.LONDON_SUBREGION)])
    codes = (ENGLAND_CODE, *sorted(area_codes[regional]))
    computed = {}
    for code in codes:
        if code == ENGLAND_CODE:
            use = strict
        else:
            own = {code} | (subregions if code == LONDON_CODE else set())
            member = np.isin(cube.area_codes, area_codes[is_la & np.isin(region_of, list(own))])
            use = strict & member[None, :]
        computed[code] = _Computed.of(cube, use, value_type, multiplier)
    fallback = subregions_without_data(cube, areas)
    n_groups = len(cube.groups)
    columns = [
        _resolve(cube, code, computed, names, status, fallback.get(code), subregions)
        for code in codes
    ]
    # Group-major rows: every comparator of a group together, groups in cube order.
    data = {name: np.column_stack([c[name] for c in columns]).ravel() for name in columns[0]}
    group = np.repeat(np.arange(n_groups), len(codes))
    frame = pd.DataFrame(
        {
            "indicator_id": cube.groups["indicator_id"].to_numpy(dtype=object)[group],
            "time_period": cube.groups["time_period"].to_numpy()[group],
            "area_code": np.tile(np.array(codes, dtype=object), n_groups),
            **data,
        }
    )
    value = frame["value"].to_numpy(dtype=float).reshape(n_groups, len(codes))
    return ComparatorTable(frame=frame, codes=codes, value=value)


@dataclass(frozen=True, slots=True)
class _Computed:
    """A comparator computed from LAs, for every group (see ``comparator_table``)."""

    value: np.ndarray
    method: np.ndarray
    n_las: np.ndarray
    n_missing: np.ndarray

    @classmethod
    def of(
        cls, cube: Cube, use: np.ndarray, value_type: np.ndarray, multiplier: np.ndarray
    ) -> _Computed:
        finite = use & np.isfinite(cube.value)
        n_usable = finite.sum(axis=1)
        counts_known = finite & np.isfinite(cube.numerator) & np.isfinite(cube.denominator)
        num_sum = np.where(finite, cube.numerator, 0.0).sum(axis=1)
        den_sum = np.where(finite, cube.denominator, 0.0).sum(axis=1)
        total = np.where(finite, cube.value, 0.0).sum(axis=1)
        summed = np.isin(value_type, [str(ValueType.COUNT), str(ValueType.CURRENCY)])
        pooled = (
            ~summed
            & np.isfinite(multiplier)
            & (counts_known.sum(axis=1) == n_usable)
            & (den_sum > 0)
        )
        none = n_usable == 0
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.select(
                [none, pooled, summed],
                [np.nan, multiplier * num_sum / den_sum, total],
                default=total / np.maximum(n_usable, 1),
            )
        method = np.select(
            [none, pooled, summed],
            ["none", "pooled numerator/denominator", "sum of LAs"],
            default="mean of LAs",
        ).astype(object)
        return cls(value, method, n_usable, use.sum(axis=1) - n_usable)


def _resolve(
    cube: Cube,
    code: str,
    computed: dict[str, _Computed],
    names: dict[str, str],
    status: np.ndarray,
    no_data: np.ndarray | None,
    subregions: frozenset[str],
) -> dict[str, np.ndarray]:
    """One comparator's columns for every group: published, London instead, or computed."""
    n = len(cube.groups)
    position = pd.Index(cube.area_codes)
    own_row = cube.row[:, position.get_loc(code)]
    used = np.full(n, code, dtype=object)
    row = own_row.copy()
    label = np.full(n, names.get(code, code), dtype=object)
    if code in subregions and LONDON_CODE in position:
        london_row = cube.row[:, position.get_loc(LONDON_CODE)]
        london = names.get(LONDON_CODE, "London")
        # LAIT's clean_ldn_region(): no value in any period -> London throughout.
        to_london = no_data if no_data is not None else np.zeros(n, dtype=bool)
        # A period without the sub-region's row uses London's published row, if any.
        unpublished = ~to_london & (own_row < 0) & (london_row >= 0)
        used[to_london | unpublished] = LONDON_CODE
        row = np.where(to_london | unpublished, london_row, own_row)
        label[unpublished] = f"{london} ({names.get(code, code)} not published)"
        label[to_london] = f"{london} ({names.get(code, code)} has no data for this indicator)"
    published = row >= 0
    own = computed[code]
    other = computed.get(LONDON_CODE, own)
    is_london = used == LONDON_CODE
    pick = {
        name: np.where(is_london, getattr(other, name), getattr(own, name))
        for name in ("value", "method", "n_las", "n_missing")
    }
    value = np.where(
        published, cube.value[np.arange(n), position.get_indexer(used)], pick["value"]
    )
    symbol = np.array([status[r] if r >= 0 else None for r in row], dtype=object)
    symbol[~published] = None
    symbol[published & np.isfinite(value)] = None
    symbol[~published & ~np.isfinite(value)] = "nd"
    what = np.where(pick["method"] == "none", "no LA has a value", pick["method"])
    computed_label = np.array(
        [f"{names.get(u, u)} (computed: {m})" for u, m in zip(used, what, strict=True)],
        dtype=object,
    )
    return {
        "comparator_code": used,
        "label": np.where(published, label, computed_label),
        "value": value,
        "value_status": symbol,
        "method": np.where(published, "published", pick["method"]).astype(object),
        "computed": ~published,
        "n_las": np.where(published, -1, pick["n_las"]),
        "n_las_missing": np.where(published, -1, pick["n_missing"]),
    }
