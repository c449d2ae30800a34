"""Statistical-neighbour groups and the neighbour average of an indicator.

Default: LAIT's simple mean of the neighbours with data (``mean(values, na.rm = TRUE)``); the
median (DfE CSC outcomes-and-enablers dashboard) on request. Unlike LAIT, the result always
says how many of the neighbours had data, lists the missing ones with their status, and flags
a group below 10 (``incomplete``) and below a minimum (``below_minimum``, default fewer than 6).

Which statistical-neighbour release: any. The caller passes the store's
``statistical_neighbours`` table and names ``sn_release`` ("2021" or "2025"), or passes a
custom list of LA codes. Abolished LAs (e.g. Cumbria 909 in the 2021 release) stay in the
group, reported as missing with their status; they are never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from indicators._common import counts_text, opt_float, require_int, status_counts
from indicators._groups import (
    CUSTOM_RELEASE,
    MAX_CUSTOM_GROUP,
    attach_values,
    check_custom,
    check_values,
    group_rows,
)

__all__ = [
    "MAX_CUSTOM_GROUP",
    "MIN_WITH_DATA",
    "NeighbourComparison",
    "NeighbourStatistic",
    "compare_to_neighbours",
    "neighbour_group",
]

#: Default minimum number of neighbours with data below which the average is flagged.
MIN_WITH_DATA = 6


class NeighbourStatistic(StrEnum):
    """How the neighbours' values are summarised."""

    MEAN = "mean"
    """Unweighted mean of the neighbours with data (DfE LAIT)."""
    MEDIAN = "median"
    """Median of the neighbours with data (DfE CSC outcomes-and-enablers dashboard)."""


def neighbour_group(
    neighbours: pd.DataFrame,
    *,
    area_code: str,
    sn_release: str | None = None,
    custom_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return one LA's comparison group: its statistical neighbours or a custom list.

    Args:
        neighbours: The store's ``statistical_neighbours`` table (``sn_release``,
            ``area_code``, ``neighbour_rank``, ``neighbour_code``, ``closeness``).
        area_code: The LA at the centre of the group.
        sn_release: The neighbour release to use, e.g. ``"2025"``. Give this or
            ``custom_codes``, not both.
        custom_codes: 1..20 distinct LA codes (not ``area_code`` itself), in display order.

    Returns:
        A new frame, one row per neighbour ordered by ``neighbour_rank``: ``sn_release``
        (``"custom"`` for a custom list), ``area_code``, ``neighbour_rank``,
        ``neighbour_code``, ``closeness`` (None for a custom list).

    Raises:
        ValueError: If both or neither of ``sn_release``/``custom_codes`` are given, the
            release is unknown or has no row for ``area_code``, or the custom list is empty,
            too long, repeats a code or contains ``area_code``.

    Notes:
        Units: none. Polarity: not used. Ties: not applicable. Missing values: abolished or
        not-yet-created neighbours are kept (the release is taken as published).

    Examples:
        >>> sn = pd.DataFrame({"sn_release": ["2025", "2025"], "area_code": ["A", "A"],
        ...     "neighbour_rank": [2, 1], "neighbour_code": ["C", "B"],
        ...     "closeness": ["Close", "Very close"]})
        >>> neighbour_group(sn, area_code="A", sn_release="2025")["neighbour_code"].tolist()
        ['B', 'C']
    """
    if (sn_release is None) == (custom_codes is None):
        raise ValueError("neighbour_group: give exactly one of sn_release= or custom_codes=")
    if custom_codes is not None:
        codes = check_custom(custom_codes, area_code)
        return pd.DataFrame(
            {
                "sn_release": CUSTOM_RELEASE,
                "area_code": area_code,
                "neighbour_rank": range(1, len(codes) + 1),
                "neighbour_code": codes,
                "closeness": pd.Series([None] * len(codes), dtype=object),
            }
        )
    rows = group_rows(neighbours, str(sn_release), area_code)
    if rows.empty:
        raise ValueError(
            f"neighbour_group: {area_code!r} has no neighbours in release {sn_release!r}"
        )
    return rows


@dataclass(frozen=True, slots=True)
class NeighbourComparison:
    """An LA's value against the summary of its comparison group.

    Attributes:
        area_code: The LA.
        sn_release: The release used, or ``"custom"``.
        statistic: ``"mean"`` or ``"median"``.
        label: e.g. ``"Statistical neighbours (mean, 9 of 10 with data)"``.
        la_value: The LA's own value (None when not published).
        value: The neighbours' mean/median (None when no neighbour has data).
        difference: ``la_value - value`` in the indicator's unit (None if either is None).
        n_with_data: Neighbours with a value.
        n_expected: Neighbours in the group (10 for a published release).
        missing: Neighbours with no value: ``neighbour_rank``, ``neighbour_code``,
            ``status`` (the symbol, ``"missing"``, or ``"no row"``).
        missing_text: e.g. ``"1 of 10 without data: 1 z"`` or ``"all 10 with data"``.
        incomplete: ``n_with_data < n_expected`` (show a warning).
        below_minimum: ``n_with_data < min_with_data`` (grey out or suppress).
        members: The group with each neighbour's ``value`` and ``status``.
    """

    area_code: str
    sn_release: str
    statistic: str
    label: str
    la_value: float | None
    value: float | None
    difference: float | None
    n_with_data: int
    n_expected: int
    missing: pd.DataFrame
    missing_text: str
    incomplete: bool
    below_minimum: bool
    members: pd.DataFrame


def compare_to_neighbours(
    values: pd.DataFrame,
    neighbours: pd.DataFrame,
    *,
    area_code: str,
    sn_release: str | None = None,
    custom_codes: Sequence[str] | None = None,
    statistic: NeighbourStatistic = NeighbourStatistic.MEAN,
    min_with_data: int = MIN_WITH_DATA,
) -> NeighbourComparison:
    """Compare one LA with the mean (or median) of its statistical neighbours.

    Args:
        values: Store ``values`` rows of one indicator and one period (``area_code``,
            ``value`` in the indicator's unit, ``value_status``).
        neighbours: The store's ``statistical_neighbours`` table.
        area_code: The LA.
        sn_release: Neighbour release (any published one, e.g. ``"2021"`` or ``"2025"``).
        custom_codes: Or a custom group of 1..20 LA codes.
        statistic: ``NeighbourStatistic.MEAN`` (LAIT, default) or ``MEDIAN`` (CSC).
        min_with_data: Below this many neighbours with data, ``below_minimum`` is True.

    Returns:
        A ``NeighbourComparison``.

    Raises:
        ValueError: As ``neighbour_group``; on mixed periods, repeated areas, a bad
            ``statistic`` or ``min_with_data < 1``.

    Notes:
        Units: the indicator's unit. Polarity: not used (the difference is signed; the
        caller judges it). Ties: not applicable. Missing values: neighbours without a value
        are excluded from the mean/median and listed with their status; an absent row
        reads ``"no row"`` (e.g. an abolished LA); all missing gives ``value`` None, never
        0 or NaN.

    Examples:
        >>> sn = pd.DataFrame({"sn_release": "2021", "area_code": "A",
        ...     "neighbour_rank": [1, 2, 3], "neighbour_code": ["B", "C", "D"],
        ...     "closeness": None})
        >>> v = pd.DataFrame({"area_code": ["A", "B", "C", "D"], "value": [5.0, 4.0, 8.0, None],
        ...     "value_status": [None, None, None, "z"]})
        >>> c = compare_to_neighbours(v, sn, area_code="A", sn_release="2021")
        >>> c.value, c.n_with_data, c.missing_text
        (6.0, 2, '1 of 3 without data: 1 z')
    """
    statistic = check_statistic(statistic)
    min_with_data = require_int(min_with_data, name="min_with_data", minimum=1)
    check_values(values, "compare_to_neighbours")
    group = neighbour_group(
        neighbours, area_code=area_code, sn_release=sn_release, custom_codes=custom_codes
    )
    members = attach_values(group, values)
    member_value = members["value"].to_numpy()
    has = ~np.isnan(member_value)
    summary = (
        _mean(member_value[has])
        if statistic is NeighbourStatistic.MEAN
        else pd.Series(member_value[has]).median()
    )
    value = opt_float(summary) if has.any() else None
    own = values["value"].to_numpy()[values["area_code"].to_numpy(dtype=object) == area_code]
    la_value = opt_float(own[0]) if len(own) else None
    missing = members.loc[~has, ["neighbour_rank", "neighbour_code", "status"]]
    n_with, n_expected = int(has.sum()), len(members)
    release = str(group["sn_release"].iloc[0])
    return NeighbourComparison(
        area_code=area_code,
        sn_release=release,
        statistic=str(statistic),
        label=_label(release, statistic, n_with, n_expected),
        la_value=la_value,
        value=value,
        difference=None if la_value is None or value is None else la_value - value,
        n_with_data=n_with,
        n_expected=n_expected,
        missing=missing.reset_index(drop=True),
        missing_text=_missing_text(missing["status"], n_expected),
        incomplete=n_with < n_expected,
        below_minimum=n_with < min_with_data,
        members=members,
    )


def check_statistic(statistic: NeighbourStatistic) -> NeighbourStatistic:
    """Return ``statistic`` if it is a ``NeighbourStatistic``, else raise ``ValueError``."""
    if not isinstance(statistic, NeighbourStatistic):
        raise ValueError(
            f"statistic must be a NeighbourStatistic (MEAN or MEDIAN), not {statistic!r}"
        )
    return statistic


def _mean(values: np.ndarray) -> float:
    """The mean as pandas computes it (sum, then divide by the count)."""
    return float(values.sum() / len(values)) if len(values) else float("nan")


def _label(release: str, statistic: NeighbourStatistic, n_with: int, n_expected: int) -> str:
    name = "Custom group" if release == CUSTOM_RELEASE else "Statistical neighbours"
    return f"{name} ({statistic}, {n_with} of {n_expected} with data)"


def _missing_text(status: pd.Series, n_expected: int) -> str:
    counts = status_counts(status)
    if not counts:
        return f"all {n_expected} with data"
    return f"{sum(counts.values())} of {n_expected} without data: {counts_text(counts)}"
