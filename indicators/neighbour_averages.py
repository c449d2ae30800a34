"""Every LA of a neighbour release compared with its neighbours at once (vectorised).

The same rules as ``compare_to_neighbours`` (LAIT's mean of the neighbours with data by default,
the median on request, always with how many had data), for all LAs of one release in a few
array operations: the release rows are looked up once, grouped by ``np.bincount``.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pandas as pd

from indicators._common import counts_text, float_values, require_int
from indicators._groups import check_values, missing_status, release_index, symbols
from indicators.neighbours import MIN_WITH_DATA, NeighbourStatistic, check_statistic

__all__ = ["neighbour_averages"]


def neighbour_averages(
    values: pd.DataFrame,
    neighbours: pd.DataFrame,
    *,
    sn_release: str,
    statistic: NeighbourStatistic = NeighbourStatistic.MEAN,
    min_with_data: int = MIN_WITH_DATA,
) -> pd.DataFrame:
    """Compare every LA of a release with its neighbours at once (vectorised).

    Args:
        values: Store ``values`` rows of one indicator and one period.
        neighbours: The store's ``statistical_neighbours`` table.
        sn_release: Neighbour release, e.g. ``"2025"`` (any published one).
        statistic: ``NeighbourStatistic.MEAN`` (LAIT, default) or ``MEDIAN`` (CSC).
        min_with_data: Below this many neighbours with data, ``below_minimum`` is True.

    Returns:
        A new frame, one row per LA in the release, sorted by ``area_code``:
        ``area_code``, ``la_value``, ``neighbour_value``, ``difference`` (LA minus
        neighbours), ``n_with_data``, ``n_expected``, ``missing_text``, ``incomplete``,
        ``below_minimum``, ``statistic``, ``sn_release``.

    Raises:
        ValueError: On an unknown release, mixed periods, repeated areas, or bad options.

    Notes:
        Units: the indicator's unit. Polarity: not used. Ties: not applicable. Missing
        values: as ``compare_to_neighbours`` (NaN ``neighbour_value`` when none has data).

    Examples:
        >>> sn = pd.DataFrame({"sn_release": "2025", "area_code": ["A", "A", "B", "B"],
        ...     "neighbour_rank": [1, 2, 1, 2], "neighbour_code": ["B", "C", "A", "C"],
        ...     "closeness": None})
        >>> v = pd.DataFrame({"area_code": ["A", "B", "C"], "value": [1.0, 3.0, 5.0]})
        >>> neighbour_averages(v, sn, sn_release="2025")["neighbour_value"].tolist()
        [4.0, 3.0]
    """
    statistic = check_statistic(statistic)
    min_with_data = require_int(min_with_data, name="min_with_data", minimum=1)
    check_values(values, "neighbour_averages")
    index = release_index(neighbours, str(sn_release))
    group, ids, n_expected = index.group, index.ids, index.n_expected
    # Each code of the release -> its value and status in ``values`` (one pass over values).
    at = index.positions(values["area_code"].to_numpy(dtype=object))
    hit = at >= 0
    n_codes = len(index.universe)
    found = np.zeros(n_codes, dtype=bool)
    found[at[hit]] = True
    known = np.full(n_codes, np.nan)
    known[at[hit]] = float_values(values)[hit]
    known[~np.isfinite(known)] = np.nan
    symbol = np.full(n_codes, None, dtype=object)
    symbol[at[hit]] = symbols(values)[hit]
    value = known[index.neighbour_at]
    has = np.isfinite(value)
    n_with = np.bincount(group, weights=has, minlength=len(ids)).astype(int)
    if statistic is NeighbourStatistic.MEAN:
        sums = np.bincount(group, weights=np.where(has, value, 0.0), minlength=len(ids))
        summary = np.where(n_with > 0, sums / np.maximum(n_with, 1), np.nan)
    else:
        summary = _group_medians(group, value, has, n_with, n_expected)
    la_value = known[index.id_at]
    text = [f"all {n} with data" for n in n_expected.tolist()]
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    missing_rows = np.flatnonzero(~has)
    status = missing_status(
        value[missing_rows],
        found[index.neighbour_at[missing_rows]],
        symbol,
        index.neighbour_at[missing_rows],
    )
    for g, own in zip(group[missing_rows].tolist(), status.tolist(), strict=True):
        counts[g][str(own)] += 1
    for g, counter in counts.items():
        ordered = dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
        missing = int(n_expected[g] - n_with[g])
        text[g] = f"{missing} of {n_expected[g]} without data: {counts_text(ordered)}"
    # Text columns are made ``str`` arrays here (what the frame would infer), which is much
    # cheaper than letting the constructor infer them from lists and broadcast scalars.
    as_text = index.id_text.dtype
    return pd.DataFrame(
        {
            "area_code": index.id_text.copy(),
            "la_value": la_value,
            "neighbour_value": summary,
            "difference": la_value - summary,
            "n_with_data": n_with,
            "n_expected": n_expected.copy(),
            "missing_text": pd.array(text, dtype=as_text),
            "incomplete": n_with < n_expected,
            "below_minimum": n_with < min_with_data,
            "statistic": pd.array([str(statistic)] * len(ids), dtype=as_text),
            "sn_release": pd.array([str(sn_release)] * len(ids), dtype=as_text),
        },
        copy=False,
    )


def _group_medians(
    group: np.ndarray,
    value: np.ndarray,
    has: np.ndarray,
    n_with: np.ndarray,
    n_expected: np.ndarray,
) -> np.ndarray:
    """Median of the finite values of each group (NaN for a group with none)."""
    order = np.lexsort((np.where(has, value, np.inf), group))
    ordered = value[order]
    start = np.concatenate([[0], np.cumsum(n_expected)[:-1]])
    lo = start + np.maximum(n_with - 1, 0) // 2
    hi = start + n_with // 2
    lo_value = ordered[np.minimum(lo, len(ordered) - 1)] if len(ordered) else lo * np.nan
    hi_value = ordered[np.minimum(hi, len(ordered) - 1)] if len(ordered) else hi * np.nan
    return np.where(n_with > 0, (lo_value + hi_value) / 2, np.nan)
